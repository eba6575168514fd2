/**
 * SPSC descriptor ring: one producer thread, one consumer thread, in a shared region.
 *
 * Roles. Exactly one producer and one consumer, each claimed through the API
 * (`ring.producer()`, `ring.consumer()`); a second claim of the same role, from any thread,
 * throws. Payloads never move: the ring carries 16-byte descriptors (slot, offset, length, kind)
 * that point into a pool of the same region.
 *
 * Layout, in 32-bit words from `base` (a multiple of 64 bytes into the region):
 *   word  0       head: descriptors consumed, free-running u32      written by the consumer only
 *   word 16       tail: descriptors produced, free-running u32      written by the producer only
 *   word 32       consumer sleeping flag (0 awake, 1 waiting on tail)   written by the consumer
 *   word 33       producer sleeping flag (0 awake, 1 waiting on head)   written by the producer
 *   word 34       producer's watermark: wake it when the fill drops to this   written by the producer
 *   word 48       producer claimed (0/1);  word 49  consumer claimed (0/1)
 *   word 50       wake-ups: notifies sent by either side (for metrics)
 *   word 64 + 4i  descriptor i: slot (i32), offset (u32), length (u32), kind (u32)
 * Head and tail sit on separate 64-byte cache lines, so the two sides do not false-share.
 *
 * Ordering. JS Atomics are sequentially consistent. The producer writes a descriptor with plain
 * stores and then `Atomics.store`s the tail; the consumer `Atomics.load`s the tail before it
 * reads descriptors, so it sees them complete. Symmetrically, the consumer reads descriptors and
 * then stores the head, and the producer loads the head before it overwrites a slot.
 *
 * Wrap rule. Capacity is a power of two; slot index = counter & (capacity - 1). Counters wrap at
 * 2^32 and `(tail - head) >>> 0` is the fill level, correct across the wrap.
 *
 * Wake-ups cost nothing when nobody sleeps. A waiter spins a bounded number of times, then sets
 * its sleeping flag, re-checks the ring, and waits on the counter it read, passing that same value
 * to `Atomics.wait`, so a store between the check and the wait is never lost. The other side
 * notifies only when the flag is set, and only after taking it back with compareExchange(1 -> 0):
 * one sleep, one notify, however many pushes or pops follow before the sleeper runs. A waiter that
 * loops sets its flag again on every pass.
 */
import type { Region } from '../region.js';

export const RING_HEADER_BYTES = 256;
export const DESCRIPTOR_BYTES = 16;

const HEAD = 0;
const TAIL = 16;
const CONSUMER_SLEEPING = 32;
const PRODUCER_SLEEPING = 33;
const PRODUCER_WAKE_FILL = 34;
const PRODUCER_CLAIMED = 48;
const CONSUMER_CLAIMED = 49;
const WAKEUPS = 50;
const DESCRIPTORS = 64;

/** What one descriptor says: where a payload is, and what kind of item it is. */
export interface Descriptor {
  slot: number;
  offset: number;
  length: number;
  kind: number;
}

/** Bytes a ring of `capacity` descriptors needs in a region. */
export function ringBytes(capacity: number): number {
  return RING_HEADER_BYTES + capacity * DESCRIPTOR_BYTES;
}

/** The shared part: layout, over a region at `base`. Create once, then claim the roles. */
export class SpscRing {
  readonly capacity: number;
  private readonly mask: number;
  readonly words: Int32Array;

  /**
   * @param region a shared region (SAB or WebAssembly.Memory)
   * @param base byte offset of the ring, a multiple of 64
   * @param capacity descriptors, a power of two
   */
  constructor(readonly region: Region, readonly base: number, capacity: number) {
    if (!Number.isInteger(capacity) || capacity < 2 || (capacity & (capacity - 1)) !== 0) {
      throw new RangeError(`ring capacity must be a power of two >= 2, got ${capacity}`);
    }
    if (base % 64 !== 0) throw new RangeError(`ring base must be a multiple of 64 bytes, got ${base}`);
    if (base + ringBytes(capacity) > region.byteLength) {
      throw new RangeError(`a ring of ${capacity} descriptors at ${base} needs ${ringBytes(capacity)} bytes; the region has ${region.byteLength - base} left`);
    }
    this.capacity = capacity;
    this.mask = capacity - 1;
    this.words = new Int32Array(region.buffer, base, ringBytes(capacity) / 4);
  }

