// videoconvert, RGB → YUV: RGBA or RGB to I420 or NV12. Two source rows at a time give two Y
// rows and one chroma row; 16 pixels per SIMD step, a scalar tail with the same arithmetic.
//
// Y = (q15(R<<7, kYR) + q15(G<<7, kYG) + q15(B<<7, kYB) + (16<<7) + 64) >> 7
// U = (q15(sR<<5, kUR) + q15(sG<<5, kUG) + q15(sB<<5, kUB) + (128<<7) + 64) >> 7, V likewise,
// where q15(a, k) = (a*k + 0x4000) >> 15 (i16x8.q15mulr_sat_s), k = round(coefficient * 32768)
// and sR is the sum of the 2x2 block's R (edge pixels repeated at an odd width or height).
import {
  ERR_DIMENSIONS, ERR_MATRIX, ERR_OVERLAP, FORMAT_I420, FORMAT_NV12, FORMAT_RGB, FORMAT_RGBA,
  MATRIX_BT601, MATRIX_BT709, checkRegion, dimensionsOk, frameSize, half, mainStride, overlaps,
  plane1Offset, plane2Offset, q15, ru4,
} from './common';

// kY*, kU*, kV* in Q15 for limited range (Y 16..235, U/V 16..240) from full-range RGB.
// BT.601 (Kr 0.299, Kb 0.114) and BT.709 (Kr 0.2126, Kb 0.0722).
@inline function kYR(m: i32): i32 { return m == MATRIX_BT709 ? 5983 : 8415; }
@inline function kYG(m: i32): i32 { return m == MATRIX_BT709 ? 20127 : 16519; }
@inline function kYB(m: i32): i32 { return m == MATRIX_BT709 ? 2032 : 3208; }
@inline function kUR(m: i32): i32 { return m == MATRIX_BT709 ? -3298 : -4857; }
@inline function kUG(m: i32): i32 { return m == MATRIX_BT709 ? -11094 : -9535; }
const K_UB: i32 = 14392;
const K_VR: i32 = 14392;
@inline function kVG(m: i32): i32 { return m == MATRIX_BT709 ? -13072 : -12052; }
@inline function kVB(m: i32): i32 { return m == MATRIX_BT709 ? -1320 : -2340; }

const Y_BIAS: i32 = (16 << 7) + 64;
const C_BIAS: i32 = (128 << 7) + 64;

/** Checks shared by every converter; returns the destination size, or an error code. */
export function checkConvert(src: usize, dst: usize, width: i32, height: i32, inFormat: i32, outFormat: i32, matrix: i32): i32 {
  if (!dimensionsOk(width, height)) return ERR_DIMENSIONS;
  if (matrix != MATRIX_BT601 && matrix != MATRIX_BT709) return ERR_MATRIX;
  const inSize = frameSize(inFormat, width, height);
  const outSize = frameSize(outFormat, width, height);
  let err = checkRegion(src, inSize);
  if (err != 0) return err;
  err = checkRegion(dst, outSize);
  if (err != 0) return err;
  if (overlaps(src, inSize, dst, outSize)) return ERR_OVERLAP;
  return outSize;
}

// --- SIMD pieces -----------------------------------------------------------------------------

/** R0..R7 G0..G7 of eight RGBA pixels in two vectors. */
@inline function rgOf(va: v128, vb: v128): v128 {
  return i8x16.shuffle(va, vb, 0, 4, 8, 12, 16, 20, 24, 28, 1, 5, 9, 13, 17, 21, 25, 29);
}

/** B0..B7 (then A0..A7) of eight RGBA pixels in two vectors. */
@inline function baOf(va: v128, vb: v128): v128 {
  return i8x16.shuffle(va, vb, 2, 6, 10, 14, 18, 22, 26, 30, 3, 7, 11, 15, 19, 23, 27, 31);
}

