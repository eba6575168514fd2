// videoconvert, YUV → RGB: I420 or NV12 to RGBA or RGB, row by row, 16 pixels per SIMD step
// and a scalar tail with the same arithmetic. Chroma is upsampled by repetition (each sample
// covers its 2x2 block). With yd = (Y-16)<<7, ud = (U-128)<<7, vd = (V-128)<<7 and
// q15(a, k) = (a*k + 0x4000) >> 15 (i16x8.q15mulr_sat_s), k = round(coefficient * 8192):
//   R = clamp((q15(yd, kY) + q15(vd, kRV) + 16) >> 5)
//   G = clamp((q15(yd, kY) + q15(ud, kGU) + q15(vd, kGV) + 16) >> 5)
//   B = clamp((q15(yd, kY) + q15(ud, kBU) + 16) >> 5)
// RGBA output has A = 255.
import {
  FORMAT_I420, FORMAT_NV12, FORMAT_RGB, FORMAT_RGBA, MATRIX_BT709, chromaStride, clamp255,
  mainStride, plane1Offset, plane2Offset, q15, ru4,
} from './common';
import { checkConvert } from './convert-encode';

// Q13, limited range in: 255/219 for Y, 255/224 scaled chroma terms.
const K_Y: i32 = 9539;
@inline function kRV(m: i32): i32 { return m == MATRIX_BT709 ? 14686 : 13075; }
@inline function kGU(m: i32): i32 { return m == MATRIX_BT709 ? -1747 : -3209; }
@inline function kGV(m: i32): i32 { return m == MATRIX_BT709 ? -4366 : -6660; }
@inline function kBU(m: i32): i32 { return m == MATRIX_BT709 ? 17305 : 16525; }

/** Repeats lanes 0..3 (lo) or 4..7 (hi) of an i16x8 twice each. */
@inline function dupLo(v: v128): v128 {
  return i8x16.shuffle(v, v, 0, 1, 0, 1, 2, 3, 2, 3, 4, 5, 4, 5, 6, 7, 6, 7);
}

@inline function dupHi(v: v128): v128 {
  return i8x16.shuffle(v, v, 8, 9, 8, 9, 10, 11, 10, 11, 12, 13, 12, 13, 14, 15, 14, 15);
}

/** 16 bytes of one channel from the luma terms (lo, hi) and the chroma term (8 lanes). */
@inline function channel16(ylo: v128, yhi: v128, c: v128): v128 {
  const round = i16x8.splat(16);
  const lo = i16x8.shr_s(i16x8.add(i16x8.add(ylo, dupLo(c)), round), 5);
  const hi = i16x8.shr_s(i16x8.add(i16x8.add(yhi, dupHi(c)), round), 5);
  return i8x16.narrow_i16x8_u(lo, hi);
}

@inline function storeRGBA(p: usize, r: v128, g: v128, b: v128): void {
  const a = i8x16.splat(-1);
  const rgLo = i8x16.shuffle(r, g, 0, 16, 1, 17, 2, 18, 3, 19, 4, 20, 5, 21, 6, 22, 7, 23);
  const rgHi = i8x16.shuffle(r, g, 8, 24, 9, 25, 10, 26, 11, 27, 12, 28, 13, 29, 14, 30, 15, 31);
  const baLo = i8x16.shuffle(b, a, 0, 16, 1, 17, 2, 18, 3, 19, 4, 20, 5, 21, 6, 22, 7, 23);
  const baHi = i8x16.shuffle(b, a, 8, 24, 9, 25, 10, 26, 11, 27, 12, 28, 13, 29, 14, 30, 15, 31);
  v128.store(p, i8x16.shuffle(rgLo, baLo, 0, 1, 16, 17, 2, 3, 18, 19, 4, 5, 20, 21, 6, 7, 22, 23));
  v128.store(p, i8x16.shuffle(rgLo, baLo, 8, 9, 24, 25, 10, 11, 26, 27, 12, 13, 28, 29, 14, 15, 30, 31), 16);
  v128.store(p, i8x16.shuffle(rgHi, baHi, 0, 1, 16, 17, 2, 3, 18, 19, 4, 5, 20, 21, 6, 7, 22, 23), 32);
  v128.store(p, i8x16.shuffle(rgHi, baHi, 8, 9, 24, 25, 10, 11, 26, 27, 12, 13, 28, 29, 14, 15, 30, 31), 48);
}

@inline function storeRGB(p: usize, r: v128, g: v128, b: v128): void {
  const rgLo = i8x16.shuffle(r, g, 0, 16, 1, 17, 2, 18, 3, 19, 4, 20, 5, 21, 6, 22, 7, 23);
  const rgHi = i8x16.shuffle(r, g, 8, 24, 9, 25, 10, 26, 11, 27, 12, 28, 13, 29, 14, 30, 15, 31);
  // R0 G0 B0 ... R5
  v128.store(p, i8x16.shuffle(rgLo, b, 0, 1, 16, 2, 3, 17, 4, 5, 18, 6, 7, 19, 8, 9, 20, 10));
  // G5 B5 R6 G6 B6 R7 G7 B7 R8 G8 B8 R9 G9 B9 R10 G10
  const mid = i8x16.shuffle(rgLo, rgHi, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 0, 0, 0, 0, 0);
  v128.store(p, i8x16.shuffle(mid, b, 0, 21, 1, 2, 22, 3, 4, 23, 5, 6, 24, 7, 8, 25, 9, 10), 16);
  // B10 R11 G11 B11 ... R15 G15 B15
  v128.store(p, i8x16.shuffle(rgHi, b, 26, 6, 7, 27, 8, 9, 28, 10, 11, 29, 12, 13, 30, 14, 15, 31), 32);
}

