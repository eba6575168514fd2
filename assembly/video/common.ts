// Shared by the video kernels: format and error codes, the frame layout (the same rules as
// src/elements/video/layout.ts, GStreamer's default layout), argument checks, and the small
// fixed-point and fill helpers. Nothing here is a WebAssembly export; index.ts lists those.

// Formats, numbered as in layout.ts.
export const FORMAT_RGBA: i32 = 0;
export const FORMAT_RGB: i32 = 1;
export const FORMAT_I420: i32 = 2;
export const FORMAT_NV12: i32 = 3;
// Planar formats only the layout and videoflip know (codes 8 and up; 4..7 are free for formats
// every kernel handles, so `frameSize` below can keep refusing these).
export const FORMAT_Y42B: i32 = 8;
export const FORMAT_Y444: i32 = 9;
export const FORMAT_GRAY8: i32 = 10;

// Colour matrices (limited range, as GStreamer's defaults for YUV).
export const MATRIX_BT601: i32 = 0;
export const MATRIX_BT709: i32 = 1;

// Error codes, checked in this order by every kernel.
export const ERR_DIMENSIONS: i32 = -1; // width or height outside 1..MAX_DIMENSION
export const ERR_FORMAT: i32 = -2; // unknown format code
export const ERR_MODE: i32 = -3; // unknown pattern or method
export const ERR_MATRIX: i32 = -4; // matrix other than 0 (BT.601) or 1 (BT.709)
export const ERR_ARGUMENT: i32 = -5; // another argument out of range (a negative frame number)
export const ERR_ALIGNMENT: i32 = -6; // a frame or state address that is not a multiple of 4
export const ERR_BOUNDS: i32 = -7; // a frame or state region that ends past the memory
export const ERR_OVERLAP: i32 = -8; // source and destination (or state) regions overlap

export const MAX_DIMENSION: i32 = 16384;

@inline export function dimensionsOk(width: i32, height: i32): bool {
  return width >= 1 && height >= 1 && width <= MAX_DIMENSION && height <= MAX_DIMENSION;
}

@inline export function ru4(v: i32): i32 {
  return (v + 3) & ~3;
}

/** Chroma samples for `v` luma samples in 4:2:0: RU2(v) / 2. */
@inline export function half(v: i32): i32 {
  return (v + 1) >> 1;
}

/** Bytes per pixel of plane 0 (RGBA 4, RGB 3, the Y or grey plane 1). */
@inline export function mainBpp(format: i32): i32 {
  return format == FORMAT_RGBA ? 4 : format == FORMAT_RGB ? 3 : 1;
}

/** Stride of plane 0: RGBA width*4, RGB RU4(width*3), the Y or grey plane RU4(width). */
@inline export function mainStride(format: i32, width: i32): i32 {
  return format == FORMAT_RGBA ? width * 4 : format == FORMAT_RGB ? ru4(width * 3) : ru4(width);
}

/** Stride of the chroma planes: I420 RU4(RU2(width)/2) for U and V, NV12 RU4(width) for UV. */
@inline export function chromaStride(format: i32, width: i32): i32 {
  return format == FORMAT_I420 ? ru4(half(width)) : ru4(width);
}

/** Offset of plane 1 (U, or NV12's UV): stride0 * RU2(height). */
@inline export function plane1Offset(width: i32, height: i32): i32 {
  return ru4(width) * ((height + 1) & ~1);
}

/** Offset of I420's plane 2 (V). */
@inline export function plane2Offset(width: i32, height: i32): i32 {
  return plane1Offset(width, height) + ru4(half(width)) * half(height);
}

/**
 * Bytes of a frame of a format every kernel handles (0..3), or ERR_FORMAT: the kernels other
 * than videoflip refuse the planar-only formats through this. Dimensions must already be valid.
 */
export function frameSize(format: i32, width: i32, height: i32): i32 {
  if (format == FORMAT_RGBA || format == FORMAT_RGB) return mainStride(format, width) * height;
  if (format == FORMAT_I420) return plane2Offset(width, height) + ru4(half(width)) * half(height);
  if (format == FORMAT_NV12) return plane1Offset(width, height) + ru4(width) * half(height);
  return ERR_FORMAT;
}

// --- the layout of every format (videoflip and the layout exports) ------------------------

@inline export function layoutFormatOk(format: i32): bool {
  return (format >= FORMAT_RGBA && format <= FORMAT_NV12) || (format >= FORMAT_Y42B && format <= FORMAT_GRAY8);
}

/** Planes of a format the layout knows: 3 for I420, Y42B, Y444; 2 for NV12; else 1. */
export function planeCount(format: i32): i32 {
  if (format == FORMAT_I420 || format == FORMAT_Y42B || format == FORMAT_Y444) return 3;
  return format == FORMAT_NV12 ? 2 : 1;
}

/** Stride of `plane`: Y42B's chroma RU8(w)/2, Y444's and GRAY8's RU4(w), the others as above. */
export function planeStride(format: i32, width: i32, plane: i32): i32 {
  if (plane == 0) return mainStride(format, width);
  if (format == FORMAT_Y42B) return ((width + 7) & ~7) >> 1;
  if (format == FORMAT_Y444) return ru4(width);
  return chromaStride(format, width);
}