@inline function low8(a: v128, b: v128): v128 {
  return i8x16.shuffle(a, b, 0, 1, 2, 3, 4, 5, 6, 7, 16, 17, 18, 19, 20, 21, 22, 23);
}

@inline function high8(a: v128, b: v128): v128 {
  return i8x16.shuffle(a, b, 8, 9, 10, 11, 12, 13, 14, 15, 24, 25, 26, 27, 28, 29, 30, 31);
}

/** R, G or B of 16 RGB pixels in three vectors (48 bytes), as u8x16. */
@inline function rgbChannel(v0: v128, v1: v128, v2: v128, c: i32): v128 {
  if (c == 0) {
    const t = i8x16.shuffle(v0, v1, 0, 3, 6, 9, 12, 15, 18, 21, 24, 27, 30, 0, 0, 0, 0, 0);
    return i8x16.shuffle(t, v2, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 17, 20, 23, 26, 29);
  }
  if (c == 1) {
    const t = i8x16.shuffle(v0, v1, 1, 4, 7, 10, 13, 16, 19, 22, 25, 28, 31, 0, 0, 0, 0, 0);
    return i8x16.shuffle(t, v2, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 18, 21, 24, 27, 30);
  }
  const t = i8x16.shuffle(v0, v1, 2, 5, 8, 11, 14, 17, 20, 23, 26, 29, 0, 0, 0, 0, 0, 0);
  return i8x16.shuffle(t, v2, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 16, 19, 22, 25, 28, 31);
}

/** Eight Y values (i16x8) from eight R, G, B values (u16 lanes). */
@inline function luma8(r: v128, g: v128, b: v128, kr: v128, kg: v128, kb: v128): v128 {
  const t = i16x8.add(i16x8.add(
    i16x8.q15mulr_sat_s(i16x8.shl(r, 7), kr),
    i16x8.q15mulr_sat_s(i16x8.shl(g, 7), kg)),
    i16x8.q15mulr_sat_s(i16x8.shl(b, 7), kb));
  return i16x8.shr_s(i16x8.add(t, i16x8.splat(<i16>Y_BIAS)), 7);
}

/** 16 Y bytes from 16 R, G, B bytes. */
@inline function luma16(r: v128, g: v128, b: v128, kr: v128, kg: v128, kb: v128): v128 {
  const lo = luma8(i16x8.extend_low_i8x16_u(r), i16x8.extend_low_i8x16_u(g), i16x8.extend_low_i8x16_u(b), kr, kg, kb);
  const hi = luma8(i16x8.extend_high_i8x16_u(r), i16x8.extend_high_i8x16_u(g), i16x8.extend_high_i8x16_u(b), kr, kg, kb);
  return i8x16.narrow_i16x8_u(lo, hi);
}

/** Eight chroma values (i16x8) from the 2x2 sums shifted left by 5 (the averages in Q7). */
@inline function chroma8(sr: v128, sg: v128, sb: v128, kr: v128, kg: v128, kb: v128): v128 {
  const t = i16x8.add(i16x8.add(
    i16x8.q15mulr_sat_s(sr, kr),
    i16x8.q15mulr_sat_s(sg, kg)),
    i16x8.q15mulr_sat_s(sb, kb));
  return i16x8.shr_s(i16x8.add(t, i16x8.splat(<i16>C_BIAS)), 7);
}

/** The 2x2 sums of 16 pixels on two rows, shifted left by 5. */
@inline function blockSums(top: v128, bottom: v128): v128 {
  return i16x8.shl(i16x8.add(i16x8.extadd_pairwise_i8x16_u(top), i16x8.extadd_pairwise_i8x16_u(bottom)), 5);
}

// --- scalar pieces ---------------------------------------------------------------------------

@inline function lumaAt(p: usize, m: i32): i32 {
  const r = <i32>load<u8>(p);
  const g = <i32>load<u8>(p + 1);
  const b = <i32>load<u8>(p + 2);
  return (q15(r << 7, kYR(m)) + q15(g << 7, kYG(m)) + q15(b << 7, kYB(m)) + Y_BIAS) >> 7;
}

