import { readFileSync } from 'node:fs';

/**
 * The built-in kernels (dist/wasm/kernels.wasm, built by `npm run build:wasm`) instantiated over
 * a fresh shared memory, for kernel-level tests that compare a WASM kernel with its JS reference
 * byte for byte. Memory below 4 MiB belongs to the module's constant data (the engine's memory
 * map keeps it apart, doc/design/006); `alloc` hands out test areas above it, 64-byte aligned.
 */
export interface KernelSandbox {
  readonly memory: WebAssembly.Memory;
  /** The module's exports: call them with pointers into `memory`. */
  readonly exports: Record<string, (...args: never[]) => unknown>;
  /** A fresh view of the whole memory. */
  readonly u8: Uint8Array;
  /** Reserves `bytes` (zeroed) and returns their address. */
  alloc(bytes: number): number;
  /** Forgets every allocation (the bytes stay). */
  reset(): void;
}

export const KERNEL_HEAP_START = 4 * 1024 * 1024;
const KERNELS = new URL('../../dist/wasm/kernels.wasm', import.meta.url);

let compiled: WebAssembly.Module | null = null;

export function loadKernels(pages = 1024): KernelSandbox {
  compiled ??= new WebAssembly.Module(readFileSync(KERNELS));
  const memory = new WebAssembly.Memory({ initial: pages, maximum: pages, shared: true });
  const instance = new WebAssembly.Instance(compiled, {
    env: {
      memory,
      abort(msg: number, file: number, line: number, column: number) {
        throw new Error(`kernel abort: ${readString(memory, msg)} at ${readString(memory, file)}:${line}:${column}`);
      },
      seed: () => 1,
    },
  });
  let next = KERNEL_HEAP_START;
  return {
    memory,
    exports: instance.exports as KernelSandbox['exports'],
    get u8() {
      return new Uint8Array(memory.buffer);
    },
    alloc(bytes: number) {
      const at = next;
      next = at + Math.ceil(bytes / 64) * 64;
      if (next > memory.buffer.byteLength) throw new RangeError(`kernel sandbox: ${bytes} more bytes do not fit in ${memory.buffer.byteLength}`);
      new Uint8Array(memory.buffer, at, bytes).fill(0);
      return at;
    },
    reset() {
      next = KERNEL_HEAP_START;
    },
  };
}

/** An AssemblyScript string at `ptr`: UTF-16LE, its byte length in the word before it. */
export function readString(memory: WebAssembly.Memory, ptr: number): string {
  if (ptr === 0) return '';
  const bytes = new DataView(memory.buffer).getUint32(ptr - 4, true);
  return new TextDecoder('utf-16le').decode(new Uint8Array(memory.buffer).slice(ptr, ptr + bytes));
}
