import { viewsOf } from '../../../wasm/views.js';
import {
  VideoFormat, videoPlaneBytesPerSample, videoPlaneCount, videoPlaneHeight, videoPlaneOffset, videoPlaneStride, videoPlaneWidth,
} from '../layout.js';
import { VideoKernelError, checkRegion, copyPixel, dimensionsOk, layoutFrameSize, overlaps } from './common.js';

/**
 * The JS twin of assembly/video/videoflip.ts: rotations and mirrors, plane by plane, for every
 * format the layout knows. The turning methods write a height x width frame; Y42B refuses them
 * (MODE): its 4:2:2 chroma turned would be 4:4:0, which has no layout here. Data thread only;
 * allocation-free.
 */

/** Method codes: GStreamer's GstVideoFlipMethod values (automatic, 8, is the element's job). */
export const VideoFlipMethod = {
  NONE: 0,
  CLOCKWISE: 1,
  ROTATE_180: 2,
  COUNTERCLOCKWISE: 3,
  HORIZONTAL_FLIP: 4,
  VERTICAL_FLIP: 5,
  UPPER_LEFT_DIAGONAL: 6,
  UPPER_RIGHT_DIAGONAL: 7,
} as const;

/** Whether `method` turns the picture, so the output is height x width. */
export function flipSwapsDimensions(method: number): boolean {
  return method === VideoFlipMethod.CLOCKWISE || method === VideoFlipMethod.COUNTERCLOCKWISE ||
    method === VideoFlipMethod.UPPER_LEFT_DIAGONAL || method === VideoFlipMethod.UPPER_RIGHT_DIAGONAL;
}

export function videoflip_flip(mem: ArrayBufferLike, src: number, dst: number, width: number, height: number, format: number, method: number): number {
  src >>>= 0;
  dst >>>= 0;
  width |= 0;
  height |= 0;
  format |= 0;
  method |= 0;
  if (!dimensionsOk(width, height)) return VideoKernelError.DIMENSIONS;
  const size = layoutFrameSize(format, width, height);
  if (size < 0) return size;
  const f = format as VideoFormat;
  if (method < VideoFlipMethod.NONE || method > VideoFlipMethod.UPPER_RIGHT_DIAGONAL) return VideoKernelError.MODE;
  const turns = flipSwapsDimensions(method);
  if (turns && !flipCanTurn(f)) return VideoKernelError.MODE;
  const dw = turns ? height : width;
  const dh = turns ? width : height;
  const outSize = layoutFrameSize(f, dw, dh);
  let err = checkRegion(mem, src, size);
  if (err !== 0) return err;
  err = checkRegion(mem, dst, outSize);
  if (err !== 0) return err;
  if (overlaps(src, size, dst, outSize)) return VideoKernelError.OVERLAP;

  const u8 = viewsOf(mem).u8;
  for (let p = 0; p < videoPlaneCount(f); p++) {
    flipPlane(
      u8, src + videoPlaneOffset(f, width, height, p), videoPlaneStride(f, width, p), videoPlaneWidth(f, width, p), videoPlaneHeight(f, height, p),
      dst + videoPlaneOffset(f, dw, dh, p), videoPlaneStride(f, dw, p), videoPlaneBytesPerSample(f, p), method,
    );
  }
  return outSize;
}

/** Whether the turning methods keep `format`: all but Y42B, whose turned chroma would be 4:4:0. */
export function flipCanTurn(format: number): boolean {
  return format !== VideoFormat.Y42B;
}

function flipPlane(u8: Uint8Array, src: number, ss: number, w: number, h: number, dst: number, ds: number, bpp: number, method: number): void {
  if (method === VideoFlipMethod.NONE || method === VideoFlipMethod.VERTICAL_FLIP) {
    const up = method === VideoFlipMethod.VERTICAL_FLIP;
    for (let y = 0; y < h; y++) {
      const s = src + (up ? h - 1 - y : y) * ss;
      u8.copyWithin(dst + y * ds, s, s + w * bpp);
    }
    return;
  }
  if (method === VideoFlipMethod.HORIZONTAL_FLIP || method === VideoFlipMethod.ROTATE_180) {
    const up = method === VideoFlipMethod.ROTATE_180;
    for (let y = 0; y < h; y++) {
      const s = src + (up ? h - 1 - y : y) * ss;
      const d = dst + y * ds;
      for (let x = 0; x < w; x++) copyPixel(u8, d + x * bpp, s + (w - 1 - x) * bpp, bpp);
    }
    return;
  }
  // Turns: destination (x', y') takes source (sx, sy), sx = y' or w-1-y', sy = x' or h-1-x'.
  const mirrorX = method === VideoFlipMethod.COUNTERCLOCKWISE || method === VideoFlipMethod.UPPER_RIGHT_DIAGONAL;
  const mirrorY = method === VideoFlipMethod.CLOCKWISE || method === VideoFlipMethod.UPPER_RIGHT_DIAGONAL;
  const step = mirrorY ? -ss : ss;
  for (let y = 0; y < w; y++) {
    const sx = mirrorX ? w - 1 - y : y;
    let s = src + (mirrorY ? h - 1 : 0) * ss + sx * bpp;
    let d = dst + y * ds;
    for (let x = 0; x < h; x++, d += bpp, s += step) copyPixel(u8, d, s, bpp);
  }
}
