import type { Buffer } from '../element/buffer.js';
import { copyPayload } from '../memory/copy-counter.js';
import { alignUp } from '../memory/region.js';
import { kernelImports, type KernelHost } from './kernel-host.js';
import { readKernelString } from './kernel-string.js';
import { CAPS_STRUCT_BYTES } from './user-abi.js';
import type { CapsWords } from './caps-struct.js';
import { dataEnd, memoryFor, type UserModule } from './user-module.js';
import { placeUserModule } from './user-placement.js';

type Fn = (...args: number[]) => number;

/** Bytes a private memory keeps for input and output at first; it grows for bigger buffers. */
const PRIVATE_IO_BYTES = 64 * 1024;
/** Room left for a private module's own heap before the engine's areas. */
const PRIVATE_HEAP_BYTES = 16 * 1024 * 1024;
/** A shared private memory must state its maximum up front: 256 MiB of address space at most. */
const PRIVATE_MAX_PAGES = 4096;
const PAGE = 65536;

/**
 * One running instance of a user module (doc/design/006): its state, its caps struct, and the
 * memory it runs in.
 *
 * Shared: instantiated over the arena's memory, its state carved from the arena; it reads and
 * writes payloads where they lie, by address. Private: instantiated over a memory of its own
 * (the module kept its own memory, or failed a check — `mode` says which); each call copies the
 * input in and the output out with `copyPayload`, so the copies show in `bytesCopied`.
 *
 * Data thread or event loop, the thread that created it. Calls may throw what the kernel throws
 * (a WebAssembly.RuntimeError, or a KernelTrap from env.abort): the element reports those.
 */
export class UserKernel {
  /** "shared", or "private: <why>". */
  readonly mode: string;
  private readonly fns: Readonly<Record<string, Fn>>;
  private readonly memory: WebAssembly.Memory;
  private readonly caps: number;
  private readonly state: number;
  /** Private memory only: where the input and output areas start, and how many bytes they have. */
  private readonly io: number;
  private ioBytes: number;
  private u8: Uint8Array;
  private readonly host: KernelHost | null;

  private constructor(readonly module: UserModule, host: KernelHost | null) {
    const placement = placeUserModule(module, host);
    const size = module.stateSize;
    if (placement.shared) {
      this.host = host;
      this.mode = 'shared';
      const instance = new WebAssembly.Instance(module.module, { env: host!.imports() });
      this.fns = instance.exports as unknown as Record<string, Fn>;
      this.memory = host!.memory;
      this.caps = host!.carveState(CAPS_STRUCT_BYTES + size);
      this.state = this.caps + CAPS_STRUCT_BYTES;
      this.io = 0;
      this.ioBytes = 0;
    } else {
      this.host = null;
      this.mode = `private: ${placement.reason}`;
      // The caps struct and the state go after the module's constant data, then the I/O areas. A
      // module with mutable globals may carry AssemblyScript's stub allocator, which bumps up
      // from the end of its data: leave it PRIVATE_HEAP_BYTES first, so an allocation in
      // pxl_init or pxl_error does not land on the engine's areas. (The stub never frees: a
      // kernel that allocates per buffer will still run out; the SDK says not to.)
      const heap = module.scan.mutableGlobals > 0 ? PRIVATE_HEAP_BYTES : 0;
      const base = alignUp(Math.max(dataEnd(module.scan), 1024), 64) + heap;
      this.caps = base;
      this.state = base + CAPS_STRUCT_BYTES;
      this.io = alignUp(this.state + size, 64);
      this.ioBytes = PRIVATE_IO_BYTES;
      let memory: WebAssembly.Memory | null = null;
      let own: WebAssembly.Memory | null = null;
      if (module.scan.memoryImport !== null) memory = memoryFor(module.scan, this.io + this.ioBytes, PRIVATE_MAX_PAGES);
      const instance = new WebAssembly.Instance(module.module, { env: kernelImports(memory ?? (() => own)) });
      if (module.memoryExport !== null) own = instance.exports[module.memoryExport] as WebAssembly.Memory;
      this.fns = instance.exports as unknown as Record<string, Fn>;
      this.memory = memory ?? own!;
      this.growTo(this.io + this.ioBytes);
      new Uint8Array(this.memory.buffer, this.caps, CAPS_STRUCT_BYTES + size).fill(0);
    }
    this.u8 = new Uint8Array(this.memory.buffer);
  }

