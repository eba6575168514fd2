import { createNanoEvents, type Unsubscribe } from 'nanoevents';
import { Buffer } from '../../element/buffer.js';
import { Source, type Produced } from '../../element/base/source.js';
import { Caps } from '../../element/caps/index.js';
import { FlowResult } from '../../element/flow.js';
import type { ElementMetadata } from '../../element/metadata.js';
import type { Pad } from '../../element/pad.js';
import type { PropertyValue } from '../../element/property.js';
import { BufferQueue } from './buffer-queue.js';

// The `length` hint of need-data: GStreamer basesrc's default blocksize.
const NEED_DATA_LENGTH = 4096;

const noop = (): void => {};

/**
 * `appsrc caps="application/octet-stream" ! fakesink`
 *
 * Source/Generic. Lets the application push data into a pipeline, after GStreamer's appsrc.
 *
 * - `push(bytes)` writes the bytes once into a pool slot (one counted copy); `push(buffer)` takes a
 *   Buffer as it is (zero copy; the reference moves into appsrc). Both return at once.
 * - The queue is bounded by `max-bytes` (200000) and `max-buffers` (0 = unlimited). As in GStreamer,
 *   a synchronous `push` into a full queue still queues and emits `enough-data`.
 * - `pushAsync()` is the lossless, backpressured way: with `block=true` its promise waits while the
 *   queue is full, then queues. Calls to it are queued in order; do not mix it with `push` while one
 *   is waiting if order matters.
 * - `write()` is `pushAsync` that always waits for room, whatever `block` says: the call a stream
 *   adapter makes (`Writable`, `WritableStream`). `pipeFrom(iterable)` writes every chunk of an
 *   (async) iterable (a Node `Readable`, an async generator) that way, reading the next chunk only
 *   once the last one is queued, then ends the stream: the source is read at most one chunk past
 *   the queue's limit.
 * - `endOfStream()` ends the stream once the queue is drained (after any pending `pushAsync`).
 * - `need-data` is emitted when the streaming task finds the queue empty, `enough-data` when it is
 *   full: `appsrc.on('need-data', (length) => ...)` returns an unsubscribe function.
 *
 * Stream adapters (src/app/) are built on `write` and `pipeFrom`: `Pipeline.fromReadable(readable)`,
 * `Pipeline.fromWebStream(stream)`, `pipeline.toWritable(name)` and `pipeline.toWritableStream(name)`.
 *
 * Data pushed before the pipeline first starts is kept. Once the pipeline stops, the queue is
 * released and pushes return FLUSHING until it starts again. After downstream refused data (EOS,
 * error), `push` returns that FlowResult.
 */
export class AppSrc extends Source {
  static readonly metadata: ElementMetadata = {
    factory: 'appsrc',
    classification: 'Source/Generic',
    description: 'Lets the application push buffers into a pipeline',
    example: 'appsrc caps="application/octet-stream" ! fakesink',
    padTemplates: [{ name: 'src', direction: 'src', presence: 'always', caps: 'ANY' }],
    properties: {
      'emit-signals': { type: 'bool', default: true, description: 'Accepted for gst-launch compatibility: listeners registered with on() always get the events', mutable: true },
      caps: { type: 'caps', default: Caps.ANY, description: 'The caps of the pushed data (ANY: left to negotiation)' },
      format: {
        type: 'enum', default: 'bytes', description: 'The format of the segment',
        values: [
          { nick: 'bytes', value: 2, description: 'Bytes' },
          { nick: 'time', value: 3, description: 'Time' },
        ],
      },
      'max-bytes': { type: 'uint64', default: 200000, description: 'Queue limit in bytes (0 = unlimited)', mutable: true },
      'max-buffers': { type: 'uint64', default: 0, description: 'Queue limit in buffers (0 = unlimited)', mutable: true },
      block: { type: 'bool', default: false, description: 'pushAsync() waits while the queue is full', mutable: true },
      'is-live': { type: 'bool', default: false, description: 'Whether the data is live' },
      'current-level-bytes': { type: 'uint64', default: 0, readonly: true, description: 'Bytes queued now' },
      'current-level-buffers': { type: 'uint64', default: 0, readonly: true, description: 'Buffers queued now' },
    },
    affinity: 'async',
    rtSafe: false,
  };

  private readonly queue = new BufferQueue();
  private readonly emitter = createNanoEvents<AppSrcEvents>();
  /** The streaming task waiting in `create()` for data. */
  private waiter: ((p: Produced) => void) | null = null;
  /** `pushAsync` calls waiting for room in the queue. */
  private spaceWaiters: (() => void)[] = [];
  private pushChain: Promise<void> = Promise.resolve();
  private pendingAsync = 0;
  private eosRequested = false;
  private flushing = false;
  /** The last non-OK result downstream gave (or the task ended with). */
  private downstream: FlowResult = FlowResult.OK;

