/**
 * Stream interop: Node streams and WHATWG streams as a pipeline's source or sink, through an
 * appsrc or an appsink, with backpressure across the boundary in both directions. The same
 * functions back `Pipeline.fromReadable`, `Pipeline.fromWebStream`, `pipeline.toReadable`,
 * `pipeline.toWebStream`, `pipeline.toWritable` and `pipeline.toWritableStream`.
 */
export { feedFromReadable, feedFromWebStream, type FromStreamOptions, type ChunkSource } from './from-stream.js';
export { appSinkReadable, type ToReadableOptions } from './to-readable.js';
export { appSinkWebStream, type ToWebStreamOptions } from './to-web-stream.js';
export { appSrcWritable, type ToWritableOptions } from './to-writable.js';
export { appSrcWritableStream, type ToWritableStreamOptions } from './to-writable-stream.js';
export type { CancelMode } from './sink-reader.js';
export type { AppSrcChunk, AppSrcPipeOptions } from '../elements/app/appsrc.js';
