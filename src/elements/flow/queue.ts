import { Buffer } from '../../element/buffer.js';
import type { Event } from '../../element/event.js';
import { FlowResult } from '../../element/flow.js';
import type { ElementMetadata } from '../../element/metadata.js';
import type { PropertyValue } from '../../element/property.js';
import { Ring } from './ring.js';
import { QueueLevels } from './queue-levels.js';
import { TaskQueue, type QueueItem } from './task-queue.js';

const LEAKY_NO = 0;
const LEAKY_UPSTREAM = 1;
const LEAKY_DOWNSTREAM = 2;
const LEAKY: Record<string, number> = { no: LEAKY_NO, upstream: LEAKY_UPSTREAM, downstream: LEAKY_DOWNSTREAM };

/**
 * `fakesrc num-buffers=100 ! queue max-size-buffers=10 ! fakesink`
 *
 * Classification: Generic.
 *
 * A FIFO of buffers and serialized events, and a streaming-task boundary, after GStreamer's queue:
 * upstream's task pushes into it (`chain`), and the queue's own task (`produce`/`deliver`) pushes
 * out of it, so a slow branch does not stall its upstream.
 *
 * Limits (`max-size-buffers`, `max-size-bytes`, `max-size-time`, 0 = unlimited) are never exceeded,
 * except that an empty queue always takes one buffer. When a buffer does not fit:
 * - `leaky=no`: the buffer is held aside (not counted) and upstream waits (`blockUpstream`) until
 *   it fits; nothing is lost;
 * - `leaky=upstream`: the new buffer is dropped;
 * - `leaky=downstream`: the oldest buffers are dropped until it fits.
 * Drops are counted in the `dropped` read-out. `min-threshold-*` hold buffers back until that much
 * is queued (or EOS arrived). The time level is the span from the oldest queued timestamp to the
 * end of the newest one.
 *
 * Events: serialized events (stream-start, caps, segment, EOS, serialized custom) keep their place
 * among the buffers. Only when the queue is idle (nothing queued, held or being delivered) do
 * stream-start, caps and segment go straight through, as nothing can overtake them then.
 * flush-start empties the queue and wakes upstream; flush-stop resumes.
 * With `silent=false`, `overrun` and `underrun` element messages are posted.
 *
 * Event-loop only. `chain` and `produce` allocate nothing per buffer but the promise a waiting side
 * needs (an empty queue's consumer, a full queue's producer). The hand-off between the two tasks,
 * flushing and EOS are TaskQueue's; the levels, leaking and the held-aside items are the queue's.
 */
export class Queue extends TaskQueue {
  static readonly metadata: ElementMetadata = {
    factory: 'queue',
    classification: 'Generic',
    description: 'Simple data queue',
    example: 'fakesrc num-buffers=100 ! queue max-size-buffers=10 ! fakesink',
    padTemplates: [
      { name: 'sink', direction: 'sink', presence: 'always' },
      { name: 'src', direction: 'src', presence: 'always' },
    ],
    properties: {
      'max-size-buffers': { type: 'uint64', default: 200, max: 4294967295, mutable: true, description: 'Max. number of buffers in the queue (0=disable)' },
      'max-size-bytes': { type: 'uint64', default: 10485760, max: 4294967295, mutable: true, description: 'Max. amount of data in the queue (bytes, 0=disable)' },
      'max-size-time': { type: 'uint64', default: 1_000_000_000, mutable: true, description: 'Max. amount of data in the queue (in ns, 0=disable)' },
      'min-threshold-buffers': { type: 'uint64', default: 0, max: 4294967295, mutable: true, description: 'Min. number of buffers in the queue to allow reading (0=disable)' },
      'min-threshold-bytes': { type: 'uint64', default: 0, max: 4294967295, mutable: true, description: 'Min. amount of data in the queue to allow reading (bytes, 0=disable)' },
      'min-threshold-time': { type: 'uint64', default: 0, mutable: true, description: 'Min. amount of data in the queue to allow reading (in ns, 0=disable)' },
      leaky: {
        type: 'enum', default: 'no', mutable: true, description: 'Where the queue leaks, if at all',
        values: [
          { nick: 'no', value: LEAKY_NO, description: 'Not Leaky' },
          { nick: 'upstream', value: LEAKY_UPSTREAM, description: 'Leaky on upstream (new buffers)' },
          { nick: 'downstream', value: LEAKY_DOWNSTREAM, description: 'Leaky on downstream (old buffers)' },
        ],
      },
      silent: { type: 'bool', default: true, mutable: true, description: "Don't post overrun/underrun element messages (GStreamer's default is false; here they are bus traffic, so off by default)" },
      'flush-on-eos': { type: 'bool', default: false, mutable: true, description: 'Discard all data in the queue when an EOS event is received' },
      'current-level-buffers': { type: 'uint64', default: 0, readonly: true, description: 'Current number of buffers in the queue' },
      'current-level-bytes': { type: 'uint64', default: 0, readonly: true, description: 'Current amount of data in the queue (bytes)' },
      'current-level-time': { type: 'uint64', default: 0, readonly: true, description: 'Current amount of data in the queue (in ns)' },
      dropped: { type: 'uint64', default: 0, readonly: true, description: 'Buffers dropped by a leaky queue since start' },
    },
    affinity: 'async',
    rtSafe: false,
  };

