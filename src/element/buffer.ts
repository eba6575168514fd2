import type { SlotPool } from '../memory/slot-pool.js';
import type { BufferAllocator } from '../memory/allocator.js';
import { copyPayload } from '../memory/copy-counter.js';
import { forget, watchForLeak } from './buffer-leaks.js';
import {
  CLOCK_TIME_NONE, H32_CAPS_ID, H32_FLAGS, H32_LENGTH, H32_STREAM_ID,
  H64_DTS, H64_DURATION, H64_OFFSET, H64_PTS, H64_SEQUENCE,
} from '../memory/slot-layout.js';

/** Buffer flags, GStreamer's subset that a non-codec engine needs. */
export const BufferFlags = {
  DISCONT: 1 << 0,
  GAP: 1 << 1,
  DELTA_UNIT: 1 << 2,
  HEADER: 1 << 3,
  DROPPABLE: 1 << 4,
  MARKER: 1 << 5,
} as const;

/**
 * A handle on one slot of a pool: the payload and its 64-byte header stay in the region, and the
 * handle only knows where they are. Views are built lazily.
 *
 * Each handle owns one reference. `clone()` makes a second handle and increments the slot's
 * refcount (O(1), no copy); `release()` drops this handle's reference, and the last release
 * returns the slot to its pool. Writing requires a refcount of 1: `makeWritable()` copies (and
 * counts the copy) only when the slot is shared.
 *
 * Thread contract: a handle belongs to the thread that holds it; the header it points at is
 * shared. In a shared pool the refcount is atomic, so the last release may happen on any thread
 * and returns the slot from there.
 */
export class Buffer {
  /** Index of the header in the pool's Int32Array view. */
  private readonly h32: number;
  /** Index of the header in the pool's Float64Array view. */
  private readonly h64: number;
  private view: Uint8Array | undefined;
  private released = false;
  private watched = false;
  /**
   * A batch of JavaScript values carried by reference beside an empty payload: how typed
   * pipelines (src/typed/) move objects through the engine without encoding them. Handles made by
   * `clone()` and `makeWritable()` share it. It belongs to this thread: a value batch cannot cross
   * to a data thread or another process (the bridges refuse it).
   */
  values: readonly unknown[] | undefined = undefined;

  constructor(readonly pool: SlotPool, readonly slot: number) {
    const base = pool.headerOffset(slot);
    this.h32 = base >>> 2;
    this.h64 = base >>> 3;
  }

  /**
   * Takes a slot of `size` bytes from `allocator` and resets its header.
   * Event-loop hot path: no allocation but the handle itself.
   */
  static allocate(allocator: BufferAllocator, size: number): Buffer {
    const pool = allocator.acquire(size);
    const buf = new Buffer(pool, allocator.lastSlot);
    buf.resetHeader(size);
    return buf;
  }

  /** Writes `bytes` once into a new slot. The copy is counted. */
  static fromBytes(allocator: BufferAllocator, bytes: Uint8Array): Buffer {
    const buf = Buffer.allocate(allocator, bytes.byteLength);
    copyPayload(buf.pool.bytes, buf.pool.payloadOffset(buf.slot), bytes);
    return buf;
  }

  private resetHeader(size: number): void {
    const { i32, f64 } = this.pool;
    const h = this.h32;
    i32[h + H32_LENGTH] = size;
    i32[h + H32_FLAGS] = 0;
    i32[h + H32_STREAM_ID] = 0;
    i32[h + H32_CAPS_ID] = 0;
    const d = this.h64;
    f64[d + H64_PTS] = CLOCK_TIME_NONE;
    f64[d + H64_DTS] = CLOCK_TIME_NONE;
    f64[d + H64_DURATION] = CLOCK_TIME_NONE;
    f64[d + H64_OFFSET] = CLOCK_TIME_NONE;
    f64[d + H64_SEQUENCE] = 0;
  }

  /** The payload. Writing through it is only allowed while `isWritable`. */
  get data(): Uint8Array {
    if (this.view === undefined || this.view.byteLength !== this.size) {
      this.view = this.pool.bytes.subarray(this.pool.payloadOffset(this.slot), this.pool.payloadOffset(this.slot) + this.size);
    }
    return this.view;
  }

