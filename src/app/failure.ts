import { ParallaxError } from '../errors.js';
import type { Pipeline } from '../exec/pipeline.js';

/**
 * Calls `onError` with the pipeline's first error from now on, as an Error whose message names
 * the element that posted it. Returns the unsubscribe function. Event loop only.
 */
export function watchFailure(pipeline: Pipeline, onError: (e: Error) => void): () => void {
  const off = pipeline.bus.on('error', (m) => {
    off();
    onError(namedError(m.source, m.error));
  });
  return off;
}

/** `error` as it is when its message already starts with the element's name, else wrapped so it does. */
export function namedError(source: string, error: Error): Error {
  if (error.message.startsWith(`${source}:`)) return error;
  return new ParallaxError('ELEMENT_ERROR', `${source}: ${error.message}`, { cause: error });
}

/** A short description of a stream for error messages: its file path when it has one. */
export function streamLabel(stream: unknown, fallback: string): string {
  const path = (stream as { path?: unknown } | null)?.path;
  if (typeof path === 'string') return path;
  if (path instanceof URL) return path.href;
  return fallback;
}
