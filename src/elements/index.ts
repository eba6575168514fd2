/** The built-in element classes, for code that builds pipelines by hand or extends them. */
export { FakeSrc } from './testing/fakesrc.js';
export { FakeSink } from './testing/fakesink.js';
export { Identity } from './testing/identity.js';
export { CapsFilter } from './flow/capsfilter.js';
export { Queue } from './flow/queue.js';
export { Tee } from './flow/tee.js';
export { Funnel } from './flow/funnel.js';
export { Valve } from './flow/valve.js';
export { FileSrc } from './io/filesrc.js';
export { FileSink } from './io/filesink.js';
export { AppSrc } from './app/appsrc.js';
export { AppSink } from './app/appsink.js';
export { Parallel } from './compute/parallel.js';
export { WasmTransform } from './wasm/wasmtransform.js';
export { WasmSrc } from './wasm/wasmsrc.js';
export { WasmSink } from './wasm/wasmsink.js';
export { wasmElement } from './wasm/wasm-element.js';
