// videoconvert without a matrix: RGBA ↔ RGB (drop or add alpha 255), I420 ↔ NV12 (interleave or
// split the chroma planes, copy Y), and a same-format copy. 16 pixels per SIMD step.
import {
  ERR_DIMENSIONS, ERR_OVERLAP, FORMAT_I420, FORMAT_NV12, FORMAT_RGB, FORMAT_RGBA, checkRegion,
  chromaStride, copyRows, dimensionsOk, frameSize, half, mainBpp, mainStride, overlaps, plane1Offset,
  plane2Offset, ru4,
} from './common';
import { checkConvert } from './convert-encode';

export function videoconvert_rgba_to_rgb(src: usize, dst: usize, width: i32, height: i32, matrix: i32): i32 {
  const size = checkConvert(src, dst, width, height, FORMAT_RGBA, FORMAT_RGB, matrix);
  if (size < 0) return size;
  const dStride = mainStride(FORMAT_RGB, width);
  for (let y = 0; y < height; y++) {
    const s = src + <usize>(y * width * 4);
    const d = dst + <usize>(y * dStride);
    let x = 0;
    for (; x + 16 <= width; x += 16) {
      const p = s + <usize>(x * 4);
      const q = d + <usize>(x * 3);
      const v0 = v128.load(p), v1 = v128.load(p, 16), v2 = v128.load(p, 32), v3 = v128.load(p, 48);
      v128.store(q, i8x16.shuffle(v0, v1, 0, 1, 2, 4, 5, 6, 8, 9, 10, 12, 13, 14, 16, 17, 18, 20));
      v128.store(q, i8x16.shuffle(v1, v2, 5, 6, 8, 9, 10, 12, 13, 14, 16, 17, 18, 20, 21, 22, 24, 25), 16);
      v128.store(q, i8x16.shuffle(v2, v3, 10, 12, 13, 14, 16, 17, 18, 20, 21, 22, 24, 25, 26, 28, 29, 30), 32);
    }
    for (; x < width; x++) {
      const p = s + <usize>(x * 4);
      const q = d + <usize>(x * 3);
      store<u16>(q, load<u16>(p));
      store<u8>(q, load<u8>(p, 2), 2);
    }
  }
  return size;
}

export function videoconvert_rgb_to_rgba(src: usize, dst: usize, width: i32, height: i32, matrix: i32): i32 {
  const size = checkConvert(src, dst, width, height, FORMAT_RGB, FORMAT_RGBA, matrix);
  if (size < 0) return size;
  const sStride = mainStride(FORMAT_RGB, width);
  const alpha = i32x4.splat(0xff000000);
  for (let y = 0; y < height; y++) {
    const s = src + <usize>(y * sStride);
    const d = dst + <usize>(y * width * 4);
    let x = 0;
    for (; x + 16 <= width; x += 16) {
      const p = s + <usize>(x * 3);
      const q = d + <usize>(x * 4);
      const v0 = v128.load(p), v1 = v128.load(p, 16), v2 = v128.load(p, 32);
      v128.store(q, v128.or(i8x16.shuffle(v0, v0, 0, 1, 2, 0, 3, 4, 5, 0, 6, 7, 8, 0, 9, 10, 11, 0), alpha));
      v128.store(q, v128.or(i8x16.shuffle(v0, v1, 12, 13, 14, 0, 15, 16, 17, 0, 18, 19, 20, 0, 21, 22, 23, 0), alpha), 16);
      v128.store(q, v128.or(i8x16.shuffle(v1, v2, 8, 9, 10, 0, 11, 12, 13, 0, 14, 15, 16, 0, 17, 18, 19, 0), alpha), 32);
      v128.store(q, v128.or(i8x16.shuffle(v2, v2, 4, 5, 6, 0, 7, 8, 9, 0, 10, 11, 12, 0, 13, 14, 15, 0), alpha), 48);
    }
    for (; x < width; x++) {
      const p = s + <usize>(x * 3);
      store<u32>(d + <usize>(x * 4), <u32>load<u16>(p) | (<u32>load<u8>(p, 2) << 16) | 0xff000000);
    }
  }
  return size;
}

