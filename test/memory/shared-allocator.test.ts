import { afterEach, describe, expect, it } from 'vitest';
import { Arena, SharedAllocator, sizeClass } from '../../src/memory/index.js';
import { Peer, sleep, stopPeers } from '../support/worker-peer.js';

afterEach(stopPeers);

interface Held {
  readonly pool: number;
  readonly slot: number;
}
interface Exhausted {
  readonly type: 'exhausted';
  readonly held: Held[];
  readonly stats: { pools: number; slots: number; freeSlots: number; poolsAdded: number };
}
type Outcome =
  | { readonly type: 'acquired'; readonly pool: number; readonly slot: number; readonly waitedMs: number; readonly stalls: number[][]; readonly stats: Exhausted['stats'] }
  | { readonly type: 'threw'; readonly name: string; readonly message: string; readonly isStopRequested: boolean; readonly waitedMs: number; readonly stalls: number[][] };

/** A block-mode allocator on a worker that holds every slot of a 2-slot pool and asks for one more. */
async function blockedWorker(arena: Arena, stallWarningMs: number): Promise<{ peer: Peer; exhausted: Exhausted }> {
  const peer = new Peer('allocator-worker.mjs', { buffer: arena.buffer, size: 1000, reserve: 2, stallWarningMs });
  const exhausted = await peer.next<Exhausted>();
  expect(exhausted.type).toBe('exhausted');
  expect(exhausted.stats).toEqual({ pools: 1, slots: 2, freeSlots: 0, poolsAdded: 0 });
  return { peer, exhausted };
}

