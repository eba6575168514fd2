import { afterEach, describe, expect, it } from 'vitest';
import { Arena, MAX_POOLS, alignUp, sharedPoolBytes, type SharedPool } from '../../src/memory/index.js';
import { KERNEL_DATA_END, KERNEL_DATA_START } from '../../src/memory/arena.js';
import type { WasmMemoryRegion } from '../../src/memory/shared-regions.js';
import { Peer, prng, sleep, stopPeers } from '../support/worker-peer.js';

afterEach(stopPeers);

/** Which slots the pool's bitmap marks free, read straight from the region (bit set = free). */
function freeSlots(pool: SharedPool): number[] {
  // The bitmap follows the pool's 64-byte control block (shared-pool.ts).
  const bitmap = new Int32Array(pool.region.buffer, pool.base + 64, pool.bitmapWords);
  const free: number[] = [];
  for (let s = 0; s < pool.slotCount; s++) if ((Atomics.load(bitmap, s >> 5) & (1 << (s & 31))) !== 0) free.push(s);
  return free;
}

const range = (from: number, to: number): number[] => Array.from({ length: to - from }, (_, i) => from + i);

describe('Arena, one thread', () => {
  it('creates over whole wasm pages or an exact SAB, and a second handle attaches to the same bytes', () => {
    const wasm = Arena.create(100_000);
    expect(wasm.region.kind).toBe('wasm');
    expect(wasm.byteLength).toBe(131_072);
    const sab = Arena.create(100_000, 'sab');
    expect(sab.region.kind).toBe('sab');
    expect(sab.byteLength).toBe(100_000);
    for (const a of [wasm, sab]) {
      expect(a.used % 64).toBe(0);
      expect(a.used).toBeGreaterThan(MAX_POOLS * 16); // the directory: 16 bytes per pool
      expect(a.poolCount).toBe(0);
      expect(a.stopRequested()).toBe(false);
      const again = Arena.attach(a.buffer);
      expect(again.byteLength).toBe(a.byteLength);
      const at = again.carve(100);
      expect(at).toBeGreaterThan(0);
      expect(a.used).toBe(at + 128);
      expect(a.carve(1)).toBe(at + 128);
    }
  });

  it('refuses a buffer that holds no arena, a layout of another version, and a region too small', () => {
    expect(() => Arena.attach(new SharedArrayBuffer(65_536))).toThrow('this buffer does not hold a Parallax arena (bad magic)');
    const arena = Arena.create(65_536, 'sab');
    new Int32Array(arena.buffer)[1] = 1; // word 1: layout version
    expect(() => Arena.attach(arena.buffer)).toThrow('arena layout version 1, this build reads version 2');
    expect(() => Arena.create(1000, 'sab')).toThrow(RangeError);
    expect(() => Arena.create(1000, 'sab')).toThrow(/^an arena needs at least \d+ bytes, got 1000$/);
    expect(() => Arena.attach(new SharedArrayBuffer(1024))).toThrow(/an arena needs at least \d+ bytes, got 1024/);
  });

  it('carves 64-aligned ranges end to end, then -1 without moving the bump', () => {
    const arena = Arena.create(1 << 20, 'sab');
    const bytes = new Uint8Array(arena.buffer);
    const rand = prng(2024);
    const carved: { at: number; size: number }[] = [];
    let expected = arena.used;
    for (;;) {
      const size = 1 + (rand() % 5000);
      const at = arena.carve(size);
      if (at < 0) break;
      expect(at).toBe(expected);
      expect(at % 64).toBe(0);
      expected += alignUp(size, 64);
      carved.push({ at, size });
    }
    expect(carved.length).toBeGreaterThan(300);
    const used = arena.used;
    expect(used).toBe(expected);
    expect(arena.carve(arena.byteLength)).toBe(-1);
    expect(arena.used).toBe(used);
    // Every range is writable without touching its neighbours.
    carved.forEach(({ at, size }, i) => bytes.fill((i % 250) + 1, at, at + size));
    carved.forEach(({ at, size }, i) => expect(bytes.subarray(at, at + size).every((b) => b === (i % 250) + 1)).toBe(true));
    // The last bytes go to whoever asks for exactly them; then nothing is left.
    const left = arena.byteLength - used;
    if (left > 0) expect(arena.carve(left)).toBe(used);
    expect(arena.used).toBe(arena.byteLength);
    expect(arena.carve(1)).toBe(-1);
    expect(arena.carveRing(2)).toBe(-1);
    expect(arena.used).toBe(arena.byteLength);
  });

  // Regression: alignUp used 32-bit masks, so a request of 2 GiB or more wrapped, passed the
  // fits check and moved the bump word past the end of the arena.
  it('carve refuses a request of 2 GiB or more on a small arena (alignUp overflows 32 bits)', () => {
    const arena = Arena.create(1 << 20, 'sab');
    const used = arena.used;
    expect(arena.carve(2 ** 31)).toBe(-1);
    expect(arena.carve(2 ** 32 - 1)).toBe(-1);
    expect(arena.used).toBe(used);
    expect(arena.carve(64)).toBe(used);
  });

  it('createPool returns null, spending no pool number, when the arena has no room', () => {
    const arena = Arena.create(64 * 1024, 'sab');
    expect(arena.createPool(1 << 20, 4)).toBeNull();
    expect(arena.poolCount).toBe(0);
    const pool = arena.createPool(100, 4)!;
    expect(pool.id).toBe(0);
    expect(pool.base % 64).toBe(0);
    expect(arena.used).toBe(pool.base + alignUp(sharedPoolBytes(100, 4), 64));
    expect(arena.pool(0) === pool, 'the same handle').toBe(true);
  });

  it('pool() of a number never published, or outside the directory, says which number', () => {
    const arena = Arena.create(64 * 1024, 'sab');
    arena.createPool(8, 1);
    expect(() => arena.pool(1)).toThrow('pool 1 is not published in this arena');
    expect(() => arena.pool(-1)).toThrow(RangeError);
    expect(() => arena.pool(-1)).toThrow(`pool number -1 is outside 0..${MAX_POOLS - 1}`);
    expect(() => arena.pool(MAX_POOLS)).toThrow(`pool number ${MAX_POOLS} is outside 0..${MAX_POOLS - 1}`);
    expect(() => arena.pool(1.5)).toThrow('pool number 1.5 is outside');
  });

  it(`holds MAX_POOLS (${MAX_POOLS}) pools, numbered in order, and refuses one more`, () => {
    const arena = Arena.create(64 * 1024 + (MAX_POOLS + 8) * sharedPoolBytes(1, 1), 'sab');
    for (let i = 0; i < MAX_POOLS; i++) expect(arena.createPool(1, 1)!.id).toBe(i);
    expect(arena.poolCount).toBe(MAX_POOLS);
    expect(() => arena.createPool(1, 1)).toThrow(RangeError);
    expect(() => arena.createPool(1, 1)).toThrow(`an arena holds at most ${MAX_POOLS} pools`);
    expect(arena.poolCount).toBe(MAX_POOLS);
    // A fresh handle (no cached pools) finds the last one through the directory.
    const last = Arena.attach(arena.buffer).pool(MAX_POOLS - 1);
    expect(last.id).toBe(MAX_POOLS - 1);
    expect(last.base).toBe(arena.pool(MAX_POOLS - 1).base);
    expect(last.acquire()).toBe(0);
    expect(arena.pool(MAX_POOLS - 1).freeCount).toBe(0);
  });

  it('the stop word: requestStop sets it for every handle, clearStop clears it', () => {
    const arena = Arena.create(64 * 1024, 'sab');
    const other = Arena.attach(arena.buffer);
    expect(other.stopRequested()).toBe(false);
    arena.requestStop();
    expect(arena.stopRequested()).toBe(true);
    expect(other.stopRequested()).toBe(true);
    other.clearStop();
    expect(arena.stopRequested()).toBe(false);
  });
});

