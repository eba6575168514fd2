// The built-in kernels: one module, so their constant data shares one window of the engine's
// memory map (doc/design/006-wasm-kernels.md). Each family keeps its own entry.
export * from './audio/index';
export * from './video/index';