/**
 * One pair of rows: `s0`/`s1` source rows (`s1` == `s0` for the last row of an odd height),
 * `y0`/`y1` luma rows (`y1` written only when `two`), `u`/`v` the chroma row (NV12: `u` is the
 * UV row). `bpp` is 3 or 4.
 */
@inline function encodeRows(
  s0: usize, s1: usize, y0: usize, y1: usize, two: bool, u: usize, v: usize,
  nv12: bool, width: i32, bpp: i32, m: i32,
): void {
  const kyr = i16x8.splat(<i16>kYR(m));
  const kyg = i16x8.splat(<i16>kYG(m));
  const kyb = i16x8.splat(<i16>kYB(m));
  const kur = i16x8.splat(<i16>kUR(m));
  const kug = i16x8.splat(<i16>kUG(m));
  const kub = i16x8.splat(<i16>K_UB);
  const kvr = i16x8.splat(<i16>K_VR);
  const kvg = i16x8.splat(<i16>kVG(m));
  const kvb = i16x8.splat(<i16>kVB(m));
  let x = 0;
  for (; x + 16 <= width; x += 16) {
    const p0 = s0 + <usize>(x * bpp);
    const p1 = s1 + <usize>(x * bpp);
    let r0: v128, g0: v128, b0: v128, r1: v128, g1: v128, b1: v128;
    if (bpp == 4) {
      const a0 = v128.load(p0), a1 = v128.load(p0, 16), a2 = v128.load(p0, 32), a3 = v128.load(p0, 48);
      const rgA = rgOf(a0, a1), rgB = rgOf(a2, a3);
      r0 = low8(rgA, rgB);
      g0 = high8(rgA, rgB);
      b0 = low8(baOf(a0, a1), baOf(a2, a3));
      const c0 = v128.load(p1), c1 = v128.load(p1, 16), c2 = v128.load(p1, 32), c3 = v128.load(p1, 48);
      const rgC = rgOf(c0, c1), rgD = rgOf(c2, c3);
      r1 = low8(rgC, rgD);
      g1 = high8(rgC, rgD);
      b1 = low8(baOf(c0, c1), baOf(c2, c3));
    } else {
      const a0 = v128.load(p0), a1 = v128.load(p0, 16), a2 = v128.load(p0, 32);
      r0 = rgbChannel(a0, a1, a2, 0);
      g0 = rgbChannel(a0, a1, a2, 1);
      b0 = rgbChannel(a0, a1, a2, 2);
      const c0 = v128.load(p1), c1 = v128.load(p1, 16), c2 = v128.load(p1, 32);
      r1 = rgbChannel(c0, c1, c2, 0);
      g1 = rgbChannel(c0, c1, c2, 1);
      b1 = rgbChannel(c0, c1, c2, 2);
    }
    v128.store(y0 + <usize>x, luma16(r0, g0, b0, kyr, kyg, kyb));
    if (two) v128.store(y1 + <usize>x, luma16(r1, g1, b1, kyr, kyg, kyb));
    const sr = blockSums(r0, r1);
    const sg = blockSums(g0, g1);
    const sb = blockSums(b0, b1);
    const cu = chroma8(sr, sg, sb, kur, kug, kub);
    const cv = chroma8(sr, sg, sb, kvr, kvg, kvb);
    const packed = i8x16.narrow_i16x8_u(cu, cv); // U0..U7 V0..V7
    if (nv12) {
      v128.store(u + <usize>x, i8x16.shuffle(packed, packed, 0, 8, 1, 9, 2, 10, 3, 11, 4, 12, 5, 13, 6, 14, 7, 15));
    } else {
      v128.store64_lane(u + <usize>(x >> 1), packed, 0);
      v128.store64_lane(v + <usize>(x >> 1), packed, 1);
    }
  }
  for (; x < width; x += 2) {
    const xb = x + 1 < width ? x + 1 : x;
    const a = s0 + <usize>(x * bpp), b = s0 + <usize>(xb * bpp);
    const c = s1 + <usize>(x * bpp), d = s1 + <usize>(xb * bpp);
    store<u8>(y0 + <usize>x, <u8>lumaAt(a, m));
    if (x + 1 < width) store<u8>(y0 + <usize>(x + 1), <u8>lumaAt(b, m));
    if (two) {
      store<u8>(y1 + <usize>x, <u8>lumaAt(c, m));
      if (x + 1 < width) store<u8>(y1 + <usize>(x + 1), <u8>lumaAt(d, m));
    }
    const sr = (<i32>load<u8>(a) + <i32>load<u8>(b) + <i32>load<u8>(c) + <i32>load<u8>(d)) << 5;
    const sg = (<i32>load<u8>(a, 1) + <i32>load<u8>(b, 1) + <i32>load<u8>(c, 1) + <i32>load<u8>(d, 1)) << 5;
    const sb = (<i32>load<u8>(a, 2) + <i32>load<u8>(b, 2) + <i32>load<u8>(c, 2) + <i32>load<u8>(d, 2)) << 5;
    const cu = (q15(sr, kUR(m)) + q15(sg, kUG(m)) + q15(sb, K_UB) + C_BIAS) >> 7;
    const cv = (q15(sr, K_VR) + q15(sg, kVG(m)) + q15(sb, kVB(m)) + C_BIAS) >> 7;
    if (nv12) store<u16>(u + <usize>x, <u16>(cu | (cv << 8)));
    else {
      store<u8>(u + <usize>(x >> 1), <u8>cu);
      store<u8>(v + <usize>(x >> 1), <u8>cv);
    }
  }
}

