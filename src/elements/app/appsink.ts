import { createNanoEvents, type Unsubscribe } from 'nanoevents';
import type { Buffer } from '../../element/buffer.js';
import type { Event } from '../../element/event.js';
import { SINK_PROPERTIES, Sink } from '../../element/base/sink.js';
import { Caps } from '../../element/caps/index.js';
import { FlowResult } from '../../element/flow.js';
import type { ElementMetadata } from '../../element/metadata.js';
import type { Pad } from '../../element/pad.js';
import type { PropertyValue } from '../../element/property.js';
import { BufferQueue } from './buffer-queue.js';

/**
 * `fakesrc num-buffers=8 ! appsink max-buffers=4 drop=true wait-on-eos=false`
 *
 * Sink/Generic. Hands the pipeline's buffers to the application, after GStreamer's appsink —
 * but **bounded by default**: at most `max-buffers` (64) buffers wait in its queue (and
 * `max-bytes`, 0 = unlimited). When the queue is full, upstream waits until the application pulls
 * (`drop=false`), or the oldest buffer is dropped and counted in `dropped` (`drop=true`).
 *
 * Pull with `await appsink.pull()` (null once the stream ended and the queue is drained),
 * `tryPull(ms)`, `tryPullSync()`, or iterate: `for await (const buf of appsink)`. Buffers are
 * zero copy (a refcounted handle on the pipeline's slot); **the consumer owns each buffer it gets
 * and must `release()` it**, or the slot never returns to its pool.
 *
 * As a stream of bytes: `pipeline.toReadable(name)` (a Node Readable) or `pipeline.toWebStream(name)`
 * (a WHATWG ReadableStream) pull from it only as their consumer reads, and copy each buffer out
 * once (src/app/). They set `rewrites=drop`: a bytes segment that goes back (wavenc rewriting its
 * header at EOS) cannot be honoured by a stream, so what follows it is dropped with a warning, as
 * filesink does on a pipe, instead of being appended to the end.
 *
 * Consume while the pipeline runs (`const done = pipeline.run(); for await (…) …; await done`):
 * with `wait-on-eos=true` (the default) the pipeline's `eos` only comes once every buffer has been
 * pulled, and stopping the pipeline releases whatever is still queued and wakes pullers with null.
 */
export class AppSink extends Sink {
  static readonly metadata: ElementMetadata = {
    factory: 'appsink',
    classification: 'Sink/Generic',
    description: 'Lets the application pull buffers out of a pipeline',
    example: 'fakesrc num-buffers=8 ! appsink max-buffers=4 drop=true wait-on-eos=false',
    padTemplates: [{ name: 'sink', direction: 'sink', presence: 'always', caps: 'ANY' }],
    properties: {
      'emit-signals': { type: 'bool', default: false, description: 'Accepted for gst-launch compatibility: listeners registered with on() always get the events', mutable: true },
      ...SINK_PROPERTIES,
      caps: { type: 'caps', default: Caps.ANY, description: 'The caps accepted (ANY: whatever upstream negotiates)' },
      'max-buffers': { type: 'uint64', default: 64, description: 'Queue limit in buffers (0 = unlimited)', mutable: true },
      'max-bytes': { type: 'uint64', default: 0, description: 'Queue limit in bytes (0 = unlimited)', mutable: true },
      drop: { type: 'bool', default: false, description: 'When full, drop the oldest buffer instead of making upstream wait', mutable: true },
      'wait-on-eos': { type: 'bool', default: true, description: 'At EOS, wait until the application pulled every queued buffer', mutable: true },
      rewrites: {
        type: 'enum', default: 'deliver', mutable: true,
        description: 'Buffers after a bytes segment that goes back over bytes already received (wavenc rewriting its header)',
        values: [
          { nick: 'deliver', value: 0, description: 'Queue them like any other (GStreamer\'s appsink)' },
          { nick: 'drop', value: 1, description: 'Drop them with a warning: the consumer is a stream that cannot go back' },
        ],
      },
      'current-level-buffers': { type: 'uint64', default: 0, readonly: true, description: 'Buffers queued now' },
      'current-level-bytes': { type: 'uint64', default: 0, readonly: true, description: 'Bytes queued now' },
      dropped: { type: 'uint64', default: 0, readonly: true, description: 'Buffers dropped because the queue was full (drop=true)' },
      eos: { type: 'bool', default: false, readonly: true, description: 'The stream ended and every buffer was pulled' },
    },
    affinity: 'async',
    rtSafe: false,
  };