  protected override ring = new Ring<QueueItem>(256);
  /** Items that arrived while the queue was full (leaky=no): not counted in the levels. */
  private readonly pending = new Ring<QueueItem>(16);

  private readonly levels = new QueueLevels();
  private leaky = LEAKY_NO;
  private silent = true;
  private flushOnEos = false;

  private droppedCount = 0;

  override queueLevel(): { depth: number; drops: number; wakeups: number } {
    return { depth: this.levels.buffers, drops: this.droppedCount, wakeups: 0 };
  }

  /** Buffers dropped by leaking since start. */
  get dropped(): number {
    return this.droppedCount;
  }

  override start(): void {
    this.levels.maxBuffers = this.num('max-size-buffers');
    this.levels.maxBytes = this.num('max-size-bytes');
    this.levels.maxTime = this.num('max-size-time');
    this.levels.minBuffers = this.num('min-threshold-buffers');
    this.levels.minBytes = this.num('min-threshold-bytes');
    this.levels.minTime = this.num('min-threshold-time');
    this.leaky = LEAKY[this.str('leaky')] ?? LEAKY_NO;
    this.silent = this.bool('silent');
    this.flushOnEos = this.bool('flush-on-eos');
    super.start();
    if (this.ring.length === 0 && this.levels.maxBuffers > 0) this.ring = new Ring<QueueItem>(Math.min(this.levels.maxBuffers + 16, 4096));
    this.droppedCount = 0;
  }

  protected override propertyChanged(name: string, value: PropertyValue): void {
    switch (name) {
      case 'max-size-buffers': this.levels.maxBuffers = value as number; break;
      case 'max-size-bytes': this.levels.maxBytes = value as number; break;
      case 'max-size-time': this.levels.maxTime = value as number; break;
      case 'min-threshold-buffers': this.levels.minBuffers = value as number; break;
      case 'min-threshold-bytes': this.levels.minBytes = value as number; break;
      case 'min-threshold-time': this.levels.minTime = value as number; break;
      case 'leaky': this.leaky = LEAKY[value as string] ?? LEAKY_NO; break;
      case 'silent': this.silent = value as boolean; break;
      case 'flush-on-eos': this.flushOnEos = value as boolean; break;
      default: return;
    }
    if (this.state === 'running') {
      this.admitPending();
      this.feedConsumer();
    }
  }

  protected override readProperty(name: string): PropertyValue | undefined {
    switch (name) {
      case 'current-level-buffers': return this.levels.buffers;
      case 'current-level-bytes': return this.levels.bytes;
      case 'current-level-time': return this.levels.time;
      case 'dropped': return this.droppedCount;
      default: return undefined;
    }
  }

  /** A queue adds no latency of its own but can buffer up to max-size-time. */
  override latency(): { readonly min: number; readonly max: number } {
    return { min: 0, max: this.num('max-size-time') };
  }

  // ---- input side: upstream's streaming task ------------------------------------------------