  /**
   * Places the module (claiming its data in the arena when it shares it), instantiates it and
   * carves zeroed state. Does not call pxl_init: `init()` does, so its error can be reported.
   */
  static create(module: UserModule, host: KernelHost | null): UserKernel {
    return new UserKernel(module, host);
  }

  get shared(): boolean {
    return this.host !== null;
  }

  /** pxl_init, when the module has it: 0 or a negative code. */
  init(): number {
    return this.module.exports.has('pxl_init') ? this.fns['pxl_init']!(this.state) : 0;
  }

  setProperty(index: number, value: number): number {
    return this.fns['pxl_set_property']!(this.state, index, value);
  }

  /** Writes the caps struct and calls pxl_set_caps. */
  setCaps(words: CapsWords): number {
    const dv = new DataView(this.memory.buffer, this.caps, CAPS_STRUCT_BYTES);
    for (let i = 0; i < CAPS_STRUCT_BYTES / 4; i++) dv.setUint32(i * 4, words[i] ?? 0, true);
    return this.fns['pxl_set_caps']!(this.state, this.caps);
  }

  /** The kernel's text for its last error (pxl_error), or '' when it has none to give. */
  errorText(): string {
    if (!this.module.exports.has('pxl_error')) return '';
    try {
      return readKernelString(this.memory.buffer, this.fns['pxl_error']!(this.state) >>> 0);
    } catch (e) {
      return `<pxl_error failed: ${e instanceof Error ? e.message : String(e)}>`;
    }
  }

  /** Whether the kernel can address `buf` where it lies: always in private mode (it is copied). */
  reaches(buf: Buffer): boolean {
    return this.host === null || buf.pool.region.buffer === this.memory.buffer;
  }

  /**
   * pxl_process. `output` null: in place, over `input` (up to its capacity). Returns what the
   * kernel returned: bytes written, or a negative code. Data thread hot path: no allocation in
   * shared mode.
   */
  process(input: Buffer, output: Buffer | null): number {
    const fn = this.fns['pxl_process']!;
    const inLen = input.size;
    const outCap = output === null ? input.capacity : output.size;
    if (this.host !== null) {
      const at = input.pool.payloadOffset(input.slot);
      return fn(this.state, at, inLen, output === null ? at : output.pool.payloadOffset(output.slot), outCap);
    }
    const outAt = output === null ? this.io : this.io + alignUp(Math.max(inLen, 1), 64);
    this.reserve(outAt - this.io + outCap);
    copyPayload(this.u8, this.io, input.data);
    const r = fn(this.state, this.io, inLen, outAt, outCap);
    if (r > 0 && r <= outCap) this.copyOut(output ?? input, outAt, r);
    return r;
  }

  /** pxl_fill into `output` (its size is the capacity offered). Returns bytes, -1 (end) or an error. */
  fill(output: Buffer, pts: number): number {
    const fn = this.fns['pxl_fill']!;
    const cap = output.size;
    if (this.host !== null) return fn(this.state, output.pool.payloadOffset(output.slot), cap, pts);
    this.reserve(cap);
    const r = fn(this.state, this.io, cap, pts);
    if (r > 0 && r <= cap) this.copyOut(output, this.io, r);
    return r;
  }

  /** pxl_consume over `input`. Returns 0 or a negative code. */
  consume(input: Buffer): number {
    const fn = this.fns['pxl_consume']!;
    if (this.host !== null) return fn(this.state, input.pool.payloadOffset(input.slot), input.size);
    this.reserve(input.size);
    copyPayload(this.u8, this.io, input.data);
    return fn(this.state, this.io, input.size);
  }

  /** Private memory: copies `n` result bytes at `from` into the payload of `buf` (counted). */
  private copyOut(buf: Buffer, from: number, n: number): void {
    copyPayload(buf.pool.bytes, buf.pool.payloadOffset(buf.slot), this.u8.subarray(from, from + n));
  }

  /** Private memory: makes the I/O area at least `bytes` long, growing the memory if it must. */
  private reserve(bytes: number): void {
    if (bytes > this.ioBytes) {
      this.ioBytes = alignUp(bytes, PAGE);
      this.growTo(this.io + this.ioBytes);
    }
    if (this.u8.byteLength !== this.memory.buffer.byteLength) this.u8 = new Uint8Array(this.memory.buffer);
  }

  private growTo(bytes: number): void {
    const pages = Math.ceil(bytes / PAGE) - this.memory.buffer.byteLength / PAGE;
    if (pages > 0) this.memory.grow(pages);
  }
}
