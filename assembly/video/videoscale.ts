// videoscale: nearest-neighbour and bilinear scaling, plane by plane (I420: Y, U, V; NV12: Y and
// the UV pairs as 2-byte pixels; chroma planes scale between their own RU2(w)/2 x RU2(h)/2 sizes).
//
// Sample positions are pixel centres: destination x maps to source (x + 0.5) * sw / dw - 0.5.
// nearest: sx = floor((2x + 1) * sw / (2 dw)), exact integer steps (no drift).
// bilinear: pos = floor((2x + 1) * sw * 2^15 / dw) - 2^15 in Q16, clamped at 0; i = pos >> 16,
//   f = (pos >> 8) & 255, the right/bottom neighbour clamped to the edge (f = 0 there);
//   out = ((a(256-fx) + b fx)(256-fy) + (c(256-fx) + d fx) fy + 32768) >> 16.
import {
  ERR_DIMENSIONS, ERR_MODE, ERR_OVERLAP, FORMAT_I420, FORMAT_NV12, checkRegion, chromaStride,
  dimensionsOk, frameSize, half, mainBpp, mainStride, overlaps, plane1Offset, plane2Offset,
} from './common';

// Method codes: GStreamer's GstVideoScaleMethod values.
const METHOD_NEAREST: i32 = 0;
const METHOD_BILINEAR: i32 = 1;

/**
 * Scales a srcWidth x srcHeight frame at `src` to dstWidth x dstHeight at `dst`, both in
 * `format` with layout.ts's layout. Returns the destination size, or an error code.
 */
export function videoscale_scale(
  src: usize, dst: usize, srcWidth: i32, srcHeight: i32, dstWidth: i32, dstHeight: i32, format: i32, method: i32,
): i32 {
  if (!dimensionsOk(srcWidth, srcHeight) || !dimensionsOk(dstWidth, dstHeight)) return ERR_DIMENSIONS;
  const inSize = frameSize(format, srcWidth, srcHeight);
  if (inSize < 0) return inSize;
  if (method != METHOD_NEAREST && method != METHOD_BILINEAR) return ERR_MODE;
  const outSize = frameSize(format, dstWidth, dstHeight);
  let err = checkRegion(src, inSize);
  if (err != 0) return err;
  err = checkRegion(dst, outSize);
  if (err != 0) return err;
  if (overlaps(src, inSize, dst, outSize)) return ERR_OVERLAP;

  scalePlane(src, mainStride(format, srcWidth), srcWidth, srcHeight,
    dst, mainStride(format, dstWidth), dstWidth, dstHeight, mainBpp(format), method);
  if (format == FORMAT_I420 || format == FORMAT_NV12) {
    const bpp = format == FORMAT_NV12 ? 2 : 1;
    const ss = chromaStride(format, srcWidth);
    const ds = chromaStride(format, dstWidth);
    const s1 = src + <usize>plane1Offset(srcWidth, srcHeight);
    const d1 = dst + <usize>plane1Offset(dstWidth, dstHeight);
    scalePlane(s1, ss, half(srcWidth), half(srcHeight), d1, ds, half(dstWidth), half(dstHeight), bpp, method);
    if (format == FORMAT_I420) {
      const s2 = src + <usize>plane2Offset(srcWidth, srcHeight);
      const d2 = dst + <usize>plane2Offset(dstWidth, dstHeight);
      scalePlane(s2, ss, half(srcWidth), half(srcHeight), d2, ds, half(dstWidth), half(dstHeight), 1, method);
    }
  }
  return outSize;
}

function scalePlane(src: usize, ss: i32, sw: i32, sh: i32, dst: usize, ds: i32, dw: i32, dh: i32, bpp: i32, method: i32): void {
  if (method == METHOD_NEAREST) {
    if (bpp == 1) nearest1(src, ss, sw, sh, dst, ds, dw, dh);
    else if (bpp == 2) nearest2(src, ss, sw, sh, dst, ds, dw, dh);
    else if (bpp == 3) nearest3(src, ss, sw, sh, dst, ds, dw, dh);
    else nearest4(src, ss, sw, sh, dst, ds, dw, dh);
  } else {
    if (bpp == 1) bilinear1(src, ss, sw, sh, dst, ds, dw, dh);
    else if (bpp == 2) bilinear2(src, ss, sw, sh, dst, ds, dw, dh);
    else if (bpp == 3) bilinear3(src, ss, sw, sh, dst, ds, dw, dh);
    else bilinear4(src, ss, sw, sh, dst, ds, dw, dh);
  }
}

