import type { Arena } from './arena.js';
import { growthSlots, sizeClass, type AllocatorStats, type BufferAllocator } from './allocator.js';
import type { SharedPool } from './shared-pool.js';

/** Thrown out of a blocked `acquire` when the thread is told to stop: the task ends with FLUSHING. */
export class StopRequested extends Error {
  constructor() {
    super('stop requested while waiting for a free slot');
    this.name = 'StopRequested';
  }
}

export interface SharedAllocatorOptions {
  /**
   * What an exhausted size class does. `block` (data threads) waits for another thread to
   * release a slot: backpressure, no allocation. `grow` (the event loop, which must not block)
   * carves one more pool and counts it in `poolsAdded`.
   */
  readonly onExhausted: 'block' | 'grow';
  /** Slots of a pool made for a size class nobody reserved. */
  readonly slotsPerPool?: number;
  /** Polled while blocked; true ends the wait with StopRequested. */
  readonly shouldStop?: () => boolean;
  /** Called once per size class that stays exhausted for `stallWarningMs`. */
  readonly onStall?: (size: number, slots: number) => void;
  readonly stallWarningMs?: number;
  /** How long one blocked wait lasts before `shouldStop` is polled again (ms, default 20). */
  readonly waitSliceMs?: number;
}

/** How long one blocked wait lasts before the stop flag is polled again. */
const WAIT_SLICE_MS = 20;

/**
 * Hands out slots of shared pools carved from an arena, by power-of-two size class, so any
 * thread can take the buffers it receives and release them. One per thread (pool handles keep a
 * per-thread search hint). Pools are carved when elements `reserve` at prepare time; the hot path
 * only takes free slots.
 */
export class SharedAllocator implements BufferAllocator {
  private readonly classes = new Map<number, SharedPool[]>();
  private poolsAdded = 0;
  private readonly stalled = new Set<number>();
  lastSlot = -1;

  constructor(readonly arena: Arena, private readonly options: SharedAllocatorOptions) {}

  reserve(size: number, count: number): void {
    const cls = sizeClass(size);
    const pools = this.poolsOf(cls);
    let free = 0;
    for (const p of pools) free += p.freeCount;
    if (free < count) this.addPool(cls, Math.max(count - free, 1), pools);
  }

  /**
   * Tops up every size class that has pools to at least `slots` slots (or `slots(class)`, for
   * depths that depend on the slot size): called once elements
   * reserved their sizes at prepare, with the depth of the thread's outgoing links, so a queue
   * that may hold N buffers is never starved by a pool of fewer.
   */
  reserveDepth(slots: number | ((cls: number) => number)): void {
    for (const [cls, pools] of this.classes) {
      const want = typeof slots === 'number' ? slots : slots(cls);
      const have = pools.reduce((n, p) => n + p.slotCount, 0);
      if (have < want) this.addPool(cls, want - have, pools);
    }
  }

  acquire(size: number): SharedPool {
    const cls = sizeClass(size);
    const pools = this.poolsOf(cls);
    for (let i = 0; i < pools.length; i++) {
      const pool = pools[i]!;
      const slot = pool.acquire();
      if (slot >= 0) {
        this.lastSlot = slot;
        return pool;
      }
    }
    if (pools.length === 0 || this.options.onExhausted === 'grow') {
      const pool = this.addPool(cls, growthSlots(cls, this.options.slotsPerPool ?? 64), pools);
      this.poolsAdded++;
      this.lastSlot = pool.acquire();
      return pool;
    }
    return this.waitForSlot(cls, pools);
  }

  private waitForSlot(cls: number, pools: SharedPool[]): SharedPool {
    const started = performance.now();
    const warnAfter = this.options.stallWarningMs ?? 1000;
    for (;;) {
      if (this.options.shouldStop?.() === true) throw new StopRequested();
      // One wait for a release in any pool of the class (the arena's release signal).
      const pool = this.arena.waitForRelease(() => this.takeFrom(pools), this.options.waitSliceMs ?? WAIT_SLICE_MS);
      if (pool !== null) return pool;
      if (!this.stalled.has(cls) && performance.now() - started > warnAfter) {
        this.stalled.add(cls);
        this.options.onStall?.(cls, pools.reduce((n, p) => n + p.slotCount, 0));
      }
    }
  }

  /** A slot from the first pool that has one (sets lastSlot), or null. */
  private takeFrom(pools: SharedPool[]): SharedPool | null {
    for (const pool of pools) {
      const slot = pool.acquire();
      if (slot >= 0) {
        this.lastSlot = slot;
        return pool;
      }
    }
    return null;
  }

  private addPool(cls: number, slots: number, pools: SharedPool[]): SharedPool {
    const pool = this.arena.createPool(cls, slots);
    if (pool === null) {
      throw new RangeError(`the arena (${this.arena.byteLength} bytes, ${this.arena.used} used) has no room for ${slots} slots of ${cls} bytes; raise the pipeline's arenaBytes`);
    }
    pools.push(pool);
    return pool;
  }

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

  private poolsOf(cls: number): SharedPool[] {
    let pools = this.classes.get(cls);
    if (pools === undefined) {
      pools = [];
      this.classes.set(cls, pools);
    }
    return pools;
  }
}