/** One output row from a luma row and its chroma row (NV12: `u` is the UV row). */
@inline function decodeRow(yRow: usize, u: usize, v: usize, nv12: bool, out: usize, bpp: i32, width: i32, m: i32): void {
  const ky = i16x8.splat(<i16>K_Y);
  const krv = i16x8.splat(<i16>kRV(m));
  const kgu = i16x8.splat(<i16>kGU(m));
  const kgv = i16x8.splat(<i16>kGV(m));
  const kbu = i16x8.splat(<i16>kBU(m));
  const c16 = i16x8.splat(16);
  const c128 = i16x8.splat(128);
  let x = 0;
  for (; x + 16 <= width; x += 16) {
    const yb = v128.load(yRow + <usize>x);
    const ylo = i16x8.q15mulr_sat_s(i16x8.shl(i16x8.sub(i16x8.extend_low_i8x16_u(yb), c16), 7), ky);
    const yhi = i16x8.q15mulr_sat_s(i16x8.shl(i16x8.sub(i16x8.extend_high_i8x16_u(yb), c16), 7), ky);
    let ud: v128, vd: v128;
    if (nv12) {
      const uv = v128.load(u + <usize>x);
      ud = i16x8.shl(i16x8.sub(v128.and(uv, i16x8.splat(0xff)), c128), 7);
      vd = i16x8.shl(i16x8.sub(i16x8.shr_u(uv, 8), c128), 7);
    } else {
      ud = i16x8.shl(i16x8.sub(i16x8.extend_low_i8x16_u(v128.load64_zero(u + <usize>(x >> 1))), c128), 7);
      vd = i16x8.shl(i16x8.sub(i16x8.extend_low_i8x16_u(v128.load64_zero(v + <usize>(x >> 1))), c128), 7);
    }
    const rc = i16x8.q15mulr_sat_s(vd, krv);
    const gc = i16x8.add(i16x8.q15mulr_sat_s(ud, kgu), i16x8.q15mulr_sat_s(vd, kgv));
    const bc = i16x8.q15mulr_sat_s(ud, kbu);
    const r = channel16(ylo, yhi, rc);
    const g = channel16(ylo, yhi, gc);
    const b = channel16(ylo, yhi, bc);
    if (bpp == 4) storeRGBA(out + <usize>(x * 4), r, g, b);
    else storeRGB(out + <usize>(x * 3), r, g, b);
  }
  for (; x < width; x++) {
    const cx = x >> 1;
    let cu: i32, cv: i32;
    if (nv12) {
      cu = load<u8>(u + <usize>(cx * 2));
      cv = load<u8>(u + <usize>(cx * 2 + 1));
    } else {
      cu = load<u8>(u + <usize>cx);
      cv = load<u8>(v + <usize>cx);
    }
    const yt = q15((<i32>load<u8>(yRow + <usize>x) - 16) << 7, K_Y);
    const ud = (cu - 128) << 7;
    const vd = (cv - 128) << 7;
    const p = out + <usize>(x * bpp);
    store<u8>(p, <u8>clamp255((yt + q15(vd, kRV(m)) + 16) >> 5));
    store<u8>(p + 1, <u8>clamp255((yt + q15(ud, kGU(m)) + q15(vd, kGV(m)) + 16) >> 5));
    store<u8>(p + 2, <u8>clamp255((yt + q15(ud, kBU(m)) + 16) >> 5));
    if (bpp == 4) store<u8>(p + 3, 255);
  }
}

@inline function decode(src: usize, dst: usize, width: i32, height: i32, matrix: i32, inFormat: i32, outFormat: i32): i32 {
  const size = checkConvert(src, dst, width, height, inFormat, outFormat, matrix);
  if (size < 0) return size;
  const nv12 = inFormat == FORMAT_NV12;
  const bpp = outFormat == FORMAT_RGBA ? 4 : 3;
  const yStride = ru4(width);
  const cStride = chromaStride(inFormat, width);
  const dStride = mainStride(outFormat, width);
  const uBase = src + <usize>plane1Offset(width, height);
  const vBase = src + <usize>plane2Offset(width, height);
  for (let y = 0; y < height; y++) {
    const cy = y >> 1;
    decodeRow(src + <usize>(y * yStride), uBase + <usize>(cy * cStride), vBase + <usize>(cy * cStride), nv12,
      dst + <usize>(y * dStride), bpp, width, matrix);
  }
  return size;
}

export function videoconvert_i420_to_rgba(src: usize, dst: usize, width: i32, height: i32, matrix: i32): i32 {
  return decode(src, dst, width, height, matrix, FORMAT_I420, FORMAT_RGBA);
}

export function videoconvert_i420_to_rgb(src: usize, dst: usize, width: i32, height: i32, matrix: i32): i32 {
  return decode(src, dst, width, height, matrix, FORMAT_I420, FORMAT_RGB);
}

export function videoconvert_nv12_to_rgba(src: usize, dst: usize, width: i32, height: i32, matrix: i32): i32 {
  return decode(src, dst, width, height, matrix, FORMAT_NV12, FORMAT_RGBA);
}

export function videoconvert_nv12_to_rgb(src: usize, dst: usize, width: i32, height: i32, matrix: i32): i32 {
  return decode(src, dst, width, height, matrix, FORMAT_NV12, FORMAT_RGB);
}
