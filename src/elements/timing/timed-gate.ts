import { Buffer } from '../../element/buffer.js';
import { Element } from '../../element/element.js';
import { Events, isSerialized, isSticky, type Event } from '../../element/event.js';
import { FlowResult } from '../../element/flow.js';
import type { Pad } from '../../element/pad.js';
import type { TaskDriver } from '../../exec/streaming-task.js';
import { Ring } from '../flow/ring.js';

type Item = Buffer | Event;

/** What a gate holds by default: the buffer on the clock and the next, so upstream is paced by the clock. */
export const PACING_HOLD_BUFFERS = 2;

/**
 * Base of the elements that hold each buffer until a clock time (clocksync, delay, ratelimit).
 *
 * Why a task of its own: a buffer that must wait cannot be pushed from a timer callback, because
 * whatever downstream asks upstream to wait for (a full queue, a syncing sink) would be asked of
 * no task and lost. So, like a small queue, upstream hands buffers in (`chain` stamps each with
 * its due time, `dueTime`), and this element's own streaming task (`produce`, `deliver`) waits
 * for the clock and pushes, in order; serialized events keep their place.
 *
 * Capacity: the buffers held (queued, and the one on the clock) are counted with their bytes.
 * Upstream waits while the count has reached `setHoldLimit`'s buffers or bytes, and goes on as
 * soon as a buffer leaves. The default, two buffers, paces upstream by the clock (clocksync,
 * ratelimit); a delay line holds a whole delay's worth instead.
 *
 * Subclasses fill in `dueTime` (clock time, -1 = now), and may watch events in `observe`.
 *
 * Event-loop only. One small record per buffer and a promise per wait; not rt-safe.
 */
export abstract class TimedGate extends Element implements TaskDriver {
  private readonly items = new Ring<Item>(8);
  /** Due clock times of the buffers in `items`, in the same order. */
  private readonly dues = new Ring<number>(8);
  private wakeConsumer: ((item: Item | FlowResult | Promise<Item | FlowResult>) => void) | null = null;
  private wakeProducer: (() => void) | null = null;
  private spaceFreed: Promise<void> | null = null;
  /** The buffer on the clock now, and how to end its wait early (flush, stop). */
  private waiting: Buffer | null = null;
  private cancelWait: (() => void) | null = null;
  private srcResult: FlowResult = FlowResult.OK;
  private flushing = false;
  private eosQueued = false;
  private eosPushed = false;
  private inFlight = false;
  private srcPadCache: Pad | null = null;
  private heldBuffers = 0;
  private heldBytes = 0;
  private maxHeldBuffers = PACING_HOLD_BUFFERS;
  private maxHeldBytes = Infinity;
  /** The buffer taken by the task (on the clock or being delivered) is still in the counts. */
  private takenHeld = false;

  get srcPad(): Pad {
    return (this.srcPadCache ??= this.pad('src')!);
  }

  /** Clock time at which `buf` may go out, or -1 for at once. Called as it arrives, in order. */
  protected abstract dueTime(buf: Buffer): number;

  /** Hook: a serialized event arrived (segments, stream-start), before it is queued. */
  protected observe(_ev: Event): void {}