  /** Payload length in bytes (at most the slot's capacity). */
  get size(): number { return this.pool.u32[this.h32 + H32_LENGTH]!; }
  set size(n: number) {
    if (n < 0 || n > this.pool.payloadCapacity) {
      throw new RangeError(`buffer size ${n} outside slot capacity 0..${this.pool.payloadCapacity}`);
    }
    this.pool.u32[this.h32 + H32_LENGTH] = n;
  }

  get capacity(): number { return this.pool.payloadCapacity; }

  get pts(): number { return this.pool.f64[this.h64 + H64_PTS]!; }
  set pts(t: number) { this.pool.f64[this.h64 + H64_PTS] = t; }
  get dts(): number { return this.pool.f64[this.h64 + H64_DTS]!; }
  set dts(t: number) { this.pool.f64[this.h64 + H64_DTS] = t; }
  get duration(): number { return this.pool.f64[this.h64 + H64_DURATION]!; }
  set duration(t: number) { this.pool.f64[this.h64 + H64_DURATION] = t; }
  /** Media-specific offset (byte offset for files, sample offset for audio). -1 when unset. */
  get offset(): number { return this.pool.f64[this.h64 + H64_OFFSET]!; }
  set offset(o: number) { this.pool.f64[this.h64 + H64_OFFSET] = o; }
  get sequence(): number { return this.pool.f64[this.h64 + H64_SEQUENCE]!; }
  set sequence(n: number) { this.pool.f64[this.h64 + H64_SEQUENCE] = n; }
  get flags(): number { return this.pool.u32[this.h32 + H32_FLAGS]!; }
  set flags(f: number) { this.pool.u32[this.h32 + H32_FLAGS] = f; }
  get streamId(): number { return this.pool.u32[this.h32 + H32_STREAM_ID]!; }
  set streamId(id: number) { this.pool.u32[this.h32 + H32_STREAM_ID] = id; }
  get capsId(): number { return this.pool.u32[this.h32 + H32_CAPS_ID]!; }
  set capsId(id: number) { this.pool.u32[this.h32 + H32_CAPS_ID] = id; }

  hasFlag(flag: number): boolean { return (this.flags & flag) !== 0; }

  get refcount(): number { return this.pool.refcount(this.slot); }
  get isWritable(): boolean { return this.refcount === 1; }
  get isReleased(): boolean { return this.released; }

  /** A second handle on the same slot: O(1), no copy. */
  clone(): Buffer {
    this.assertLive('clone');
    this.pool.ref(this.slot);
    const twin = new Buffer(this.pool, this.slot);
    twin.values = this.values;
    return twin;
  }

  /**
   * Hands this buffer to code outside the engine (an appsink consumer). If that code drops the
   * handle without `release()`, the garbage collector releases it (see buffer-leaks.ts).
   */
  handOver(): this {
    if (!this.watched && !this.released) {
      this.watched = true;
      watchForLeak(this, this.pool, this.slot);
    }
    return this;
  }

  /** Drops this handle's reference. The last release returns the slot. Idempotent per handle. */
  release(): void {
    if (this.released) return;
    this.released = true;
    if (this.watched) forget(this);
    this.values = undefined;
    this.pool.unref(this.slot);
  }

  /**
   * Returns a buffer that may be written: this one when no other handle shares the slot,
   * otherwise a counted copy (payload and metadata) into a new slot, releasing this handle.
   */
  makeWritable(allocator: BufferAllocator): Buffer {
    this.assertLive('makeWritable');
    if (this.isWritable) return this;
    const copy = Buffer.fromBytes(allocator, this.data);
    copy.copyMetadataFrom(this);
    copy.values = this.values;
    this.release();
    return copy;
  }

  /** Copies timestamps, offset, sequence, flags, stream and caps ids from `other`. */
  copyMetadataFrom(other: Buffer): void {
    this.pts = other.pts;
    this.dts = other.dts;
    this.duration = other.duration;
    this.offset = other.offset;
    this.sequence = other.sequence;
    this.flags = other.flags;
    this.streamId = other.streamId;
    this.capsId = other.capsId;
  }

  private assertLive(what: string): void {
    if (this.released) throw new Error(`Buffer.${what}() on a released buffer (slot ${this.slot})`);
  }
}
