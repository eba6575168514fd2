import { Worker } from 'node:worker_threads';
import { describe, expect, it } from 'vitest';
import { HeapRegion, Pool, SabRegion, WasmMemoryRegion, type Region } from '../../src/memory/index.js';
import { MemfdRegion } from '../../src/isolation/memfd-region.js';
import { loadNative } from '../../src/isolation/native.js';

// One suite over every kind of region: what pools and rings rely on must hold for each. The
// memfd region (isolation) needs Linux and the native addon `npm install` builds there.
const kinds: [string, (n: number) => Region][] = [
  ['heap', (n) => new HeapRegion(n)],
  ['sab', (n) => new SabRegion(n)],
  ['wasm', (n) => new WasmMemoryRegion(n)],
];
if (process.platform === 'linux') kinds.push(['memfd', (n) => MemfdRegion.create(n)]);

describe.each(kinds)('%s region', (kind, make) => {
  it('is at least the size asked, zeroed, and says what it is', () => {
    const r = make(1000);
    expect(r.kind).toBe(kind);
    expect(r.byteLength).toBeGreaterThanOrEqual(1000);
    expect(r.buffer.byteLength).toBe(r.byteLength);
    expect(new Uint8Array(r.buffer).every((b) => b === 0)).toBe(true);
    if (kind === 'memfd') expect(r.shared).toBe(r.buffer instanceof SharedArrayBuffer); // per runtime: see MemfdRegion
    else expect(r.shared).toBe(kind !== 'heap');
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

  it.runIf(kind === 'memfd')('is the same memory mapped again from its fd, and sealed against growing', () => {
    const r = make(4096) as MemfdRegion;
    const again = MemfdRegion.attach(r.fd, 4096);
    new Int32Array(r.buffer)[3] = 1234;
    expect(Atomics.load(new Int32Array(again.buffer), 3)).toBe(1234);
    expect(() => MemfdRegion.attach(r.fd, 8192)).toThrow();
    r.close();
  });

  it.runIf(kind === 'sab' || kind === 'wasm')('is the same memory on another thread', async () => {
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

describe('the native addon behind memfd regions', () => {
  it.runIf(process.platform === 'linux')('load the addon on Linux (npm install built it)', () => {
    const load = loadNative();
    expect(load.ok ? 'loaded' : load.reason).toBe('loaded');
  });
});

