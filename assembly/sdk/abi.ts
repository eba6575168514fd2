// The user kernel ABI (doc/design/006-wasm-kernels.md, "The user kernel ABI, version 1").
//
// A kernel module exports, by kind:
//   every kind  pxl_abi_version() → i32          return ABI_VERSION
//               pxl_describe() → usize            the JSON descriptor: return describe(DESCRIPTOR)
//               pxl_state_size() → i32            bytes of per-instance state (0..STATE_MAX)
//               pxl_set_property(state, index: i32, value: f64) → i32
//               pxl_set_caps(state, caps: usize) → i32
//   optional    pxl_init(state) → i32, pxl_error(state) → usize
//   transform   pxl_process(state, in: usize, inLen: i32, out: usize, outCap: i32) → i32
//   source      pxl_fill(state, out: usize, outCap: i32, pts: f64) → i32
//   sink        pxl_consume(state, in: usize, inLen: i32) → i32
//
// Rules that let instances share one memory on many threads: keep no mutable statics (no
// top-level `let`, no writes to constant arrays) and allocate nothing (no `new`, no string
// concatenation, no `throw new Error`): per-instance values live in `state`, which the engine
// carves, zeroes and passes to every call.

/** The ABI this SDK speaks; `pxl_abi_version` returns it. */
export const ABI_VERSION: i32 = 1;

/** The most state a kernel may ask for in `pxl_state_size` (1 MiB). */
export const STATE_MAX: i32 = 1 << 20;

/** The address of a string literal, for `pxl_describe` and `pxl_error`. Allocates nothing. */
@inline export function describe(text: string): usize {
  return changetype<usize>(text);
}