  /** Claims the producer role. Throws when another handle, on any thread, holds it. */
  producer(): RingProducer {
    this.claim(PRODUCER_CLAIMED, 'producer');
    return new RingProducer(this.words, this.mask);
  }

  /** Claims the consumer role. Throws when another handle, on any thread, holds it. */
  consumer(): RingConsumer {
    this.claim(CONSUMER_CLAIMED, 'consumer');
    return new RingConsumer(this.words, this.mask);
  }

  /** Notifies sent to a sleeping side since the ring was made. */
  get wakeups(): number {
    return Atomics.load(this.words, WAKEUPS) >>> 0;
  }

  /** Descriptors in the ring now. This value can be late: the other side moves on meanwhile. */
  get length(): number {
    return (Atomics.load(this.words, TAIL) - Atomics.load(this.words, HEAD)) >>> 0;
  }

  /**
   * Hands every descriptor still in the ring to `visit` and empties it. Only once neither side
   * runs any more (the threads have stopped): it reads and moves the head without the roles.
   */
  takeLeftovers(visit: (slot: number, offset: number, length: number, kind: number) => void): number {
    const w = this.words;
    const head = Atomics.load(w, HEAD);
    const tail = Atomics.load(w, TAIL);
    const n = (tail - head) >>> 0;
    for (let i = 0; i < n; i++) {
      const at = DESCRIPTORS + (((head + i) & this.mask) << 2);
      visit(w[at]!, w[at + 1]! >>> 0, w[at + 2]! >>> 0, w[at + 3]! >>> 0);
    }
    Atomics.store(w, HEAD, tail);
    return n;
  }

  private claim(word: number, role: string): void {
    // SYNC POINT with the other claimant of the same role: only one compareExchange wins.
    if (Atomics.compareExchange(this.words, word, 0, 1) !== 0) {
      throw new Error(`the ${role} of this ring is already claimed (SPSC: one ${role} only)`);
    }
  }
}

/** Atomics.waitAsync (Node 16+, Deno, Bun); the ES2023 lib types do not declare it. */
const waitAsync = (Atomics as unknown as {
  waitAsync(a: Int32Array, i: number, v: number, t: number): { async: false; value: string } | { async: true; value: Promise<string> };
}).waitAsync;

/** How many times a waiter re-checks the ring before it sleeps. */
const SPIN = 64;

/** The producer's side. Producer thread only. */
export class RingProducer {
  /** The head as last read: the consumer only moves it forward, so a stale value is safe (low). */
  private headSeen = 0;

  constructor(private readonly words: Int32Array, private readonly mask: number) {
    this.headSeen = Atomics.load(words, HEAD);
  }

  /**
   * Descriptors in the ring as of the last head this side read: never low (the consumer only
   * pops), and free of atomics. `refreshHead()` makes it current.
   */
  fillSeen(): number {
    return (this.words[TAIL]! - this.headSeen) >>> 0;
  }

  /** Re-reads the consumer's head; returns the current fill. */
  refreshHead(): number {
    // SYNC POINT with RingConsumer's store of the head.
    this.headSeen = Atomics.load(this.words, HEAD);
    return this.fillSeen();
  }

