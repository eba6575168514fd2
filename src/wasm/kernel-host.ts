import { readFileSync } from 'node:fs';
import type { Arena } from '../memory/arena.js';
import { readKernelString } from './kernel-string.js';
import { zeroFill } from '../memory/zero-fill.js';

/** `dist/wasm/kernels.wasm`: from src/wasm/ and from dist/wasm/ alike, two levels below the package root. */
const BUILTIN_URL = new URL('../../dist/wasm/kernels.wasm', import.meta.url);

/** An AssemblyScript `abort` or a trap inside a kernel, with the kernel's own message. */
export class KernelTrap extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'KernelTrap';
  }
}

type KernelFunction = (...args: number[]) => number;
/** The built-in module's exports: plain functions of numbers (addresses, sizes, parameters). */
export type BuiltinKernels = Readonly<Record<string, KernelFunction>>;

let builtinModule: WebAssembly.Module | null = null;
let builtinError: Error | null = null;

/** The built-in module, compiled once per thread; null (and why, in `builtinLoadError`) when it cannot be. */
function compiledBuiltins(): WebAssembly.Module | null {
  if (builtinModule !== null || builtinError !== null) return builtinModule;
  try {
    builtinModule = new WebAssembly.Module(readFileSync(BUILTIN_URL));
  } catch (e) {
    builtinError = new Error(`cannot load the built-in kernels from ${BUILTIN_URL.pathname}: ${e instanceof Error ? e.message : String(e)} (run npm run build:wasm)`, { cause: e });
  }
  return builtinModule;
}

export function builtinLoadError(): Error | null {
  compiledBuiltins();
  return builtinError;
}

/**
 * What a thread needs to run WebAssembly kernels in place: the arena's Memory, the built-in
 * module instantiated over it, and zeroed per-instance state carved from the arena. One per
 * arena per thread; elements reach it through their context (`context.kernels`).
 *
 * Instantiating writes the module's constant data into the kernel area again (doc/design/006);
 * the bytes are the same each time, so threads that already run kernels are not disturbed.
 */
export class KernelHost {
  private builtinExports: BuiltinKernels | null = null;

  private constructor(readonly arena: Arena, readonly memory: WebAssembly.Memory) {}

  /** The host for `arena` on this thread, or null when the arena keeps no kernel area. */
  static for(arena: Arena): KernelHost | null {
    const memory = arena.kernelMemory;
    if (memory === null) return null;
    let host = hosts.get(arena);
    if (host === undefined) {
      host = new KernelHost(arena, memory);
      hosts.set(arena, host);
    }
    return host;
  }

  /** The memory's buffer: where payload addresses point. */
  get buffer(): ArrayBufferLike {
    return this.memory.buffer;
  }

  /** The built-in kernels on this memory, or null when the module cannot be loaded (see builtinLoadError). */
  get builtins(): BuiltinKernels | null {
    if (this.builtinExports !== null) return this.builtinExports;
    const module = compiledBuiltins();
    if (module === null) return null;
    const instance = new WebAssembly.Instance(module, { env: this.imports() });
    this.builtinExports = instance.exports as unknown as BuiltinKernels;
    return this.builtinExports;
  }

  /** The imports every kernel module may use (doc/design/006): memory, abort, seed, trace. */
  imports(memory: WebAssembly.Memory = this.memory): Record<string, WebAssembly.ImportValue> {
    return kernelImports(memory);
  }

  /** Carves `bytes` of zeroed, 64-byte aligned state from the arena; returns its address. */
  carveState(bytes: number): number {
    const at = this.arena.carve(Math.max(bytes, 64));
    if (at < 0) throw new RangeError(`the arena (${this.arena.byteLength} bytes, ${this.arena.used} used) has no room for ${bytes} bytes of kernel state; raise the pipeline's arenaBytes`);
    zeroFill(new Uint8Array(this.memory.buffer), at, at + bytes);
    return at;
  }
}

const hosts = new WeakMap<Arena, KernelHost>();

/**
 * The `env` imports a kernel module may use (doc/design/006), over `memory`: the memory itself,
 * `abort` (AssemblyScript's assertion and trap reporter: it throws a KernelTrap with the
 * kernel's message), a fixed `seed` and a silent `trace`. `memory` may be a function, for a
 * module that defines its own memory: it is asked when `abort` has a message to read.
 */
export function kernelImports(memory: WebAssembly.Memory | (() => WebAssembly.Memory | null)): Record<string, WebAssembly.ImportValue> {
  const current = (): ArrayBufferLike | null => (typeof memory === 'function' ? memory()?.buffer ?? null : memory.buffer);
  const text = (ptr: number): string => {
    const buffer = current();
    return buffer === null ? `<string at ${ptr}>` : readKernelString(buffer, ptr);
  };
  return {
    ...(typeof memory === 'function' ? {} : { memory }),
    abort: (msg: number, file: number, line: number, column: number) => {
      const where = file !== 0 ? ` (${text(file)}:${line}:${column})` : '';
      throw new KernelTrap(`${(msg !== 0 ? text(msg) : '') || 'abort'}${where}`);
    },
    // A fixed seed: a kernel's output is the same on every run.
    seed: () => 0x5eed,
    trace: () => {},
  };
}
