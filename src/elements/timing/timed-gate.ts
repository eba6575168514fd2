import { Buffer } from '../../element/buffer.js';
import { FlowResult } from '../../element/flow.js';
import { Ring } from '../flow/ring.js';
import { TaskQueue, type QueueItem } from '../flow/task-queue.js';

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
 * Subclasses fill in `dueTime` (clock time, -1 = now), and may watch events in `observe`. The
 * hand-off between the two tasks, flushing and EOS are TaskQueue's.
 *
 * Event-loop only. One small record per buffer and a promise per wait; not rt-safe.
 */
export abstract class TimedGate extends TaskQueue {
  /** Due clock times of the buffers in `ring`, in the same order. */
  private readonly dues = new Ring<number>(8);
  /** The buffer on the clock now, and how to end its wait early (flush, stop). */
  private waiting: Buffer | null = null;
  private cancelWait: (() => void) | null = null;
  private heldBuffers = 0;
  private heldBytes = 0;
  private maxHeldBuffers = PACING_HOLD_BUFFERS;
  private maxHeldBytes = Infinity;
  /** The buffer taken by the task (on the clock or being delivered) is still in the counts. */
  private takenHeld = false;

  /** Clock time at which `buf` may go out, or -1 for at once. Called as it arrives, in order. */
  protected abstract dueTime(buf: Buffer): number;

  /**
   * How much may be held before upstream waits (at least one buffer; bytes may be Infinity).
   * A raised limit lets a waiting upstream go on at once.
   */
  protected setHoldLimit(buffers: number, bytes: number): void {
    this.maxHeldBuffers = Math.max(1, buffers);
    this.maxHeldBytes = Math.max(1, bytes);
    if (!this.full()) this.releaseProducer();
  }

  // ---- upstream's task ----------------------------------------------------------------------

  protected accept(buf: Buffer): FlowResult {
    this.ring.push(buf);
    this.dues.push(this.dueTime(buf));
    this.heldBuffers++;
    this.heldBytes += buf.size;
    this.feedConsumer();
    if (this.full()) this.blockUpstream();
    return FlowResult.OK;
  }

  /** Any EOS is taken once the stream has ended, whatever ended it. */
  protected override lateEosTaken(): boolean {
    return true;
  }

  // ---- this element's task ------------------------------------------------------------------

  /** A buffer that is not due yet comes back as a clock wait. */
  protected taken(item: QueueItem): QueueItem | Promise<QueueItem | FlowResult> {
    if (!(item instanceof Buffer)) return item;
    const due = this.dues.shift()!;
    this.takenHeld = true;
    if (due < 0 || due <= this.context.clock.now()) return item;
    this.waiting = item;
    return new Promise<QueueItem | FlowResult>((resolve) => {
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

  protected override sendingBuffer(buf: Buffer): void {
    this.letGo(buf);
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

  /** Also ends a clock wait; the buffer on it will never be delivered, so nothing is in flight. */
  protected override releaseAll(): void {
    super.releaseAll();
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
  }
}