  /**
   * Waits until the ring has drained to `wakeFill` descriptors or fewer, or `timeoutMs` passes.
   * Worker threads only. A producer held back by a limit below the capacity (or by bytes or
   * time) asks to be woken at a low watermark, not at every pop: one wake-up per batch instead
   * of a producer and a consumer that wake each other for every descriptor.
   */
  waitForPop(timeoutMs: number, wakeFill = this.mask): void {
    const w = this.words;
    const deadline = performance.now() + timeoutMs;
    for (;;) {
      // Every pass says again that it sleeps: the consumer clears the flag when it notifies.
      this.announceSleep(wakeFill);
      // Read the head once and wait on that value: a pop between the check and the wait
      // changes the word, so the wait returns at once.
      const head = Atomics.load(w, HEAD);
      if (((w[TAIL]! - head) >>> 0) <= wakeFill) break;
      const left = deadline - performance.now();
      if (left <= 0) break;
      // SYNC POINT with RingConsumer.wakeProducer's notify on HEAD.
      Atomics.wait(w, HEAD, head, left);
    }
    Atomics.store(w, PRODUCER_SLEEPING, 0);
    this.headSeen = Atomics.load(w, HEAD);
  }

  /** The event-loop form of `waitForPop`. */
  async waitForPopAsync(timeoutMs: number, wakeFill = this.mask): Promise<void> {
    const w = this.words;
    const deadline = performance.now() + timeoutMs;
    for (;;) {
      this.announceSleep(wakeFill);
      const head = Atomics.load(w, HEAD);
      if (((w[TAIL]! - head) >>> 0) <= wakeFill) break;
      const left = deadline - performance.now();
      if (left <= 0) break;
      // SYNC POINT with RingConsumer.wakeProducer's notify on HEAD.
      const r = waitAsync(w, HEAD, head, left);
      if (r.async) await r.value;
    }
    Atomics.store(w, PRODUCER_SLEEPING, 0);
    this.headSeen = Atomics.load(w, HEAD);
  }

  /** Says at what fill level this side wants waking, then that it sleeps (in that order). */
  private announceSleep(wakeFill: number): void {
    // SYNC POINT with RingConsumer.wakeProducer: it reads the watermark after the flag.
    Atomics.store(this.words, PRODUCER_WAKE_FILL, wakeFill);
    Atomics.store(this.words, PRODUCER_SLEEPING, 1);
  }

  /** Free descriptor places. Can be late (low): the consumer frees places meanwhile. */
  free(): number {
    const capacity = this.mask + 1;
    return capacity - ((this.words[TAIL]! - Atomics.load(this.words, HEAD)) >>> 0);
  }

  /** Pushes one descriptor. Returns false when the ring is full; never blocks, never throws. */
  push(slot: number, offset: number, length: number, kind: number): boolean {
    const w = this.words;
    const tail = w[TAIL]!; // only this side writes the tail: a plain read is current
    if (((tail - this.headSeen) >>> 0) > this.mask) {
      // SYNC POINT with RingConsumer's store of the head: places up to head are free. Read only
      // when the ring looks full, so a steady stream does not touch the consumer's cache line.
      this.headSeen = Atomics.load(w, HEAD);
      if (((tail - this.headSeen) >>> 0) > this.mask) return false;
    }
    const at = DESCRIPTORS + ((tail & this.mask) << 2);
    w[at] = slot;
    w[at + 1] = offset;
    w[at + 2] = length;
    w[at + 3] = kind;
    // SYNC POINT with RingConsumer.pop's load of the tail: the descriptor is complete first.
    Atomics.store(w, TAIL, (tail + 1) | 0);
    this.wakeConsumer();
    return true;
  }

  /** Pushes as many of `items` as fit, from `from`; returns how many. One tail store for all. */
  pushBatch(items: readonly Descriptor[], from = 0): number {
    const w = this.words;
    const tail = w[TAIL]!;
    // SYNC POINT with RingConsumer's store of the head.
    this.headSeen = Atomics.load(w, HEAD);
    const room = this.mask + 1 - ((tail - this.headSeen) >>> 0);
    const n = Math.min(room, items.length - from);
    for (let i = 0; i < n; i++) {
      const d = items[from + i]!;
      const at = DESCRIPTORS + (((tail + i) & this.mask) << 2);
      w[at] = d.slot;
      w[at + 1] = d.offset;
      w[at + 2] = d.length;
      w[at + 3] = d.kind;
    }
    if (n > 0) {
      Atomics.store(w, TAIL, (tail + n) | 0);
      this.wakeConsumer();
    }
    return n;
  }

