/**
 * A thread link: an SPSC descriptor ring plus the control words that give it a queue's
 * behaviour across threads — limits in buffers, bytes and time, a leaky policy, and drop and
 * stop accounting. The scheduler puts one where a pipeline link crosses from one thread to
 * another (a `queue` between two partitions, or a link the partitioner cut).
 *
 * Layout from `base` (64-aligned), in 32-bit words; the ring follows at base + CONTROL_BYTES:
 *   word 0   drops: buffers dropped by a leaky policy          Atomics.add by the producer
 *   word 1   skip: oldest buffers the consumer must drop       add by producer, sub by consumer
 *   word 2   bytes in: payload bytes pushed, free-running u32  stored by the producer
 *   word 3   producer done: 1 once it pushed EOS                stored by the producer
 *   word 16  bytes out: payload bytes popped, free-running u32 stored by the consumer
 *   word 17  buffers out: buffers popped, free-running u32     stored by the consumer
 *   word 18  (f64) pts of the last buffer popped, ns            stored by the consumer
 *   word 20  consumer result: 0 while it runs, else 1 + the FlowResult it stopped with
 * Producer-written and consumer-written words sit on separate cache lines.
 *
 * Contract. The ring's own contract (ring.ts) orders descriptors. The byte counters are written
 * by one side each, so a plain Atomics.store suffices; the other side's load may be late, which
 * only makes the producer's level estimate high (it waits a little longer), never low. `drops`
 * and `skip` are read-modify-write from both sides: Atomics.add/sub.
 */
import type { Region } from '../region.js';
import { SpscRing, ringBytes, type RingConsumer, type RingProducer } from './ring.js';

export const LINK_CONTROL_BYTES = 256;
const DROPS = 0;
const SKIP = 1;
const BYTES_IN = 2;
const BYTES_OUT = 16;
const BUFFERS_OUT = 17;
const LAST_PTS_F64 = 9; // float64 index: byte 72 = word 18
const CONSUMER_RESULT = 20;
const PRODUCER_DONE = 3;

export type LinkPolicy = 'block' | 'drop-newest' | 'drop-oldest';

export interface LinkLimits {
  /** Buffers waiting, at most (0 = the ring's capacity). */
  readonly maxBuffers: number;
  /** Payload bytes waiting, at most (0 = no limit). */
  readonly maxBytes: number;
  /** Nanoseconds between the newest pushed and the last popped timestamp (0 = no limit). */
  readonly maxTime: number;
  readonly policy: LinkPolicy;
}

/** Bytes a link with a ring of `capacity` descriptors needs. */
export function threadLinkBytes(capacity: number): number {
  return LINK_CONTROL_BYTES + ringBytes(capacity);
}

/** What `offer` did with a buffer. */
export const Offer = { PUSHED: 0, DROPPED: 1, FULL: 2 } as const;
export type Offer = (typeof Offer)[keyof typeof Offer];

export class ThreadLink {
  readonly ring: SpscRing;
  private readonly words: Int32Array;
  private readonly f64: Float64Array;

  /** Maps a link at `base`. `init` once, on the thread that carved it, before sharing it. */
  constructor(readonly region: Region, readonly base: number, readonly capacity: number, init = false) {
    this.ring = new SpscRing(region, base + LINK_CONTROL_BYTES, capacity);
    this.words = new Int32Array(region.buffer, base, LINK_CONTROL_BYTES / 4);
    this.f64 = new Float64Array(region.buffer, base, LINK_CONTROL_BYTES / 8);
    if (init) this.f64[LAST_PTS_F64] = -1;
  }

  producer(limits: LinkLimits): LinkProducer {
    return new LinkProducer(this.ring.producer(), this.words, this.f64, this.capacity, limits);
  }

  consumer(limits: LinkLimits): LinkConsumer {
    return new LinkConsumer(this.ring.consumer(), this.words, this.f64, limits);
  }

  /** Items in the ring (buffers and events), drops and wake-ups: for stats and metrics. */
  stats(): { depth: number; drops: number; wakeups: number } {
    return { depth: this.ring.length, drops: Atomics.load(this.words, DROPS) >>> 0, wakeups: this.ring.wakeups };
  }
}

/** The producing side of a link. Producer thread only. */
export class LinkProducer {
  private bytesIn = 0;
  private buffersIn = 0;
  private lastPtsIn = -1;
  private readonly maxBuffers: number;

