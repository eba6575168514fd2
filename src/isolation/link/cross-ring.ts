/**
 * The rings of a process link: one producer process, one consumer process, either of them
 * possibly hostile, sharing one memfd (the LINK REGION) mapped read-write by both.
 *
 * Roles. The producer pushes records on the forward ring and takes tokens off the return ring;
 * the consumer pops records and pushes back the token of every record it is done with. Each
 * role is one object (`CrossRingProducer`, `CrossRingConsumer`) in one process. Each side keeps
 * the counters it writes in its own memory and only publishes them: it never reads its own
 * counter back from the region, where the other side could have changed it.
 *
 * Layout, in 32-bit words from byte 0 of the region (little endian):
 *   word   0   forward tail: records pushed, free-running u32          producer writes
 *   word  16   forward head: records popped                            consumer writes
 *   word  32   return tail: tokens pushed back                         consumer writes
 *   word  48   return head: tokens taken                               producer writes
 *   word  64   consumer sleeping flag (0 awake, 1 futex, 2 doorbell)   consumer sets, producer takes back
 *   word  65   consumer wake count: the futex word the consumer sleeps on   producer adds
 *   word  80   producer sleeping flag (0, 1, 2 as above)               producer sets, consumer takes back
 *   word  81   producer wake count                                     consumer adds
 *   word  82   producer's wake fill: wake it when the forward fill is <= this (-1: not for room)
 *   word  83   producer's wanted returns: wake it when this many tokens wait (0: not for tokens)
 *   word  96   consumer done: 0 running, else 1 + the FlowResult it ended with   consumer writes
 *   word  97   wake-ups sent by either side (metrics)
 *   word  98   producer gone: the creator sets it when the producer's process died
 *   word 112   magic 'PXL1', word 113 capacity                         creator writes (informational)
 *   byte 512   forward records: capacity x 128 bytes (RECORD_BYTES)
 *   then       return ring: returnCapacity(capacity) x u32 tokens
 * Counters and flags sit on separate 64-byte lines, so the two sides do not false-share.
 *
 * Record (128 bytes; u32 unless said):
 *   0 kind (1 buffer, 2 event, 3 region announcement)   4 token   8 region id
 *   12 payload offset in the region, in 64-byte units   16 length   20 flags   24 stream id
 *   28 caps id   32 f64 pts   40 f64 dts   48 f64 duration   56 f64 offset   64 f64 sequence
 *   72..127 reserved (zero: never written)
 * Why 128 and not 64: the fields a buffer needs (5 f64 and 8 u32) take 72 bytes.
 *
 * Ordering. JS Atomics are sequentially consistent, also on the non-shared ArrayBuffer that the
 * addon's mapping is on Node 20. The producer writes a record with plain stores, then
 * `Atomics.store`s the tail; the consumer `Atomics.load`s the tail before reading a record. The
 * consumer reads a record completely (into locals) and only then stores the head; the producer
 * loads the head before it reuses a place. The return ring works the same way in reverse.
 *
 * Wrap rule. Capacities are powers of two; place = counter & (capacity - 1). Counters wrap at
 * 2^32; `(tail - head) >>> 0` is the fill. A fill above the capacity can only come from a side
 * that wrote garbage: `LinkViolation`.
 *
 * Outstanding tokens. A token is outstanding from the producer's push until the producer takes
 * it off the return ring. The producer keeps at most `returnCapacity` outstanding, so the return
 * ring never overflows for an honest producer, and the consumer, which can count the same thing
 * (records it holds plus tokens not yet taken), rejects a producer that goes past it.
 *
 * Waking (ARCHITECTURE §3: spin, flag, re-check, sleep). A side that wants to wait reads its
 * wake count, sets its flag (1 when it will sleep in futex, 2 when it will await the doorbell
 * on its event loop), re-checks the ring, then futexWaits on the wake count it read (returns at
 * once if it moved) or awaits one doorbell byte. The other side, after moving a counter, loads
 * the flag; only when it takes the flag back with compareExchange(flag -> 0) does it wake: add
 * to the wake count and futexWake, or send one doorbell byte. One wake per sleep, never per item.
 * A sleeper re-sets its flag on every pass and clears it when it wakes. A flag value that is
 * neither 1 nor 2 is garbage from the other side: taken back, nothing sent.
 *
 * The creator of the link (the supervisor) watches it with a LinkMonitor: depth and wake-ups for
 * stats, and when a process dies it marks that side gone (consumer done with FLUSHING, or the
 * producer-gone word) and wakes the survivor the way it sleeps.
 *
 * Thread contract: each object is used by one thread of one process. Allocation-free on the hot
 * path (push, pop, returns); only violations allocate (they throw).
 */
