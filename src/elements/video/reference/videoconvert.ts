import { viewsOf } from '../../../wasm/views.js';
import { VideoFormat } from '../layout.js';
import {
  VideoKernelError, checkRegion, chromaStride, clamp255, copyRows, dimensionsOk, frameSize, half, mainBpp,
  mainStride, overlaps, plane1Offset, plane2Offset, q15, ru4,
} from './common.js';

/**
 * The JS twins of assembly/video/convert-*.ts, pixel by pixel with the kernels' integer
 * arithmetic, so the bytes match the SIMD kernels exactly (see the coefficient notes there).
 * Every converter takes (mem, src, dst, width, height, matrix) and returns the destination
 * size or an error code; `videoconvert_copy` takes a format instead of a matrix. Data thread
 * only; allocation-free.
 */

// RGB → YUV, Q15: [Y_R, Y_G, Y_B, U_R, U_G, U_B, V_R, V_G, V_B] for BT.601 and BT.709.
const ENCODE = [
  [8415, 16519, 3208, -4857, -9535, 14392, 14392, -12052, -2340],
  [5983, 20127, 2032, -3298, -11094, 14392, 14392, -13072, -1320],
] as const;
// YUV → RGB, Q13: [Y, R_V, G_U, G_V, B_U].
const DECODE = [
  [9539, 13075, -3209, -6660, 16525],
  [9539, 14686, -1747, -4366, 17305],
] as const;
const Y_BIAS = (16 << 7) + 64;
const C_BIAS = (128 << 7) + 64;

type Converter = (mem: ArrayBufferLike, src: number, dst: number, width: number, height: number, matrix: number) => number;

/** The checks every converter makes; the destination size or an error code. */
function check(mem: ArrayBufferLike, src: number, dst: number, width: number, height: number, inFormat: VideoFormat, outFormat: VideoFormat, matrix: number): number {
  if (!dimensionsOk(width, height)) return VideoKernelError.DIMENSIONS;
  if (matrix !== 0 && matrix !== 1) return VideoKernelError.MATRIX;
  const inSize = frameSize(inFormat, width, height);
  const outSize = frameSize(outFormat, width, height);
  let err = checkRegion(mem, src, inSize);
  if (err !== 0) return err;
  err = checkRegion(mem, dst, outSize);
  if (err !== 0) return err;
  if (overlaps(src, inSize, dst, outSize)) return VideoKernelError.OVERLAP;
  return outSize;
}

// --- RGB → YUV --------------------------------------------------------------------------------

function luma(u8: Uint8Array, p: number, k: readonly number[]): number {
  return (q15(u8[p]! << 7, k[0]!) + q15(u8[p + 1]! << 7, k[1]!) + q15(u8[p + 2]! << 7, k[2]!) + Y_BIAS) >> 7;
}

function encoder(inFormat: VideoFormat, outFormat: VideoFormat): Converter {
  return (mem, src, dst, width, height, matrix) => {
    src >>>= 0;
    dst >>>= 0;
    width |= 0;
    height |= 0;
    matrix |= 0;
    const size = check(mem, src, dst, width, height, inFormat, outFormat, matrix);
    if (size < 0) return size;
    const u8 = viewsOf(mem).u8;
    const k = ENCODE[matrix]!;
    const bpp = mainBpp(inFormat);
    const nv12 = outFormat === VideoFormat.NV12;
    const sStride = mainStride(inFormat, width);
    const yStride = ru4(width);
    const cStride = chromaStride(outFormat, width);
    const uBase = dst + plane1Offset(width, height);
    const vBase = dst + plane2Offset(width, height);
    for (let y = 0; y < height; y += 2) {
      const two = y + 1 < height;
      const s0 = src + y * sStride;
      const s1 = two ? s0 + sStride : s0;
      const y0 = dst + y * yStride;
      const y1 = y0 + yStride;
      const u = uBase + (y >> 1) * cStride;
      const v = vBase + (y >> 1) * cStride;
      for (let x = 0; x < width; x += 2) {
        const xb = x + 1 < width ? x + 1 : x;
        const a = s0 + x * bpp, b = s0 + xb * bpp, c = s1 + x * bpp, d = s1 + xb * bpp;
        u8[y0 + x] = luma(u8, a, k);
        if (x + 1 < width) u8[y0 + x + 1] = luma(u8, b, k);
        if (two) {
          u8[y1 + x] = luma(u8, c, k);
          if (x + 1 < width) u8[y1 + x + 1] = luma(u8, d, k);
        }
        const sr = (u8[a]! + u8[b]! + u8[c]! + u8[d]!) << 5;
        const sg = (u8[a + 1]! + u8[b + 1]! + u8[c + 1]! + u8[d + 1]!) << 5;
        const sb = (u8[a + 2]! + u8[b + 2]! + u8[c + 2]! + u8[d + 2]!) << 5;
        const cu = (q15(sr, k[3]) + q15(sg, k[4]) + q15(sb, k[5]) + C_BIAS) >> 7;
        const cv = (q15(sr, k[6]) + q15(sg, k[7]) + q15(sb, k[8]) + C_BIAS) >> 7;
        if (nv12) {
          u8[u + x] = cu;
          u8[u + x + 1] = cv;
        } else {
          u8[u + (x >> 1)] = cu;
          u8[v + (x >> 1)] = cv;
        }
      }
    }
    return size;
  };
}