  constructor(readonly ring: RingProducer, private readonly words: Int32Array, private readonly f64: Float64Array, private readonly capacity: number, readonly limits: LinkLimits) {
    this.maxBuffers = limits.maxBuffers > 0 ? Math.min(limits.maxBuffers, capacity) : capacity;
  }

  /**
   * Offers a buffer descriptor under the link's limits and policy. PUSHED: it is in the ring and
   * its reference moved with it. DROPPED: the policy dropped it (drop-newest); the caller releases
   * it. FULL: nothing happened; the caller waits (`waitForPop`) and offers again.
   */
  offer(slot: number, length: number, kind: number, pts: number): Offer {
    if (this.overLimit(length, pts)) {
      if (this.limits.policy === 'drop-newest') {
        Atomics.add(this.words, DROPS, 1);
        return Offer.DROPPED;
      }
      if (this.limits.policy === 'block') return Offer.FULL;
      // drop-oldest: the consumer drops the oldest buffer for us (only it may pop). The skip is
      // raised before the push, so the buffer it costs is always one already in the ring (or this
      // one), never a later one pushed under the limit. The push cannot fail after the room
      // check: only this side fills the ring.
      if (this.ring.free() === 0) return this.leakyRingFull();
      // SYNC POINT with LinkConsumer.pop's Atomics.sub of `skip`.
      Atomics.add(this.words, SKIP, 1);
      this.ring.push(slot, 0, length, kind);
      Atomics.add(this.words, DROPS, 1);
    } else if (!this.ring.push(slot, 0, length, kind)) {
      return this.limits.policy === 'block' ? this.ringFull() : this.leakyRingFull();
    }
    this.bytesIn = (this.bytesIn + length) | 0;
    this.buffersIn = (this.buffersIn + 1) | 0;
    // Read by stats only; the producer keeps its own count.
    if (this.limits.maxBytes > 0) Atomics.store(this.words, BYTES_IN, this.bytesIn);
    if (pts >= 0) this.lastPtsIn = pts;
    return Offer.PUSHED;
  }

  /** Pushes an event's descriptor: events ignore the limits (they must not be lost), not the capacity. */
  offerEvent(slot: number, length: number, kind: number): boolean {
    if (this.ring.push(slot, 0, length, kind)) return true;
    this.ringFull();
    return false;
  }

  /**
   * A leaky link never makes upstream wait (GStreamer's leaky queues do not). When the ring
   * itself is full — the consumer has stalled past the headroom the scheduler gives leaky
   * links — the newest buffer is the one dropped, and counted.
   */
  private leakyRingFull(): Offer {
    Atomics.add(this.words, DROPS, 1);
    return Offer.DROPPED;
  }

  private ringFull(): Offer {
    this.wakeFill = this.capacity - 1;
    return Offer.FULL;
  }

  private bufferLevel(): number {
    // SYNC POINT with LinkConsumer.markConsumed's store of buffers out.
    return (this.buffersIn - Atomics.load(this.words, BUFFERS_OUT)) >>> 0;
  }

  /** Where a waiting producer wants waking: half the buffer limit, or one pop for bytes and time. */
  private wakeFill = 0;

  private overLimit(length: number, pts: number): boolean {
    const l = this.limits;
    // The ring's fill counts events too, so it is an upper bound on the buffer level: only
    // when it reaches the limit is the exact level (buffers pushed - buffers popped) read.
    if (this.ring.fillSeen() >= this.maxBuffers && this.ring.refreshHead() >= this.maxBuffers && this.bufferLevel() >= this.maxBuffers) {
      this.wakeFill = this.maxBuffers >> 1;
      return true;
    }
    this.wakeFill = Math.max(this.ring.fillSeen() - 1, 0);
    if (l.maxBytes > 0) {
      // The consumer's count as last read: it only grows, so a stale one makes the level high,
      // never low. Read afresh only when the stale level would hold the buffer back, so a
      // steady stream does not pull the consumer's cache line over for every buffer.
      let level = (this.bytesIn - this.bytesOutSeen) >>> 0;
      if (level > 0 && level + length > l.maxBytes) {
        // SYNC POINT with LinkConsumer.markConsumed's store of bytes out.
        this.bytesOutSeen = Atomics.load(this.words, BYTES_OUT);
        level = (this.bytesIn - this.bytesOutSeen) >>> 0;
        if (level > 0 && level + length > l.maxBytes) return true;
      }
    }
    if (l.maxTime > 0 && pts >= 0) {
      // Same for time: the consumer's last pts only grows, so a stale one is safe.
      if (pts - this.oldestPts(pts) > l.maxTime) {
        // SYNC POINT with LinkConsumer.markConsumed's store of the last pts (read after the
        // head, which it follows).
        const fill = this.ring.refreshHead();
        this.ptsOutSeen = this.f64[LAST_PTS_F64]!;
        if (pts - this.oldestPts(pts) > l.maxTime && fill > 0) return true;
      }
    }
    return false;
  }