/* eslint-disable no-restricted-globals -- the atomics of the cross-process link live here, with
   their contract above; they cannot live in src/memory/ because the waits go through the addon. */
import { requireNative, type NativeHelper } from '../native.js';
import { LinkViolation } from './violation.js';

export const LINK_HEADER_BYTES = 512;
export const RECORD_BYTES = 128;
const RECORD_WORDS = RECORD_BYTES / 4;
const MAGIC = 0x314c5850; // 'PXL1'

const FWD_TAIL = 0;
const FWD_HEAD = 16;
const RET_TAIL = 32;
const RET_HEAD = 48;
const CONSUMER_SLEEP = 64;
const CONSUMER_WAKE = 65;
const PRODUCER_SLEEP = 80;
const PRODUCER_WAKE = 81;
const PRODUCER_WAKE_FILL = 82;
const PRODUCER_WANTS_RETURNS = 83;
const CONSUMER_DONE = 96;
const WAKEUPS = 97;
const PRODUCER_GONE = 98;
/** CONSUMER_DONE's value for a consumer that died: 1 + FlowResult.FLUSHING. */
const CONSUMER_DIED = 3;
const MAGIC_WORD = 112;
const CAPACITY_WORD = 113;
const RECORDS = LINK_HEADER_BYTES / 4;

/** Record fields: u32 word indices within a record. */
export const R_KIND = 0;
export const R_TOKEN = 1;
export const R_REGION = 2;
export const R_PAYLOAD = 3;
export const R_LENGTH = 4;
export const R_FLAGS = 5;
export const R_STREAM = 6;
export const R_CAPS = 7;
/** Record fields: f64 indices within a record. */
export const R64_PTS = 4;
export const R64_DTS = 5;
export const R64_DURATION = 6;
export const R64_OFFSET = 7;
export const R64_SEQUENCE = 8;

export const KIND_BUFFER = 1;
export const KIND_EVENT = 2;
export const KIND_REGION = 3;
/** Payload offsets travel in units of this many bytes (every slot payload is aligned to it). */
export const PAYLOAD_UNIT = 64;

export const SLEEP_FUTEX = 1;
export const SLEEP_DOORBELL = 2;

/** Largest forward capacity: keeps tokens (16 bits of index) and the region small. */
export const MAX_LINK_CAPACITY = 4096;

/** Tokens that may be outstanding on a link of `capacity` records: records in flight and held downstream. */
export function returnCapacity(capacity: number): number {
  return capacity * 4;
}

/** Bytes of the link region for `capacity` records. */
export function linkRegionBytes(capacity: number): number {
  checkLinkCapacity(capacity);
  return LINK_HEADER_BYTES + capacity * RECORD_BYTES + returnCapacity(capacity) * 4;
}

export function checkLinkCapacity(capacity: number): void {
  if (!Number.isInteger(capacity) || capacity < 2 || capacity > MAX_LINK_CAPACITY || (capacity & (capacity - 1)) !== 0) {
    throw new RangeError(`link capacity must be a power of two from 2 to ${MAX_LINK_CAPACITY}, got ${capacity}`);
  }
}

/** Writes the informational words of a fresh (zeroed) link region. Creator only. */
export function initLinkRegion(buffer: ArrayBufferLike, capacity: number): void {
  const w = new Int32Array(buffer, 0, LINK_HEADER_BYTES / 4);
  w[MAGIC_WORD] = MAGIC;
  w[CAPACITY_WORD] = capacity;
}

/** Something that rings the other side's doorbell (a byte on the link's doorbell socket). */
export interface DoorbellSender {
  ring(): void;
}

/** The views both roles share. */
class LinkViews {
  readonly i32: Int32Array;
  readonly u32: Uint32Array;
  readonly f64: Float64Array;
  readonly mask: number;
  readonly retCapacity: number;
  readonly retMask: number;
  /** Word index of the return ring. */
  readonly ret: number;
  protected readonly native: NativeHelper = requireNative();

  constructor(readonly buffer: ArrayBufferLike, readonly capacity: number, protected readonly doorbell: DoorbellSender) {
    checkLinkCapacity(capacity);
    const bytes = linkRegionBytes(capacity);
    if (buffer.byteLength < bytes) throw new RangeError(`a link of ${capacity} records needs ${bytes} bytes; the region has ${buffer.byteLength}`);
    this.i32 = new Int32Array(buffer, 0, bytes / 4);
    this.u32 = new Uint32Array(buffer, 0, bytes / 4);
    this.f64 = new Float64Array(buffer, 0, bytes / 8);
    this.mask = capacity - 1;
    this.retCapacity = returnCapacity(capacity);
    this.retMask = this.retCapacity - 1;
    this.ret = RECORDS + capacity * RECORD_WORDS;
  }