@inline function copyPixel(d: usize, s: usize, bpp: i32): void {
  if (bpp == 4) store<u32>(d, load<u32>(s));
  else if (bpp == 2) store<u16>(d, load<u16>(s));
  else if (bpp == 1) store<u8>(d, load<u8>(s));
  else {
    store<u16>(d, load<u16>(s));
    store<u8>(d, load<u8>(s, 2), 2);
  }
}

/** Nearest: a destination row whose source row equals the previous one's is a copy of it. */
@inline function nearest(src: usize, ss: i32, sw: i32, sh: i32, dst: usize, ds: i32, dw: i32, dh: i32, bpp: i32): void {
  const rowBytes = dw * bpp;
  const stepQx = sw / dw;
  const stepRx = (sw % dw) * 2;
  const stepQy = sh / dh;
  const stepRy = (sh % dh) * 2;
  let qy = sh / (2 * dh);
  let ry = sh % (2 * dh);
  let prev = -1;
  for (let y = 0; y < dh; y++) {
    const d = dst + <usize>(y * ds);
    if (qy == prev) memory.copy(d, d - <usize>ds, rowBytes);
    else {
      const s = src + <usize>(qy * ss);
      let qx = sw / (2 * dw);
      let rx = sw % (2 * dw);
      for (let x = 0; x < dw; x++) {
        copyPixel(d + <usize>(x * bpp), s + <usize>(qx * bpp), bpp);
        qx += stepQx;
        rx += stepRx;
        if (rx >= 2 * dw) {
          rx -= 2 * dw;
          qx++;
        }
      }
    }
    prev = qy;
    qy += stepQy;
    ry += stepRy;
    if (ry >= 2 * dh) {
      ry -= 2 * dh;
      qy++;
    }
  }
}

function nearest1(src: usize, ss: i32, sw: i32, sh: i32, dst: usize, ds: i32, dw: i32, dh: i32): void {
  nearest(src, ss, sw, sh, dst, ds, dw, dh, 1);
}

function nearest2(src: usize, ss: i32, sw: i32, sh: i32, dst: usize, ds: i32, dw: i32, dh: i32): void {
  nearest(src, ss, sw, sh, dst, ds, dw, dh, 2);
}

function nearest3(src: usize, ss: i32, sw: i32, sh: i32, dst: usize, ds: i32, dw: i32, dh: i32): void {
  nearest(src, ss, sw, sh, dst, ds, dw, dh, 3);
}

function nearest4(src: usize, ss: i32, sw: i32, sh: i32, dst: usize, ds: i32, dw: i32, dh: i32): void {
  nearest(src, ss, sw, sh, dst, ds, dw, dh, 4);
}

/**
 * The bilinear formula for the four bytes of an RGBA pixel at once: lanes hold a|b (top) and
 * c|e (bottom) widened to u16, products fit u16 (wx + fx = 256), the vertical step goes to u32.
 */
@inline function blend4(a: usize, b: usize, c: usize, e: usize, wx: i32, fx: i32, wy: i32, fy: i32): u32 {
  const w = i64x2.replace_lane(i64x2.splat(<i64>wx * 0x0001000100010001), 1, <i64>fx * 0x0001000100010001);
  const t = i16x8.mul(i16x8.extend_low_i8x16_u(v128.load32_lane(b, v128.load32_zero(a), 1)), w);
  const u = i16x8.mul(i16x8.extend_low_i8x16_u(v128.load32_lane(e, v128.load32_zero(c), 1)), w);
  const top = i16x8.add(t, i8x16.shuffle(t, t, 8, 9, 10, 11, 12, 13, 14, 15, 0, 1, 2, 3, 4, 5, 6, 7));
  const bottom = i16x8.add(u, i8x16.shuffle(u, u, 8, 9, 10, 11, 12, 13, 14, 15, 0, 1, 2, 3, 4, 5, 6, 7));
  const sum = i32x4.add(i32x4.add(
    i32x4.extmul_low_i16x8_u(top, i16x8.splat(<i16>wy)),
    i32x4.extmul_low_i16x8_u(bottom, i16x8.splat(<i16>fy))), i32x4.splat(32768));
  const r = i32x4.shr_u(sum, 16);
  return <u32>i32x4.extract_lane(i8x16.narrow_i16x8_u(i16x8.narrow_i32x4_u(r, r), r), 0);
}