  /** Subscribes to `need-data` or `enough-data`; returns the unsubscribe function. */
  on<K extends keyof AppSrcEvents>(event: K, listener: AppSrcEvents[K]): Unsubscribe {
    return this.emitter.on(event, listener);
  }

  /**
   * Queues one buffer. Bytes are copied once into a pool slot (counted); a Buffer is taken as it
   * is (zero copy) and owned by appsrc from here on. Returns OK, or FLUSHING when the pipeline is
   * stopped, EOS after `endOfStream()`, or what downstream returned when it stopped the stream.
   */
  push(data: Uint8Array | Buffer, meta: AppSrcPushMeta = {}): FlowResult {
    const refused = this.flushing ? FlowResult.FLUSHING : this.eosRequested ? FlowResult.EOS : this.downstream;
    if (refused !== FlowResult.OK) {
      if (data instanceof Buffer) data.release();
      return refused;
    }
    const buf = data instanceof Buffer ? data : Buffer.fromBytes(this.context.allocator, data);
    if (meta.pts !== undefined) buf.pts = meta.pts;
    if (meta.dts !== undefined) buf.dts = meta.dts;
    if (meta.duration !== undefined) buf.duration = meta.duration;
    if (meta.offset !== undefined) buf.offset = meta.offset;
    const waiter = this.waiter;
    if (waiter !== null && this.queue.length === 0) {
      this.waiter = null;
      waiter(buf);
      return FlowResult.OK;
    }
    this.queue.push(buf);
    if (this.isFull()) this.emitter.emit('enough-data');
    return FlowResult.OK;
  }

  /**
   * Queues one buffer like `push`, but with `block=true` waits first while the queue is full, so
   * nothing piles up: `for (const chunk of chunks) await appsrc.pushAsync(chunk)`. Calls are
   * served in order. Resolves with FLUSHING when the pipeline stops while waiting.
   */
  pushAsync(data: Uint8Array | Buffer, meta: AppSrcPushMeta = {}): Promise<FlowResult> {
    return this.pushWhenRoom(data, meta, () => this.bool('block'));
  }

  /**
   * Queues one buffer once the queue has room (below `max-bytes` and `max-buffers`), whatever
   * `block` says: the backpressured write a stream adapter needs. Served in order with
   * `pushAsync` calls. Resolves with OK, or with FLUSHING, EOS or downstream's result as `push`
   * does (a Buffer is then released).
   */
  write(data: Uint8Array | Buffer, meta: AppSrcPushMeta = {}): Promise<FlowResult> {
    return this.pushWhenRoom(data, meta, () => true);
  }

  /**
   * Writes every chunk of `source` with `write()`, taking the next chunk only once the last one
   * is queued, so a Node `Readable` is paused (not read) while the queue is full. Then ends the
   * stream (`end: false` leaves it open). Resolves with OK, or with the FlowResult that stopped
   * it; the source is then closed (its iterator's `return()`: a Readable is destroyed). When the
   * source throws, posts an error naming this element and `label`, and resolves with ERROR.
   */
  async pipeFrom(source: AsyncIterable<AppSrcChunk> | Iterable<AppSrcChunk>, options: AppSrcPipeOptions = {}): Promise<FlowResult> {
    const label = options.label ?? 'its source';
    try {
      for await (const chunk of source) {
        const r = await this.write(typeof chunk === 'string' ? new TextEncoder().encode(chunk) : chunk);
        if (r !== FlowResult.OK) return r;
      }
    } catch (e) {
      // Destroyed because the pipeline stopped: not an error of the stream's.
      if (this.flushing) return FlowResult.FLUSHING;
      return this.error(`stream error from ${label}: ${e instanceof Error ? e.message : String(e)}`, e);
    }
    if (options.end ?? true) return this.endOfStream();
    return FlowResult.OK;
  }

  /** `wait()` is asked again after each wake-up: setting `block=false` lets waiting pushAsync calls go. */
  private pushWhenRoom(data: Uint8Array | Buffer, meta: AppSrcPushMeta, wait: () => boolean): Promise<FlowResult> {
    if (this.pendingAsync === 0 && !(wait() && this.isFullNow())) {
      try {
        return Promise.resolve(this.push(data, meta));
      } catch (e) {
        return Promise.reject(e instanceof Error ? e : new Error(String(e)));
      }
    }
    this.pendingAsync++;
    const p = this.pushChain.then(async () => {
      try {
        while (wait() && this.isFullNow()) {
          this.emitter.emit('enough-data');
          await new Promise<void>((resolve) => this.spaceWaiters.push(resolve));
        }
        return this.push(data, meta);
      } finally {
        this.pendingAsync--;
      }
    });
    this.pushChain = p.then(noop, noop);
    return p;
  }

