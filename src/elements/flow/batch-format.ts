import { Buffer } from '../../element/buffer.js';
import { Caps, Structure, parseCaps } from '../../element/caps/index.js';
import type { BufferAllocator } from '../../memory/allocator.js';
import { copyPayload } from '../../memory/copy-counter.js';

/**
 * The format `batch` writes and `unbatch` reads: caps `application/x-parallax-batch`, with the
 * batched stream's own caps in the string field `inner` when they are known, and a payload of
 * entries back to back, one per batched buffer, each a 40-byte little-endian header then the
 * buffer's bytes, no padding:
 *
 *   byte 0   u32  payload length in bytes
 *   byte 4   u32  buffer flags
 *   byte 8   f64  pts        (-1 = none, as in the slot header)
 *   byte 16  f64  dts
 *   byte 24  f64  duration
 *   byte 32  f64  offset
 *
 * So unbatch needs nothing but the payload to give back the same buffers with the same metadata.
 */
export const BATCH_MEDIA_TYPE = 'application/x-parallax-batch';
export const ENTRY_HEADER_BYTES = 40;
export const BATCH_CAPS: Caps = parseCaps(BATCH_MEDIA_TYPE);

/** Batch caps carrying `inner`, the caps of what was batched (plain batch caps for ANY or unfixed). */
export function batchCapsFor(inner: Caps): Caps {
  if (!inner.isFixed()) return BATCH_CAPS;
  return Caps.of(new Structure(BATCH_MEDIA_TYPE, { inner: { kind: 'string', value: inner.toString() } }));
}

/** The caps of what a batch holds: its `inner` field, or ANY when there is none. */
export function innerCapsOf(batch: Caps): Caps {
  const inner = batch.structures.length === 1 ? batch.structures[0]!.getString('inner') : undefined;
  return inner === undefined ? Caps.ANY : parseCaps(inner);
}

/** Bytes one buffer of `size` bytes takes in a batch. */
export function entryBytes(size: number): number {
  return ENTRY_HEADER_BYTES + size;
}

/** Writes `buf` as an entry at `at` in `dst`; returns where the next entry goes. The payload copy is counted. */
export function writeEntry(dst: Uint8Array, at: number, buf: Buffer): number {
  const view = new DataView(dst.buffer, dst.byteOffset + at, ENTRY_HEADER_BYTES);
  view.setUint32(0, buf.size, true);
  view.setUint32(4, buf.flags, true);
  view.setFloat64(8, buf.pts, true);
  view.setFloat64(16, buf.dts, true);
  view.setFloat64(24, buf.duration, true);
  view.setFloat64(32, buf.offset, true);
  copyPayload(dst, at + ENTRY_HEADER_BYTES, buf.data);
  return at + ENTRY_HEADER_BYTES + buf.size;
}

/**
 * Reads the entry at `at` of a batch payload into a new buffer (a counted copy: slots cannot be
 * sliced). Returns the buffer and where the next entry starts, or an error text for a payload
 * that is not a well-formed batch.
 */
export function readEntry(allocator: BufferAllocator, src: Uint8Array, at: number): { buf: Buffer; next: number } | string {
  if (src.byteLength - at < ENTRY_HEADER_BYTES) {
    return `malformed batch: ${src.byteLength - at} bytes at byte ${at} are too few for an entry header (${ENTRY_HEADER_BYTES})`;
  }
  const view = new DataView(src.buffer, src.byteOffset + at, ENTRY_HEADER_BYTES);
  const size = view.getUint32(0, true);
  const start = at + ENTRY_HEADER_BYTES;
  if (size > src.byteLength - start) {
    return `malformed batch: the entry at byte ${at} claims ${size} bytes, only ${src.byteLength - start} follow`;
  }
  const buf = Buffer.fromBytes(allocator, src.subarray(start, start + size));
  buf.flags = view.getUint32(4, true);
  buf.pts = view.getFloat64(8, true);
  buf.dts = view.getFloat64(16, true);
  buf.duration = view.getFloat64(24, true);
  buf.offset = view.getFloat64(32, true);
  return { buf, next: start + size };
}