  /** Wake-ups sent by either side. Informational: the other side may write anything here. */
  get wakeups(): number {
    return Atomics.load(this.i32, WAKEUPS) >>> 0;
  }

  /**
   * Takes back the other side's flag and wakes it, once per sleep. `flag` and `wake` are that
   * side's words.
   */
  protected wake(flag: number, wake: number): void {
    const w = this.i32;
    const f = Atomics.load(w, flag);
    if (f === 0) return;
    // SYNC POINT with the sleeper's store of its flag: whoever takes it back wakes, once.
    if (Atomics.compareExchange(w, flag, f, 0) !== f) return;
    if (f === SLEEP_FUTEX) {
      Atomics.add(w, WAKEUPS, 1);
      // SYNC POINT with the sleeper's futexWait on the wake count it read before its flag.
      Atomics.add(w, wake, 1);
      this.native.futexWake(this.buffer, wake * 4, 1);
    } else if (f === SLEEP_DOORBELL) {
      Atomics.add(w, WAKEUPS, 1);
      this.doorbell.ring();
    }
  }

  /** Sets this side's flag for a sleep of kind `how`; returns the wake count to sleep on. */
  protected announceSleep(flag: number, wake: number, how: number): number {
    // Read the count first: a wake after this read moves it, so the futexWait returns at once.
    const seen = Atomics.load(this.i32, wake);
    // SYNC POINT with the other side's compareExchange in `wake`.
    Atomics.store(this.i32, flag, how);
    return seen;
  }
}

/** The producer's side. Producer process, one thread. */
export class CrossRingProducer extends LinkViews {
  private tail = 0;
  private retHead = 0;
  /** The consumer's head as last read: it only moves forward, so a stale value is safe (low). */
  private headSeen = 0;

  /**
   * Room for one record, or -1 when the ring is full. Returns the word index of the place; fill
   * it through `u32`/`f64` (f64 index = word index / 2) and `commit()`. Throws a LinkViolation
   * when the consumer's head is out of range.
   */
  place(): number {
    if (((this.tail - this.headSeen) >>> 0) > this.mask && !this.refreshHead()) return -1;
    return RECORDS + (this.tail & this.mask) * RECORD_WORDS;
  }

  /** Re-reads the consumer's head; returns whether there is room. */
  private refreshHead(): boolean {
    // SYNC POINT with CrossRingConsumer.next's store of the head.
    const head = Atomics.load(this.i32, FWD_HEAD) | 0;
    const fill = (this.tail - head) >>> 0;
    if (fill > this.capacity) throw new LinkViolation('forward ring fill (tail - head)', fill, `<= the capacity ${this.capacity}`);
    this.headSeen = head;
    return fill < this.capacity;
  }

  /** Publishes the record at `place()`'s place, and wakes a sleeping consumer. */
  commit(): void {
    this.tail = (this.tail + 1) | 0;
    // SYNC POINT with CrossRingConsumer's load of the tail: the record is complete first.
    Atomics.store(this.i32, FWD_TAIL, this.tail);
    this.wake(CONSUMER_SLEEP, CONSUMER_WAKE);
  }

  /** Records in the ring as of the last head read (high, never low). */
  get fill(): number {
    return (this.tail - this.headSeen) >>> 0;
  }

  /**
   * Hands each token the consumer returned to `visit` and frees their places. Throws a
   * LinkViolation when the return ring's fill is out of range (the token check is the caller's).
   */
  takeReturns(visit: (token: number) => void): number {
    const w = this.i32;
    // SYNC POINT with CrossRingConsumer.giveBack's store of the return tail.
    const tail = Atomics.load(w, RET_TAIL) | 0;
    const n = (tail - this.retHead) >>> 0;
    if (n === 0) return 0;
    if (n > this.retCapacity) throw new LinkViolation('return ring fill (tail - head)', n, `<= its capacity ${this.retCapacity}`);
    for (let i = 0; i < n; i++) visit(this.u32[this.ret + ((this.retHead + i) & this.retMask)]!);
    this.retHead = (this.retHead + n) | 0;
    // SYNC POINT with CrossRingConsumer.giveBack's load of the return head.
    Atomics.store(w, RET_HEAD, this.retHead);
    return n;
  }

