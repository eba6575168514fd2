// Audio kernels (ARCHITECTURE §8, doc/design/006). Every export below is part of the module's ABI.
//
// ABI rules, for every kernel in this family:
// - Names are `<element>_<what>`: audiotestsrc_*, volume_*, audioconvert_*, audiomixer_*, biquad_*.
// - Pointers (usize) are byte addresses in the engine's shared memory; payloads are 64-byte
//   aligned. Each kernel checks alignment to its element size (2 S16, 4 F32, 8 state), that
//   every area lies inside the memory, and which overlaps it allows.
// - Nothing allocates and nothing keeps mutable module state: no `new`, no run-time arrays or
//   strings, no mutable globals or static data. The only module data would be read-only
//   constant tables; this family has none.
// - A kernel with state across buffers takes `state: usize`, a zeroed, 64-byte aligned area of
//   `<element>_state_size()` bytes, laid out as documented at the top of its file. The JS
//   reference (src/elements/audio/reference/) uses the same layout over the same memory.
// - Results are byte-identical to the JS reference: only IEEE + - * / sqrt floor nearest, in
//   the same order; no libm (Math.sin, exp, pow …) and no relaxed SIMD on any path.
// - Errors are negative i32 codes, never traps:
//     -1 ERR_ARG      negative count, channels outside 1..64
//     -2 ERR_ALIGN    pointer not aligned to its element size
//     -3 ERR_STATE    state not configured
//     -4 ERR_WAVE     audiotestsrc wave not generated here
//     -5 ERR_PARAM    property out of range or not finite
//     -6 ERR_BOUNDS   an area runs past the end of memory
//     -7 ERR_OVERLAP  source and destination overlap where the kernel does not allow it
//   Success returns the count processed (frames, samples or bytes, as each kernel says) or 0.
export * from './audiotestsrc';
export * from './volume';
export * from './audioconvert';
export * from './audiomixer';
export * from './biquad';
