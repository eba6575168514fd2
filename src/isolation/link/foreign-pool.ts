import type { Region } from '../../memory/region.js';
import type { SlotPool } from '../../memory/slot-pool.js';
import { H32_REFCOUNT, SLOT_HEADER_BYTES } from '../../memory/slot-layout.js';

/**
 * The consumer's table of the buffers it holds from one process link: one local 64-byte header
 * per buffer (the slot layout of slot-layout.ts, filled from the record, never from the
 * producer's own header), the local refcount, the token to give back and where the payload is.
 * When the last local reference drops, the token goes back to the producer (`onFree`).
 *
 * Thread contract: event loop (or the one thread of an element host) only; not atomic.
 */
export class ForeignSlots {
  readonly i32: Int32Array;
  readonly u32: Uint32Array;
  readonly f64: Float64Array;
  private readonly payloadAt: Float64Array;
  private readonly tokens: Uint32Array;
  private readonly free: Int32Array;
  private freeTop: number;
  private detached = false;

  /** @param limit buffers the link lets this side hold at once (its return capacity) */
  constructor(readonly limit: number, private readonly onFree: (token: number) => void) {
    const headers = new ArrayBuffer(limit * SLOT_HEADER_BYTES);
    this.i32 = new Int32Array(headers);
    this.u32 = new Uint32Array(headers);
    this.f64 = new Float64Array(headers);
    this.payloadAt = new Float64Array(limit);
    this.tokens = new Uint32Array(limit);
    this.free = new Int32Array(limit);
    for (let i = 0; i < limit; i++) this.free[i] = limit - 1 - i;
    this.freeTop = limit;
  }

  /** Buffers held now. */
  get held(): number {
    return this.limit - this.freeTop;
  }

  get freeCount(): number {
    return this.freeTop;
  }

  /** A local slot for a received buffer (refcount 1), or -1 when `limit` are held. */
  take(token: number, payloadOffset: number): number {
    if (this.freeTop === 0) return -1;
    const slot = this.free[--this.freeTop]!;
    this.tokens[slot] = token;
    this.payloadAt[slot] = payloadOffset;
    this.i32[slot * (SLOT_HEADER_BYTES / 4) + H32_REFCOUNT] = 1;
    return slot;
  }

  payloadOffset(slot: number): number {
    return this.payloadAt[slot]!;
  }

  localRefs(slot: number): number {
    return this.i32[slot * (SLOT_HEADER_BYTES / 4) + H32_REFCOUNT]!;
  }

  addRef(slot: number): number {
    return ++this.i32[slot * (SLOT_HEADER_BYTES / 4) + H32_REFCOUNT]!;
  }

  dropRef(slot: number): number {
    const left = --this.i32[slot * (SLOT_HEADER_BYTES / 4) + H32_REFCOUNT]!;
    if (left === 0) this.release(slot);
    return left;
  }

  /** Frees the local slot and gives its token back, unless the link is detached. */
  release(slot: number): void {
    this.free[this.freeTop++] = slot;
    if (!this.detached) this.onFree(this.tokens[slot]!);
  }

  /** The producer is gone: from now on tokens are not given back, slots are only freed here. */
  detach(): void {
    this.detached = true;
  }
}

/**
 * A SlotPool over one region received on a process link: payload views over the read-only
 * mapping, headers and refcounts in the link's ForeignSlots. Buffer handles work over it as
 * over any pool, with one difference: the refcount it reports counts the producer's hold as
 * well (local + 1), so `isWritable` is never true and a transform downstream copies (counted)
 * before it writes. A write through the mapping itself would fault (PROT_READ): SIGSEGV.
 *
 * `payloadCapacity` is 0: a received buffer's size cannot be changed either.
 */
export class ForeignPool implements SlotPool {
  readonly id = -1;
  readonly payloadCapacity = 0;
  readonly bytes: Uint8Array;
  readonly i32: Int32Array;
  readonly u32: Uint32Array;
  readonly f64: Float64Array;

  /** @param regionId the region's number on the link it came from */
  constructor(readonly region: Region, readonly regionId: number, private readonly slots: ForeignSlots) {
    this.bytes = new Uint8Array(region.buffer);
    this.i32 = slots.i32;
    this.u32 = slots.u32;
    this.f64 = slots.f64;
  }

  get slotCount(): number {
    return this.slots.limit;
  }

  get freeCount(): number {
    return this.slots.freeCount;
  }

  /** Nothing is allocated from a foreign pool. */
  acquire(): number {
    return -1;
  }

  release(slot: number): void {
    this.slots.release(slot);
  }

  refcount(slot: number): number {
    return this.slots.localRefs(slot) + 1;
  }

  ref(slot: number): number {
    return this.slots.addRef(slot) + 1;
  }

  unref(slot: number): number {
    const left = this.slots.dropRef(slot);
    return left === 0 ? 0 : left + 1;
  }

  headerOffset(slot: number): number {
    return slot * SLOT_HEADER_BYTES;
  }

  payloadOffset(slot: number): number {
    return this.slots.payloadOffset(slot);
  }
}