  private readonly queue = new BufferQueue();
  private readonly emitter = createNanoEvents<AppSinkEvents>();
  /** Pending `pull`/`tryPull` calls, oldest first. They only wait while the queue is empty. */
  private pullers: ((buf: Buffer | null) => void)[] = [];
  /** A render waiting for room (drop=false). Renders are chained (`waiting`): one at most. */
  private spaceWaiter: (() => void) | null = null;
  /** The last render that had to wait for room; later renders queue behind it, in order. */
  private waiting: Promise<FlowResult> | null = null;
  /** The EOS hook waiting for the queue to drain (wait-on-eos). */
  private drainWaiter: (() => void) | null = null;
  private eosDone = false;
  private flushing = false;
  private droppedCount = 0;

  /** Subscribes to `new-sample` or `eos`; returns the unsubscribe function. */
  on<K extends keyof AppSinkEvents>(event: K, listener: AppSinkEvents[K]): Unsubscribe {
    return this.emitter.on(event, listener);
  }

  /**
   * The next buffer; waits for one. Resolves with null once the stream ended and the queue is
   * drained, or when the pipeline stops. The caller owns the buffer and must `release()` it.
   */
  pull(): Promise<Buffer | null> {
    const buf = this.take();
    if (buf !== undefined) return Promise.resolve(buf);
    if (this.eosDone || this.flushing) return Promise.resolve(null);
    return new Promise((resolve) => this.pullers.push(resolve));
  }

  /** Like `pull`, but resolves with null after `timeoutMs` milliseconds (0: only what is queued). */
  tryPull(timeoutMs = 0): Promise<Buffer | null> {
    const buf = this.take();
    if (buf !== undefined) return Promise.resolve(buf);
    if (this.eosDone || this.flushing || !(timeoutMs > 0)) return Promise.resolve(null);
    return new Promise((resolve) => {
      const puller = (b: Buffer | null): void => {
        clearTimeout(timer);
        resolve(b);
      };
      const timer = setTimeout(() => {
        const i = this.pullers.indexOf(puller);
        if (i >= 0) this.pullers.splice(i, 1);
        resolve(null);
      }, timeoutMs);
      this.pullers.push(puller);
    });
  }

  /** The oldest queued buffer, or null when none is queued now. The caller owns it. */
  tryPullSync(): Buffer | null {
    return this.take() ?? null;
  }

  /** Yields every buffer until EOS (or the pipeline stops). The consumer releases each one. */
  async *[Symbol.asyncIterator](): AsyncGenerator<Buffer, void, undefined> {
    for (;;) {
      const buf = await this.pull();
      if (buf === null) return;
      yield buf;
    }
  }

  /** Negotiation sees the `caps` property, so a mismatch names it instead of ANY. */
  override sinkCaps(pad: Pad): Caps {
    return pad.template.caps.intersect(this.get('caps') as Caps);
  }

  override setCaps(_pad: Pad, caps: Caps): boolean {
    const accepted = this.get('caps') as Caps;
    return accepted.isAny() || caps.canIntersect(accepted);
  }

  /** Payload bytes received since start, and whether buffers now rewrite earlier bytes (rewrites=drop). */
  private received = 0;
  private skippingRewrite = false;

  override chain(pad: Pad, buf: Buffer): FlowResult {
    if (this.skippingRewrite) {
      buf.release();
      return FlowResult.OK;
    }
    this.received += buf.size;
    return super.chain(pad, buf);
  }

  override sinkEvent(pad: Pad, ev: Event): boolean {
    if (ev.type === 'segment') {
      const back = ev.segment.format === 'bytes' && ev.segment.start < this.received;
      if (back && this.get('rewrites') === 'drop') {
        this.warning(`dropped what follows a bytes segment back to byte ${ev.segment.start} (${this.received} bytes already received): the consumer cannot go back (rewrites=drop)`);
      }
      this.skippingRewrite = back && this.get('rewrites') === 'drop';
    }
    return super.sinkEvent(pad, ev);
  }

  override start(): void | Promise<void> {
    this.received = 0;
    this.skippingRewrite = false;
    this.flushing = false;
    this.eosDone = false;
    this.droppedCount = 0;
    this.waiting = null;
    return super.start();
  }

