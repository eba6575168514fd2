/**
 * The audio reference kernels, by the same names as the WebAssembly exports (assembly/audio/),
 * each taking the memory first and then the kernel's own arguments. The runtime falls back to
 * these when WebAssembly is unavailable; the kernel tests compare the two byte for byte.
 */
export * from './audiotestsrc.js';
export * from './volume.js';
export * from './audioconvert.js';
export * from './audiomixer.js';
export * from './biquad.js';
export * from './common.js';