  private bytesOutSeen = 0;
  private ptsOutSeen = -1;

  private oldestPts(pts: number): number {
    return this.ptsOutSeen >= 0 ? this.ptsOutSeen : this.firstPts(pts);
  }

  private firstPtsSeen = -1;
  private firstPts(pts: number): number {
    if (this.firstPtsSeen < 0) this.firstPtsSeen = pts;
    return this.firstPtsSeen;
  }

  /**
   * Waits for the consumer to make room after an `offer` returned FULL (worker threads only):
   * for a full buffer limit, until half of it drained, so the two sides do not wake each other
   * for every buffer; for bytes, time or a full ring, until one pop.
   */
  waitForPop(timeoutMs: number): void {
    this.ring.waitForPop(timeoutMs, this.wakeFill);
  }

  waitForPopAsync(timeoutMs: number): Promise<void> {
    return this.ring.waitForPopAsync(timeoutMs, this.wakeFill);
  }

  /** 0 while the consumer runs, else the FlowResult it stopped with (EOS, FLUSHING, ERROR…). */
  consumerResult(): number {
    // SYNC POINT with LinkConsumer.close.
    const r = Atomics.load(this.words, CONSUMER_RESULT);
    return r === 0 ? 0 : r - 1;
  }

  consumerStopped(): boolean {
    return Atomics.load(this.words, CONSUMER_RESULT) !== 0;
  }

  /** This side will push nothing more. */
  close(): void {
    Atomics.store(this.words, PRODUCER_DONE, 1);
  }

  get lastPts(): number {
    return this.lastPtsIn;
  }
}

/** The consuming side of a link. Consumer thread only. */
export class LinkConsumer {
  private bytesOut = 0;
  private buffersOut = 0;
  /** Set by `pop` when the popped buffer must be released unseen (drop-oldest). */
  dropped = false;

  constructor(readonly ring: RingConsumer, private readonly words: Int32Array, private readonly f64: Float64Array, readonly limits: LinkLimits) {}

  /** Pops one descriptor into `ring.current`; sets `dropped` for a buffer the policy drops. */
  pop(isBuffer: (kind: number) => boolean): boolean {
    if (!this.ring.pop()) return false;
    this.dropped = false;
    // SYNC POINT with LinkProducer.offer's Atomics.add of `skip`.
    if (this.limits.policy === 'drop-oldest' && isBuffer(this.ring.current.kind) && Atomics.load(this.words, SKIP) > 0) {
      Atomics.sub(this.words, SKIP, 1);
      this.dropped = true;
    }
    return true;
  }

  /** A buffer was taken off the link: lowers the byte and time levels the producer sees. */
  markConsumed(length: number, pts: number): void {
    this.buffersOut = (this.buffersOut + 1) | 0;
    // SYNC POINT with LinkProducer.bufferLevel's load of buffers out.
    Atomics.store(this.words, BUFFERS_OUT, this.buffersOut);
    if (this.limits.maxBytes > 0) {
      this.bytesOut = (this.bytesOut + length) | 0;
      // SYNC POINT with LinkProducer.overLimit's load of bytes out.
      Atomics.store(this.words, BYTES_OUT, this.bytesOut);
    }
    if (this.limits.maxTime > 0 && pts >= 0) this.f64[LAST_PTS_F64] = pts;
  }

  /** The consumer stopped with `result`: a producer that offers from now on learns it. */
  close(result: number): void {
    // SYNC POINT with LinkProducer.consumerResult.
    Atomics.store(this.words, CONSUMER_RESULT, result + 1);
  }

  producerDone(): boolean {
    return Atomics.load(this.words, PRODUCER_DONE) !== 0;
  }
}
