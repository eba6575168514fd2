import { type Region, HeapRegion, alignUp } from './region.js';
import type { SlotPool } from './slot-pool.js';
import { SLOT_ALIGN, SLOT_HEADER_BYTES, H32_REFCOUNT } from './slot-layout.js';

/**
 * A pool of fixed-size slots carved from one region. Each slot is a 64-byte header followed by
 * `payloadCapacity` bytes (see slot-layout.ts).
 *
 * Free slots are kept on a stack of indices, so acquire and release are O(1).
 * Thread contract: event-loop only. The shared pools of the data-thread executor replace the stack
 * with an atomic bitmap behind the same methods.
 */
export class Pool implements SlotPool {
  readonly id = -1;
  readonly region: Region;
  readonly slotCount: number;
  readonly payloadCapacity: number;
  /** Distance between two slots' headers, in bytes. */
  readonly stride: number;
  readonly bytes: Uint8Array;
  readonly i32: Int32Array;
  readonly u32: Uint32Array;
  readonly f64: Float64Array;
  private readonly free: Int32Array;
  private freeTop: number;

  constructor(payloadCapacity: number, slotCount: number, region?: Region) {
    if (!Number.isInteger(payloadCapacity) || payloadCapacity < 0) {
      throw new RangeError(`pool payload capacity must be a non-negative integer, got ${payloadCapacity}`);
    }
    if (!Number.isInteger(slotCount) || slotCount <= 0) {
      throw new RangeError(`pool slot count must be a positive integer, got ${slotCount}`);
    }
    this.payloadCapacity = payloadCapacity;
    this.slotCount = slotCount;
    this.stride = strideFor(payloadCapacity);
    this.region = region ?? new HeapRegion(this.stride * slotCount);
    if (this.region.byteLength < this.stride * slotCount) {
      throw new RangeError(`region of ${this.region.byteLength} bytes cannot hold ${slotCount} slots of ${this.stride}`);
    }
    this.bytes = new Uint8Array(this.region.buffer);
    this.i32 = new Int32Array(this.region.buffer);
    this.u32 = new Uint32Array(this.region.buffer);
    this.f64 = new Float64Array(this.region.buffer, 0, Math.floor(this.region.byteLength / 8));
    this.free = new Int32Array(slotCount);
    for (let i = 0; i < slotCount; i++) this.free[i] = slotCount - 1 - i;
    this.freeTop = slotCount;
  }

  /** Takes a free slot with refcount 1, or returns -1 when the pool is exhausted. */
  acquire(): number {
    if (this.freeTop === 0) return -1;
    const slot = this.free[--this.freeTop]!;
    const base = slot * this.stride;
    this.i32[(base >> 2) + H32_REFCOUNT] = 1;
    return slot;
  }

  /** Returns a slot whose refcount reached zero. */
  release(slot: number): void {
    this.free[this.freeTop++] = slot;
  }

  refcount(slot: number): number {
    return this.i32[(slot * this.stride >> 2) + H32_REFCOUNT]!;
  }

  ref(slot: number): number {
    return ++this.i32[(slot * this.stride >> 2) + H32_REFCOUNT]!;
  }

  unref(slot: number): number {
    const left = --this.i32[(slot * this.stride >> 2) + H32_REFCOUNT]!;
    if (left === 0) this.release(slot);
    return left;
  }

  /** Byte offset of the slot's header in the region. */
  headerOffset(slot: number): number {
    return slot * this.stride;
  }

  /** Byte offset of the slot's payload in the region. */
  payloadOffset(slot: number): number {
    return slot * this.stride + SLOT_HEADER_BYTES;
  }

  get freeCount(): number {
    return this.freeTop;
  }

  /** Bytes of region a pool of `slotCount` slots of `payloadCapacity` bytes needs. */
  static bytesFor(payloadCapacity: number, slotCount: number): number {
    return strideFor(payloadCapacity) * slotCount;
  }
}

function strideFor(payloadCapacity: number): number {
  return SLOT_HEADER_BYTES + alignUp(Math.max(payloadCapacity, 1), SLOT_ALIGN);
}
