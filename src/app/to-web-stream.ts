import type { Pipeline } from '../exec/pipeline.js';
import { appSinkNamed } from './lookup.js';
import { AppSinkReader, type CancelMode } from './sink-reader.js';

/** Options of `pipeline.toWebStream()`. */
export interface ToWebStreamOptions {
  /** Bytes the stream queues ahead of its reader (default 65536); chunks count by byteLength. */
  readonly highWaterMark?: number;
  /** What cancelling the stream before its end does to the pipeline (default `stop`). */
  readonly onCancel?: CancelMode;
}

/**
 * A WHATWG `ReadableStream<Uint8Array>` of what reaches the appsink `sinkName` of `pipeline`:
 * the same contract as `toReadable` (one counted copy per chunk, pulled only while the queue is
 * below `highWaterMark` bytes, errors naming the element, cancel stops the pipeline). The
 * strategy is a byte-length one, so `highWaterMark` bounds the bytes waiting in the stream.
 * Works wherever `ReadableStream` is a global (Node 18+, Deno, Bun, browsers).
 *
 * @example
 * const done = p.run();
 * for await (const chunk of p.toWebStream('out')) console.log(chunk.byteLength);
 * await done;
 */
export function appSinkWebStream(pipeline: Pipeline, sinkName: string, options: ToWebStreamOptions = {}): ReadableStream<Uint8Array> {
  const sink = appSinkNamed(pipeline, sinkName);
  let reader: AppSinkReader | null = null;
  return new ReadableStream<Uint8Array>({
    start(controller): void {
      reader = new AppSinkReader(pipeline, sink, (e) => controller.error(e));
    },
    async pull(controller): Promise<void> {
      const chunk = await reader!.next();
      try {
        if (chunk === null) controller.close();
        else controller.enqueue(chunk);
      } catch {
        // Cancelled or errored meanwhile: the chunk (a copy) is garbage.
      }
    },
    cancel(reason: unknown): Promise<void> {
      return reader!.cancel(reason, options.onCancel);
    },
  }, { highWaterMark: options.highWaterMark ?? 65536, size: (chunk) => chunk.byteLength });
}