export const videoconvert_rgba_to_i420: Converter = encoder(VideoFormat.RGBA, VideoFormat.I420);
export const videoconvert_rgba_to_nv12: Converter = encoder(VideoFormat.RGBA, VideoFormat.NV12);
export const videoconvert_rgb_to_i420: Converter = encoder(VideoFormat.RGB, VideoFormat.I420);
export const videoconvert_rgb_to_nv12: Converter = encoder(VideoFormat.RGB, VideoFormat.NV12);

// --- YUV → RGB --------------------------------------------------------------------------------

function decoder(inFormat: VideoFormat, outFormat: VideoFormat): Converter {
  return (mem, src, dst, width, height, matrix) => {
    src >>>= 0;
    dst >>>= 0;
    width |= 0;
    height |= 0;
    matrix |= 0;
    const size = check(mem, src, dst, width, height, inFormat, outFormat, matrix);
    if (size < 0) return size;
    const u8 = viewsOf(mem).u8;
    const k = DECODE[matrix]!;
    const nv12 = inFormat === VideoFormat.NV12;
    const bpp = mainBpp(outFormat);
    const yStride = ru4(width);
    const cStride = chromaStride(inFormat, width);
    const dStride = mainStride(outFormat, width);
    const uBase = src + plane1Offset(width, height);
    const vBase = src + plane2Offset(width, height);
    for (let y = 0; y < height; y++) {
      const yRow = src + y * yStride;
      const u = uBase + (y >> 1) * cStride;
      const v = vBase + (y >> 1) * cStride;
      const out = dst + y * dStride;
      for (let x = 0; x < width; x++) {
        const cx = x >> 1;
        const cu = nv12 ? u8[u + cx * 2]! : u8[u + cx]!;
        const cv = nv12 ? u8[u + cx * 2 + 1]! : u8[v + cx]!;
        const yt = q15((u8[yRow + x]! - 16) << 7, k[0]);
        const ud = (cu - 128) << 7;
        const vd = (cv - 128) << 7;
        const p = out + x * bpp;
        u8[p] = clamp255((yt + q15(vd, k[1]) + 16) >> 5);
        u8[p + 1] = clamp255((yt + q15(ud, k[2]) + q15(vd, k[3]) + 16) >> 5);
        u8[p + 2] = clamp255((yt + q15(ud, k[4]) + 16) >> 5);
        if (bpp === 4) u8[p + 3] = 255;
      }
    }
    return size;
  };
}

export const videoconvert_i420_to_rgba: Converter = decoder(VideoFormat.I420, VideoFormat.RGBA);
export const videoconvert_i420_to_rgb: Converter = decoder(VideoFormat.I420, VideoFormat.RGB);
export const videoconvert_nv12_to_rgba: Converter = decoder(VideoFormat.NV12, VideoFormat.RGBA);
export const videoconvert_nv12_to_rgb: Converter = decoder(VideoFormat.NV12, VideoFormat.RGB);

// --- without a matrix -------------------------------------------------------------------------

export function videoconvert_rgba_to_rgb(mem: ArrayBufferLike, src: number, dst: number, width: number, height: number, matrix: number): number {
  src >>>= 0;
  dst >>>= 0;
  width |= 0;
  height |= 0;
  const size = check(mem, src, dst, width, height, VideoFormat.RGBA, VideoFormat.RGB, matrix | 0);
  if (size < 0) return size;
  const u8 = viewsOf(mem).u8;
  const dStride = mainStride(VideoFormat.RGB, width);
  for (let y = 0; y < height; y++) {
    let s = src + y * width * 4;
    let d = dst + y * dStride;
    for (let x = 0; x < width; x++, s += 4, d += 3) {
      u8[d] = u8[s]!;
      u8[d + 1] = u8[s + 1]!;
      u8[d + 2] = u8[s + 2]!;
    }
  }
  return size;
}

