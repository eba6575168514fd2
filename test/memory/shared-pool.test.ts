import { Worker } from 'node:worker_threads';
import { describe, expect, it } from 'vitest';
import { HeapRegion, SabRegion, SharedPool, WasmMemoryRegion, sharedPoolBytes } from '../../src/memory/index.js';

describe('SharedPool, one thread', () => {
  it.each([['sab', (n: number) => new SabRegion(n)], ['wasm', (n: number) => new WasmMemoryRegion(n)]] as const)('on a %s region: every slot once, then -1, and back', (_k, make) => {
    const pool = new SharedPool(make(sharedPoolBytes(100, 70)), 0, 100, 70, true);
    const got = new Set<number>();
    for (let i = 0; i < 70; i++) got.add(pool.acquire());
    expect(got.size).toBe(70);
    expect(Math.max(...got)).toBe(69);
    expect(pool.acquire()).toBe(-1);
    expect(pool.freeCount).toBe(0);
    pool.release(33);
    expect(pool.acquire()).toBe(33);
    for (const s of got) expect(pool.payloadOffset(s) % 64).toBe(0);
  });

  it('frees a slot on the last unref, and catches a double release', () => {
    const pool = new SharedPool(new SabRegion(sharedPoolBytes(8, 2)), 0, 8, 2, true);
    const s = pool.acquire();
    expect(pool.ref(s)).toBe(2);
    expect(pool.unref(s)).toBe(1);
    expect(pool.freeCount).toBe(1);
    expect(pool.unref(s)).toBe(0);
    expect(pool.freeCount).toBe(2);
    expect(() => pool.release(s)).toThrow(`slot ${s} was released twice`);
    expect(() => pool.release(9)).toThrow('slot 9 is not in this pool (0..1)');
  });

  it('refuses a region other threads cannot see, and bad geometry', () => {
    expect(() => new SharedPool(new HeapRegion(4096), 0, 8, 2)).toThrow('a SharedPool needs a shared region, not a heap one');
    expect(() => new SharedPool(new SabRegion(256), 0, 64, 8)).toThrow(/needs 1152 bytes/);
  });
});

describe('SharedPool across threads', () => {
  it('never hands one slot to two owners, and every slot comes back', async () => {
    const slots = 24;
    const payload = 64;
    const region = new SabRegion(sharedPoolBytes(payload, slots));
    const pool = new SharedPool(region, 0, payload, slots, true);
    const run = (id: number) => new Worker(new URL('../support/pool-worker.mjs', import.meta.url), {
      workerData: { buffer: region.buffer, payload, slots, id, rounds: 200_000, seed: id * 7919 },
    });
    const workers = [run(1), run(2), run(3)];
    const results = await Promise.all(workers.map((w) => new Promise<{ stolen: number; acquired: number }>((resolve, reject) => {
      w.once('message', resolve);
      w.once('error', reject);
    })));
    await Promise.all(workers.map((w) => w.terminate()));
    for (const r of results) {
      expect(r.stolen).toBe(0);
      expect(r.acquired).toBeGreaterThan(10_000);
    }
    expect(pool.freeCount).toBe(slots);
  });
});
