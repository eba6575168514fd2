/**
 * A region is a contiguous byte range that pools and rings are laid out in, by offset.
 *
 * Layouts never hold pointers, only offsets into a region, so the same layout works over every
 * kind of region: a plain heap ArrayBuffer (this file), and later a SharedArrayBuffer, a shared
 * WebAssembly.Memory, or a memfd mapping. A region is sized when the pipeline prepares, never in
 * the hot path.
 */
export interface Region {
  /** What backs the region, for stats and `-v` output ("heap", "sab", "wasm", "memfd"). */
  readonly kind: string;
  readonly byteLength: number;
  /** The backing store. Views over it are built once, by the pool, not per buffer. */
  readonly buffer: ArrayBufferLike;
  /** Whether other threads can map the same bytes (and Atomics can wait on them). */
  readonly shared: boolean;
}

/** A region on the JS heap: visible to this thread only. Enough for the event-loop executor. */
export class HeapRegion implements Region {
  readonly kind = 'heap';
  readonly shared = false;
  readonly buffer: ArrayBuffer;

  constructor(readonly byteLength: number) {
    checkRegionSize(byteLength);
    this.buffer = new ArrayBuffer(byteLength);
  }
}

/** Rounds `n` up to a multiple of `align` (a power of two). */
export function alignUp(n: number, align: number): number {
  // Arithmetic, not bit masks: sizes of 2 GiB and more must not wrap to negative numbers.
  return Math.ceil(n / align) * align;
}

/** Throws a RangeError unless `byteLength` is a positive integer. */
export function checkRegionSize(byteLength: number): void {
  if (!Number.isInteger(byteLength) || byteLength <= 0) {
    throw new RangeError(`region size must be a positive integer, got ${byteLength}`);
  }
}
