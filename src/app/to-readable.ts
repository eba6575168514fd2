import { Readable } from 'node:stream';
import type { Pipeline } from '../exec/pipeline.js';
import { appSinkNamed } from './lookup.js';
import { AppSinkReader, type CancelMode } from './sink-reader.js';

/** Options of `pipeline.toReadable()`. */
export interface ToReadableOptions {
  /** Bytes the Readable buffers ahead of its consumer (Node's default, 16 KiB, when unset). */
  readonly highWaterMark?: number;
  /** What destroying the Readable before its end does to the pipeline (default `stop`). */
  readonly onCancel?: CancelMode;
}

/**
 * A Node `Readable` (bytes, not objects) of what reaches the appsink `sinkName` of `pipeline`.
 *
 * It pulls a buffer only when its consumer reads (below `highWaterMark`), so at most
 * `highWaterMark` bytes wait in the Readable, `max-buffers` in the appsink (with `drop=false`,
 * its default), and upstream waits for room: backpressure crosses the boundary. Each chunk is one
 * counted copy of a buffer (see AppSinkReader). It ends at EOS; it errors with the pipeline's
 * first error (the message names the element), or with ABORTED when the pipeline stops before
 * EOS. Destroying it early stops the pipeline (see CancelMode).
 *
 * Start the pipeline yourself (`const done = pipeline.run()`); the Readable may be made before.
 * Made while the pipeline is suspended, it follows the next run (not what a previous run left).
 * A stream cannot go back, so wavenc's header keeps its first "until the end" sizes: the appsink
 * drops the rewrite at EOS with a warning (`rewrites=drop` while the stream reads), and players
 * (sox, ffmpeg) read such a file to its end.
 *
 * @example
 * const p = launch('audiotestsrc num-buffers=10 ! wavenc ! appsink name=out');
 * const done = p.run();
 * await stream.promises.pipeline(p.toReadable('out'), fs.createWriteStream('tone.wav'));
 * await done;
 */
export function appSinkReadable(pipeline: Pipeline, sinkName: string, options: ToReadableOptions = {}): Readable {
  const reader = new AppSinkReader(pipeline, appSinkNamed(pipeline, sinkName), (e) => readable.destroy(e));
  let reading = false;
  const readable: Readable = new Readable({
    ...(options.highWaterMark === undefined ? {} : { highWaterMark: options.highWaterMark }),
    read(): void {
      if (reading) return;
      reading = true;
      reader.next().then(
        (chunk) => {
          reading = false;
          readable.push(chunk);
        },
        (e: unknown) => readable.destroy(e instanceof Error ? e : new Error(String(e))),
      );
    },
    destroy(err, callback): void {
      reader.cancel(err ?? undefined, options.onCancel).then(() => callback(err), callback);
    },
  });
  return readable;
}
