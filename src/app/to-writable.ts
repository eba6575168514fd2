import { Writable } from 'node:stream';
import type { Pipeline } from '../exec/pipeline.js';
import { appSrcNamed } from './lookup.js';
import { AppSrcWriter } from './src-writer.js';

/** Options of `pipeline.toWritable()`. */
export interface ToWritableOptions {
  /** Bytes the Writable buffers before `write()` returns false (Node's default, 16 KiB, when unset). */
  readonly highWaterMark?: number;
  /** How errors name the stream (default "the stream writing into it"). */
  readonly label?: string;
}

/**
 * A Node `Writable` into the appsrc `srcName` of `pipeline`. Each chunk is copied once into a
 * pool slot (counted); a write completes only once the appsrc has room (below `max-bytes`, 200000
 * by default, and `max-buffers`), so at most `highWaterMark` bytes wait in the Writable and the
 * appsrc's limit in the pipeline. `end()` ends the pipeline's stream (EOS).
 *
 * Errors go both ways: a pipeline error destroys the Writable with it (the message names the
 * element), and a Writable destroyed with an error (`stream.pipeline` does that when its source
 * fails), or destroyed before `end()`, posts an error naming the appsrc and `label`.
 *
 * @example
 * const p = launch('appsrc name=in ! wavparse ! volume volume=0.5 ! wavenc ! filesink location=out.wav');
 * const done = p.run();
 * await stream.promises.pipeline(fs.createReadStream('in.wav'), p.toWritable('in'));
 * await done;
 */
export function appSrcWritable(pipeline: Pipeline, srcName: string, options: ToWritableOptions = {}): Writable {
  const writer = new AppSrcWriter(pipeline, appSrcNamed(pipeline, srcName), options.label ?? 'the stream writing into it', (e) => writable.destroy(e));
  const writable: Writable = new Writable({
    ...(options.highWaterMark === undefined ? {} : { highWaterMark: options.highWaterMark }),
    write(chunk: Uint8Array, _encoding, callback): void {
      writer.write(chunk).then(() => callback(), callback);
    },
    final(callback): void {
      writer.end();
      callback();
    },
    destroy(err, callback): void {
      if (!writable.writableFinished) writer.abort(err);
      callback(err);
    },
  });
  return writable;
}
