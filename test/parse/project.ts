import { expect } from 'vitest';
import { LaunchSyntaxError, parseLaunch } from '../../src/graph/parse/index.js';
import type { Chain, ChainItem, LinkNode, PropNode, Span } from '../../src/graph/parse/index.js';

/**
 * Compact projections of the AST, so tests can be literal tables:
 *
 *   element  ['fakesrc', { 'num-buffers': '5' }]  or  ['fakesink']
 *   link     '!'  ':'  or  ['!', 'video/x-raw'] with a caps filter
 *   ref      't.'  't.src_%u'  '.sink'  't.a,b'
 *   uri      { uri: 'file:///x' }
 *   bin      { bin: 'bin' | '', props: {...}, body: [chain, ...] }
 *
 * A chain is its items and links interleaved; a pipeline is a list of chains.
 */
export type Projected = unknown[];

function props(list: PropNode[]): Record<string, string> {
  return Object.fromEntries(list.map((p) => [p.name, p.value]));
}

function item(it: ChainItem): unknown {
  switch (it.kind) {
    case 'element': return it.props.length > 0 ? [it.factory, props(it.props)] : [it.factory];
    case 'uri': return { uri: it.uri };
    case 'ref': return `${it.name ?? ''}.${it.pads.map((p) => p.name).join(',')}`;
    case 'bin': return { bin: it.binType ?? '', props: props(it.props), body: it.body.map(chain) };
  }
}

function link(l: LinkNode): unknown {
  return l.caps === undefined ? l.op : [l.op, l.caps.text];
}

export function chain(c: Chain): Projected {
  const out: unknown[] = [];
  c.items.forEach((it, i) => {
    const l = c.links[i - 1];
    if (l !== undefined) out.push(link(l));
    out.push(item(it));
  });
  return out;
}

/** The projection of every chain of `source`. */
export function project(source: string): Projected[] {
  return parseLaunch(source).chains.map(chain);
}

/** The text a span covers, so span assertions read as text. */
export function cut(source: string, span: Span): string {
  return source.slice(span.start, span.end);
}

/** The syntax error `source` raises; fails the test if it parses. */
export function syntaxError(source: string): LaunchSyntaxError {
  try {
    parseLaunch(source);
  } catch (e) {
    expect(e).toBeInstanceOf(LaunchSyntaxError);
    return e as LaunchSyntaxError;
  }
  throw new Error(`expected a syntax error for ${JSON.stringify(source)}`);
}
