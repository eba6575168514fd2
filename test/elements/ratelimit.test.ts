import { describe, expect, it } from 'vitest';
import { FlowResult } from '../../src/element/flow.js';
import { RateLimit } from '../../src/elements/timing/ratelimit.js';
import { buildLaunch } from '../../src/graph/build.js';
import { Harness } from '../../src/harness/harness.js';
import { createDefaultRegistry } from '../../src/registry/builtins.js';
import { expectStepAt } from './support/timed.js';

function ratelimit(props: Record<string, string | number> = {}): RateLimit {
  const r = new RateLimit('ratelimit0');
  for (const [k, v] of Object.entries(props)) r.set(k, v);
  return r;
}

const MS = 1_000_000;

describe('ratelimit', () => {
  it('has metadata and defaults (no limit)', () => {
    expect(RateLimit.metadata.classification).toBe('Generic');
    const r = ratelimit();
    expect([r.get('bytes-per-second'), r.get('buffers-per-second')]).toEqual([0, 0]);
  });

  it.each([
    // properties, sizes of a burst that arrives at clock 0 → clock time each goes out
    [{}, [100, 100, 100], [0, 0, 0]],
    [{ 'buffers-per-second': 10 }, [1, 1, 1, 1], [0, 100 * MS, 200 * MS, 300 * MS]],
    [{ 'bytes-per-second': 1000 }, [100, 200, 100], [0, 100 * MS, 300 * MS]],
    // both limits: the stricter one at each buffer
    [{ 'bytes-per-second': 1000, 'buffers-per-second': 5 }, [10, 500, 10], [0, 200 * MS, 510 * MS]],
  ] as const)('%j: burst of %j goes out at %j', async (props, sizes, out) => {
    const h = new Harness(ratelimit(props));
    await h.start();
    for (const n of sizes) expect(h.push(new Uint8Array(n))).toBe(FlowResult.OK);
    for (const due of out) await expectStepAt(h, due);
    expect(h.pending).toBe(sizes.length);
    await h.stop();
  });

  it('gives no credit after a stall: a late buffer starts the count again', async () => {
    const h = new Harness(ratelimit({ 'buffers-per-second': 10 }));
    await h.start();
    h.push('a');
    await expectStepAt(h, 0);
    h.clock.set(1000 * MS);
    h.push('b');
    h.push('c');
    h.push('d');
    await expectStepAt(h, 1000 * MS);
    await expectStepAt(h, 1100 * MS);
    await expectStepAt(h, 1200 * MS);
    expect(h.pullAllText()).toEqual(['a', 'b', 'c', 'd']);
  });

  it('a rate changed while running applies from then on', async () => {
    const r = ratelimit({ 'buffers-per-second': 10 });
    const h = await new Harness(r).start();
    h.push('a');
    await expectStepAt(h, 0);
    r.set('buffers-per-second', 1);
    h.push('b');
    h.push('c');
    await expectStepAt(h, 0);
    await expectStepAt(h, 1000 * MS);
  });

  it('refuses negative rates, naming element and property', () => {
    expect(() => ratelimit({ 'buffers-per-second': -1 })).toThrow(/property buffers-per-second of ratelimit0/);
    expect(() => ratelimit({ 'bytes-per-second': '1k' })).toThrow(/property bytes-per-second of ratelimit0/);
  });

  it('runs its example launch line at the limit (5 × 100 bytes at 100 kB/s ≥ 4 ms)', async () => {
    const t0 = performance.now();
    await buildLaunch(RateLimit.metadata.example, createDefaultRegistry()).run();
    expect(performance.now() - t0).toBeGreaterThanOrEqual(3.9);
  });
});
