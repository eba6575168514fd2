import { checkRegionSize, type Region } from './region.js';

/**
 * A region every worker thread of this process can map: post `region.buffer` to a worker and
 * build the same views there. Offsets, not pointers, so the same layouts work on both sides.
 */
export class SabRegion implements Region {
  readonly kind = 'sab';
  readonly shared = true;
  readonly buffer: SharedArrayBuffer;

  constructor(readonly byteLength: number) {
    checkRegionSize(byteLength);
    this.buffer = new SharedArrayBuffer(byteLength);
  }

  /** The same region on another thread, from the buffer that was posted to it. */
  static attach(buffer: SharedArrayBuffer): SabRegion {
    const r = Object.create(SabRegion.prototype) as { -readonly [K in keyof SabRegion]: SabRegion[K] };
    r.kind = 'sab';
    r.shared = true;
    r.buffer = buffer;
    r.byteLength = buffer.byteLength;
    return r as SabRegion;
  }
}

const WASM_PAGE = 65536;

export type WasmMemory = WebAssembly.Memory;

/**
 * A shared WebAssembly.Memory: threads see it like a SAB region, and WebAssembly kernels
 * instantiated with it (`--importMemory --sharedMemory`) work in place on the same payloads.
 * Sized once, in whole 64 KiB pages; it never grows, so views stay valid.
 */
export class WasmMemoryRegion implements Region {
  readonly kind = 'wasm';
  readonly shared = true;
  readonly memory: WasmMemory;
  readonly byteLength: number;

  constructor(byteLength: number) {
    checkRegionSize(byteLength);
    const pages = Math.ceil(byteLength / WASM_PAGE);
    this.memory = new WebAssembly.Memory({ initial: pages, maximum: pages, shared: true });
    this.byteLength = pages * WASM_PAGE;
  }

  /** The same region on another thread, from the Memory that was posted to it. */
  static attach(memory: WasmMemory): WasmMemoryRegion {
    const r = Object.create(WasmMemoryRegion.prototype) as { -readonly [K in keyof WasmMemoryRegion]: WasmMemoryRegion[K] };
    r.kind = 'wasm';
    r.shared = true;
    r.memory = memory;
    r.byteLength = memory.buffer.byteLength;
    return r as WasmMemoryRegion;
  }

  get buffer(): SharedArrayBuffer {
    return this.memory.buffer as unknown as SharedArrayBuffer;
  }
}
