import { Worker } from 'node:worker_threads';
import { describe, expect, it } from 'vitest';
import { HeapRegion, Pool, SabRegion, WasmMemoryRegion, type Region } from '../../src/memory/index.js';

// One suite over every kind of region: what pools and rings rely on must hold for each.
const kinds: [string, (n: number) => Region][] = [
  ['heap', (n) => new HeapRegion(n)],
  ['sab', (n) => new SabRegion(n)],
  ['wasm', (n) => new WasmMemoryRegion(n)],
];

describe.each(kinds)('%s region', (kind, make) => {
  it('is at least the size asked, zeroed, and says what it is', () => {
    const r = make(1000);
    expect(r.kind).toBe(kind);
    expect(r.byteLength).toBeGreaterThanOrEqual(1000);
    expect(r.buffer.byteLength).toBe(r.byteLength);
    expect(new Uint8Array(r.buffer).every((b) => b === 0)).toBe(true);
    expect(r.shared).toBe(kind !== 'heap');
  });

  it('refuses nonsense sizes', () => {
    expect(() => make(0)).toThrow(/positive integer/);
    expect(() => make(1.5)).toThrow(/positive integer/);
  });

  it('holds a pool whose slots stay 64-byte aligned', () => {
    const pool = new Pool(100, 8, make(new Pool(100, 8).stride * 8));
    for (let i = 0; i < 8; i++) expect(pool.payloadOffset(pool.acquire()) % 64).toBe(0);
    expect(pool.acquire()).toBe(-1);
  });

  it.runIf(kind !== 'heap')('is the same memory on another thread', async () => {
    const r = make(4096);
    const words = new Int32Array(r.buffer);
    words[0] = 21;
    const worker = new Worker(`
      const { workerData, parentPort } = require('node:worker_threads');
      const w = new Int32Array(workerData);
      w[1] = w[0] * 2;
      Atomics.store(w, 2, 1);
      Atomics.notify(w, 2);
      parentPort.postMessage('done');
    `, { eval: true, workerData: r.buffer });
    await new Promise((resolve, reject) => {
      worker.once('message', resolve);
      worker.once('error', reject);
    });
    expect(Atomics.load(words, 2)).toBe(1);
    expect(words[1]).toBe(42);
    await worker.terminate();
  });
});
