import { describe, expect, it } from 'vitest';
import { Pipeline } from '../../src/index.js';
import { MAX_HELD, type ValueJoin } from '../../src/typed/elements/value-join.js';
import type { TypedPipeline } from '../../src/typed/flow.js';
import { counter } from './counter.js';

/** An async source that never sends a value (a live input that stays quiet). */
async function* quiet(): AsyncGenerator<number> {
  await new Promise(() => {});
  yield 0; // never reached
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
const joinOf = (t: TypedPipeline): ValueJoin<unknown, unknown> => t.pipeline.get('join0') as ValueJoin<unknown, unknown>;
const byValue = { timeOf: (v: number) => v, otherTimeOf: (v: number) => v };

describe('a join holds a bounded number of values', () => {
  it('once one side has ended and nothing it holds can match, the join ends and stops the other', async () => {
    const src = counter();
    const out: [number, number][] = [];
    const t = Pipeline.from(src).join(Pipeline.from([0, 5]), { within: 10, ...byValue }).to((p) => void out.push(p));
    await t.run();
    // a within 10 of 0 (0..10) and of 5 (0..15); then b's window is empty and ended.
    const expected = Array.from({ length: 16 }, (_, a) => (a <= 10 ? [[a, 0], [a, 5]] : [[a, 5]])).flat();
    expect(out.sort((x, y) => x[0] - y[0] || x[1] - y[1])).toEqual(expected);
    // The endless side ran ahead (at most MAX_HELD) before the other's values came, then stopped.
    expect(src.pulled).toBeLessThanOrEqual(MAX_HELD + 3 * 1024);
    expect(joinOf(t).held).toEqual([0, 0]);
  });

  it('a side ahead of a quiet one (its own times) waits once it holds MAX_HELD values', async () => {
    const src = counter();
    const ac = new AbortController();
    const t = Pipeline.from(src).join(Pipeline.from(quiet()), { within: 10, ...byValue }).to(() => {});
    const run = t.run({ signal: ac.signal });
    await sleep(150);
    const [a, b] = joinOf(t).held;
    const pulled = src.pulled;
    await sleep(50);
    expect(src.pulled).toBe(pulled);
    ac.abort();
    await expect(run).rejects.toThrow(/aborted/);
    expect(a).toBeGreaterThan(MAX_HELD);
    expect(a).toBeLessThanOrEqual(MAX_HELD + 1024);
    expect(b).toBe(0);
    expect(pulled).toBeLessThanOrEqual(MAX_HELD + 3 * 1024);
  });

  it('with arrival times, a side is pruned by the clock while the other is quiet', async () => {
    const src = counter(200_000);
    const ac = new AbortController();
    const t = Pipeline.from(src).join(Pipeline.from(quiet()), { within: 0 }).to(() => {});
    const run = t.run({ signal: ac.signal });
    while (src.pulled < 200_000) await sleep(5);
    await sleep(10);
    const [a] = joinOf(t).held;
    ac.abort();
    await expect(run).rejects.toThrow(/aborted/);
    // Values of one batch share an arrival time; older batches are gone.
    expect(a).toBeLessThanOrEqual(1024);
  });

  it('a diamond join cannot wait: past maxHeld it fails naming the option, instead of losing matches', async () => {
    const shared = Pipeline.from(counter(200_000));
    let maxHeld = 0;
    let t: TypedPipeline | null = null;
    t = shared.tap(() => {
      if (t !== null) maxHeld = Math.max(maxHeld, joinOf(t).held[0]);
    }).join(shared.filter((x) => x % 50_000 === 0), { within: 0, ...byValue }).to(() => {});
    await expect(t.run()).rejects.toThrow(/^join0: input a holds more than 16384 values that input b may still match, and both come from one source, so it cannot wait for it; raise the join's maxHeld or narrow its window/);
    expect(maxHeld).toBeLessThanOrEqual(MAX_HELD + 1024);
  });

  it('a diamond join with maxHeld raised finds every match', async () => {
    // The reviewer's case: 0..59999 joined with its multiples of 20000 within 30000.
    const shared = Pipeline.from(counter(60_000));
    const out: [number, number][] = [];
    await shared.join(shared.filter((x) => x % 20_000 === 0), { within: 30_000, maxHeld: 100_000, ...byValue }).to((p) => void out.push(p)).run();
    let expected = 0;
    for (let a = 0; a < 60_000; a++) for (const b of [0, 20_000, 40_000]) if (Math.abs(a - b) <= 30_000) expected++;
    expect(out.length).toBe(expected);
  });

  it('refuses a maxHeld that is not a whole number >= 1, naming the join', async () => {
    for (const bad of [0, -1, 1.5, Number.NaN]) {
      await expect(Pipeline.from([1]).join(Pipeline.from([1]), { within: 0, maxHeld: bad }).to(() => {}).run()).rejects.toThrow(/join0: join maxHeld must be a whole number of values >= 1 \(or Infinity\), got/);
    }
  });

  it('a side ahead waits at a maxHeld of its own', async () => {
    const src = counter();
    const ac = new AbortController();
    const t = Pipeline.from(src).join(Pipeline.from(quiet()), { within: 0, maxHeld: 3000, ...byValue }).to(() => {});
    const run = t.run({ signal: ac.signal });
    let pulled = -1;
    while (src.pulled !== pulled) {
      pulled = src.pulled;
      await sleep(20);
    }
    const [a] = joinOf(t).held;
    ac.abort();
    await expect(run).rejects.toThrow(/aborted/);
    expect(a).toBeGreaterThan(3000);
    expect(a).toBeLessThanOrEqual(3000 + 1024);
  });
});
