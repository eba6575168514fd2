import { describe, expect, it } from 'vitest';
import { LaunchSyntaxError, parseLaunch } from '../../src/graph/parse/index.js';
import type { Chain, ChainItem, Span } from '../../src/graph/parse/index.js';
import { cut } from './project.js';

/** mulberry32: a small seeded PRNG, so a failing input can be replayed from its seed. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const FRAGMENTS = [
  'a', 'fakesrc', ' ', ' ', '!', '!', ':', '(', ')', 'bin.(', 't.', '.src', 't.src_%u,b', 'x=1', 'x="a b"',
  "'", '"', 'video/x-raw', ',rate=[1, 2]', 'file:///x', '\\', '=', ';', '\n', 'ANY', ',', '.', '{', '}',
  '<', '>', '[', ']', 'é', '😀', '\t', 'y = (int)3',
];

function checkSpan(src: string, span: Span): void {
  expect(span.start).toBeGreaterThanOrEqual(0);
  expect(span.end).toBeGreaterThanOrEqual(span.start);
  expect(span.end).toBeLessThanOrEqual(src.length);
}

function checkItem(src: string, it: ChainItem): void {
  checkSpan(src, it.span);
  expect(it.span.end).toBeGreaterThan(it.span.start);
  if (it.kind === 'element') {
    expect(cut(src, it.factorySpan)).toBe(it.factory);
    for (const p of it.props) expect(cut(src, p.nameSpan)).toBe(p.name);
  } else if (it.kind === 'ref') {
    for (const p of it.pads) expect(cut(src, p.span)).toBe(p.name);
  } else if (it.kind === 'bin') {
    for (const c of it.body) checkChain(src, c);
  }
}

function checkChain(src: string, c: Chain): void {
  expect(c.items.length).toBeGreaterThan(0);
  expect(c.links).toHaveLength(c.items.length - 1);
  c.items.forEach((it) => checkItem(src, it));
  for (const l of c.links) {
    checkSpan(src, l.span);
    if (l.caps !== undefined) expect(cut(src, l.caps.span)).toBe(l.caps.text);
  }
}

describe('random launch strings', () => {
  it('either parse into a consistent AST or throw a LaunchSyntaxError inside the source', () => {
    for (let seed = 1; seed <= 3000; seed += 1) {
      const rand = prng(seed);
      let src = '';
      const n = 1 + Math.floor(rand() * 12);
      for (let i = 0; i < n; i += 1) src += FRAGMENTS[Math.floor(rand() * FRAGMENTS.length)] ?? '';
      try {
        const ast = parseLaunch(src);
        ast.chains.forEach((c) => checkChain(src, c));
      } catch (e) {
        if (!(e instanceof LaunchSyntaxError)) throw new Error(`seed ${seed}: ${JSON.stringify(src)} threw ${String(e)}`);
        checkSpan(src, e.span);
        expect(e.message.startsWith(e.reason)).toBe(true);
      }
    }
  });
});