describe('SharedAllocator, one thread', () => {
  it('serves power-of-two size classes from 64 bytes', () => {
    const alloc = new SharedAllocator(Arena.create(1 << 20, 'sab'), { onExhausted: 'grow', slotsPerPool: 2 });
    for (const [size, cls] of [[0, 64], [1, 64], [64, 64], [65, 128], [100, 128], [1000, 1024], [1024, 1024], [1025, 2048], [70_000, 131_072]] as const) {
      expect(sizeClass(size)).toBe(cls);
      const pool = alloc.acquire(size);
      expect(pool.payloadCapacity).toBe(cls);
      expect(alloc.lastSlot).toBeGreaterThanOrEqual(0);
      expect(pool.payloadOffset(alloc.lastSlot) % 64).toBe(0);
    }
  });

  it('reserve carves published pools in the arena, only for the slots still missing', () => {
    const arena = Arena.create(1 << 20, 'sab');
    const alloc = new SharedAllocator(arena, { onExhausted: 'block' });
    alloc.reserve(100, 4);
    expect(arena.poolCount).toBe(1);
    const pool = arena.pool(0);
    expect([pool.payloadCapacity, pool.slotCount]).toEqual([128, 4]);
    alloc.reserve(128, 4); // same class, enough free slots: nothing new
    expect(arena.poolCount).toBe(1);
    alloc.reserve(90, 6); // two more needed
    expect(arena.poolCount).toBe(2);
    expect(arena.pool(1).slotCount).toBe(2);
    alloc.reserve(4000, 3);
    expect(arena.pool(2).payloadCapacity).toBe(4096);
    expect(alloc.stats()).toEqual({ pools: 3, slots: 9, freeSlots: 9, poolsAdded: 0 });
    // Reserved slots are what acquire hands out.
    expect(alloc.acquire(100) === pool, 'the same handle').toBe(true);
    expect(alloc.stats().freeSlots).toBe(8);
  });

  it('grow mode adds a pool when a class runs out, and counts it', () => {
    const arena = Arena.create(1 << 20, 'sab');
    const alloc = new SharedAllocator(arena, { onExhausted: 'grow', slotsPerPool: 8 });
    alloc.reserve(500, 2);
    const first = alloc.acquire(500);
    expect(alloc.acquire(500) === first, 'the same handle').toBe(true);
    expect(alloc.stats().poolsAdded).toBe(0);
    const grown = alloc.acquire(500);
    expect(grown === first).toBe(false);
    expect([grown.payloadCapacity, grown.slotCount, alloc.lastSlot]).toEqual([512, 8, 0]);
    expect(arena.pool(grown.id) === grown, 'the same handle').toBe(true);
    expect(alloc.stats()).toEqual({ pools: 2, slots: 10, freeSlots: 7, poolsAdded: 1 });
    // A freed slot of the first pool is used before growing again.
    first.release(1);
    expect(alloc.acquire(500) === first, 'the same handle').toBe(true);
    expect(alloc.lastSlot).toBe(1);
    expect(alloc.stats().poolsAdded).toBe(1);
  });

  it('a class nobody reserved gets a pool in either mode, counted as added', () => {
    const alloc = new SharedAllocator(Arena.create(1 << 20, 'sab'), { onExhausted: 'block', slotsPerPool: 3 });
    const pool = alloc.acquire(200);
    expect([pool.payloadCapacity, pool.slotCount]).toEqual([256, 3]);
    expect(alloc.stats()).toEqual({ pools: 1, slots: 3, freeSlots: 2, poolsAdded: 1 });
  });

  it('an arena without room gives a RangeError that names arenaBytes', () => {
    const arena = Arena.create(64 * 1024, 'sab');
    const used = arena.used;
    const grow = new SharedAllocator(arena, { onExhausted: 'grow' });
    expect(() => grow.reserve(1 << 20, 4)).toThrow(RangeError);
    expect(() => grow.reserve(1 << 20, 4)).toThrow(`the arena (65536 bytes, ${used} used) has no room for 4 slots of 1048576 bytes; raise the pipeline's arenaBytes`);
    const small = new SharedAllocator(arena, { onExhausted: 'grow', slotsPerPool: 64 });
    expect(() => small.acquire(2000)).toThrow(/has no room for 64 slots of 2048 bytes; raise the pipeline's arenaBytes/);
    expect(arena.poolCount).toBe(0);
  });
});

describe('SharedAllocator in block mode, on a data thread', () => {
  it('pool exhaustion blocks instead of failing, until another thread releases a slot', async () => {
    const arena = Arena.create(1 << 20);
    const { peer, exhausted } = await blockedWorker(arena, 60_000);
    expect(exhausted.held).toHaveLength(2);
    const [first] = exhausted.held;
    const pool = arena.pool(first!.pool);
    expect([pool.payloadCapacity, pool.slotCount, pool.freeCount]).toEqual([1024, 2, 0]);
    await sleep(50);
    pool.release(first!.slot);
    const got = await peer.next<Outcome>();
    if (got.type !== 'acquired') throw new Error(`the blocked acquire threw: ${got.message}`);
    expect({ pool: got.pool, slot: got.slot }).toEqual(first);
    expect(got.waitedMs).toBeGreaterThanOrEqual(25); // it waited for our release, not for a new pool
    expect(got.stats).toEqual({ pools: 1, slots: 2, freeSlots: 0, poolsAdded: 0 });
    expect(got.stalls).toEqual([]);
    expect(arena.poolCount).toBe(1);
    expect(pool.freeCount).toBe(0);
  });

  it('a release into any pool of the class wakes a blocked acquire at once, not at the end of its wait slice', async () => {
    const arena = Arena.create(1 << 20);
    // A wait slice of 10 s: an acquire that ends sooner was woken by the release.
    const peer = new Peer('allocator-worker.mjs', { buffer: arena.buffer, size: 1000, reserve: 2, secondPool: 2, stallWarningMs: 60_000, waitSliceMs: 10_000 });
    const exhausted = await peer.next<Exhausted>();
    expect(exhausted.stats).toEqual({ pools: 2, slots: 4, freeSlots: 0, poolsAdded: 0 });
    const last = exhausted.held[exhausted.held.length - 1]!;
    const second = arena.pool(last.pool);
    expect(second.id).not.toBe(exhausted.held[0]!.pool);
    await sleep(50);
    second.release(last.slot);
    const got = await peer.next<Outcome>();
    if (got.type !== 'acquired') throw new Error(`the blocked acquire threw: ${got.message}`);
    expect({ pool: got.pool, slot: got.slot }).toEqual(last);
    expect(got.waitedMs).toBeLessThan(5000);
  });

  it('a blocked acquire ends with StopRequested when the pipeline stops', async () => {
    const arena = Arena.create(1 << 20, 'sab');
    const { peer } = await blockedWorker(arena, 60_000);
    await sleep(50);
    arena.requestStop();
    const got = await peer.next<Outcome>();
    if (got.type !== 'threw') throw new Error('the blocked acquire returned a slot nobody released');
    expect(got).toMatchObject({ name: 'StopRequested', message: 'stop requested while waiting for a free slot', isStopRequested: true });
    expect(got.waitedMs).toBeGreaterThanOrEqual(25);
    expect(arena.pool(0).freeCount).toBe(0);
  });

  it('onStall is called once, with the size class and its slots, after stallWarningMs', async () => {
    const arena = Arena.create(1 << 20, 'sab');
    const { peer, exhausted } = await blockedWorker(arena, 30);
    await sleep(250); // several 20 ms wait slices past the warning
    arena.pool(exhausted.held[1]!.pool).release(exhausted.held[1]!.slot);
    const got = await peer.next<Outcome>();
    expect(got.type).toBe('acquired');
    expect(got.stalls).toEqual([[1024, 2]]);
  });
});

describe('growth of an exhausted size class', () => {
  it('adds slotsPerPool slots, but no more than 32 MiB of them: large frames grow by a few, small buffers by many', () => {
    const alloc = new SharedAllocator(Arena.create(256 * 1024 * 1024), { onExhausted: 'grow', slotsPerPool: 512 });
    alloc.acquire(4 * 1024 * 1024);
    expect(alloc.stats().slots).toBe(8); // 32 MiB / 4 MiB
    alloc.acquire(64);
    expect(alloc.stats().slots).toBe(8 + 512);
  });
});
