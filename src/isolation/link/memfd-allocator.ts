import { Allocator } from '../../memory/allocator.js';
import type { Region } from '../../memory/region.js';
import type { SlotPool } from '../../memory/slot-pool.js';
import { MemfdRegion } from '../memfd-region.js';

/** Where a pool of a MemfdAllocator lives: what a process link announces to its consumer. */
export interface PoolRegion {
  /** Small and unique within this allocator (1, 2, …); a link numbers regions on its own. */
  readonly id: number;
  readonly fd: number;
  readonly byteLength: number;
}

/**
 * The event-loop Allocator (size classes, reserve, growth counted in `poolsAdded`), with every
 * pool in a sealed memfd of its own. The elements of a process allocate from it, so whatever
 * they produce can cross a process link by reference: the link sends the pool's fd once and the
 * consumer maps it read-only. One memfd per pool, not one arena: a consumer is handed exactly
 * the pools it reads from, and nothing else of the producer's memory.
 *
 * Thread contract: event-loop only, single-threaded, as Allocator.
 */
export class MemfdAllocator extends Allocator {
  private readonly regions = new Map<Region, PoolRegion>();
  private readonly owned: MemfdRegion[] = [];

  constructor(slotsPerPool = 64, name = 'parallax-pool') {
    // The factory runs only after construction (at reserve or acquire), so it may reach `this`
    // through the holder; TypeScript forbids naming `this` in the super call itself.
    const self: { allocator?: MemfdAllocator } = {};
    super(slotsPerPool, (byteLength) => self.allocator!.newRegion(byteLength, name));
    self.allocator = this;
  }

  private newRegion(byteLength: number, name: string): Region {
    const region = MemfdRegion.create(byteLength, name);
    this.owned.push(region);
    this.regions.set(region, { id: this.owned.length, fd: region.fd, byteLength });
    return region;
  }

  /** The memfd behind `pool`, or undefined for a pool this allocator did not make. */
  regionOf(pool: SlotPool): PoolRegion | undefined {
    return this.regions.get(pool.region);
  }

  /** Memfds made so far (one per pool). */
  get regionCount(): number {
    return this.owned.length;
  }

  /**
   * Closes this side's fds. Mappings stay valid while views on them live, and consumers hold
   * their own fds: closing does not take memory from under anyone. Idempotent.
   */
  close(): void {
    for (const r of this.owned) r.close();
  }
}
