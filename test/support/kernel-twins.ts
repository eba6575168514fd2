import { expect } from 'vitest';
import { viewsOf, type MemoryViews } from '../../src/wasm/views.js';
import { loadKernels, type KernelSandbox } from './wasm-kernels.js';

/**
 * The harness the kernel tests share: every call runs on two copies of the same bytes, the WASM
 * kernel on one (`w`) and its JS reference on the other (`j`), and the results, the bytes and a
 * canary after each area must agree.
 */
export type Kernel = (...args: number[]) => number;
export type RefKernel = (mem: ArrayBufferLike, ...args: number[]) => number;
export type Side = 'w' | 'j';

/** One area in two copies: `w` for the WASM kernel, `j` for the JS reference. */
export interface Area {
  readonly w: number;
  readonly j: number;
  readonly bytes: number;
}

export const GUARD = 64;
export const CANARY = 0xa5;

export interface KernelTwins {
  readonly sb: KernelSandbox;
  readonly mem: ArrayBufferLike;
  readonly v: MemoryViews;
  wasm(name: string): Kernel;
  reference(name: string): RefKernel;
  /** Reserves an area twice, each followed by a canary (and first filled with `pre`, if given); `init` fills the WASM copy, which is then copied. */
  area(bytes: number, init?: (at: number) => void): Area;
  /** Calls the kernel on the `w` side and the reference on the `j` side; their results must agree. */
  both(name: string, args: (s: Side) => number[]): number;
  /** Both copies of each area hold the same bytes, and neither canary was touched. */
  expectSame(label: string, ...areas: Area[]): void;
}

export function kernelTwins(references: Record<string, unknown>, options: { pre?: number } = {}): KernelTwins {
  const sb = loadKernels();
  const mem = sb.memory.buffer;
  const v = viewsOf(mem);
  const wasm = (name: string): Kernel => {
    const f = sb.exports[name];
    if (typeof f !== 'function') throw new Error(`no WASM export ${name}`);
    return f as unknown as Kernel;
  };
  const reference = (name: string): RefKernel => {
    const f = references[name];
    if (typeof f !== 'function') throw new Error(`no reference ${name}`);
    return f as RefKernel;
  };
  return {
    sb,
    mem,
    v,
    wasm,
    reference,
    area(bytes, init) {
      const w = sb.alloc(bytes + GUARD);
      const j = sb.alloc(bytes + GUARD);
      for (const at of [w, j]) {
        if (options.pre !== undefined) v.u8.fill(options.pre, at, at + bytes);
        v.u8.fill(CANARY, at + bytes, at + bytes + GUARD);
      }
      if (init !== undefined) {
        init(w);
        v.u8.copyWithin(j, w, w + bytes);
      }
      return { w, j, bytes };
    },
    both(name, args) {
      const a = wasm(name)(...args('w'));
      const b = reference(name)(mem, ...args('j'));
      expect(b, `${name}: reference result vs WASM result`).toBe(a);
      return a;
    },
    expectSame(label, ...areas) {
      for (const a of areas) {
        let at = -1;
        for (let i = 0; i < a.bytes; i++) {
          if (v.u8[a.w + i] !== v.u8[a.j + i]) {
            at = i;
            break;
          }
        }
        expect(at, `${label}: first differing byte of ${a.bytes} (WASM ${v.u8[a.w + at]} vs JS ${v.u8[a.j + at]})`).toBe(-1);
        for (const base of [a.w, a.j]) {
          const guard = v.u8.subarray(base + a.bytes, base + a.bytes + GUARD);
          expect(guard.every((b) => b === CANARY), `${label}: canary after ${base === a.w ? 'WASM' : 'JS'} area`).toBe(true);
        }
      }
    },
  };
}
