import { ParallaxError } from '../errors.js';
import { FlowResult, flowName } from '../element/flow.js';
import type { AppSrc } from '../elements/app/appsrc.js';
import type { Pipeline } from '../exec/pipeline.js';
import { watchFailure } from './failure.js';

/**
 * The writing half of every stream made into an appsrc (`toWritable`, `toWritableStream`).
 * `write` resolves once the appsrc queued the chunk (one counted copy into a pool slot) and
 * waits while its queue is full (`max-bytes`, `max-buffers`), so a stream writing into it sees
 * backpressure. The chunk may be reused once `write` resolved.
 *
 * Event loop only.
 */
export class AppSrcWriter {
  private failure: Error | null = null;
  private closed = false;
  private readonly offFailure: () => void;

  /** `label` names the stream in errors ("input.wav"). */
  constructor(private readonly pipeline: Pipeline, readonly src: AppSrc, private readonly label: string, onFailure: (e: Error) => void) {
    this.offFailure = watchFailure(pipeline, (e) => {
      if (this.closed) return;
      this.failure = e;
      this.close();
      onFailure(e);
    });
  }

  /** Queues `chunk`; rejects with the pipeline's error, or a named error when the appsrc refuses it. */
  async write(chunk: Uint8Array): Promise<void> {
    if (this.failure !== null) throw this.failure;
    const r = await this.src.write(chunk);
    if (r === FlowResult.OK) return;
    if (this.failure !== null) throw this.failure;
    throw this.refused(r);
  }

  /** The stream ended: end the pipeline's stream once what was written has gone out. */
  end(): void {
    if (this.closed) return;
    this.close();
    this.src.endOfStream();
  }

  /**
   * The stream failed or was destroyed before its end: post an error naming the appsrc and the
   * stream, so the pipeline stops instead of waiting for data that will not come.
   */
  abort(reason: unknown): void {
    if (this.closed) return;
    this.close();
    // A failed pipeline is stopping already. A suspended one may be starting: run() listens for
    // errors before it activates, and suspend() waits for a pending activate.
    if (this.pipeline.state === 'error') return;
    const why = reason === undefined || reason === null ? 'it was destroyed before its end' : reason instanceof Error ? reason.message : String(reason);
    this.src.error(`stream error from ${this.label}: ${why}`, reason ?? undefined);
  }

  private refused(r: FlowResult): Error {
    if (r === FlowResult.FLUSHING) return new ParallaxError('ABORTED', `${this.src.name}: ${this.pipeline.name} is not running, so ${this.label} cannot write into it`);
    if (r === FlowResult.EOS) return new ParallaxError('ABORTED', `${this.src.name}: the stream already ended (EOS), so ${this.label} cannot write more`);
    return new ParallaxError('ELEMENT_ERROR', `${this.src.name}: downstream refused data from ${this.label} (${flowName(r)})`);
  }

  private close(): void {
    this.closed = true;
    this.offFailure();
  }
}
