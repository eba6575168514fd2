// videoflip: rotations and mirrors, plane by plane (I420, Y42B, Y444: Y, U, V; NV12: Y and the
// UV pairs as 2-byte pixels; RGBA, RGB, GRAY8: one plane). Methods that turn the picture
// (clockwise, counterclockwise and the two diagonals) swap width and height: the destination
// frame is height x width. Y42B refuses them (ERR_MODE): 4:2:2 chroma turned is 4:4:0, which has
// no layout here (GStreamer's 8-bit videoflip does not take Y42B at all). Mirrored rows are
// reversed 16 bytes at a time with a shuffle; turns copy pixels in 32x32 tiles.
import {
  ERR_DIMENSIONS, ERR_MODE, ERR_OVERLAP, FORMAT_Y42B, checkRegion, dimensionsOk, layoutFrameSize, overlaps,
  planeBpp, planeCount, planeHeight, planeOffset, planeStride, planeWidth,
} from './common';

// Method codes: GStreamer's GstVideoFlipMethod values (automatic, 8, is the element's job).
const METHOD_NONE: i32 = 0;
const METHOD_CLOCKWISE: i32 = 1;
const METHOD_ROTATE_180: i32 = 2;
const METHOD_COUNTERCLOCKWISE: i32 = 3;
const METHOD_HORIZONTAL_FLIP: i32 = 4;
const METHOD_VERTICAL_FLIP: i32 = 5;
const METHOD_UPPER_LEFT_DIAGONAL: i32 = 6;
const METHOD_UPPER_RIGHT_DIAGONAL: i32 = 7;

const TILE: i32 = 32;

/**
 * Flips or rotates a width x height frame at `src` into `dst` (height x width for the methods
 * that turn it), both in `format`. Returns the destination size, or an error code.
 */
export function videoflip_flip(src: usize, dst: usize, width: i32, height: i32, format: i32, method: i32): i32 {
  if (!dimensionsOk(width, height)) return ERR_DIMENSIONS;
  const size = layoutFrameSize(format, width, height);
  if (size < 0) return size;
  if (method < METHOD_NONE || method > METHOD_UPPER_RIGHT_DIAGONAL) return ERR_MODE;
  const turns = method == METHOD_CLOCKWISE || method == METHOD_COUNTERCLOCKWISE ||
    method == METHOD_UPPER_LEFT_DIAGONAL || method == METHOD_UPPER_RIGHT_DIAGONAL;
  if (turns && format == FORMAT_Y42B) return ERR_MODE;
  const dw = turns ? height : width;
  const dh = turns ? width : height;
  const outSize = layoutFrameSize(format, dw, dh);
  let err = checkRegion(src, size);
  if (err != 0) return err;
  err = checkRegion(dst, outSize);
  if (err != 0) return err;
  if (overlaps(src, size, dst, outSize)) return ERR_OVERLAP;

  const planes = planeCount(format);
  for (let p = 0; p < planes; p++) {
    flipPlane(src + <usize>planeOffset(format, width, height, p), planeStride(format, width, p),
      planeWidth(format, width, p), planeHeight(format, height, p),
      dst + <usize>planeOffset(format, dw, dh, p), planeStride(format, dw, p), planeBpp(format, p), method);
  }
  return outSize;
}