describe('Arena across threads', () => {
  it('a worker carving at the same time gets ranges disjoint from ours, and no byte is lost', async () => {
    const arena = Arena.create(4 << 20, 'sab');
    const flag = arena.carve(64);
    const start = arena.used;
    const rand = prng(77);
    const sizes = (n: number): number[] => Array.from({ length: n }, () => 1 + (rand() % 512));
    const mine = sizes(4000);
    const theirs = sizes(4000);
    const peer = new Peer('arena-peer.mjs', { buffer: arena.buffer });
    const reply = peer.ask<number[]>('carve', { flag, sizes: theirs });
    // Start carving once the worker does, so the two loops overlap (a bounded spin on this thread).
    const word = new Int32Array(arena.buffer, flag, 1);
    const deadline = performance.now() + 10_000;
    while (Atomics.load(word, 0) === 0 && performance.now() < deadline);
    const ours = mine.map((b) => arena.carve(b));
    const offsets = await reply;
    const all = [...ours.map((at, i) => ({ at, size: alignUp(mine[i]!, 64) })), ...offsets.map((at, i) => ({ at, size: alignUp(theirs[i]!, 64) }))];
    expect(all.every(({ at }) => at >= start && at % 64 === 0)).toBe(true);
    all.sort((a, b) => a.at - b.at);
    for (let i = 1; i < all.length; i++) expect(all[i]!.at).toBeGreaterThanOrEqual(all[i - 1]!.at + all[i - 1]!.size);
    expect(arena.used).toBe(start + all.reduce((n, r) => n + r.size, 0));
  });

  it('a pool created here is resolved by number on a worker; slots move between the threads', async () => {
    const arena = Arena.create(1 << 20);
    arena.createPool(8, 3); // pool 0, so the one under test is not simply the first
    const pool = arena.createPool(100, 40)!;
    expect(pool.id).toBe(1);
    const peer = new Peer('arena-peer.mjs', { buffer: arena.buffer });
    expect(await peer.ask('describe', { id: 1 })).toEqual({ id: 1, base: pool.base, payloadCapacity: 100, slotCount: 40, freeCount: 40 });

    // Acquired there, released here.
    const there = await peer.ask<{ slots: number[]; freeCount: number }>('acquire', { id: 1, n: 10, stamp: 7 });
    expect(new Set(there.slots).size).toBe(10);
    expect(there.freeCount).toBe(30);
    expect(pool.freeCount).toBe(30);
    expect(freeSlots(pool)).toEqual(range(0, 40).filter((s) => !there.slots.includes(s)));
    const words = new Int32Array(arena.buffer);
    for (const s of there.slots) {
      expect(Atomics.load(words, pool.payloadOffset(s) >> 2)).toBe(7);
      pool.release(s);
    }
    expect(freeSlots(pool)).toEqual(range(0, 40));

    // Acquired here, released there.
    const here = [pool.acquire(), pool.acquire(), pool.acquire()];
    for (const s of here) Atomics.store(words, pool.payloadOffset(s) >> 2, 9);
    expect(freeSlots(pool)).toHaveLength(37);
    expect(await peer.ask('release', { id: 1, slots: here, stamp: 9 })).toEqual({ foreign: 0, freeCount: 40 });
    expect(pool.freeCount).toBe(40);
    expect(freeSlots(pool)).toEqual(range(0, 40));
  });

  it('a pool created on a worker is resolved here by number; an unpublished number fails on both sides', async () => {
    const arena = Arena.create(1 << 20, 'sab');
    const peer = new Peer('arena-peer.mjs', { buffer: arena.buffer });
    expect(await peer.ask('poolError', { id: 0 })).toEqual({ name: 'Error', message: 'pool 0 is not published in this arena' });
    expect(() => arena.pool(0)).toThrow('pool 0 is not published in this arena');
    const made = await peer.ask<{ id: number; base: number }>('createPool', { payload: 256, slots: 5 });
    expect(made.id).toBe(0);
    expect(arena.poolCount).toBe(1);
    const pool = arena.pool(0);
    expect(pool.base).toBe(made.base);
    expect(pool.payloadCapacity).toBe(256);
    expect(pool.slotCount).toBe(5);
    expect(freeSlots(pool)).toEqual(range(0, 5));
    const s = pool.acquire();
    expect((await peer.ask<{ freeCount: number }>('describe', { id: 0 })).freeCount).toBe(4);
    pool.release(s);
    expect(await peer.ask('poolError', { id: MAX_POOLS })).toEqual({ name: 'RangeError', message: `pool number ${MAX_POOLS} is outside 0..${MAX_POOLS - 1}` });
  });

  it('sleepUnlessStopped in a worker wakes early when this thread requests stop', async () => {
    const arena = Arena.create(64 * 1024, 'sab');
    const peer = new Peer('arena-peer.mjs', { buffer: arena.buffer });
    const sleeping = peer.ask<{ elapsed: number; stopped: boolean }>('sleep', { ms: 15_000 });
    await sleep(50);
    arena.requestStop();
    const woke = await sleeping;
    expect(woke.stopped).toBe(true);
    expect(woke.elapsed).toBeLessThan(10_000);

    // While the stop word is set a sleep returns at once; once cleared, it lasts its time.
    const again = await peer.ask<{ elapsed: number; stopped: boolean }>('sleep', { ms: 15_000 });
    expect(again.stopped).toBe(true);
    expect(again.elapsed).toBeLessThan(10_000);
    arena.clearStop();
    const full = await peer.ask<{ elapsed: number; stopped: boolean }>('sleep', { ms: 40 });
    expect(full.stopped).toBe(false);
    expect(full.elapsed).toBeGreaterThanOrEqual(30);
  });
});

