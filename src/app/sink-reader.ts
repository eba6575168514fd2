import { ParallaxError } from '../errors.js';
import type { AppSink } from '../elements/app/appsink.js';
import type { Pipeline } from '../exec/pipeline.js';
import { copyPayload } from '../memory/copy-counter.js';
import { watchFailure } from './failure.js';

/**
 * What a consumer that gives up early (a destroyed `Readable`, a cancelled `ReadableStream`, a
 * `break` out of `for await`) does to the pipeline: `stop` (default) suspends it, so `run()`
 * rejects with ABORTED; `eos` sends EOS into its sources and discards what reaches the appsink,
 * so `run()` resolves as at a normal end. A consumer that fails (destroyed with an error, a
 * cancel with an Error as reason) posts an error naming the appsink instead, whatever this says;
 * an `AbortError` (what `break` out of `for await` over a Readable, or an aborted `pipeTo`, gives)
 * and ERR_STREAM_PREMATURE_CLOSE (a `stream.pipeline` whose destination closed early) are cancels.
 */
export type CancelMode = 'stop' | 'eos';

/**
 * The pulling half of every stream made from an appsink (`toReadable`, `toWebStream`): one pull
 * per chunk the consumer asks for, nothing read ahead, so the appsink's `max-buffers` is the
 * backpressure into the pipeline.
 *
 * Ownership: each chunk is a fresh `Uint8Array` holding one counted copy of the buffer
 * (`bytesCopied` grows by the bytes read), and the buffer goes back to its pool before the chunk
 * is handed out. A zero-copy view could not be handed out safely: a stream consumer may keep a
 * chunk for ever, and the slot under the view would be reused. Zero-copy consumers iterate the
 * appsink itself (`for await (const buf of appsink)`) and release each buffer.
 *
 * Event loop only.
 */
export class AppSinkReader {
  private failure: Error | null = null;
  private closed = false;
  private readonly offFailure: () => void;
  private readonly offState: () => void;
  /** The appsink's `rewrites` before this reader set it, put back when the reader closes. */
  private readonly rewritesBefore: unknown;
  /**
   * Whether the appsink has started since this reader was made. Before that, it may still say
   * EOS or flushing from a previous run, which is not the end of the stream this reader follows
   * when a run is starting.
   */
  private started: boolean;

  constructor(private readonly pipeline: Pipeline, readonly sink: AppSink, onFailure: (e: Error) => void) {
    // A stream cannot go back: a header rewrite at EOS would land at its end (see AppSink).
    this.rewritesBefore = sink.get('rewrites');
    sink.set('rewrites', 'drop');
    this.started = pipeline.state !== 'suspended';
    this.offState = pipeline.bus.on('state-changed', (m) => {
      if (m.source === pipeline.name && (m.to === 'idle' || m.to === 'running')) this.started = true;
    });
    this.offFailure = watchFailure(pipeline, (e) => {
      if (this.closed) return;
      this.failure = e;
      this.close();
      onFailure(e);
    });
  }

  /**
   * The next chunk, or null at the end of the stream (or once cancelled). Rejects with the
   * pipeline's error, or with ABORTED when the pipeline stopped before the appsink reached EOS.
   */
  async next(): Promise<Uint8Array | null> {
    if (this.failure !== null) throw this.failure;
    if (this.closed) return null;
    let buf = await this.sink.pull();
    if (buf === null && !this.started && !this.closed && this.pipeline.changingState) {
      // Made as a run starts (`const done = p.run(); p.toReadable(…)`): what the appsink says
      // belongs to the run before. Once the start settles, follow this run, if it started.
      await this.pipeline.stateSettled();
      if (this.started && !this.closed) buf = await this.sink.pull();
    }
    if (this.closed) {
      buf?.release();
      if (this.failure !== null) throw this.failure;
      return null;
    }
    if (buf === null) {
      this.close();
      if (this.sink.get('eos') === true) return null;
      throw new ParallaxError('ABORTED', `${this.sink.name}: ${this.pipeline.name} stopped before the stream reached EOS`);
    }
    try {
      const chunk = new Uint8Array(buf.size);
      copyPayload(chunk, 0, buf.data);
      return chunk;
    } finally {
      buf.release();
    }
  }

  /** The consumer went away before the end: stop the pipeline as `mode` says (see CancelMode). */
  async cancel(reason: unknown, mode: CancelMode = 'stop'): Promise<void> {
    if (this.closed) return;
    this.close();
    // A failed pipeline is stopping already. A suspended one may be starting: run() listens for
    // errors before it activates, and suspend() waits for a pending activate.
    if (this.pipeline.state === 'error') return;
    if (isFailure(reason)) {
      this.sink.error(`the stream reading from it failed: ${reason.message}`, reason);
      return;
    }
    if (mode === 'eos' && this.pipeline.state === 'running') {
      await this.pipeline.sendEos();
      for (let b = await this.sink.pull(); b !== null; b = await this.sink.pull()) b.release();
      return;
    }
    await this.pipeline.suspend();
  }

  private close(): void {
    this.closed = true;
    this.offFailure();
    this.offState();
    this.sink.set('rewrites', this.rewritesBefore);
  }
}

/** Whether a cancel reason is a failure to report rather than a consumer that stopped reading. */
function isFailure(reason: unknown): reason is Error {
  if (!(reason instanceof Error)) return false;
  const code = (reason as { code?: unknown }).code;
  return reason.name !== 'AbortError' && code !== 'ABORT_ERR' && code !== 'ERR_STREAM_PREMATURE_CLOSE';
}