  /** Tokens the consumer has returned and this side has not taken. Can be late (low). */
  returnsWaiting(): number {
    return (Atomics.load(this.i32, RET_TAIL) - this.retHead) >>> 0;
  }

  /** 0 while the consumer runs, else 1 + the FlowResult it ended with (the consumer's word). */
  consumerDone(): number {
    return Atomics.load(this.i32, CONSUMER_DONE) >>> 0;
  }

  /**
   * Sleeps in futex until the consumer makes room (`forRoom`) or returns tokens (`forTokens`),
   * or `timeoutMs` passes. Blocks the thread: an element host whose task may block, only.
   */
  sleep(forRoom: boolean, forTokens: boolean, timeoutMs: number): void {
    const seen = this.arm(SLEEP_FUTEX, forRoom, forTokens);
    if (seen === null) return;
    this.native.futexWait(this.buffer, PRODUCER_WAKE * 4, seen, timeoutMs);
    Atomics.store(this.i32, PRODUCER_SLEEP, 0);
  }

  /**
   * Says this side will await the doorbell for room or tokens. Returns false when the wait is
   * not needed after all (progress came meanwhile: the flag is already cleared).
   */
  armDoorbell(forRoom: boolean, forTokens: boolean): boolean {
    return this.arm(SLEEP_DOORBELL, forRoom, forTokens) !== null;
  }

  /** Clears this side's flag after a doorbell wait (woken or timed out). */
  disarm(): void {
    Atomics.store(this.i32, PRODUCER_SLEEP, 0);
  }

  private arm(how: number, forRoom: boolean, forTokens: boolean): number | null {
    const w = this.i32;
    // SYNC POINT with CrossRingConsumer.wakeProducer: it reads these after the flag.
    Atomics.store(w, PRODUCER_WAKE_FILL, forRoom ? this.capacity - 1 : -1);
    Atomics.store(w, PRODUCER_WANTS_RETURNS, forTokens ? 1 : 0);
    const seen = this.announceSleep(PRODUCER_SLEEP, PRODUCER_WAKE, how);
    // Re-check after the flag: progress from here on finds the flag and wakes this side.
    const room = !forRoom || this.refreshHead();
    const tokens = !forTokens || this.returnsWaiting() > 0;
    if ((forRoom && room) || (forTokens && tokens) || this.consumerDone() !== 0) {
      Atomics.store(w, PRODUCER_SLEEP, 0);
      return null;
    }
    return seen;
  }
}

/** The consumer's side. Consumer process, one thread. */
export class CrossRingConsumer extends LinkViews {
  private head = 0;
  private retTail = 0;
  /** The producer's tail as last read (validated). */
  private tailSeen = 0;

  /**
   * The word index of the next record, or -1 when the ring is empty. Read each field once, into
   * locals, then `next()`. Throws a LinkViolation when the producer's tail is out of range.
   */
  peek(): number {
    if (this.tailSeen === this.head && !this.refreshTail()) return -1;
    return RECORDS + (this.head & this.mask) * RECORD_WORDS;
  }

  private refreshTail(): boolean {
    // SYNC POINT with CrossRingProducer.commit's store of the tail.
    const tail = Atomics.load(this.i32, FWD_TAIL) | 0;
    const fill = (tail - this.head) >>> 0;
    if (fill > this.capacity) throw new LinkViolation('forward ring fill (tail - head)', fill, `<= the capacity ${this.capacity}`);
    this.tailSeen = tail;
    return fill > 0;
  }

  /** Frees the place of the record `peek()` returned, and wakes a producer waiting for room. */
  next(): void {
    this.head = (this.head + 1) | 0;
    // SYNC POINT with CrossRingProducer.refreshHead's load: the place may be reused after this.
    Atomics.store(this.i32, FWD_HEAD, this.head);
    this.wakeProducer(false);
  }

  /** Records ready (validated). Can be late (low). */
  available(): number {
    this.refreshTail();
    return (this.tailSeen - this.head) >>> 0;
  }

  /**
   * Tokens pushed back that the producer has not taken yet. Throws a LinkViolation when the
   * producer's return head is out of range.
   */
  returnsPending(): number {
    // SYNC POINT with CrossRingProducer.takeReturns' store of the return head.
    const head = Atomics.load(this.i32, RET_HEAD) | 0;
    const n = (this.retTail - head) >>> 0;
    if (n > this.retCapacity) throw new LinkViolation('return ring fill (tail - head)', n, `<= its capacity ${this.retCapacity}`);
    return n;
  }

