import type { Pipeline } from '../exec/pipeline.js';
import { appSrcNamed } from './lookup.js';
import { AppSrcWriter } from './src-writer.js';

/** Options of `pipeline.toWritableStream()`. */
export interface ToWritableStreamOptions {
  /** Bytes the stream queues before its writer sees backpressure (default 16384); chunks count by byteLength. */
  readonly highWaterMark?: number;
  /** How errors name the stream (default "the stream writing into it"). */
  readonly label?: string;
}

/**
 * A WHATWG `WritableStream<Uint8Array>` into the appsrc `srcName` of `pipeline`: the same
 * contract as `toWritable` (one counted copy per chunk, a write settles only once the appsrc has
 * room, `close()` sends EOS, `abort(reason)` posts an error naming the appsrc, a pipeline error
 * errors the stream). Works wherever `WritableStream` is a global (Node 18+, Deno, Bun).
 *
 * @example
 * const done = p.run();
 * await response.body.pipeTo(p.toWritableStream('in'));
 * await done;
 */
export function appSrcWritableStream(pipeline: Pipeline, srcName: string, options: ToWritableStreamOptions = {}): WritableStream<Uint8Array> {
  const src = appSrcNamed(pipeline, srcName);
  let writer: AppSrcWriter | null = null;
  return new WritableStream<Uint8Array>({
    start(controller): void {
      writer = new AppSrcWriter(pipeline, src, options.label ?? 'the stream writing into it', (e) => controller.error(e));
    },
    write(chunk): Promise<void> {
      return writer!.write(chunk);
    },
    close(): void {
      writer!.end();
    },
    abort(reason: unknown): void {
      writer!.abort(reason);
    },
  }, { highWaterMark: options.highWaterMark ?? 16384, size: (chunk) => chunk.byteLength });
}
