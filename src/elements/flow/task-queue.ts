import { Buffer } from '../../element/buffer.js';
import { Element } from '../../element/element.js';
import { Events, isSerialized, isSticky, type Event } from '../../element/event.js';
import { FlowResult } from '../../element/flow.js';
import type { Pad } from '../../element/pad.js';
import type { TaskDriver } from '../../exec/streaming-task.js';
import { Ring } from './ring.js';

/** What a task queue holds: buffers, and the serialized events between them. */
export type QueueItem = Buffer | Event;

/**
 * Base of the elements that are a streaming-task boundary (queue, and TimedGate's clocksync,
 * delay, ratelimit): a FIFO that upstream's task fills and this element's own task empties, so
 * neither task runs the other's downstream work.
 *
 * Roles. Producer side, upstream's task: `chain` (through the subclass's `accept`) and
 * `sinkEvent`. Consumer side, this element's task (StreamingTask): `produce`, `deliver`,
 * `finish`. Any side, the pipeline: `start`, `stop`, `unblock`, property changes.
 *
 * Hand-off. Everything runs on the event loop, so the two sides only interleave where one of
 * them waits, and each waits on one promise at most:
 * - the consumer, when nothing is `ready`: `produce` parks it in `wakeConsumer`, and the producer
 *   side's `feedConsumer` resolves it with the next item (or `unblock` with FLUSHING). An item is
 *   handed over at most once: whoever takes `wakeConsumer` clears it first.
 * - the producer, when the subclass is full: `blockUpstream` makes upstream's task wait on
 *   `spaceFreed` (one promise shared by every wait until it is resolved), and `releaseProducer`
 *   resolves it. Resolving is idempotent, so releasing an upstream that is not waiting is free.
 *
 * State, written only here (subclasses read it, and TimedGate clears `inFlight` when it drops
 * the buffer it holds on the clock):
 * - `srcResult`: what downstream last said; anything but OK is answered to upstream from then on;
 * - `flushing`: between flush-start and flush-stop, everything is refused;
 * - `eosQueued`: EOS is queued, so nothing more is taken in; `eosPushed`: it went downstream,
 *   so `finish` does not send another;
 * - `inFlight`: an item was taken from the ring and is not delivered yet. While nothing is
 *   queued or in flight, stream-start, caps and segment go straight through, as nothing can be
 *   overtaken by them.
 *
 * Subclasses fill in `accept` (a buffer upstream hands in) and `taken` (the head item leaves the
 * ring), and may refine `ready`, `idle`, `queueEvent`, `observe`, `consumerWaits` and
 * `releaseAll`. Not rt-safe: a promise per wait.
 */
export abstract class TaskQueue extends Element implements TaskDriver {
  protected ring = new Ring<QueueItem>(16);
  private wakeConsumer: ((item: QueueItem | FlowResult | Promise<QueueItem | FlowResult>) => void) | null = null;
  private wakeProducer: (() => void) | null = null;
  private spaceFreed: Promise<void> | null = null;

  protected srcResult: FlowResult = FlowResult.OK;
  protected flushing = false;
  protected eosQueued = false;
  private eosPushed = false;
  protected inFlight = false;
  private srcPadCache: Pad | null = null;

  get srcPad(): Pad {
    return (this.srcPadCache ??= this.pad('src')!);
  }

  /** Upstream's task: takes in a buffer the stream still accepts. Owns `buf`. */
  protected abstract accept(buf: Buffer): FlowResult;

  /**
   * Consumer side: `item` has just left the ring. Returns what the task delivers: the item, or a
   * promise of it (a clock wait) that may end in a FlowResult instead.
   */
  protected abstract taken(item: QueueItem): QueueItem | Promise<QueueItem | FlowResult>;

  /** Whether the head item may go out now. */
  protected ready(): boolean {
    return this.ring.length > 0;
  }

  /** Nothing is held that a stream header could overtake. */
  protected idle(): boolean {
    return this.ring.length === 0 && !this.inFlight;
  }

  /** Hook: a serialized event arrived (segments, stream-start, flush-stop), before it is queued. */
  protected observe(_ev: Event): void {}

  /** Hook: the consumer task is about to wait for an item. */
  protected consumerWaits(): void {}

  /** Hook: a buffer leaves for downstream (before it is pushed). */
  protected sendingBuffer(_buf: Buffer): void {}

  /** Hook: an event leaves for downstream (before it is pushed). */
  protected sendingEvent(_ev: Event): void {}

  /**
   * Whether an EOS that comes after the stream ended (EOS queued, or downstream said no) is
   * reported as taken. By default only when the stream did end in EOS.
   */
  protected lateEosTaken(): boolean {
    return this.eosQueued || this.srcResult === FlowResult.EOS;
  }