  /** Pushes `token` back to the producer. Throws a LinkViolation when the return ring is full. */
  giveBack(token: number): void {
    if (this.returnsPending() >= this.retCapacity) {
      throw new LinkViolation('return ring fill', this.retCapacity, `below its capacity: the producer does not take its tokens back`);
    }
    this.u32[this.ret + (this.retTail & this.retMask)] = token;
    this.retTail = (this.retTail + 1) | 0;
    // SYNC POINT with CrossRingProducer.takeReturns' load of the return tail.
    Atomics.store(this.i32, RET_TAIL, this.retTail);
    this.wakeProducer(true);
  }

  /** Tells the producer this side ended with `result` (a FlowResult), and wakes it. */
  markDone(result: number): void {
    Atomics.store(this.i32, CONSUMER_DONE, result + 1);
    this.wake(PRODUCER_SLEEP, PRODUCER_WAKE);
  }

  /** Sleeps in futex until a record may be there or `timeoutMs` passes. Element hosts only. */
  sleep(timeoutMs: number): void {
    const seen = this.announceSleep(CONSUMER_SLEEP, CONSUMER_WAKE, SLEEP_FUTEX);
    if (this.available() > 0) {
      Atomics.store(this.i32, CONSUMER_SLEEP, 0);
      return;
    }
    this.native.futexWait(this.buffer, CONSUMER_WAKE * 4, seen, timeoutMs);
    Atomics.store(this.i32, CONSUMER_SLEEP, 0);
  }

  /** Says this side will await the doorbell; false when records came meanwhile (flag cleared). */
  armDoorbell(): boolean {
    this.announceSleep(CONSUMER_SLEEP, CONSUMER_WAKE, SLEEP_DOORBELL);
    if (this.available() > 0) {
      Atomics.store(this.i32, CONSUMER_SLEEP, 0);
      return false;
    }
    return true;
  }

  disarm(): void {
    Atomics.store(this.i32, CONSUMER_SLEEP, 0);
  }

  /** Whether the link's creator said the producer's process died. */
  producerGone(): boolean {
    return Atomics.load(this.i32, PRODUCER_GONE) !== 0;
  }

  private wakeProducer(returned: boolean): void {
    const w = this.i32;
    if (Atomics.load(w, PRODUCER_SLEEP) === 0) return;
    // Only for what the producer waits for: it re-checks before sleeping, so an earlier wake
    // would only make it sleep again.
    if (returned) {
      const want = Atomics.load(w, PRODUCER_WANTS_RETURNS);
      if (want <= 0 || ((this.retTail - Atomics.load(w, RET_HEAD)) >>> 0) < want) return;
    } else if (((this.tailSeen - this.head) >>> 0) > Atomics.load(w, PRODUCER_WAKE_FILL)) {
      return;
    }
    this.wake(PRODUCER_SLEEP, PRODUCER_WAKE);
  }
}

/** The f64 index of a record whose word index is `at`. */
export function f64At(at: number): number {
  return at >>> 1;
}

/**
 * The creator's view of a link (the supervisor's, which made it): stats, and marking a side
 * whose process died, so that the survivor stops waiting for it. Wakes the survivor as it sleeps:
 * futex, or a doorbell byte sent from the dead side's end of the doorbell socket (the creator
 * still holds both ends).
 */
export class LinkMonitor extends LinkViews {
  private readonly target: { fd: number };

  constructor(buffer: ArrayBufferLike, capacity: number, private readonly producerBellFd: number, private readonly consumerBellFd: number) {
    const target = { fd: -1 };
    super(buffer, capacity, {
      ring: () => {
        try {
          requireNative().sendFds(target.fd, [], new Uint8Array([1]), true);
        } catch {
          // the survivor's end is closed: nobody to wake
        }
      },
    });
    this.target = target;
  }

  /** Records in the forward ring now (clamped: either side may write garbage). */
  depth(): number {
    const n = (Atomics.load(this.i32, FWD_TAIL) - Atomics.load(this.i32, FWD_HEAD)) >>> 0;
    return Math.min(n, this.capacity);
  }

  /** The consumer's process died: the producer hears "done, FLUSHING" and is woken. */
  consumerGone(): void {
    Atomics.compareExchange(this.i32, CONSUMER_DONE, 0, CONSUMER_DIED);
    this.target.fd = this.consumerBellFd;
    this.wake(PRODUCER_SLEEP, PRODUCER_WAKE);
  }

  /** The producer's process died: the consumer stops once the ring is empty, and is woken. */
  producerGone(): void {
    Atomics.store(this.i32, PRODUCER_GONE, 1);
    this.target.fd = this.producerBellFd;
    this.wake(CONSUMER_SLEEP, CONSUMER_WAKE);
  }
}