describe('the kernel area', () => {
  it('a WebAssembly arena of 8 MiB or more keeps 64 KiB..4 MiB for kernels and carves above it', () => {
    const arena = Arena.create(8 * 1024 * 1024);
    expect(arena.kernelMemory).toBe((arena.region as WasmMemoryRegion).memory);
    expect(arena.carve(64)).toBe(KERNEL_DATA_END);
    // Another thread attaches from the Memory itself, so it can instantiate kernels over it.
    const again = Arena.attach(arena.transferable);
    expect(again.kernelMemory).not.toBeNull();
    expect(again.region.buffer).toBe(arena.region.buffer);
  });

  it('a small WebAssembly arena and a SharedArrayBuffer arena keep none', () => {
    const small = Arena.create(1024 * 1024);
    expect(small.kernelMemory).toBeNull();
    expect(small.carve(64)).toBeLessThan(KERNEL_DATA_START);
    const sab = Arena.create(16 * 1024 * 1024, 'sab');
    expect(sab.kernelMemory).toBeNull();
    expect(sab.transferable).toBe(sab.buffer);
  });
});

describe('large arenas', () => {
  it('an arena of 2 GiB or more makes pools (typed-array lengths are not computed with 32-bit shifts)', () => {
    const arena = Arena.create(2 ** 31 + 65536, 'sab');
    const pool = arena.createPool(1024, 4)!;
    const slot = pool.acquire();
    expect(slot).toBeGreaterThanOrEqual(0);
    pool.unref(slot);
    expect(pool.freeCount).toBe(4);
  });

  it('poolStats skips a pool whose number is taken but which another thread has not published yet', () => {
    const arena = Arena.create(4 * 1024 * 1024, 'sab');
    arena.createPool(256, 8);
    // What createPool looks like halfway on another thread: the count taken (word 3), the
    // directory entry (words 16 + 4 * id) not yet marked ready.
    Atomics.add(new Int32Array(arena.buffer), 3, 1);
    expect(arena.poolCount).toBe(2);
    expect(arena.poolStats()).toEqual({ pools: 1, slots: 8, freeSlots: 8 });
  });
});
