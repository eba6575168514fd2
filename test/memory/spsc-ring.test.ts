import { Worker } from 'node:worker_threads';
import { describe, expect, it } from 'vitest';
import { SabRegion, SpscRing, WasmMemoryRegion, ringBytes } from '../../src/memory/index.js';

describe('SPSC ring, one thread', () => {
  it('pushes and pops in order, reports full and empty, and wraps', () => {
    const ring = new SpscRing(new SabRegion(ringBytes(4)), 0, 4);
    const p = ring.producer();
    const c = ring.consumer();
    for (let round = 0; round < 5; round++) {
      for (let i = 0; i < 4; i++) expect(p.push(round * 10 + i, i, i * 2, 1)).toBe(true);
      expect(p.push(99, 0, 0, 0)).toBe(false);
      expect(ring.length).toBe(4);
      for (let i = 0; i < 4; i++) {
        expect(c.pop()).toBe(true);
        expect({ ...c.current }).toEqual({ slot: round * 10 + i, offset: i, length: i * 2, kind: 1 });
      }
      expect(c.pop()).toBe(false);
    }
  });

  it('drain() visits descriptors in order and frees them with one head store', () => {
    const ring = new SpscRing(new SabRegion(ringBytes(8)), 0, 8);
    const p = ring.producer();
    const c = ring.consumer();
    expect(p.pushBatch([0, 1, 2, 3, 4].map((i) => ({ slot: i, offset: i * 64, length: 8, kind: 2 })))).toBe(5);
    const seen: number[][] = [];
    expect(c.drain(3, (slot, offset, length, kind) => seen.push([slot, offset, length, kind]))).toBe(3);
    expect(seen).toEqual([[0, 0, 8, 2], [1, 64, 8, 2], [2, 128, 8, 2]]);
    expect(ring.length).toBe(2);
    expect(c.drain(100, (slot) => seen.push([slot]))).toBe(2);
    expect(c.drain(100, () => seen.push([]))).toBe(0);
    expect(p.free()).toBe(8);
  });

  it('gives each role once, whoever asks', () => {
    const ring = new SpscRing(new WasmMemoryRegion(ringBytes(8)), 0, 8);
    ring.producer();
    expect(() => ring.producer()).toThrow('the producer of this ring is already claimed');
    ring.consumer();
    expect(() => new SpscRing(ring.region, 0, 8).consumer()).toThrow('the consumer of this ring is already claimed');
  });

  it('survives the u32 counter wrap', () => {
    const ring = new SpscRing(new SabRegion(ringBytes(8)), 0, 8);
    ring.words[0] = -3; // head and tail just below 2^32
    ring.words[16] = -3;
    const p = ring.producer();
    const c = ring.consumer();
    for (let i = 0; i < 20; i++) {
      expect(p.push(i, 0, 0, 0)).toBe(true);
      expect(c.pop()).toBe(true);
      expect(c.current.slot).toBe(i);
    }
  });

  it('refuses bad geometry', () => {
    const r = new SabRegion(4096);
    expect(() => new SpscRing(r, 0, 6)).toThrow(/power of two/);
    expect(() => new SpscRing(r, 32, 4)).toThrow(/multiple of 64/);
    expect(() => new SpscRing(r, 0, 1024)).toThrow(/needs 16640 bytes/);
  });

  it('waitForDataAsync resolves on a push, and does not notify when nobody sleeps', async () => {
    const ring = new SpscRing(new SabRegion(ringBytes(4)), 0, 4);
    const p = ring.producer();
    const c = ring.consumer();
    const waiting = c.waitForDataAsync(5000);
    expect(ring.words[32]).toBe(1); // the consumer said it sleeps
    p.push(7, 0, 0, 0);
    await expect(waiting).resolves.toBe(true);
    expect(ring.words[32]).toBe(0);
    expect(await c.waitForDataAsync(10)).toBe(true);
  });

  it('one sleep gets one notify, however many pushes come before the sleeper runs', async () => {
    const ring = new SpscRing(new SabRegion(ringBytes(128)), 0, 128);
    const p = ring.producer();
    const c = ring.consumer();
    const waiting = c.waitForDataAsync(5000);
    for (let i = 0; i < 100; i++) p.push(i, 0, 0, 0);
    expect(ring.wakeups).toBe(1);
    await expect(waiting).resolves.toBe(true);
    // The same for a producer waiting for room: a full ring, 100 pops, one notify.
    const q = new SpscRing(new SabRegion(ringBytes(128)), 0, 128);
    const qp = q.producer();
    const qc = q.consumer();
    for (let i = 0; i < 128; i++) qp.push(i, 0, 0, 0);
    const room = qp.waitForRoomAsync(5000);
    for (let i = 0; i < 100; i++) qc.pop();
    expect(q.wakeups).toBe(1);
    await expect(room).resolves.toBe(true);
  });
});

describe('SPSC ring across two threads', () => {
  it('moves 300,000 descriptors from a worker in order, intact, with canaries untouched', async () => {
    const capacity = 64;
    const base = 128;
    const region = new SabRegion(base + ringBytes(capacity) + 128);
    const bytes = new Uint8Array(region.buffer);
    bytes.fill(0xa5, 0, base);
    bytes.fill(0x5a, base + ringBytes(capacity));
    const ring = new SpscRing(region, base, capacity);
    const c = ring.consumer();
    const count = 300_000;
    const worker = new Worker(new URL('../support/ring-producer.mjs', import.meta.url), {
      workerData: { buffer: region.buffer, base, capacity, count, seed: 12345 },
    });
    const exited = new Promise((resolve, reject) => {
      worker.once('message', resolve);
      worker.once('error', reject);
    });
    let seq = 0;
    let bad = -1;
    while (seq < count) {
      if (!c.pop()) {
        await c.waitForDataAsync(1000);
        continue;
      }
      const d = c.current;
      if (bad < 0 && (d.slot !== seq || d.offset !== ((seq * 2654435761) >>> 0) || d.length !== (seq & 0xffff) || d.kind !== seq % 7)) bad = seq;
      seq++;
    }
    await expect(exited).resolves.toEqual({ pushed: count });
    await worker.terminate();
    expect(bad).toBe(-1);
    expect(c.pop()).toBe(false);
    expect(bytes.subarray(0, base).every((b) => b === 0xa5)).toBe(true);
    expect(bytes.subarray(base + ringBytes(capacity)).every((b) => b === 0x5a)).toBe(true);
  });
});
