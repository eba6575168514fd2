import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { FlowResult, Harness, buildKernel, createDefaultRegistry, launch, type Element } from '../src/index.js';
import { convertPropertyValue } from '../src/element/property.js';

// Every registered element goes through the same checks: metadata that inspect can print,
// defaults that pass their own validation, repeated state changes, EOS, and refused caps.
const registry = createDefaultRegistry();
const entries = registry.list();

/** WebAssembly kernels for the wasm elements, built from test/fixtures/wasm/ before the suite. */
const kernels: Record<string, string> = {};
beforeAll(async () => {
  const dir = mkdtempSync(join(tmpdir(), 'parallax-conformance-'));
  for (const [factory, fixture] of [['wasmtransform', 'invert'], ['wasmsrc', 'ramp'], ['wasmsink', 'limit']] as const) {
    kernels[factory] = (await buildKernel(fileURLToPath(new URL(`fixtures/wasm/${fixture}.ts`, import.meta.url)), { outFile: join(dir, `${fixture}.wasm`) })).outFile;
  }
}, 60_000);

const socketDir = mkdtempSync(join(tmpdir(), 'pxconf-'));

/** Elements that need a resource before they can start. */
function configure(el: Element): void {
  if (el.factory === 'filesrc') el.set('location', fileURLToPath(import.meta.url));
  if (el.factory === 'filesink') el.set('location', '/dev/null');
  if (el.factory === 'multifilesrc' || el.factory === 'multifilesink') el.set('location', join(socketDir, `${el.name}-%05d.bin`));
  if (el.factory === 'datasrc') el.set('data', 'conformance');
  if (el.factory === 'pngsink') el.set('location', join(socketDir, `${el.name}.png`));
  if (el.factory === 'parallel') el.set('module', 'examples/06-parallel/invert.mjs');
  if (kernels[el.factory] !== undefined) el.set('module', kernels[el.factory]);
  // No peer here: ipcsink ends at EOS without a consumer, ipcsrc stops while it still waits for one.
  if (el.factory === 'ipcsink' || el.factory === 'ipcsrc') el.set('path', join(socketDir, `${el.name}.sock`));
  if (el.factory === 'ipcsink') el.set('wait-for-connection', false);
}

describe.each(entries.map((e) => [e.factory, e] as const))('%s', (factory, entry) => {
  const meta = entry.elementClass.metadata;

  it('has complete metadata', () => {
    expect(meta.factory).toBe(factory);
    expect(meta.classification).toMatch(/^[A-Z][A-Za-z]+(\/[A-Za-z]+)*$/);
    expect(meta.description.length).toBeGreaterThan(5);
    expect(meta.example).toContain(factory);
    expect(['async', 'realtime', 'auto']).toContain(meta.affinity);
    for (const [name, spec] of Object.entries(meta.properties)) {
      expect(spec.description.length, `${factory}.${name} description`).toBeGreaterThan(3);
      expect(() => convertPropertyValue(spec, spec.default, { element: factory, property: name })).not.toThrow();
    }
  });

  it('opens its doc comment with its launch line and classification', () => {
    const src = readFileSync(fileURLToPath(entry.module.replace(/\.js$/, '.ts')), 'utf8');
    const classAt = src.search(/export (default )?class/);
    const start = src.lastIndexOf('/**', classAt);
    const doc = start < 0 ? '' : src.slice(start + 3, src.indexOf('*/', start));
    const firstLines = doc.split('\n').map((l) => l.replace(/^\s*\*\s?/, '')).filter((l) => l.trim() !== '').slice(0, 4).join('\n');
    expect(firstLines).toContain(meta.example);
    expect(doc).toContain(meta.classification);
  });

  it('survives start/stop twice and handles EOS', async () => {
    for (let round = 0; round < 2; round++) {
      const el = registry.make(factory);
      configure(el);
      const h = new Harness(el);
      await h.start();
      if (el.sinkPads.length > 0 && el.sinkPads[0]!.peer !== null) {
        h.eos();
        await h.settle();
        const hasSrc = el.templates.some((t) => t.direction === 'src');
        const linkedSrc = el.srcPads.some((p) => p.peer !== null);
        const isQueue = typeof (el as { produce?: unknown }).produce === 'function';
        if (!hasSrc) expect(h.eosCount).toBe(1);
        else if (linkedSrc && !isQueue) expect(h.events.map((e) => e.type)).toContain('eos');
        else if (linkedSrc) {
          // A queue hands EOS on from its own task.
          expect(await h.step()).toBe(FlowResult.EOS);
          expect(h.events.map((e) => e.type)).toContain('eos');
        }
      }
      await h.stop();
    }
  });

  it('refuses caps its templates do not allow, at prepare, naming the link', async () => {
    const sinkTemplate = entry.elementClass.metadata.padTemplates.find((t) => t.direction === 'sink');
    if (sinkTemplate === undefined || (sinkTemplate.caps ?? 'ANY') === 'ANY') {
      // Elements that take anything must accept arbitrary caps.
      if (sinkTemplate === undefined) return;
      const el = registry.make(factory);
      configure(el);
      const h = new Harness(el, { caps: 'application/x-anything, answer=(int)42', ...(sinkTemplate.presence === 'request' ? { sinkPad: sinkTemplate.name } : {}) });
      await h.start();
      await h.stop();
      return;
    }
    const hasSrc = entry.elementClass.metadata.padTemplates.some((t) => t.direction === 'src' && t.presence === 'always');
    const p = launch(`fakesrc ! application/x-refused ! ${factory}${hasSrc ? ' ! fakesink' : ''}`, { registry });
    await expect(p.prepare()).rejects.toThrow(/cannot link/);
  });
});

describe('conformance suite', () => {
  it('covers every registered element', () => {
    expect(entries.length).toBeGreaterThanOrEqual(12);
    expect(FlowResult.OK).toBe(0);
  });
});