  protected accept(buf: Buffer): FlowResult {
    if (this.pending.length > 0) {
      this.pending.push(buf);
      this.blockUpstream();
      return FlowResult.OK;
    }
    if (!this.levels.fits(buf)) {
      if (!this.silent) this.post('overrun');
      if (this.leaky === LEAKY_UPSTREAM) {
        buf.release();
        this.droppedCount++;
        return FlowResult.OK;
      }
      if (this.leaky === LEAKY_DOWNSTREAM) {
        while (!this.levels.fits(buf) && this.dropOldest());
      } else {
        this.pending.push(buf);
        this.blockUpstream();
        return FlowResult.OK;
      }
    }
    this.enqueueBuffer(buf);
    this.feedConsumer();
    return FlowResult.OK;
  }

  /** Held items go first, so an event must wait behind them. */
  protected override idle(): boolean {
    return this.pending.length === 0 && super.idle();
  }

  protected override queueEvent(ev: Event): void {
    if (ev.type === 'eos' && this.flushOnEos) this.dropQueuedBuffers();
    if (this.pending.length > 0) {
      this.pending.push(ev);
      this.blockUpstream();
    } else {
      super.queueEvent(ev);
    }
  }

  // ---- output side: the queue's own streaming task ------------------------------------------

  /** Below the min-threshold a buffer waits, unless nothing more can come to fill it. */
  protected override ready(): boolean {
    const head = this.ring.peek();
    if (head === undefined) return false;
    if (!(head instanceof Buffer) || this.eosQueued || this.pending.length > 0) return true;
    return !this.levels.belowMinThreshold();
  }

  protected taken(item: QueueItem): QueueItem {
    if (item instanceof Buffer) {
      this.levels.remove(item);
      if (this.pending.length > 0) this.admitPending();
    }
    return item;
  }

  protected override consumerWaits(): void {
    if (!this.silent && this.ring.length === 0) this.post('underrun');
  }

  protected override sendingEvent(ev: Event): void {
    if (ev.type === 'caps') this.srcPad.caps = ev.caps;
  }

  // ---- queueing -----------------------------------------------------------------------------

  private enqueueBuffer(buf: Buffer): void {
    this.levels.add(buf);
    this.ring.push(buf);
  }

  /** leaky=downstream: drops the oldest queued buffer (events keep their place). */
  private dropOldest(): boolean {
    for (let i = 0; i < this.ring.length; i++) {
      if (this.ring.at(i) instanceof Buffer) {
        const buf = this.ring.removeAt(i) as Buffer;
        this.levels.remove(buf);
        buf.release();
        this.droppedCount++;
        return true;
      }
    }
    return false;
  }

  /** Moves held items into the queue while they fit; wakes upstream once all are in. */
  private admitPending(): void {
    for (let head = this.pending.peek(); head !== undefined; head = this.pending.peek()) {
      if (head instanceof Buffer) {
        if (!this.levels.fits(head)) break;
        this.pending.shift();
        this.enqueueBuffer(head);
      } else {
        this.pending.shift();
        this.ring.push(head);
      }
    }
    if (this.pending.length === 0) this.releaseProducer();
  }

  private dropQueuedBuffers(): void {
    const keep = new Ring<QueueItem>(16);
    this.ring.drain((it) => (it instanceof Buffer ? it.release() : keep.push(it)));
    // Buffers held back while the queue was full go too; their events keep their order.
    this.pending.drain((it) => (it instanceof Buffer ? it.release() : keep.push(it)));
    this.ring = keep;
    this.levels.reset();
    this.releaseProducer();
  }

  /** Held buffers go too, and the levels with them. */
  protected override releaseAll(): void {
    super.releaseAll();
    this.pending.drain((it) => (it instanceof Buffer ? it.release() : undefined));
    this.levels.reset();
  }

  private post(name: 'overrun' | 'underrun'): void {
    this.context.post({
      type: 'element', source: this.name, name,
      data: { 'current-level-buffers': this.levels.buffers, 'current-level-bytes': this.levels.bytes, 'current-level-time': this.levels.time },
    });
  }
}

export default Queue;