export function videoconvert_rgb_to_rgba(mem: ArrayBufferLike, src: number, dst: number, width: number, height: number, matrix: number): number {
  src >>>= 0;
  dst >>>= 0;
  width |= 0;
  height |= 0;
  const size = check(mem, src, dst, width, height, VideoFormat.RGB, VideoFormat.RGBA, matrix | 0);
  if (size < 0) return size;
  const u8 = viewsOf(mem).u8;
  const sStride = mainStride(VideoFormat.RGB, width);
  for (let y = 0; y < height; y++) {
    let s = src + y * sStride;
    let d = dst + y * width * 4;
    for (let x = 0; x < width; x++, s += 3, d += 4) {
      u8[d] = u8[s]!;
      u8[d + 1] = u8[s + 1]!;
      u8[d + 2] = u8[s + 2]!;
      u8[d + 3] = 255;
    }
  }
  return size;
}

export function videoconvert_i420_to_nv12(mem: ArrayBufferLike, src: number, dst: number, width: number, height: number, matrix: number): number {
  src >>>= 0;
  dst >>>= 0;
  width |= 0;
  height |= 0;
  const size = check(mem, src, dst, width, height, VideoFormat.I420, VideoFormat.NV12, matrix | 0);
  if (size < 0) return size;
  const u8 = viewsOf(mem).u8;
  copyRows(u8, dst, ru4(width), src, ru4(width), width, height);
  const sStride = chromaStride(VideoFormat.I420, width);
  const dStride = chromaStride(VideoFormat.NV12, width);
  const uBase = src + plane1Offset(width, height);
  const vBase = src + plane2Offset(width, height);
  const uvBase = dst + plane1Offset(width, height);
  for (let cy = 0; cy < half(height); cy++) {
    const u = uBase + cy * sStride, v = vBase + cy * sStride, uv = uvBase + cy * dStride;
    for (let x = 0; x < half(width); x++) {
      u8[uv + x * 2] = u8[u + x]!;
      u8[uv + x * 2 + 1] = u8[v + x]!;
    }
  }
  return size;
}

export function videoconvert_nv12_to_i420(mem: ArrayBufferLike, src: number, dst: number, width: number, height: number, matrix: number): number {
  src >>>= 0;
  dst >>>= 0;
  width |= 0;
  height |= 0;
  const size = check(mem, src, dst, width, height, VideoFormat.NV12, VideoFormat.I420, matrix | 0);
  if (size < 0) return size;
  const u8 = viewsOf(mem).u8;
  copyRows(u8, dst, ru4(width), src, ru4(width), width, height);
  const sStride = chromaStride(VideoFormat.NV12, width);
  const dStride = chromaStride(VideoFormat.I420, width);
  const uvBase = src + plane1Offset(width, height);
  const uBase = dst + plane1Offset(width, height);
  const vBase = dst + plane2Offset(width, height);
  for (let cy = 0; cy < half(height); cy++) {
    const uv = uvBase + cy * sStride, u = uBase + cy * dStride, v = vBase + cy * dStride;
    for (let x = 0; x < half(width); x++) {
      u8[u + x] = u8[uv + x * 2]!;
      u8[v + x] = u8[uv + x * 2 + 1]!;
    }
  }
  return size;
}

/** Copies a frame's pixels (not its row padding) to a frame of the same format and size. */
export function videoconvert_copy(mem: ArrayBufferLike, src: number, dst: number, width: number, height: number, format: number): number {
  src >>>= 0;
  dst >>>= 0;
  width |= 0;
  height |= 0;
  format |= 0;
  if (!dimensionsOk(width, height)) return VideoKernelError.DIMENSIONS;
  const size = frameSize(format, width, height);
  if (size < 0) return size;
  const f = format as VideoFormat;
  let err = checkRegion(mem, src, size);
  if (err !== 0) return err;
  err = checkRegion(mem, dst, size);
  if (err !== 0) return err;
  if (overlaps(src, size, dst, size)) return VideoKernelError.OVERLAP;
  const u8 = viewsOf(mem).u8;
  const stride = mainStride(f, width);
  copyRows(u8, dst, stride, src, stride, width * mainBpp(f), height);
  if (f === VideoFormat.I420) {
    const cs = chromaStride(f, width);
    const o1 = plane1Offset(width, height);
    const o2 = plane2Offset(width, height);
    copyRows(u8, dst + o1, cs, src + o1, cs, half(width), half(height));
    copyRows(u8, dst + o2, cs, src + o2, cs, half(width), half(height));
  } else if (f === VideoFormat.NV12) {
    const o1 = plane1Offset(width, height);
    copyRows(u8, dst + o1, stride, src + o1, stride, half(width) * 2, half(height));
  }
  return size;
}
