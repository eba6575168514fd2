import { Worker } from 'node:worker_threads';
import { describe, expect, it } from 'vitest';
import { SabRegion, SpscRing, ringBytes } from '../../src/memory/index.js';

// A lossless soak: 10 million descriptors (STRESS_COUNT to change it) from a worker, every
// sequence number and field checked, the ring small enough to wrap and fill constantly, and
// resident memory that must stay flat.
const COUNT = Number(process.env.STRESS_COUNT ?? 10_000_000);

describe('SPSC ring soak', () => {
  it(`moves ${COUNT} descriptors across threads without loss, reordering or growth`, async () => {
    const capacity = 256;
    const region = new SabRegion(ringBytes(capacity));
    const c = new SpscRing(region, 0, capacity).consumer();
    const worker = new Worker(new URL('../support/ring-producer.mjs', import.meta.url), {
      workerData: { buffer: region.buffer, base: 0, capacity, count: COUNT, seed: 987654321 },
    });
    const done = new Promise((resolve, reject) => {
      worker.once('message', resolve);
      worker.once('error', reject);
    });
    let seq = 0;
    let bad = -1;
    let rssAtTenth = 0;
    const check = (slot: number, offset: number, length: number, kind: number): void => {
      if (bad < 0 && (slot !== seq || offset !== ((seq * 2654435761) >>> 0) || length !== (seq & 0xffff) || kind !== seq % 7)) bad = seq;
      seq++;
    };
    while (seq < COUNT) {
      if (c.drain(capacity, check) === 0) await c.waitForDataAsync(1000);
      if (rssAtTenth === 0 && seq >= COUNT / 10) rssAtTenth = process.memoryUsage().rss;
    }
    await expect(done).resolves.toEqual({ pushed: COUNT });
    await worker.terminate();
    expect(bad).toBe(-1);
    const growth = process.memoryUsage().rss / rssAtTenth - 1;
    console.log(`soak: ${COUNT} descriptors, RSS growth after the first tenth ${(growth * 100).toFixed(1)} %`);
    expect(growth).toBeLessThan(0.05);
  });
});