@inline function bilinear(src: usize, ss: i32, sw: i32, sh: i32, dst: usize, ds: i32, dw: i32, dh: i32, bpp: i32): void {
  // Q16 positions by exact integer steps: q = floor(n / d) with n growing by sw * 2^16 per pixel.
  const stepQx = (sw << 16) / dw;
  const stepRx = (sw << 16) % dw;
  const stepQy = (sh << 16) / dh;
  const stepRy = (sh << 16) % dh;
  let qy = (sh << 15) / dh;
  let ry = (sh << 15) % dh;
  for (let y = 0; y < dh; y++) {
    let py = qy - 32768;
    if (py < 0) py = 0;
    let y0 = py >> 16;
    let y1 = y0 + 1;
    let fy = (py >> 8) & 255;
    if (y0 >= sh - 1) {
      y0 = sh - 1;
      y1 = y0;
      fy = 0;
    }
    const row0 = src + <usize>(y0 * ss);
    const row1 = src + <usize>(y1 * ss);
    const wy = 256 - fy;
    const d = dst + <usize>(y * ds);
    let qx = (sw << 15) / dw;
    let rx = (sw << 15) % dw;
    for (let x = 0; x < dw; x++) {
      let px = qx - 32768;
      if (px < 0) px = 0;
      let x0 = px >> 16;
      let x1 = x0 + 1;
      let fx = (px >> 8) & 255;
      if (x0 >= sw - 1) {
        x0 = sw - 1;
        x1 = x0;
        fx = 0;
      }
      const wx = 256 - fx;
      const a = row0 + <usize>(x0 * bpp);
      const b = row0 + <usize>(x1 * bpp);
      const c = row1 + <usize>(x0 * bpp);
      const e = row1 + <usize>(x1 * bpp);
      const o = d + <usize>(x * bpp);
      if (bpp == 4) {
        store<u32>(o, blend4(a, b, c, e, wx, fx, wy, fy));
      } else {
        for (let k = 0; k < bpp; k++) {
          const top = <i32>load<u8>(a + <usize>k) * wx + <i32>load<u8>(b + <usize>k) * fx;
          const bottom = <i32>load<u8>(c + <usize>k) * wx + <i32>load<u8>(e + <usize>k) * fx;
          store<u8>(o + <usize>k, <u8>((top * wy + bottom * fy + 32768) >> 16));
        }
      }
      qx += stepQx;
      rx += stepRx;
      if (rx >= dw) {
        rx -= dw;
        qx++;
      }
    }
    qy += stepQy;
    ry += stepRy;
    if (ry >= dh) {
      ry -= dh;
      qy++;
    }
  }
}

function bilinear1(src: usize, ss: i32, sw: i32, sh: i32, dst: usize, ds: i32, dw: i32, dh: i32): void {
  bilinear(src, ss, sw, sh, dst, ds, dw, dh, 1);
}

function bilinear2(src: usize, ss: i32, sw: i32, sh: i32, dst: usize, ds: i32, dw: i32, dh: i32): void {
  bilinear(src, ss, sw, sh, dst, ds, dw, dh, 2);
}

function bilinear3(src: usize, ss: i32, sw: i32, sh: i32, dst: usize, ds: i32, dw: i32, dh: i32): void {
  bilinear(src, ss, sw, sh, dst, ds, dw, dh, 3);
}

function bilinear4(src: usize, ss: i32, sw: i32, sh: i32, dst: usize, ds: i32, dw: i32, dh: i32): void {
  bilinear(src, ss, sw, sh, dst, ds, dw, dh, 4);
}