  /**
   * Waits until at least one place is free or `timeoutMs` passes (worker threads only: the main
   * thread may not Atomics.wait). Returns whether there is room.
   */
  waitForRoom(timeoutMs = Infinity): boolean {
    const w = this.words;
    for (let i = 0; i < SPIN; i++) if (this.free() > 0) return true;
    this.announceSleep(this.mask);
    // Read the head once and wait on that value: a pop between this read and the wait changes
    // the word, so the wait returns at once instead of missing the wake-up.
    const head = Atomics.load(w, HEAD);
    if (((w[TAIL]! - head) >>> 0) <= this.mask) {
      Atomics.store(w, PRODUCER_SLEEPING, 0);
      return true;
    }
    // SYNC POINT with RingConsumer.wakeProducer's notify on HEAD.
    Atomics.wait(w, HEAD, head, timeoutMs);
    Atomics.store(w, PRODUCER_SLEEPING, 0);
    return this.free() > 0;
  }

  /** The event-loop form of `waitForRoom`: resolves when a place is free, without blocking. */
  async waitForRoomAsync(timeoutMs = Infinity): Promise<boolean> {
    const w = this.words;
    for (let i = 0; i < SPIN; i++) if (this.free() > 0) return true;
    this.announceSleep(this.mask);
    const head = Atomics.load(w, HEAD);
    if (((w[TAIL]! - head) >>> 0) <= this.mask) {
      Atomics.store(w, PRODUCER_SLEEPING, 0);
      return true;
    }
    // SYNC POINT with RingConsumer.wakeProducer's notify on HEAD; waits on the value just read.
    const r = waitAsync(w, HEAD, head, timeoutMs);
    if (r.async) await r.value;
    Atomics.store(w, PRODUCER_SLEEPING, 0);
    return this.free() > 0;
  }

  private wakeConsumer(): void {
    // SYNC POINT with RingConsumer.waitForData: notify only a consumer that said it sleeps, and
    // only once per sleep: taking the flag back (1 -> 0) is what entitles this side to notify,
    // so pushes that follow before the consumer runs again cost one load each, not a notify.
    const w = this.words;
    if (Atomics.load(w, CONSUMER_SLEEPING) !== 0 && Atomics.compareExchange(w, CONSUMER_SLEEPING, 1, 0) === 1) {
      Atomics.add(w, WAKEUPS, 1);
      Atomics.notify(w, TAIL);
    }
  }
}

/** The consumer's side. Consumer thread only. */
export class RingConsumer {
  /** The last descriptor popped; a reused object, so popping allocates nothing. */
  readonly current: Descriptor = { slot: 0, offset: 0, length: 0, kind: 0 };
  /** The tail as last read: the producer only moves it forward, so a stale value is safe (low). */
  private tailSeen = 0;

  constructor(private readonly words: Int32Array, private readonly mask: number) {
    this.tailSeen = Atomics.load(words, TAIL);
  }

  /** Descriptors ready. Can be late (low): the producer adds meanwhile. */
  available(): number {
    return (Atomics.load(this.words, TAIL) - this.words[HEAD]!) >>> 0;
  }

  /** Pops one descriptor into `current`. Returns false when empty; never blocks, never throws. */
  pop(): boolean {
    const w = this.words;
    const head = w[HEAD]!; // only this side writes the head
    if (this.tailSeen === head) {
      // SYNC POINT with RingProducer's store of the tail: descriptors before it are complete.
      this.tailSeen = Atomics.load(w, TAIL);
      if (this.tailSeen === head) return false;
    }
    const at = DESCRIPTORS + ((head & this.mask) << 2);
    const d = this.current;
    d.slot = w[at]!;
    d.offset = w[at + 1]! >>> 0;
    d.length = w[at + 2]! >>> 0;
    d.kind = w[at + 3]! >>> 0;
    // SYNC POINT with RingProducer.push's load of the head: the place may be reused after this.
    Atomics.store(w, HEAD, (head + 1) | 0);
    this.wakeProducer();
    return true;
  }