export function videoconvert_i420_to_nv12(src: usize, dst: usize, width: i32, height: i32, matrix: i32): i32 {
  const size = checkConvert(src, dst, width, height, FORMAT_I420, FORMAT_NV12, matrix);
  if (size < 0) return size;
  const yStride = ru4(width);
  copyRows(dst, yStride, src, yStride, width, height);
  const cw = half(width);
  const sStride = chromaStride(FORMAT_I420, width);
  const dStride = chromaStride(FORMAT_NV12, width);
  const uBase = src + <usize>plane1Offset(width, height);
  const vBase = src + <usize>plane2Offset(width, height);
  const uvBase = dst + <usize>plane1Offset(width, height);
  for (let cy = 0; cy < half(height); cy++) {
    const u = uBase + <usize>(cy * sStride);
    const v = vBase + <usize>(cy * sStride);
    const uv = uvBase + <usize>(cy * dStride);
    let x = 0;
    for (; x + 16 <= cw; x += 16) {
      const a = v128.load(u + <usize>x);
      const b = v128.load(v + <usize>x);
      v128.store(uv + <usize>(x * 2), i8x16.shuffle(a, b, 0, 16, 1, 17, 2, 18, 3, 19, 4, 20, 5, 21, 6, 22, 7, 23));
      v128.store(uv + <usize>(x * 2), i8x16.shuffle(a, b, 8, 24, 9, 25, 10, 26, 11, 27, 12, 28, 13, 29, 14, 30, 15, 31), 16);
    }
    for (; x < cw; x++) {
      store<u16>(uv + <usize>(x * 2), <u16>(<u32>load<u8>(u + <usize>x) | (<u32>load<u8>(v + <usize>x) << 8)));
    }
  }
  return size;
}

export function videoconvert_nv12_to_i420(src: usize, dst: usize, width: i32, height: i32, matrix: i32): i32 {
  const size = checkConvert(src, dst, width, height, FORMAT_NV12, FORMAT_I420, matrix);
  if (size < 0) return size;
  const yStride = ru4(width);
  copyRows(dst, yStride, src, yStride, width, height);
  const cw = half(width);
  const sStride = chromaStride(FORMAT_NV12, width);
  const dStride = chromaStride(FORMAT_I420, width);
  const uvBase = src + <usize>plane1Offset(width, height);
  const uBase = dst + <usize>plane1Offset(width, height);
  const vBase = dst + <usize>plane2Offset(width, height);
  for (let cy = 0; cy < half(height); cy++) {
    const uv = uvBase + <usize>(cy * sStride);
    const u = uBase + <usize>(cy * dStride);
    const v = vBase + <usize>(cy * dStride);
    let x = 0;
    for (; x + 16 <= cw; x += 16) {
      const a = v128.load(uv + <usize>(x * 2));
      const b = v128.load(uv + <usize>(x * 2), 16);
      v128.store(u + <usize>x, i8x16.shuffle(a, b, 0, 2, 4, 6, 8, 10, 12, 14, 16, 18, 20, 22, 24, 26, 28, 30));
      v128.store(v + <usize>x, i8x16.shuffle(a, b, 1, 3, 5, 7, 9, 11, 13, 15, 17, 19, 21, 23, 25, 27, 29, 31));
    }
    for (; x < cw; x++) {
      const p = uv + <usize>(x * 2);
      store<u8>(u + <usize>x, load<u8>(p));
      store<u8>(v + <usize>x, load<u8>(p, 1));
    }
  }
  return size;
}

/** Copies a frame's pixels (not its row padding) to another frame of the same format and size. */
export function videoconvert_copy(src: usize, dst: usize, width: i32, height: i32, format: i32): i32 {
  if (!dimensionsOk(width, height)) return ERR_DIMENSIONS;
  const size = frameSize(format, width, height);
  if (size < 0) return size;
  let err = checkRegion(src, size);
  if (err != 0) return err;
  err = checkRegion(dst, size);
  if (err != 0) return err;
  if (overlaps(src, size, dst, size)) return ERR_OVERLAP;
  const stride = mainStride(format, width);
  copyRows(dst, stride, src, stride, width * mainBpp(format), height);
  if (format == FORMAT_I420) {
    const cs = chromaStride(format, width);
    const o1 = <usize>plane1Offset(width, height);
    const o2 = <usize>plane2Offset(width, height);
    copyRows(dst + o1, cs, src + o1, cs, half(width), half(height));
    copyRows(dst + o2, cs, src + o2, cs, half(width), half(height));
  } else if (format == FORMAT_NV12) {
    const o1 = <usize>plane1Offset(width, height);
    copyRows(dst + o1, stride, src + o1, stride, half(width) * 2, half(height));
  }
  return size;
}
