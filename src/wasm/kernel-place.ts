import { Buffer } from '../element/buffer.js';
import type { ElementContext } from '../element/context.js';
import { ParallaxError } from '../errors.js';
import { copyPayload } from '../memory/copy-counter.js';
import { SharedAllocator } from '../memory/shared-allocator.js';
import { zeroFill } from '../memory/zero-fill.js';
import type { BuiltinKernels } from './kernel-host.js';

/**
 * Where a built-in element's kernels run, chosen once at start: the WebAssembly exports over the
 * arena's Memory, or — where there is no WebAssembly (a SharedArrayBuffer arena, a module that
 * failed to load) — the JavaScript reference over the same arena. Either way kernels address
 * payloads and state by byte offset in `mem`, so the element calls one or the other with the
 * same arguments (doc/design/006).
 */
export interface KernelPlace {
  /** The built-in module's exports, or null: call the JS reference with `mem` first. */
  readonly wasm: BuiltinKernels | null;
  /** The memory payload and state addresses point into. */
  readonly mem: ArrayBufferLike;
  /** Zeroed, 64-byte aligned state of `bytes`, for the life of the element; its address. */
  carveState(bytes: number): number;
  /** `buf` itself when its payload is in `mem`; else a counted copy of it there (and `buf` released). */
  adopt(buf: Buffer): Buffer;
}

export function kernelPlace(ctx: ElementContext, element: string): KernelPlace {
  const host = ctx.kernels ?? null;
  const allocator = ctx.allocator;
  const arena = host?.arena ?? (allocator instanceof SharedAllocator ? allocator.arena : null);
  if (arena === null) {
    throw new ParallaxError('ELEMENT_ERROR', `${element}: needs buffers in shared memory (its metadata says sharedMemory; run it in a pipeline or a Harness)`);
  }
  const mem = arena.region.buffer;
  const wasm = host?.builtins ?? null;
  return {
    wasm,
    mem,
    carveState(bytes: number): number {
      if (host !== null) return host.carveState(bytes);
      const at = arena.carve(Math.max(bytes, 64));
      if (at < 0) throw new ParallaxError('ELEMENT_ERROR', `${element}: the arena has no room for ${bytes} bytes of kernel state; raise arenaBytes`);
      zeroFill(new Uint8Array(mem), at, at + bytes);
      return at;
    },
    adopt(buf: Buffer): Buffer {
      if (buf.pool.bytes.buffer === mem) return buf;
      const copy = Buffer.allocate(allocator, buf.size);
      copyPayload(copy.pool.bytes, copy.pool.payloadOffset(copy.slot), buf.data);
      copy.copyMetadataFrom(buf);
      buf.release();
      return copy;
    },
  };
}

/** The address of a buffer's payload in its memory. */
export function payloadAddress(buf: Buffer): number {
  return buf.pool.payloadOffset(buf.slot);
}