  /**
   * Pops up to `max` descriptors, calling `visit` for each, and frees their places with a single
   * store of the head. Returns how many. Allocation-free.
   */
  drain(max: number, visit: (slot: number, offset: number, length: number, kind: number) => void): number {
    const w = this.words;
    const head = w[HEAD]!;
    // SYNC POINT with RingProducer's store of the tail.
    this.tailSeen = Atomics.load(w, TAIL);
    const n = Math.min((this.tailSeen - head) >>> 0, max);
    for (let i = 0; i < n; i++) {
      const at = DESCRIPTORS + (((head + i) & this.mask) << 2);
      visit(w[at]!, w[at + 1]! >>> 0, w[at + 2]! >>> 0, w[at + 3]! >>> 0);
    }
    if (n > 0) {
      // SYNC POINT with RingProducer's load of the head: the places may be reused after this.
      Atomics.store(w, HEAD, (head + n) | 0);
      this.wakeProducer();
    }
    return n;
  }

  /** Waits until a descriptor is ready or `timeoutMs` passes (worker threads only). */
  waitForData(timeoutMs = Infinity): boolean {
    const w = this.words;
    for (let i = 0; i < SPIN; i++) if (this.available() > 0) return true;
    Atomics.store(w, CONSUMER_SLEEPING, 1);
    const tail = Atomics.load(w, TAIL);
    if (tail !== w[HEAD]) {
      Atomics.store(w, CONSUMER_SLEEPING, 0);
      return true;
    }
    // SYNC POINT with RingProducer.wakeConsumer's notify on TAIL; waits on the value just read.
    Atomics.wait(w, TAIL, tail, timeoutMs);
    Atomics.store(w, CONSUMER_SLEEPING, 0);
    return this.available() > 0;
  }

  /** The event-loop form of `waitForData`: resolves when data is ready, without blocking the thread. */
  async waitForDataAsync(timeoutMs = Infinity): Promise<boolean> {
    const w = this.words;
    // A short spin first: an event-loop wake-up costs microseconds, a fast producer less.
    for (let i = 0; i < SPIN * 4; i++) if (this.available() > 0) return true;
    Atomics.store(w, CONSUMER_SLEEPING, 1);
    const tail = Atomics.load(w, TAIL);
    if (tail !== w[HEAD]) {
      Atomics.store(w, CONSUMER_SLEEPING, 0);
      return true;
    }
    // SYNC POINT with RingProducer.wakeConsumer's notify on TAIL.
    const r = waitAsync(w, TAIL, tail, timeoutMs);
    if (r.async) await r.value;
    Atomics.store(w, CONSUMER_SLEEPING, 0);
    return this.available() > 0;
  }

  private wakeProducer(): void {
    // SYNC POINT with RingProducer.waitForRoom: notify only a producer that said it sleeps.
    const w = this.words;
    if (Atomics.load(w, PRODUCER_SLEEPING) !== 0) {
      // Only at the producer's watermark: it re-checks before sleeping, so waking it earlier
      // would only make it sleep again.
      const fill = (Atomics.load(w, TAIL) - w[HEAD]!) >>> 0;
      if (fill > Atomics.load(w, PRODUCER_WAKE_FILL)) return;
      // Once per sleep: whoever takes the flag back notifies (see wakeConsumer).
      if (Atomics.compareExchange(w, PRODUCER_SLEEPING, 1, 0) !== 1) return;
      Atomics.add(w, WAKEUPS, 1);
      Atomics.notify(w, HEAD);
    }
  }
}