@inline function encode(src: usize, dst: usize, width: i32, height: i32, matrix: i32, inFormat: i32, outFormat: i32): i32 {
  const size = checkConvert(src, dst, width, height, inFormat, outFormat, matrix);
  if (size < 0) return size;
  const bpp = inFormat == FORMAT_RGBA ? 4 : 3;
  const nv12 = outFormat == FORMAT_NV12;
  const sStride = mainStride(inFormat, width);
  const yStride = ru4(width);
  const cStride = nv12 ? ru4(width) : ru4(half(width));
  const uBase = dst + <usize>plane1Offset(width, height);
  const vBase = dst + <usize>plane2Offset(width, height);
  for (let y = 0; y < height; y += 2) {
    const two = y + 1 < height;
    const s0 = src + <usize>(y * sStride);
    const s1 = two ? s0 + <usize>sStride : s0;
    const y0 = dst + <usize>(y * yStride);
    const cy = y >> 1;
    encodeRows(s0, s1, y0, y0 + <usize>yStride, two, uBase + <usize>(cy * cStride), vBase + <usize>(cy * cStride), nv12, width, bpp, matrix);
  }
  return size;
}

export function videoconvert_rgba_to_i420(src: usize, dst: usize, width: i32, height: i32, matrix: i32): i32 {
  return encode(src, dst, width, height, matrix, FORMAT_RGBA, FORMAT_I420);
}

export function videoconvert_rgba_to_nv12(src: usize, dst: usize, width: i32, height: i32, matrix: i32): i32 {
  return encode(src, dst, width, height, matrix, FORMAT_RGBA, FORMAT_NV12);
}

export function videoconvert_rgb_to_i420(src: usize, dst: usize, width: i32, height: i32, matrix: i32): i32 {
  return encode(src, dst, width, height, matrix, FORMAT_RGB, FORMAT_I420);
}

export function videoconvert_rgb_to_nv12(src: usize, dst: usize, width: i32, height: i32, matrix: i32): i32 {
  return encode(src, dst, width, height, matrix, FORMAT_RGB, FORMAT_NV12);
}