  override start(): void {
    this.releaseAll();
    this.srcResult = FlowResult.OK;
    this.flushing = false;
    this.eosQueued = false;
    this.eosPushed = false;
    this.inFlight = false;
  }

  override stop(): void {
    this.releaseAll();
  }

  /** The pipeline is stopping: the consumer's wait ends with FLUSHING, upstream is released. */
  override unblock(): void {
    this.srcResult = FlowResult.FLUSHING;
    this.releaseAll();
    const c = this.wakeConsumer;
    this.wakeConsumer = null;
    c?.(FlowResult.FLUSHING);
  }

  // ---- producer side: upstream's streaming task ---------------------------------------------

  override chain(_pad: Pad, buf: Buffer): FlowResult {
    if (this.flushing || this.srcResult !== FlowResult.OK || this.eosQueued) {
      buf.release();
      return this.flushing ? FlowResult.FLUSHING : this.srcResult !== FlowResult.OK ? this.srcResult : FlowResult.EOS;
    }
    return this.accept(buf);
  }

  override sinkEvent(pad: Pad, ev: Event): boolean {
    if (ev.type === 'caps') pad.caps = ev.caps;
    if (ev.type === 'flush-start') {
      this.flushing = true;
      this.releaseAll();
      return this.forwardDownstream(ev);
    }
    if (ev.type === 'flush-stop') {
      this.flushing = false;
      this.releaseAll();
      this.srcResult = FlowResult.OK;
      this.eosQueued = false;
      this.eosPushed = false;
      this.observe(ev);
      return this.forwardDownstream(ev);
    }
    if (!isSerialized(ev)) return this.forwardDownstream(ev);
    if (this.flushing) return false;
    if (this.srcResult !== FlowResult.OK || this.eosQueued) return ev.type === 'eos' && this.lateEosTaken();
    this.observe(ev);
    if (ev.type !== 'eos' && isSticky(ev) && this.idle()) return this.forwardDownstream(ev);
    if (ev.type === 'eos') this.eosQueued = true;
    this.queueEvent(ev);
    return true;
  }

  /** Puts a serialized event in line behind what is queued. */
  protected queueEvent(ev: Event): void {
    this.ring.push(ev);
    this.feedConsumer();
  }

  /** Makes upstream's task wait until `releaseProducer`. Producer side only. */
  protected blockUpstream(): void {
    if (this.spaceFreed === null) this.spaceFreed = new Promise<void>((resolve) => (this.wakeProducer = resolve));
    this.context.blockUpstream(this.spaceFreed);
  }

  protected releaseProducer(): void {
    const w = this.wakeProducer;
    this.wakeProducer = null;
    this.spaceFreed = null;
    w?.();
  }

  /** Hands the next item to a waiting consumer task, if it may go. */
  protected feedConsumer(): void {
    if (this.wakeConsumer === null || !this.ready()) return;
    const w = this.wakeConsumer;
    this.wakeConsumer = null;
    w(this.take());
  }

  // ---- consumer side: this element's streaming task -----------------------------------------

  produce(): QueueItem | FlowResult | Promise<QueueItem | FlowResult> {
    if (this.srcResult !== FlowResult.OK) return this.srcResult;
    if (this.ready()) return this.take();
    this.consumerWaits();
    return new Promise<QueueItem | FlowResult>((resolve) => (this.wakeConsumer = resolve));
  }

  deliver(item: QueueItem): FlowResult {
    this.inFlight = false;
    if (item instanceof Buffer) {
      this.sendingBuffer(item);
      const r = this.srcPad.push(item);
      if (r !== FlowResult.OK && this.srcResult === FlowResult.OK) this.srcResult = r;
      return r;
    }
    this.sendingEvent(item);
    if (item.type === 'eos') {
      this.eosPushed = true;
      this.srcPad.pushEvent(item);
      return FlowResult.EOS;
    }
    this.srcPad.pushEvent(item);
    return FlowResult.OK;
  }

  finish(result: FlowResult): void {
    if (this.srcResult === FlowResult.OK) this.srcResult = result;
    if (result === FlowResult.EOS && !this.eosPushed) {
      this.eosPushed = true;
      this.srcPad.pushEvent(Events.eos());
    }
    this.releaseAll();
  }

  private take(): QueueItem | Promise<QueueItem | FlowResult> {
    const item = this.ring.shift()!;
    this.inFlight = true;
    return this.taken(item);
  }

  /** Releases every queued buffer and wakes upstream (flush, stop, end). Subclasses add theirs. */
  protected releaseAll(): void {
    this.ring.drain(releaseItem);
    this.releaseProducer();
  }
}

function releaseItem(item: QueueItem): void {
  if (item instanceof Buffer) item.release();
}
