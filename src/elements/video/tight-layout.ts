import { copyPayload } from '../../memory/copy-counter.js';
import { videoLayout, type VideoFormat, type VideoLayout } from './layout.js';

/**
 * A frame's planes tightly packed, as byte streams carry them (Y4M, ffmpeg's rawvideo): each row
 * `width * bytesPerSample` bytes, each plane right after the one before, no spare rows. Beside
 * GStreamer's strided layout (layout.ts) it says where each tight byte lands, so the byte-stream
 * elements copy a frame row by row only when the two differ, and not at all when they are the
 * same (`same`: every stride equals its row and no plane has spare rows, as for I420 with a
 * width that is a multiple of 8 and an even height).
 *
 * Copies go through copyPayload, so they are counted. Any thread; `tightLayout` allocates, the
 * copies do not (but for subarray views).
 */
export interface TightLayout {
  /** GStreamer's strided layout of the same frame. */
  readonly strided: VideoLayout;
  /** Bytes of the tight frame. */
  readonly size: number;
  /** Tight offset of each plane. */
  readonly offsets: readonly number[];
  /** Bytes of one row of each plane. */
  readonly rowBytes: readonly number[];
  /** Whether the tight and strided frames are byte for byte the same layout. */
  readonly same: boolean;
}

export function tightLayout(format: VideoFormat, width: number, height: number): TightLayout {
  const strided = videoLayout(format, width, height);
  const offsets: number[] = [];
  const rowBytes: number[] = [];
  let size = 0;
  let same = true;
  for (const p of strided.planes) {
    const row = p.width * p.bytesPerSample;
    if (p.offset !== size || p.stride !== row) same = false;
    offsets.push(size);
    rowBytes.push(row);
    size += row * p.height;
  }
  if (size !== strided.size) same = false;
  return { strided, size, offsets, rowBytes, same };
}

/**
 * Copies `src`, the tight bytes from `at` of a frame (any part, any length up to the frame's
 * end), into `dst`, the whole strided frame: each row piece where its row lies. Counted.
 */
export function tightToStrided(t: TightLayout, dst: Uint8Array, at: number, src: Uint8Array): void {
  if (t.same) {
    copyPayload(dst, at, src);
    return;
  }
  let done = 0;
  let p = 0;
  while (done < src.byteLength) {
    const pos = at + done;
    while (p + 1 < t.offsets.length && pos >= t.offsets[p + 1]!) p++;
    const row = t.rowBytes[p]!;
    const inPlane = pos - t.offsets[p]!;
    const y = Math.floor(inPlane / row);
    const x = inPlane - y * row;
    const n = Math.min(row - x, src.byteLength - done);
    const plane = t.strided.planes[p]!;
    copyPayload(dst, plane.offset + y * plane.stride + x, src.subarray(done, done + n));
    done += n;
  }
}

/** Copies the strided frame `src` into `dst` (at `at`) tightly packed, row by row. Counted. */
export function stridedToTight(t: TightLayout, src: Uint8Array, dst: Uint8Array, at = 0): void {
  if (t.same) {
    copyPayload(dst, at, src.subarray(0, t.size));
    return;
  }
  t.strided.planes.forEach((plane, p) => {
    const row = t.rowBytes[p]!;
    let d = at + t.offsets[p]!;
    for (let y = 0; y < plane.height; y++, d += row) {
      const s = plane.offset + y * plane.stride;
      copyPayload(dst, d, src.subarray(s, s + row));
    }
  });
}
