import { Pool } from './pool.js';
import type { Region } from './region.js';
import type { SlotPool } from './slot-pool.js';

/** What elements allocate buffers from: the event loop's Allocator, or a data thread's SharedAllocator. */
export interface BufferAllocator {
  /** Makes sure `count` slots of at least `size` bytes exist. Call at prepare time. */
  reserve(size: number, count: number): void;
  /** Takes a slot of at least `size` bytes; returns its pool and sets `lastSlot`. */
  acquire(size: number): SlotPool;
  /** The slot taken by the last `acquire`. */
  readonly lastSlot: number;
  stats(): AllocatorStats;
}

export interface AllocatorStats {
  readonly pools: number;
  readonly slots: number;
  readonly freeSlots: number;
  /** Pools made after prepare because a size class ran out (event loop) or was never reserved. */
  readonly poolsAdded: number;
}

/**
 * Makes the region a new pool lives in, of `byteLength` bytes. The default is a private heap
 * region; a process link's producer uses memfd regions (isolation/link/memfd-allocator.ts).
 */
export type RegionFactory = (byteLength: number) => Region;

/**
 * Hands out slots by size. Pools are grouped in power-of-two size classes (64 B and up), so a
 * buffer wastes at most half its slot.
 *
 * Elements reserve what they will need when the pipeline prepares (`reserve`), so the hot path
 * only pops free slots. When every pool of a class is exhausted the allocator adds a pool and
 * counts it in `stats().poolsAdded`: on the event loop a blocked producer cannot wait for a slot
 * that only it could free, so growing is the lossless choice here. The data-thread executor
 * applies backpressure instead.
 */
export class Allocator implements BufferAllocator {
  private readonly classes = new Map<number, Pool[]>();
  private poolsAdded = 0;

  constructor(private readonly slotsPerPool = 64, private readonly regionFactory?: RegionFactory) {}

  private newPool(cls: number, slots: number): Pool {
    if (this.regionFactory === undefined) return new Pool(cls, slots);
    return new Pool(cls, slots, this.regionFactory(Pool.bytesFor(cls, slots)));
  }

  /** Makes sure `count` slots of at least `size` bytes exist. Call at prepare time. */
  reserve(size: number, count: number): void {
    const cls = sizeClass(size);
    const pools = this.poolsOf(cls);
    let free = 0;
    for (const p of pools) free += p.freeCount;
    if (free < count) pools.push(this.newPool(cls, Math.max(count - free, 1)));
  }

  /**
   * Takes a slot of at least `size` bytes. Returns the pool and sets `lastSlot`.
   * Event-loop only; allocation-free unless every pool of the class is exhausted.
   */
  acquire(size: number): Pool {
    const cls = sizeClass(size);
    const pools = cls === this.lastClass ? this.lastPools : this.poolsOf(cls);
    for (let i = 0; i < pools.length; i++) {
      const pool = pools[i]!;
      const slot = pool.acquire();
      if (slot >= 0) {
        this.lastSlot = slot;
        return pool;
      }
    }
    const pool = this.newPool(cls, growthSlots(cls, this.slotsPerPool));
    pools.push(pool);
    this.poolsAdded++;
    this.lastSlot = pool.acquire();
    return pool;
  }

  /** The last size class asked for and its pools: sources ask for the same class every time. */
  private lastClass = -1;
  private lastPools: Pool[] = [];

  /** The slot taken by the last `acquire`; a field, so acquire returns without allocating a pair. */
  lastSlot = -1;

  stats(): AllocatorStats {
    let pools = 0;
    let slots = 0;
    let freeSlots = 0;
    for (const list of this.classes.values()) {
      for (const p of list) {
        pools++;
        slots += p.slotCount;
        freeSlots += p.freeCount;
      }
    }
    return { pools, slots, freeSlots, poolsAdded: this.poolsAdded };
  }

  private poolsOf(cls: number): Pool[] {
    let pools = this.classes.get(cls);
    if (pools === undefined) {
      pools = [];
      this.classes.set(cls, pools);
    }
    this.lastClass = cls;
    this.lastPools = pools;
    return pools;
  }
}

/** The smallest power of two that is >= size and >= 64. */
export function sizeClass(size: number): number {
  if (size <= 64) return 64;
  if (size <= 0x40000000) return 2 ** (32 - Math.clz32(size - 1));
  return 2 ** Math.ceil(Math.log2(size));
}

/** At most this many bytes of slots per pool added because a size class ran out. */
export const GROWTH_BYTES = 32 * 1024 * 1024;

/**
 * Slots of a pool added because class `cls` ran out: `slotsPerPool`, but no more than
 * GROWTH_BYTES of them (at least 2), so a class of 1080p frames grows by a few frames, not by
 * gigabytes.
 */
export function growthSlots(cls: number, slotsPerPool: number): number {
  return Math.max(2, Math.min(slotsPerPool, Math.floor(GROWTH_BYTES / cls)));
}
