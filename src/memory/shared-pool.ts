/**
 * A pool of fixed-size slots that any thread may acquire from and release to: the shared
 * counterpart of Pool, used by the data-thread executor.
 *
 * Layout in the region, from `base` (a multiple of 64):
 *   control (64 bytes): word 0  sleepers: threads waiting for a free slot
 *                       word 1  epoch: bumped by a release that saw sleepers (the wait word)
 *   free bitmap: ceil(slotCount / 32) u32 words, bit set = slot free, padded to 64 bytes
 *   slots: slotCount × stride bytes, each a 64-byte header then the payload (slot-layout.ts)
 *
 * Contract. `acquire` finds a set bit and clears it with compareExchange: of two threads racing
 * for the same slot, exactly one wins, and the loser moves on. `release` sets the bit with
 * Atomics.or. The search starts at a per-handle hint that moves past the last slot taken, so a
 * steady acquire/release stream finds a free slot in O(1) amortised. Slot headers' refcounts
 * are changed with Atomics.add/sub by whoever holds a reference, on any thread.
 *
 * Exhaustion is backpressure, not an error: `acquireWait` registers in `sleepers`, re-checks the
 * bitmap, and waits on `epoch` with the value it read before re-checking. A release that sees a
 * sleeper bumps `epoch` and notifies, so a release between the re-check and the wait is never
 * lost. When nobody sleeps a release costs one extra atomic load.
 */
import { alignUp, type Region } from './region.js';
import type { SlotPool } from './slot-pool.js';
import { H32_REFCOUNT, SLOT_ALIGN, SLOT_HEADER_BYTES } from './slot-layout.js';

const CONTROL_BYTES = 64;
const SLEEPERS = 0;
const EPOCH = 1;

/** Bytes a shared pool of `slotCount` slots of `payloadCapacity` bytes needs. */
export function sharedPoolBytes(payloadCapacity: number, slotCount: number): number {
  return CONTROL_BYTES + bitmapBytes(slotCount) + slotCount * slotStride(payloadCapacity);
}

function bitmapBytes(slotCount: number): number {
  return alignUp(Math.ceil(slotCount / 32) * 4, 64);
}

function slotStride(payloadCapacity: number): number {
  return SLOT_HEADER_BYTES + alignUp(Math.max(payloadCapacity, 1), SLOT_ALIGN);
}

/**
 * Words outside the pool that a release also signals (the arena's): a thread waiting for a slot
 * of any of several pools sleeps on one word. Same protocol as the pool's own sleepers/epoch.
 */
export interface ReleaseSignal {
  readonly words: Int32Array;
  readonly sleepers: number;
  readonly epoch: number;
}

/** Atomics.wait's outcome when a slot may be free again, or the wait timed out. */
type WaitOutcome = 'ok' | 'not-equal' | 'timed-out';

export class SharedPool implements SlotPool {
  readonly stride: number;
  readonly bitmapWords: number;
  private readonly control: Int32Array;
  private readonly bitmap: Int32Array;
  private readonly slotsBase: number;
  readonly i32: Int32Array;
  readonly u32: Uint32Array;
  readonly f64: Float64Array;
  readonly bytes: Uint8Array;
  /** Where this handle's next search starts (each thread has its own handle). */
  private hint = 0;

  /**
   * Maps a pool laid out at `base`. Pass `init: true` exactly once, from the thread that
   * creates it, before the region is shared: it marks every slot free.
   */
  constructor(readonly region: Region, readonly base: number, readonly payloadCapacity: number, readonly slotCount: number, init = false, readonly id = -1, private readonly signal: ReleaseSignal | null = null) {
    // A memfd mapping may be a plain ArrayBuffer (no external SharedArrayBuffer in this runtime):
    // fine for an arena one event loop uses (Arena.inProcessRegion), which never waits in it.
    if (!region.shared && region.kind !== 'memfd') throw new Error(`a SharedPool needs a shared region, not a ${region.kind} one`);
    if (base % 64 !== 0) throw new RangeError(`shared pool base must be a multiple of 64 bytes, got ${base}`);
    if (!Number.isInteger(slotCount) || slotCount <= 0) throw new RangeError(`slot count must be a positive integer, got ${slotCount}`);
    const need = sharedPoolBytes(payloadCapacity, slotCount);
    if (base + need > region.byteLength) throw new RangeError(`a shared pool of ${slotCount} × ${payloadCapacity} bytes needs ${need} bytes at ${base}; the region has ${region.byteLength - base}`);
    this.stride = slotStride(payloadCapacity);
    this.bitmapWords = Math.ceil(slotCount / 32);
    this.control = new Int32Array(region.buffer, base, CONTROL_BYTES / 4);
    this.bitmap = new Int32Array(region.buffer, base + CONTROL_BYTES, this.bitmapWords);
    this.slotsBase = base + CONTROL_BYTES + bitmapBytes(slotCount);
    this.i32 = new Int32Array(region.buffer);
    this.u32 = new Uint32Array(region.buffer);
    this.f64 = new Float64Array(region.buffer, 0, Math.floor(region.byteLength / 8));
    this.bytes = new Uint8Array(region.buffer);
    if (init) {
      for (let w = 0; w < this.bitmapWords; w++) {
        const bits = Math.min(32, slotCount - w * 32);
        Atomics.store(this.bitmap, w, bits === 32 ? -1 : (1 << bits) - 1);
      }
    }
  }