  /**
   * How much may be held before upstream waits (at least one buffer; bytes may be Infinity).
   * A raised limit lets a waiting upstream go on at once.
   */
  protected setHoldLimit(buffers: number, bytes: number): void {
    this.maxHeldBuffers = Math.max(1, buffers);
    this.maxHeldBytes = Math.max(1, bytes);
    if (!this.full()) this.releaseProducer();
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

  /** The pipeline is stopping: the wait and the task end with FLUSHING, upstream is released. */
  override unblock(): void {
    this.srcResult = FlowResult.FLUSHING;
    this.releaseAll();
    const c = this.wakeConsumer;
    this.wakeConsumer = null;
    c?.(FlowResult.FLUSHING);
  }

  // ---- upstream's task ----------------------------------------------------------------------

  override chain(_pad: Pad, buf: Buffer): FlowResult {
    if (this.flushing || this.srcResult !== FlowResult.OK || this.eosQueued) {
      buf.release();
      return this.flushing ? FlowResult.FLUSHING : this.srcResult !== FlowResult.OK ? this.srcResult : FlowResult.EOS;
    }
    this.items.push(buf);
    this.dues.push(this.dueTime(buf));
    this.heldBuffers++;
    this.heldBytes += buf.size;
    this.feedConsumer();
    if (this.full()) this.blockUpstream();
    return FlowResult.OK;
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
    if (this.srcResult !== FlowResult.OK || this.eosQueued) return ev.type === 'eos';
    this.observe(ev);
    // Nothing held: stream headers cannot overtake anything, so they go straight through.
    if (ev.type !== 'eos' && isSticky(ev) && this.items.length === 0 && !this.inFlight) return this.forwardDownstream(ev);
    if (ev.type === 'eos') this.eosQueued = true;
    this.items.push(ev);
    this.feedConsumer();
    return true;
  }

  // ---- this element's task ------------------------------------------------------------------

  produce(): Item | FlowResult | Promise<Item | FlowResult> {
    if (this.srcResult !== FlowResult.OK) return this.srcResult;
    if (this.items.length > 0) return this.take();
    return new Promise<Item | FlowResult>((resolve) => (this.wakeConsumer = resolve));
  }

  deliver(item: Item): FlowResult {
    this.inFlight = false;
    if (item instanceof Buffer) {
      this.letGo(item);
      const r = this.srcPad.push(item);
      if (r !== FlowResult.OK && this.srcResult === FlowResult.OK) this.srcResult = r;
      return r;
    }
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

  /** Takes the head item; a buffer that is not due yet comes back as a clock wait. */
  private take(): Item | Promise<Item | FlowResult> {
    const item = this.items.shift()!;
    this.inFlight = true;
    if (!(item instanceof Buffer)) return item;
    const due = this.dues.shift()!;
    this.takenHeld = true;
    if (due < 0 || due <= this.context.clock.now()) return item;
    this.waiting = item;
    return new Promise<Item | FlowResult>((resolve) => {
      this.cancelWait = () => resolve(FlowResult.FLUSHING);
      void this.context.clock.waitUntil(due).then((reached) => {
        if (this.waiting !== item) return;
        this.waiting = null;
        this.cancelWait = null;
        if (reached && this.srcResult === FlowResult.OK) resolve(item);
        else {
          this.letGo(item);
          item.release();
          resolve(FlowResult.FLUSHING);
        }
      });
    });
  }

  private feedConsumer(): void {
    if (this.wakeConsumer === null || this.items.length === 0) return;
    const w = this.wakeConsumer;
    this.wakeConsumer = null;
    // A buffer not due yet resolves the waiting task with its clock wait.
    w(this.take());
  }

  private full(): boolean {
    return this.heldBuffers >= this.maxHeldBuffers || this.heldBytes >= this.maxHeldBytes;
  }

  /** The taken buffer `buf` leaves: upstream may go on if that made room. */
  private letGo(buf: Buffer): void {
    // A flush between the take and now already let everything go.
    if (!this.takenHeld) return;
    this.takenHeld = false;
    this.heldBuffers--;
    this.heldBytes -= buf.size;
    if (!this.full()) this.releaseProducer();
  }

  private blockUpstream(): void {
    if (this.spaceFreed === null) this.spaceFreed = new Promise<void>((resolve) => (this.wakeProducer = resolve));
    this.context.blockUpstream(this.spaceFreed);
  }

  private releaseProducer(): void {
    const w = this.wakeProducer;
    this.wakeProducer = null;
    this.spaceFreed = null;
    w?.();
  }

  /** Drops what is held (flush, stop), ends a clock wait and wakes upstream. */
  private releaseAll(): void {
    this.items.drain((it) => (it instanceof Buffer ? it.release() : undefined));
    this.dues.drain(() => undefined);
    const held = this.waiting;
    const cancel = this.cancelWait;
    this.waiting = null;
    this.cancelWait = null;
    held?.release();
    cancel?.();
    this.inFlight = false;
    this.heldBuffers = 0;
    this.heldBytes = 0;
    this.takenHeld = false;
    this.releaseProducer();
  }
}
