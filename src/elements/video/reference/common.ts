import { VIDEO_MAX_DIMENSION, VideoFormat, isVideoFormat, videoFrameSize, videoPlaneOffset, videoPlaneStride } from '../layout.js';

/**
 * What the JS reference kernels share, mirroring assembly/video/common.ts: the error codes and
 * their checks, and the fixed-point and fill helpers. Every helper is allocation-free.
 */

/** The kernels' error codes, in the order every kernel checks them. */
export const VideoKernelError = {
  /** width or height outside 1..16384 */
  DIMENSIONS: -1,
  /** unknown format code */
  FORMAT: -2,
  /** unknown pattern or method */
  MODE: -3,
  /** matrix other than 0 (BT.601) or 1 (BT.709) */
  MATRIX: -4,
  /** another argument out of range (a negative frame number) */
  ARGUMENT: -5,
  /** a frame or state address that is not a multiple of 4 */
  ALIGNMENT: -6,
  /** a frame or state region that ends past the memory */
  BOUNDS: -7,
  /** source and destination (or state) regions overlap */
  OVERLAP: -8,
} as const;

export function dimensionsOk(width: number, height: number): boolean {
  return width >= 1 && height >= 1 && width <= VIDEO_MAX_DIMENSION && height <= VIDEO_MAX_DIMENSION;
}

/** One of the formats every kernel handles (codes 0..3; layout.ts). */
export function formatOk(format: number): format is VideoFormat {
  return format === 0 || format === 1 || format === 2 || format === 3;
}

/** Frame bytes of any format the layout knows (videoflip's and the layout exports'), or FORMAT. */
export function layoutFrameSize(format: number, width: number, height: number): number {
  return isVideoFormat(format) ? videoFrameSize(format, width, height) : VideoKernelError.FORMAT;
}

/** Frame bytes of a format every kernel handles, or FORMAT for another; dimensions already checked. */
export function frameSize(format: number, width: number, height: number): number {
  if (!formatOk(format)) return VideoKernelError.FORMAT;
  if (format === VideoFormat.RGBA || format === VideoFormat.RGB) return mainStride(format, width) * height;
  if (format === VideoFormat.I420) return plane2Offset(width, height) + chromaStride(format, width) * half(height);
  return plane1Offset(width, height) + chromaStride(format, width) * half(height);
}

export const half = (v: number): number => (v + 1) >> 1;
export const ru4 = (v: number): number => (v + 3) & ~3;

export function mainBpp(format: VideoFormat): number {
  return format === VideoFormat.RGBA ? 4 : format === VideoFormat.RGB ? 3 : 1;
}

export function mainStride(format: VideoFormat, width: number): number {
  return videoPlaneStride(format, width, 0);
}

/** Stride of I420's U and V planes or NV12's UV plane. */
export function chromaStride(format: VideoFormat, width: number): number {
  return format === VideoFormat.I420 ? ru4(half(width)) : ru4(width);
}

export function plane1Offset(width: number, height: number): number {
  return videoPlaneOffset(VideoFormat.I420, width, height, 1);
}

export function plane2Offset(width: number, height: number): number {
  return videoPlaneOffset(VideoFormat.I420, width, height, 2);
}

/** 0, ALIGNMENT or BOUNDS for `size` bytes at `ptr` in `mem`. */
export function checkRegion(mem: ArrayBufferLike, ptr: number, size: number): number {
  if ((ptr & 3) !== 0) return VideoKernelError.ALIGNMENT;
  if (ptr + size > mem.byteLength) return VideoKernelError.BOUNDS;
  return 0;
}

export function overlaps(a: number, aSize: number, b: number, bSize: number): boolean {
  return a < b + bSize && b < a + aSize;
}

/** Rounding Q15 multiply: i16x8.q15mulr_sat_s for one lane (never saturates here). */
export function q15(a: number, b: number): number {
  return (a * b + 0x4000) >> 15;
}

/** GStreamer's DIV255: x / 255 rounded, for x in 0..65535. */
export function div255(x: number): number {
  return (x + ((x + 128) >> 8) + 128) >> 8;
}

export function clamp255(v: number): number {
  return v < 0 ? 0 : v > 255 ? 255 : v;
}

/** `count` pixels of `bpp` bytes (little-endian `pixel`) from `ptr`: one stored, then doubled. */
export function fillPixels(u8: Uint8Array, ptr: number, count: number, bpp: number, pixel: number): void {
  if (count <= 0) return;
  if (bpp === 1) {
    u8.fill(pixel & 0xff, ptr, ptr + count);
    return;
  }
  for (let i = 0; i < bpp; i++) u8[ptr + i] = (pixel >>> (8 * i)) & 0xff;
  const total = count * bpp;
  let done = bpp;
  while (done < total) {
    const chunk = Math.min(done, total - done);
    u8.copyWithin(ptr + done, ptr, ptr + chunk);
    done += chunk;
  }
}

/** `rows` rows of `width` pixels; a contiguous plane in one go. */
export function fillRect(u8: Uint8Array, ptr: number, stride: number, width: number, rows: number, bpp: number, pixel: number): void {
  const rowBytes = width * bpp;
  if (stride === rowBytes) {
    fillPixels(u8, ptr, width * rows, bpp, pixel);
    return;
  }
  fillPixels(u8, ptr, width, bpp, pixel);
  for (let y = 1; y < rows; y++) u8.copyWithin(ptr + y * stride, ptr, ptr + rowBytes);
}

/** `rows` rows of `rowBytes` bytes; in one go when both planes are contiguous. */
export function copyRows(u8: Uint8Array, dst: number, dstStride: number, src: number, srcStride: number, rowBytes: number, rows: number): void {
  if (dstStride === rowBytes && srcStride === rowBytes) {
    u8.copyWithin(dst, src, src + rowBytes * rows);
    return;
  }
  for (let y = 0; y < rows; y++) {
    const s = src + y * srcStride;
    u8.copyWithin(dst + y * dstStride, s, s + rowBytes);
  }
}

/** Copies one pixel of `bpp` bytes (1..4), byte by byte. */
export function copyPixel(u8: Uint8Array, d: number, s: number, bpp: number): void {
  u8[d] = u8[s]!;
  if (bpp > 1) u8[d + 1] = u8[s + 1]!;
  if (bpp > 2) u8[d + 2] = u8[s + 2]!;
  if (bpp > 3) u8[d + 3] = u8[s + 3]!;
}
