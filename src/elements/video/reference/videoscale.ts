import { viewsOf } from '../../../wasm/views.js';
import { VideoFormat } from '../layout.js';
import {
  VideoKernelError, checkRegion, chromaStride, copyPixel, dimensionsOk, frameSize, half, mainBpp, mainStride,
  overlaps, plane1Offset, plane2Offset,
} from './common.js';

/**
 * The JS twin of assembly/video/videoscale.ts: nearest and bilinear scaling with pixel-centre
 * sampling and exact integer position steps, plane by plane. Data thread only; allocation-free.
 */

/** Method codes: GStreamer's GstVideoScaleMethod values. */
export const VideoScaleMethod = { NEAREST: 0, BILINEAR: 1 } as const;

export function videoscale_scale(
  mem: ArrayBufferLike, src: number, dst: number, srcWidth: number, srcHeight: number,
  dstWidth: number, dstHeight: number, format: number, method: number,
): number {
  src >>>= 0;
  dst >>>= 0;
  srcWidth |= 0;
  srcHeight |= 0;
  dstWidth |= 0;
  dstHeight |= 0;
  format |= 0;
  method |= 0;
  if (!dimensionsOk(srcWidth, srcHeight) || !dimensionsOk(dstWidth, dstHeight)) return VideoKernelError.DIMENSIONS;
  const inSize = frameSize(format, srcWidth, srcHeight);
  if (inSize < 0) return inSize;
  const f = format as VideoFormat;
  if (method !== VideoScaleMethod.NEAREST && method !== VideoScaleMethod.BILINEAR) return VideoKernelError.MODE;
  const outSize = frameSize(f, dstWidth, dstHeight);
  let err = checkRegion(mem, src, inSize);
  if (err !== 0) return err;
  err = checkRegion(mem, dst, outSize);
  if (err !== 0) return err;
  if (overlaps(src, inSize, dst, outSize)) return VideoKernelError.OVERLAP;

  const u8 = viewsOf(mem).u8;
  const plane = method === VideoScaleMethod.NEAREST ? nearest : bilinear;
  plane(u8, src, mainStride(f, srcWidth), srcWidth, srcHeight, dst, mainStride(f, dstWidth), dstWidth, dstHeight, mainBpp(f));
  if (f === VideoFormat.I420 || f === VideoFormat.NV12) {
    const bpp = f === VideoFormat.NV12 ? 2 : 1;
    const ss = chromaStride(f, srcWidth);
    const ds = chromaStride(f, dstWidth);
    const sw = half(srcWidth), sh = half(srcHeight), dw = half(dstWidth), dh = half(dstHeight);
    plane(u8, src + plane1Offset(srcWidth, srcHeight), ss, sw, sh, dst + plane1Offset(dstWidth, dstHeight), ds, dw, dh, bpp);
    if (f === VideoFormat.I420) {
      plane(u8, src + plane2Offset(srcWidth, srcHeight), ss, sw, sh, dst + plane2Offset(dstWidth, dstHeight), ds, dw, dh, 1);
    }
  }
  return outSize;
}

/** sx = floor((2x + 1) sw / (2 dw)) by exact steps; a row with the previous source row is copied. */
function nearest(u8: Uint8Array, src: number, ss: number, sw: number, sh: number, dst: number, ds: number, dw: number, dh: number, bpp: number): void {
  const rowBytes = dw * bpp;
  const stepQx = (sw / dw) | 0;
  const stepRx = (sw % dw) * 2;
  const stepQy = (sh / dh) | 0;
  const stepRy = (sh % dh) * 2;
  let qy = (sh / (2 * dh)) | 0;
  let ry = sh % (2 * dh);
  let prev = -1;
  for (let y = 0; y < dh; y++) {
    const d = dst + y * ds;
    if (qy === prev) u8.copyWithin(d, d - ds, d - ds + rowBytes);
    else {
      const s = src + qy * ss;
      let qx = (sw / (2 * dw)) | 0;
      let rx = sw % (2 * dw);
      for (let x = 0; x < dw; x++) {
        copyPixel(u8, d + x * bpp, s + qx * bpp, bpp);
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

/** Q16 positions floor((2x + 1) sw 2^15 / dw) - 2^15 by exact steps; 8-bit weights. */
function bilinear(u8: Uint8Array, src: number, ss: number, sw: number, sh: number, dst: number, ds: number, dw: number, dh: number, bpp: number): void {
  const stepQx = ((sw << 16) / dw) | 0;
  const stepRx = (sw << 16) % dw;
  const stepQy = ((sh << 16) / dh) | 0;
  const stepRy = (sh << 16) % dh;
  let qy = ((sh << 15) / dh) | 0;
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
    const row0 = src + y0 * ss;
    const row1 = src + y1 * ss;
    const wy = 256 - fy;
    const d = dst + y * ds;
    let qx = ((sw << 15) / dw) | 0;
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
      const a = row0 + x0 * bpp, b = row0 + x1 * bpp, c = row1 + x0 * bpp, e = row1 + x1 * bpp;
      const o = d + x * bpp;
      for (let k = 0; k < bpp; k++) {
        const top = u8[a + k]! * wx + u8[b + k]! * fx;
        const bottom = u8[c + k]! * wx + u8[e + k]! * fx;
        u8[o + k] = (top * wy + bottom * fy + 32768) >> 16;
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
