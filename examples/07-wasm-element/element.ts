/* eslint-disable -- AssemblyScript (built by parallax-wasm build), not TypeScript: tsc and eslint skip it. */
// @ts-nocheck
// A WebAssembly element: every byte at or above `level` becomes 255, every other byte 0.
// Build: npx parallax-wasm build examples/07-wasm-element/element.ts -o threshold.wasm
import { ABI_VERSION, ERR_OUTPUT_TOO_SMALL, ERR_PROPERTY, OK, describe } from "parallax";

// What wasmtransform learns at load: the element's name, kind and properties.
const DESCRIPTOR = `{
  "name": "threshold",
  "kind": "transform",
  "description": "Bytes at or above level become 255, the others 0",
  "inPlace": true,
  "properties": [
    {"name": "level", "type": "int", "default": 128, "min": 0, "max": 255, "description": "The smallest byte that becomes 255"}
  ]
}`;

// Per-instance state (zeroed by the engine): u32 level at byte 0. No statics, no allocation.
export function pxl_abi_version(): i32 { return ABI_VERSION; }
export function pxl_describe(): usize { return describe(DESCRIPTOR); }
export function pxl_state_size(): i32 { return 4; }

export function pxl_set_property(state: usize, index: i32, value: f64): i32 {
  if (index != 0) return ERR_PROPERTY;
  store<u32>(state, <u32>value);
  return OK;
}

export function pxl_set_caps(state: usize, caps: usize): i32 { return OK; }

// In place: wasmtransform passes out == input when the buffer is writable.
export function pxl_process(state: usize, input: usize, inLen: i32, out: usize, outCap: i32): i32 {
  if (outCap < inLen) return ERR_OUTPUT_TOO_SMALL;
  const level = load<u32>(state);
  for (let i = 0; i < inLen; i++) store<u8>(out + i, <u32>load<u8>(input + i) >= level ? 255 : 0);
  return inLen;
}