  /** Takes a free slot with refcount 1, or returns -1 when none is free. Any thread. */
  acquire(): number {
    const words = this.bitmapWords;
    for (let n = 0; n < words; n++) {
      const w = (this.hint + n) % words;
      for (;;) {
        // SYNC POINT with release's Atomics.or and other acquirers' compareExchange.
        const bits = Atomics.load(this.bitmap, w);
        if (bits === 0) break;
        const bit = 31 - Math.clz32(bits & -bits);
        if (Atomics.compareExchange(this.bitmap, w, bits, bits & ~(1 << bit)) === bits) {
          this.hint = w;
          const slot = w * 32 + bit;
          // SYNC POINT with the previous owner's last Atomics.sub of the refcount.
          Atomics.store(this.i32, this.headerWord(slot) + H32_REFCOUNT, 1);
          return slot;
        }
      }
    }
    return -1;
  }

  /**
   * Takes a free slot, waiting up to `timeoutMs` for another thread to release one. Returns -1
   * on timeout, so the caller can check whether it should stop and wait again. Threads that may
   * block only (Atomics.wait); the event loop uses `acquire`.
   */
  acquireWait(timeoutMs: number): number {
    let slot = this.acquire();
    if (slot >= 0) return slot;
    // SYNC POINT with release's load of `sleepers`: from here on a release bumps the epoch.
    Atomics.add(this.control, SLEEPERS, 1);
    try {
      const epoch = Atomics.load(this.control, EPOCH);
      slot = this.acquire();
      if (slot >= 0) return slot;
      // SYNC POINT with release's Atomics.notify; waits on the epoch read before the re-check.
      const outcome = Atomics.wait(this.control, EPOCH, epoch, timeoutMs) as WaitOutcome;
      return outcome === 'timed-out' ? -1 : this.acquire();
    } finally {
      Atomics.sub(this.control, SLEEPERS, 1);
    }
  }

  /** Returns a slot whose refcount reached zero. Any thread. */
  release(slot: number): void {
    if (!Number.isInteger(slot) || slot < 0 || slot >= this.slotCount) throw new RangeError(`slot ${slot} is not in this pool (0..${this.slotCount - 1})`);
    // SYNC POINT with acquire's compareExchange.
    const before = Atomics.or(this.bitmap, slot >> 5, 1 << (slot & 31));
    if ((before & (1 << (slot & 31))) !== 0) throw new Error(`slot ${slot} was released twice`);
    // SYNC POINT with acquireWait's increment of `sleepers`.
    if (Atomics.load(this.control, SLEEPERS) !== 0) {
      Atomics.add(this.control, EPOCH, 1);
      Atomics.notify(this.control, EPOCH);
    }
    const s = this.signal;
    // SYNC POINT with Arena.waitForRelease's increment of the slot sleepers.
    if (s !== null && Atomics.load(s.words, s.sleepers) !== 0) {
      Atomics.add(s.words, s.epoch, 1);
      Atomics.notify(s.words, s.epoch);
    }
  }

  /** References now. Any thread. */
  refcount(slot: number): number {
    // SYNC POINT with ref/unref's Atomics.add/sub on other threads.
    return Atomics.load(this.i32, this.headerWord(slot) + H32_REFCOUNT);
  }

  /** Adds a reference (a clone); returns the new count. Any thread. */
  ref(slot: number): number {
    return Atomics.add(this.i32, this.headerWord(slot) + H32_REFCOUNT, 1) + 1;
  }

  /** Drops a reference; the last one frees the slot. Returns the new count. Any thread. */
  unref(slot: number): number {
    const left = Atomics.sub(this.i32, this.headerWord(slot) + H32_REFCOUNT, 1) - 1;
    if (left === 0) this.release(slot);
    return left;
  }

  /** Byte offset of a slot's header in the region. */
  headerOffset(slot: number): number {
    return this.slotsBase + slot * this.stride;
  }

  payloadOffset(slot: number): number {
    return this.headerOffset(slot) + SLOT_HEADER_BYTES;
  }

  /** Free slots now. Can be late: other threads acquire and release meanwhile. */
  get freeCount(): number {
    let n = 0;
    for (let w = 0; w < this.bitmapWords; w++) {
      let b = Atomics.load(this.bitmap, w);
      while (b !== 0) {
        b &= b - 1;
        n++;
      }
    }
    return n;
  }

  private headerWord(slot: number): number {
    return (this.slotsBase + slot * this.stride) >>> 2;
  }
}
