import { parseCaps } from '../../element/caps/index.js';
import type { Event } from '../../element/event.js';
import type { BufferAllocator } from '../../memory/allocator.js';
import type { SlotPool } from '../../memory/slot-pool.js';

/**
 * What a descriptor's `kind` word says, on every thread link: the item type in the low byte,
 * the number of the arena pool its slot belongs to above it. Buffers keep their payload and
 * header in the slot; events are written into a slot of their own as JSON (they are rare and
 * small, and caps travel as their text form), so order with buffers holds.
 */
export const KIND_BUFFER = 1;
export const KIND_EVENT = 2;

export function kindOf(type: number, poolId: number): number {
  return type | (poolId << 8);
}

export function typeOfKind(kind: number): number {
  return kind & 0xff;
}

export function poolOfKind(kind: number): number {
  return kind >>> 8;
}

export function isBufferKind(kind: number): boolean {
  return (kind & 0xff) === KIND_BUFFER;
}

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** Writes `ev` into a new slot from `allocator`; returns the pool, and the slot and length. */
export function writeEvent(allocator: BufferAllocator, ev: Event): { pool: SlotPool; slot: number; length: number } {
  const bytes = encoder.encode(JSON.stringify(ev, (k, v: unknown) => (k === 'caps' && typeof v === 'object' && v !== null ? { caps: String(v) } : v)));
  const pool = allocator.acquire(bytes.byteLength);
  const slot = allocator.lastSlot;
  // Event metadata, not payload: copied on purpose and not counted as a payload copy.
  pool.bytes.set(bytes, pool.payloadOffset(slot));
  return { pool, slot, length: bytes.byteLength };
}

/** Reads the event in `slot` of `pool` and drops the slot's reference. */
export function readEvent(pool: SlotPool, slot: number, length: number): Event {
  const at = pool.payloadOffset(slot);
  // TextDecoder refuses views of shared memory: copy the few bytes out first.
  const text = decoder.decode(pool.bytes.slice(at, at + length));
  pool.unref(slot);
  return JSON.parse(text, (k, v: unknown) => {
    if (k === 'caps' && typeof v === 'object' && v !== null && 'caps' in v) return parseCaps(String((v as { caps: unknown }).caps));
    return v;
  }) as Event;
}