  /** Ends the stream once everything queued (and every pending `pushAsync`) has gone out. */
  endOfStream(): FlowResult {
    if (this.flushing) return FlowResult.FLUSHING;
    if (this.pendingAsync > 0) {
      this.pushChain = this.pushChain.then(() => this.markEos());
    } else {
      this.markEos();
    }
    return FlowResult.OK;
  }

  override sourceCaps(pad: Pad): Caps {
    const caps = this.get('caps') as Caps;
    return caps.isAny() ? pad.template.caps : caps;
  }

  override start(): void | Promise<void> {
    this.flushing = false;
    this.downstream = FlowResult.OK;
    return super.start();
  }

  override unblock(): void {
    this.flushing = true;
    const waiter = this.waiter;
    this.waiter = null;
    waiter?.(FlowResult.FLUSHING);
    this.wakeSpaceWaiters();
  }

  override stop(): void {
    this.unblock();
    this.queue.clear();
    this.eosRequested = false;
  }

  override deliver(buf: Buffer): FlowResult {
    const r = super.deliver(buf);
    if (r !== FlowResult.OK) this.downstream = r;
    return r;
  }

  override finish(result: FlowResult): void {
    if (result !== FlowResult.OK && this.downstream === FlowResult.OK) this.downstream = result;
    super.finish(result);
  }

  protected create(): Produced | Promise<Produced> {
    const ready = this.take();
    if (ready !== undefined) return ready;
    this.emitter.emit('need-data', NEED_DATA_LENGTH);
    const pushed = this.take();
    if (pushed !== undefined) return pushed;
    return new Promise<Produced>((resolve) => (this.waiter = resolve));
  }

  protected override readProperty(name: string): PropertyValue | undefined {
    if (name === 'current-level-bytes') return this.queue.bytes;
    if (name === 'current-level-buffers') return this.queue.length;
    return undefined;
  }

  protected override propertyChanged(name: string): void {
    if (name === 'max-bytes' || name === 'max-buffers' || name === 'block') this.wakeSpaceWaiters();
  }

  /** The next queued buffer, EOS or FLUSHING when the stream is over, or undefined to wait. */
  private take(): Produced | undefined {
    const buf = this.queue.shift();
    if (buf !== undefined) {
      if (!this.isFull()) this.wakeSpaceWaiters();
      return buf;
    }
    if (this.eosRequested) return FlowResult.EOS;
    if (this.flushing) return FlowResult.FLUSHING;
    return undefined;
  }

  private markEos(): void {
    if (this.flushing) return;
    this.eosRequested = true;
    if (this.waiter !== null && this.queue.length === 0) {
      const waiter = this.waiter;
      this.waiter = null;
      waiter(FlowResult.EOS);
    }
  }

  private isFull(): boolean {
    return this.queue.isFull(this.num('max-buffers'), this.num('max-bytes'));
  }

  /** Whether a waiting push must keep waiting: full, and still accepting data. */
  private isFullNow(): boolean {
    return !this.flushing && !this.eosRequested && this.isFull();
  }

  private wakeSpaceWaiters(): void {
    if (this.spaceWaiters.length === 0) return;
    const waiters = this.spaceWaiters;
    this.spaceWaiters = [];
    for (const w of waiters) w();
  }
}

/** Events an appsrc emits; subscribe with `appsrc.on(name, fn)`. */
export type AppSrcEvents = {
  /** The queue ran empty and the streaming task waits: push more. `length` is a size hint in bytes. */
  'need-data': (length: number) => void;
  /** The queue reached `max-bytes` or `max-buffers`: stop pushing until `need-data`. */
  'enough-data': () => void;
};

/** What `pipeFrom` takes from its source: bytes, a Buffer, or text (encoded as UTF-8). */
export type AppSrcChunk = Uint8Array | Buffer | string;

/** Options of `appsrc.pipeFrom`. */
export interface AppSrcPipeOptions {
  /** End the stream when the source ends (default true). */
  readonly end?: boolean;
  /** How errors name the source ("input.wav", "the request body"); default "its source". */
  readonly label?: string;
}

/** Metadata to stamp on a pushed buffer. Times are nanoseconds. */
export interface AppSrcPushMeta {
  readonly pts?: number;
  readonly dts?: number;
  readonly duration?: number;
  readonly offset?: number;
}

export default AppSrc;
