/**
 * Typed views over a whole memory (a region's buffer, a WebAssembly.Memory's buffer, or a heap
 * pool's ArrayBuffer), made once per buffer and shared. JS reference kernels address memory the
 * way WASM kernels do, by byte address, so one test can run both on the same bytes.
 *
 * Views are cached per buffer object: a memory that grows gets a new buffer, and so new views.
 * Multi-byte views index by address >> 2 (or >> 1, >> 3), so the addresses passed to them must
 * be aligned to their element size; payloads are 64-byte aligned, so samples and pixels are.
 */
export interface MemoryViews {
  readonly u8: Uint8Array;
  readonly i16: Int16Array;
  readonly u16: Uint16Array;
  readonly i32: Int32Array;
  readonly u32: Uint32Array;
  readonly f32: Float32Array;
  readonly f64: Float64Array;
  readonly dv: DataView;
}

const cache = new WeakMap<ArrayBufferLike, MemoryViews>();

export function viewsOf(buffer: ArrayBufferLike): MemoryViews {
  let v = cache.get(buffer);
  if (v === undefined) {
    const n = buffer.byteLength;
    v = {
      u8: new Uint8Array(buffer),
      i16: new Int16Array(buffer, 0, Math.floor(n / 2)),
      u16: new Uint16Array(buffer, 0, Math.floor(n / 2)),
      i32: new Int32Array(buffer, 0, Math.floor(n / 4)),
      u32: new Uint32Array(buffer, 0, Math.floor(n / 4)),
      f32: new Float32Array(buffer, 0, Math.floor(n / 4)),
      f64: new Float64Array(buffer, 0, Math.floor(n / 8)),
      dv: new DataView(buffer),
    };
    cache.set(buffer, v);
  }
  return v;
}
