import type { Region } from './region.js';

/**
 * What a Buffer handle needs of the pool its slot lives in. Two kinds implement it: `Pool`, a
 * free stack for the event loop alone, and `SharedPool`, an atomic bitmap any thread may use.
 * Views span the whole region, and header offsets are region offsets, so a handle indexes the
 * same way into either.
 */
export interface SlotPool {
  readonly region: Region;
  readonly payloadCapacity: number;
  readonly slotCount: number;
  readonly bytes: Uint8Array;
  readonly i32: Int32Array;
  readonly u32: Uint32Array;
  readonly f64: Float64Array;
  /** The pool's number in its arena (shared pools), -1 for a private pool. */
  readonly id: number;
  acquire(): number;
  release(slot: number): void;
  /** Adds a reference to a taken slot; returns the new count. */
  ref(slot: number): number;
  /** Drops a reference; the last one returns the slot. Returns the new count. */
  unref(slot: number): number;
  /** References now (another thread may change it as soon as it is read). */
  refcount(slot: number): number;
  headerOffset(slot: number): number;
  payloadOffset(slot: number): number;
  readonly freeCount: number;
}