/** One plane of w x h pixels of bpp bytes. */
function flipPlane(src: usize, ss: i32, w: i32, h: i32, dst: usize, ds: i32, bpp: i32, method: i32): void {
  if (method == METHOD_NONE || method == METHOD_VERTICAL_FLIP) {
    const up = method == METHOD_VERTICAL_FLIP;
    for (let y = 0; y < h; y++) {
      const sy = up ? h - 1 - y : y;
      memory.copy(dst + <usize>(y * ds), src + <usize>(sy * ss), w * bpp);
    }
    return;
  }
  if (method == METHOD_HORIZONTAL_FLIP || method == METHOD_ROTATE_180) {
    const up = method == METHOD_ROTATE_180;
    for (let y = 0; y < h; y++) {
      const sy = up ? h - 1 - y : y;
      reverseRow(dst + <usize>(y * ds), src + <usize>(sy * ss), w, bpp);
    }
    return;
  }
  // Turns: destination (x', y') takes source (sx, sy) with sx = y' or w-1-y', sy = x' or h-1-x'.
  const mirrorX = method == METHOD_COUNTERCLOCKWISE || method == METHOD_UPPER_RIGHT_DIAGONAL;
  const mirrorY = method == METHOD_CLOCKWISE || method == METHOD_UPPER_RIGHT_DIAGONAL;
  if (bpp == 1) turn1(src, ss, w, h, dst, ds, mirrorX, mirrorY);
  else if (bpp == 2) turn2(src, ss, w, h, dst, ds, mirrorX, mirrorY);
  else if (bpp == 3) turn3(src, ss, w, h, dst, ds, mirrorX, mirrorY);
  else turn4(src, ss, w, h, dst, ds, mirrorX, mirrorY);
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

/** dst pixel x = src pixel w-1-x; 16-byte blocks for bpp 1, 2 and 4. */
function reverseRow(dst: usize, src: usize, w: i32, bpp: i32): void {
  let x = 0;
  if (bpp == 1) {
    for (; x + 16 <= w; x += 16) {
      const v = v128.load(src + <usize>(w - x - 16));
      v128.store(dst + <usize>x, i8x16.shuffle(v, v, 15, 14, 13, 12, 11, 10, 9, 8, 7, 6, 5, 4, 3, 2, 1, 0));
    }
  } else if (bpp == 2) {
    for (; x + 8 <= w; x += 8) {
      const v = v128.load(src + <usize>((w - x - 8) * 2));
      v128.store(dst + <usize>(x * 2), i8x16.shuffle(v, v, 14, 15, 12, 13, 10, 11, 8, 9, 6, 7, 4, 5, 2, 3, 0, 1));
    }
  } else if (bpp == 4) {
    for (; x + 4 <= w; x += 4) {
      const v = v128.load(src + <usize>((w - x - 4) * 4));
      v128.store(dst + <usize>(x * 4), i8x16.shuffle(v, v, 12, 13, 14, 15, 8, 9, 10, 11, 4, 5, 6, 7, 0, 1, 2, 3));
    }
  }
  for (; x < w; x++) copyPixel(dst + <usize>(x * bpp), src + <usize>((w - 1 - x) * bpp), bpp);
}

/** The destination is h x w; each destination row walks a source column, tile by tile. */
@inline function turn(src: usize, ss: i32, w: i32, h: i32, dst: usize, ds: i32, mirrorX: bool, mirrorY: bool, bpp: i32): void {
  const dw = h;
  const dh = w;
  const step = mirrorY ? -ss : ss;
  for (let ty = 0; ty < dh; ty += TILE) {
    const yEnd = min(ty + TILE, dh);
    for (let tx = 0; tx < dw; tx += TILE) {
      const xEnd = min(tx + TILE, dw);
      for (let y = ty; y < yEnd; y++) {
        const sx = mirrorX ? w - 1 - y : y;
        const sy = mirrorY ? h - 1 - tx : tx;
        let s = src + <usize>(sy * ss + sx * bpp);
        let d = dst + <usize>(y * ds + tx * bpp);
        for (let x = tx; x < xEnd; x++) {
          copyPixel(d, s, bpp);
          d += <usize>bpp;
          s += <usize>step;
        }
      }
    }
  }
}

function turn1(src: usize, ss: i32, w: i32, h: i32, dst: usize, ds: i32, mirrorX: bool, mirrorY: bool): void {
  turn(src, ss, w, h, dst, ds, mirrorX, mirrorY, 1);
}

function turn2(src: usize, ss: i32, w: i32, h: i32, dst: usize, ds: i32, mirrorX: bool, mirrorY: bool): void {
  turn(src, ss, w, h, dst, ds, mirrorX, mirrorY, 2);
}

function turn3(src: usize, ss: i32, w: i32, h: i32, dst: usize, ds: i32, mirrorX: bool, mirrorY: bool): void {
  turn(src, ss, w, h, dst, ds, mirrorX, mirrorY, 3);
}

function turn4(src: usize, ss: i32, w: i32, h: i32, dst: usize, ds: i32, mirrorX: bool, mirrorY: bool): void {
  turn(src, ss, w, h, dst, ds, mirrorX, mirrorY, 4);
}