  override unblock(): void {
    super.unblock();
    this.flushing = true;
    this.wakePullers(null);
    this.wakeSpaceWaiter();
    const drained = this.drainWaiter;
    this.drainWaiter = null;
    drained?.();
  }

  override stop(): void {
    this.unblock();
    this.queue.clear();
  }

  protected render(buf: Buffer): FlowResult | Promise<FlowResult> {
    if (this.flushing) return FlowResult.FLUSHING;
    if (this.waiting !== null) return this.renderLater(buf);
    if (this.isFull()) {
      if (!this.bool('drop')) return this.renderLater(buf);
      this.dropOldest();
    }
    return this.enqueue(buf);
  }

  /** Queues a render behind any that is waiting for room. */
  private renderLater(buf: Buffer): Promise<FlowResult> {
    const prev = this.waiting;
    const next = prev === null ? this.renderWhenRoom(buf) : prev.then(() => this.renderWhenRoom(buf));
    this.waiting = next;
    void next.then(() => {
      if (this.waiting === next) this.waiting = null;
    });
    return next;
  }

  protected override onEos(): void | Promise<void> {
    // Renders still waiting for room come first: EOS is serialized behind the data.
    const waiting = this.waiting;
    if (waiting !== null) return waiting.then(() => this.onEos());
    this.eosDone = true;
    if (this.queue.length === 0) {
      this.wakePullers(null);
      this.emitter.emit('eos');
      return;
    }
    if (!this.bool('wait-on-eos')) {
      this.emitter.emit('eos');
      return;
    }
    return new Promise<void>((resolve) => (this.drainWaiter = resolve)).then(() => {
      if (!this.flushing) this.emitter.emit('eos');
    });
  }

  protected override readProperty(name: string): PropertyValue | undefined {
    switch (name) {
      case 'current-level-buffers': return this.queue.length;
      case 'current-level-bytes': return this.queue.bytes;
      case 'dropped': return this.droppedCount;
      case 'eos': return this.eosDone && this.queue.length === 0;
      default: return undefined;
    }
  }

  protected override propertyChanged(name: string): void {
    if (name === 'max-buffers' || name === 'max-bytes' || name === 'drop') this.wakeSpaceWaiter();
  }

  private async renderWhenRoom(buf: Buffer): Promise<FlowResult> {
    if (this.flushing) return FlowResult.FLUSHING;
    while (this.isFull() && !this.flushing) {
      if (this.bool('drop')) {
        this.dropOldest();
        break;
      }
      await new Promise<void>((resolve) => (this.spaceWaiter = resolve));
    }
    if (this.flushing) return FlowResult.FLUSHING;
    return this.enqueue(buf);
  }

  /** Queues a second handle on `buf` (O(1), zero copy): the base class releases the first. */
  private enqueue(buf: Buffer): FlowResult {
    this.queue.push(buf.clone());
    this.emitter.emit('new-sample');
    while (this.pullers.length > 0 && this.queue.length > 0) {
      const puller = this.pullers.shift()!;
      puller(this.take()!);
    }
    return FlowResult.OK;
  }

  private dropOldest(): void {
    while (this.isFull() && this.queue.length > 0) {
      this.queue.shift()!.release();
      this.droppedCount++;
    }
  }

  /** Takes the oldest buffer and lets a waiting render or the EOS hook go on. */
  private take(): Buffer | undefined {
    const buf = this.queue.shift();
    if (buf === undefined) return undefined;
    if (!this.isFull()) this.wakeSpaceWaiter();
    if (this.queue.length === 0 && this.drainWaiter !== null) {
      const drained = this.drainWaiter;
      this.drainWaiter = null;
      drained();
    }
    return buf.handOver();
  }

  private isFull(): boolean {
    return this.queue.isFull(this.num('max-buffers'), this.num('max-bytes'));
  }

  private wakeSpaceWaiter(): void {
    const w = this.spaceWaiter;
    this.spaceWaiter = null;
    w?.();
  }

  private wakePullers(value: null): void {
    const pullers = this.pullers;
    this.pullers = [];
    for (const p of pullers) p(value);
  }
}

/** Events an appsink emits; subscribe with `appsink.on(name, fn)`. */
export type AppSinkEvents = {
  /** A buffer was queued: `tryPullSync()` returns it. */
  'new-sample': () => void;
  /** The stream ended and (with `wait-on-eos`) the application pulled every buffer. */
  eos: () => void;
};

export default AppSink;