/** Samples per row of `plane` (NV12's UV pairs count as one). */
export function planeWidth(format: i32, width: i32, plane: i32): i32 {
  return plane > 0 && format != FORMAT_Y444 ? half(width) : width;
}

/** Rows with pixels in `plane`: half for 4:2:0 chroma, else all. */
export function planeHeight(format: i32, height: i32, plane: i32): i32 {
  return plane > 0 && (format == FORMAT_I420 || format == FORMAT_NV12) ? half(height) : height;
}

/** Bytes per sample of `plane`. */
export function planeBpp(format: i32, plane: i32): i32 {
  return plane == 0 ? mainBpp(format) : format == FORMAT_NV12 ? 2 : 1;
}

/** Offset of `plane`: 4:2:0 formats reserve RU2(h) luma rows, the others h. */
export function planeOffset(format: i32, width: i32, height: i32, plane: i32): i32 {
  if (plane == 0) return 0;
  const lumaRows = format == FORMAT_I420 || format == FORMAT_NV12 ? (height + 1) & ~1 : height;
  const u = ru4(width) * lumaRows;
  return plane == 1 ? u : u + planeStride(format, width, 1) * planeHeight(format, height, 1);
}

/** Bytes of a frame of any format the layout knows, or ERR_FORMAT. Dimensions must be valid. */
export function layoutFrameSize(format: i32, width: i32, height: i32): i32 {
  if (!layoutFormatOk(format)) return ERR_FORMAT;
  const last = planeCount(format) - 1;
  return planeOffset(format, width, height, last) + planeStride(format, width, last) * planeHeight(format, height, last);
}

/** 0, ERR_ALIGNMENT or ERR_BOUNDS for a region of `size` bytes at `ptr`. */
export function checkRegion(ptr: usize, size: i32): i32 {
  if ((ptr & 3) != 0) return ERR_ALIGNMENT;
  if (<u64>ptr + <u64>size > (<u64>memory.size() << 16)) return ERR_BOUNDS;
  return 0;
}

@inline export function overlaps(a: usize, aSize: i32, b: usize, bSize: i32): bool {
  return <u64>a < <u64>b + <u64>bSize && <u64>b < <u64>a + <u64>aSize;
}

/** Rounding Q15 multiply, the scalar twin of i16x8.q15mulr_sat_s (never saturates here). */
@inline export function q15(a: i32, b: i32): i32 {
  return (a * b + 0x4000) >> 15;
}

/** x / 255 rounded, for x in 0..65535 (GStreamer's DIV255). */
@inline export function div255(x: i32): i32 {
  return (x + ((x + 128) >> 8) + 128) >> 8;
}

@inline export function clamp255(v: i32): i32 {
  return v < 0 ? 0 : v > 255 ? 255 : v;
}

/**
 * Writes `count` pixels of `bpp` bytes (1..4), the little-endian `pixel`, from `ptr`: one pixel
 * stored, then doubled with memory.copy (bpp 1 is a plain memory.fill).
 */
export function fillPixels(ptr: usize, count: i32, bpp: i32, pixel: u32): void {
  if (count <= 0) return;
  if (bpp == 1) {
    memory.fill(ptr, <u8>pixel, count);
    return;
  }
  if (bpp == 4) store<u32>(ptr, pixel);
  else if (bpp == 2) store<u16>(ptr, <u16>pixel);
  else {
    store<u8>(ptr, <u8>pixel);
    store<u8>(ptr + 1, <u8>(pixel >> 8));
    store<u8>(ptr + 2, <u8>(pixel >> 16));
  }
  const total = count * bpp;
  let done = bpp;
  while (done < total) {
    const chunk = min(done, total - done);
    memory.copy(ptr + done, ptr, chunk);
    done += chunk;
  }
}

/** Fills `rows` rows of `width` pixels; a contiguous plane (stride == width*bpp) in one go. */
export function fillRect(ptr: usize, stride: i32, width: i32, rows: i32, bpp: i32, pixel: u32): void {
  const rowBytes = width * bpp;
  if (stride == rowBytes) {
    fillPixels(ptr, width * rows, bpp, pixel);
    return;
  }
  fillPixels(ptr, width, bpp, pixel);
  for (let y = 1; y < rows; y++) memory.copy(ptr + <usize>(y * stride), ptr, rowBytes);
}

/** Copies `rows` rows of `rowBytes` bytes; in one go when both planes are contiguous. */
export function copyRows(dst: usize, dstStride: i32, src: usize, srcStride: i32, rowBytes: i32, rows: i32): void {
  if (dstStride == rowBytes && srcStride == rowBytes) {
    memory.copy(dst, src, rowBytes * rows);
    return;
  }
  for (let y = 0; y < rows; y++) {
    memory.copy(dst + <usize>(y * dstStride), src + <usize>(y * srcStride), rowBytes);
  }
}
