import type { Caps } from '../element/caps/index.js';
import type { Element } from '../element/element.js';
import { AppSrc, type AppSrcChunk } from '../elements/app/appsrc.js';
import type { Pipeline, PipelineOptions } from '../exec/pipeline.js';
import { streamLabel } from './failure.js';

/** Options of `Pipeline.fromReadable()` and `Pipeline.fromWebStream()`. */
export interface FromStreamOptions {
  /** Caps of the stream's bytes (the appsrc's `caps`; default ANY, left to negotiation). */
  readonly caps?: Caps | string;
  /** Name of the appsrc (default `src`). */
  readonly name?: string;
  /** Elements to chain after the appsrc, in order (added to the pipeline and linked). */
  readonly then?: readonly Element[];
  /** The appsrc's `max-bytes`: bytes read ahead of the pipeline at most (default 200000). */
  readonly maxBytes?: number;
  /** How errors name the stream (default: its `path` when it has one, else "the readable stream"). */
  readonly label?: string;
  /** The new pipeline's name and options (`Pipeline.fromReadable`/`fromWebStream` only). */
  readonly pipeline?: PipelineOptions & { readonly name?: string };
}

/** Something a pipeline can read from: a Node `Readable` or any async iterable of bytes. */
export type ChunkSource = AsyncIterable<AppSrcChunk> | Iterable<AppSrcChunk>;

/** Adds the appsrc, chains `then`, starts the pump, and calls `cancel` when the pipeline stops first. */
function feedFromIterable(pipeline: Pipeline, source: ChunkSource, options: FromStreamOptions, cancel: () => void): Pipeline {
  const src = new AppSrc(options.name ?? 'src');
  if (options.caps !== undefined) src.set('caps', options.caps);
  if (options.maxBytes !== undefined) src.set('max-bytes', options.maxBytes);
  pipeline.chain(src, ...(options.then ?? []));
  // A stream is read once. A second run would wait for data that never comes, so it fails at
  // once instead, naming the appsrc.
  let ran = false;
  let consumed = false;
  const label = options.label ?? streamLabel(source, 'the readable stream');
  pipeline.bus.on('state-changed', (m) => {
    if (m.source !== pipeline.name) return;
    if (m.to === 'running') {
      // Posted after the activation it interrupts: an error from inside this notification would
      // tear the pipeline down while it is still creating its tasks.
      if (consumed) queueMicrotask(() => src.error(`${label} was consumed by a previous run; a stream can be read once, so feed a new one to run again`));
      ran = true;
    } else if (ran && (m.to === 'suspended' || m.to === 'error')) {
      consumed = true;
      cancel();
    }
  });
  void src.pipeFrom(source, { label });
  return pipeline;
}

/**
 * Makes `pipeline` read from `source` (a Node `Readable`, or any (async) iterable of bytes)
 * through a new appsrc, then chains `options.then` after it. `Pipeline.fromReadable` is this on a
 * new pipeline; call it yourself to add a stream source to a pipeline you built.
 *
 * Backpressure: the next chunk is read only once the appsrc queued the last one
 * (`appsrc.pipeFrom`), so at most `maxBytes` (plus one chunk, plus the Readable's own
 * highWaterMark) is read ahead of the pipeline; a Readable is simply not read meanwhile. Each
 * chunk is copied once into a pool slot (counted). The end of the source is EOS. A source that
 * errors makes the pipeline fail with an error naming the appsrc and the stream. When the
 * pipeline stops before the source ended, the source is destroyed (a Readable) or cancelled.
 */
export function feedFromReadable(pipeline: Pipeline, readable: ChunkSource, options: FromStreamOptions = {}): Pipeline {
  const destroyable = readable as { destroy?: () => void; readableEnded?: boolean };
  return feedFromIterable(pipeline, readable, options, () => {
    if (destroyable.readableEnded !== true) destroyable.destroy?.();
  });
}

/**
 * Makes `pipeline` read from a WHATWG `ReadableStream` of bytes, as `feedFromReadable` does (the
 * stream is read with a reader, one chunk per free place in the appsrc's queue, and cancelled when
 * the pipeline stops first). Works wherever `ReadableStream` is a global.
 */
export function feedFromWebStream(pipeline: Pipeline, stream: ReadableStream<Uint8Array>, options: FromStreamOptions = {}): Pipeline {
  const reader = stream.getReader();
  let done = false;
  async function* chunks(): AsyncGenerator<Uint8Array, void, undefined> {
    try {
      for (;;) {
        const r = await reader.read();
        if (r.done) break;
        yield r.value;
      }
      done = true;
    } finally {
      // Stopped early (the pipeline refused data or stopped): the rest is not wanted.
      if (done) reader.releaseLock();
      else void reader.cancel().catch(() => {});
    }
  }
  const label = options.label ?? streamLabel(stream, 'the readable stream');
  return feedFromIterable(pipeline, chunks(), { ...options, label }, () => {
    if (!done) void reader.cancel().catch(() => {});
  });
}
