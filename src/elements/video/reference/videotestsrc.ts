import { viewsOf } from '../../../wasm/views.js';
import { VideoFormat } from '../layout.js';
import {
  VideoKernelError, checkRegion, chromaStride, dimensionsOk, div255, fillRect, frameSize, half, mainBpp,
  mainStride, overlaps, plane1Offset, plane2Offset,
} from './common.js';

/**
 * The JS twin of assembly/video/videotestsrc.ts: GStreamer's test patterns, byte for byte what
 * the WebAssembly kernel writes, and its fallback where WebAssembly is missing. Data thread
 * only; allocation-free.
 */

/** Pattern codes: GStreamer's GstVideoTestSrcPattern values. */
export const VideoTestPattern = {
  SMPTE: 0, SNOW: 1, BLACK: 2, WHITE: 3, RED: 4, GREEN: 5, BLUE: 6,
  CHECKERS_1: 7, CHECKERS_2: 8, CHECKERS_4: 9, CHECKERS_8: 10, BALL: 18,
} as const;

/** Bytes of state: u32 at +0 is GStreamer's random_state (an LCG from 0); the rest is reserved. */
export const VIDEOTESTSRC_STATE_SIZE = 64;

// Colours after videotestsrc.c's vts_colors_*_ycbcr_100: white, yellow, cyan, green, magenta,
// red, blue, black, -I, +Q, super black, dark grey, and the SMPTE noise's chroma.
const WHITE = 0, GREEN = 3, RED = 5, BLUE = 6, BLACK = 7, NEG_I = 8, POS_Q = 9, SUPER_BLACK = 10, DARK_GREY = 11, NOISE = 12;
/** R, G, B, 255 as a little-endian u32. */
const RGBA = [
  0xffffffff, 0xff00ffff, 0xffffff00, 0xff00ff00, 0xffff00ff, 0xff0000ff, 0xffff0000, 0xff000000,
  0xff800000, 0xffff8000, 0xff000000, 0xff131313, 0xff000000,
] as const;
const Y601 = [235, 210, 170, 145, 106, 81, 41, 16, 16, 16, 0, 32, 16] as const;
const U601 = [128, 16, 166, 54, 202, 90, 240, 128, 198, 235, 128, 128, 128] as const;
const V601 = [128, 146, 16, 34, 222, 240, 110, 128, 21, 198, 128, 128, 128] as const;
const Y709 = [235, 219, 188, 173, 78, 63, 32, 16, 16, 16, 0, 32, 16] as const;
const U709 = [128, 16, 154, 42, 214, 102, 240, 128, 198, 235, 128, 128, 128] as const;
const V709 = [128, 138, 16, 26, 230, 240, 118, 128, 21, 198, 128, 128, 128] as const;

export function videotestsrc_state_size(): number {
  return VIDEOTESTSRC_STATE_SIZE;
}

/**
 * Same contract as the kernel: frame `frame` of `pattern` into `dst`, YUV colours by `matrix`
 * (0 BT.601, 1 BT.709) and chroma subsampled by `chromaSite` (0 jpeg, 1 mpeg2); the size or an
 * error code.
 */
export function videotestsrc_fill(
  mem: ArrayBufferLike, state: number, dst: number, width: number, height: number,
  format: number, pattern: number, matrix: number, chromaSite: number, frame: number,
): number {
  state >>>= 0;
  dst >>>= 0;
  width |= 0;
  height |= 0;
  format |= 0;
  pattern |= 0;
  matrix |= 0;
  chromaSite |= 0;
  frame |= 0;
  if (!dimensionsOk(width, height)) return VideoKernelError.DIMENSIONS;
  const size = frameSize(format, width, height);
  if (size < 0) return size;
  const f = format as VideoFormat;
  if (!((pattern >= 0 && pattern <= VideoTestPattern.CHECKERS_8) || pattern === VideoTestPattern.BALL)) return VideoKernelError.MODE;
  if (matrix !== 0 && matrix !== 1) return VideoKernelError.MATRIX;
  if (chromaSite !== 0 && chromaSite !== 1) return VideoKernelError.ARGUMENT;
  if (frame < 0) return VideoKernelError.ARGUMENT;
  let err = checkRegion(mem, state, VIDEOTESTSRC_STATE_SIZE);
  if (err !== 0) return err;
  err = checkRegion(mem, dst, size);
  if (err !== 0) return err;
  if (overlaps(state, VIDEOTESTSRC_STATE_SIZE, dst, size)) return VideoKernelError.OVERLAP;

  const v = viewsOf(mem);
  const t = matrix === 1 ? TABLE_709 : TABLE_601;
  const cosited = chromaSite === 1;
  if (pattern === VideoTestPattern.SMPTE) smpte(v.u8, v.u32, state, dst, width, height, f, t, cosited);
  else if (pattern === VideoTestPattern.SNOW) snow(v.u8, v.u32, state, dst, width, height, f);
  else if (pattern === VideoTestPattern.BALL) ball(v.u8, dst, width, height, f, frame);
  else if (pattern >= VideoTestPattern.CHECKERS_1) checkers(v.u8, dst, width, height, f, t, 1 << (pattern - VideoTestPattern.CHECKERS_1), cosited);
  else solid(v.u8, dst, width, height, f, t, solidColor(pattern));
  return size;
}

interface YuvTable {
  readonly y: readonly number[];
  readonly u: readonly number[];
  readonly v: readonly number[];
}

const TABLE_601: YuvTable = { y: Y601, u: U601, v: V601 };
const TABLE_709: YuvTable = { y: Y709, u: U709, v: V709 };

function solidColor(pattern: number): number {
  if (pattern === VideoTestPattern.BLACK) return BLACK;
  if (pattern === VideoTestPattern.WHITE) return WHITE;
  if (pattern === VideoTestPattern.RED) return RED;
  if (pattern === VideoTestPattern.GREEN) return GREEN;
  return BLUE;
}

// --- pixels -----------------------------------------------------------------------------------

function mainPixel(format: VideoFormat, t: YuvTable, color: number): number {
  return format >= VideoFormat.I420 ? t.y[color]! : RGBA[color]!;
}

/** GStreamer's BLEND of white over black by r (0..255). */
function blendPixel(bpp: number, r: number): number {
  if (bpp === 1) return div255(235 * r + 16 * (255 - r));
  const v = div255(255 * r);
  return (v | (v << 8) | (v << 16) | 0xff000000) >>> 0;
}

function putPixel(u8: Uint8Array, p: number, bpp: number, px: number): void {
  u8[p] = px & 0xff;
  if (bpp === 1) return;
  u8[p + 1] = (px >>> 8) & 0xff;
  u8[p + 2] = (px >>> 16) & 0xff;
  if (bpp === 4) u8[p + 3] = px >>> 24;
}

/** GStreamer's random_char step: state * 1103515245 + 12345 (mod 2^32). */
function nextRandom(s: number): number {
  return (Math.imul(s, 1103515245) + 12345) >>> 0;
}

// --- chroma planes ----------------------------------------------------------------------------

function putChroma(u8: Uint8Array, format: VideoFormat, uRow: number, vRow: number, cx: number, u: number, v: number): void {
  if (format === VideoFormat.NV12) {
    u8[uRow + cx * 2] = u;
    u8[uRow + cx * 2 + 1] = v;
  } else {
    u8[uRow + cx] = u;
    u8[vRow + cx] = v;
  }
}

function copyChromaRow(u8: Uint8Array, format: VideoFormat, dst: number, width: number, height: number, from: number, to: number): void {
  const cs = chromaStride(format, width);
  const u = dst + plane1Offset(width, height);
  const n = format === VideoFormat.NV12 ? half(width) * 2 : half(width);
  u8.copyWithin(u + to * cs, u + from * cs, u + from * cs + n);
  if (format === VideoFormat.NV12) return;
  const v = dst + plane2Offset(width, height);
  u8.copyWithin(v + to * cs, v + from * cs, v + from * cs + n);
}

function fillChroma(u8: Uint8Array, format: VideoFormat, dst: number, width: number, height: number, u: number, v: number): void {
  const cs = chromaStride(format, width);
  const p1 = dst + plane1Offset(width, height);
  if (format === VideoFormat.NV12) {
    fillRect(u8, p1, cs, half(width), half(height), 2, u | (v << 8));
    return;
  }
  fillRect(u8, p1, cs, half(width), half(height), 1, u);
  fillRect(u8, dst + plane2Offset(width, height), cs, half(width), half(height), 1, v);
}

// --- patterns ---------------------------------------------------------------------------------

function solid(u8: Uint8Array, dst: number, width: number, height: number, format: VideoFormat, t: YuvTable, color: number): void {
  fillRect(u8, dst, mainStride(format, width), width, height, mainBpp(format), mainPixel(format, t, color));
  if (format >= VideoFormat.I420) fillChroma(u8, format, dst, width, height, t.u[color]!, t.v[color]!);
}

function checkerColor(x: number, y: number, n: number): number {
  return ((x ^ y) & n) !== 0 ? GREEN : RED;
}

function checkers(u8: Uint8Array, dst: number, width: number, height: number, format: VideoFormat, t: YuvTable, n: number, cosited: boolean): void {
  const bpp = mainBpp(format);
  const stride = mainStride(format, width);
  const red = mainPixel(format, t, RED);
  const green = mainPixel(format, t, GREEN);
  for (let y = 0; y < height; y++) {
    const row = dst + y * stride;
    if (y >= 2 * n) {
      u8.copyWithin(row, row - 2 * n * stride, row - 2 * n * stride + width * bpp);
      continue;
    }
    for (let x = 0; x < width; x++) putPixel(u8, row + x * bpp, bpp, ((x ^ y) & n) !== 0 ? green : red);
  }
  if (format < VideoFormat.I420) return;

  const cs = chromaStride(format, width);
  const uBase = dst + plane1Offset(width, height);
  const vBase = dst + plane2Offset(width, height);
  for (let cy = 0; cy < half(height); cy++) {
    const r0 = cy * 2;
    const r1 = Math.min(r0 + 1, height - 1);
    if (cy >= n && r1 !== r0) {
      copyChromaRow(u8, format, dst, width, height, cy - n, cy);
      continue;
    }
    chromaRow(u8, format, t, uBase + cy * cs, vBase + cy * cs, width, cosited, n, r0, r1, 0);
  }
}

function bar7(x: number, width: number): number {
  let i = 0;
  while (i < 6 && x >= (((i + 1) * width) / 7 | 0)) i++;
  return i;
}

function smpteTop(band: number, x: number, width: number): number {
  const i = bar7(x, width);
  if (band === 0) return i;
  return (i & 1) !== 0 ? BLACK : 6 - i;
}

function smpteColor(band: number, x: number, width: number, above: number): number {
  if (band < 2) return smpteTop(band, x, width);
  if (x >= ((width * 3) / 4 | 0)) return NOISE;
  const mid = width >> 1;
  if (x < mid) return x < (width / 6 | 0) ? NEG_I : x < ((2 * width) / 6 | 0) ? WHITE : POS_Q;
  if (x < mid + (width / 12 | 0)) return SUPER_BLACK;
  if (x < mid + ((2 * width) / 12 | 0)) return BLACK;
  if (x < mid + ((3 * width) / 12 | 0)) return DARK_GREY;
  return above < 0 ? BLACK : smpteTop(above, x, width);
}

// Chroma rows as GStreamer's chroma resampler subsamples them: the two luma rows averaged,
// (a + b + 1) >> 1, then per site: jpeg (m[i] + m[i+1] + 1) >> 1; mpeg2 (h-cosited)
// (3 m[0] + m[1] + 2) >> 2, (m[i-1] + 2 m[i] + m[i+1] + 2) >> 2, and (m[i-1] + 3 m[i] + 2) >> 2
// at the last even column i >= w - 2.

/** The colour at x: SMPTE band `key` when n is 0, else checkers of n on row `key`. */
function colorAt(n: number, key: number, x: number, width: number, above: number): number {
  return n === 0 ? smpteColor(key, x, width, above) : checkerColor(x, key, n);
}

function mean(table: readonly number[], c0: number, c1: number): number {
  return (table[c0]! + table[c1]! + 1) >> 1;
}

function chromaRow(
  u8: Uint8Array, format: VideoFormat, t: YuvTable, uRow: number, vRow: number, width: number,
  cosited: boolean, n: number, k0: number, k1: number, above: number,
): void {
  let leftU = 0; // m at i - 1
  let leftV = 0;
  for (let cx = 0; cx < half(width); cx++) {
    const i = cx * 2;
    const a0 = colorAt(n, k0, i, width, above);
    const a1 = colorAt(n, k1, i, width, above);
    const mu = mean(t.u, a0, a1);
    const mv = mean(t.v, a0, a1);
    let nu = mu; // m at min(i + 1, w - 1)
    let nv = mv;
    if (i + 1 < width) {
      const b0 = colorAt(n, k0, i + 1, width, above);
      const b1 = colorAt(n, k1, i + 1, width, above);
      nu = mean(t.u, b0, b1);
      nv = mean(t.v, b0, b1);
    }
    let u: number, v: number;
    if (!cosited || width < 2) {
      u = (mu + nu + 1) >> 1;
      v = (mv + nv + 1) >> 1;
    } else if (i === 0) {
      u = (3 * mu + nu + 2) >> 2;
      v = (3 * mv + nv + 2) >> 2;
    } else if (i < width - 2) {
      u = (leftU + 2 * mu + nu + 2) >> 2;
      v = (leftV + 2 * mv + nv + 2) >> 2;
    } else {
      u = (leftU + 3 * mu + 2) >> 2;
      v = (leftV + 3 * mv + 2) >> 2;
    }
    putChroma(u8, format, uRow, vRow, cx, u, v);
    leftU = nu;
    leftV = nv;
  }
}

function smpte(u8: Uint8Array, u32: Uint32Array, state: number, dst: number, width: number, height: number, format: VideoFormat, t: YuvTable, cosited: boolean): void {
  const bpp = mainBpp(format);
  const stride = mainStride(format, width);
  const y1 = (2 * height) / 3 | 0;
  const y2 = (3 * height) / 4 | 0;
  const above = y2 > y1 ? 1 : y1 > 0 ? 0 : -1;
  const noiseX = (width * 3) / 4 | 0;
  let s = u32[state >>> 2]!;
  let prevBand = -1;
  for (let y = 0; y < height; y++) {
    const band = y < y1 ? 0 : y < y2 ? 1 : 2;
    const row = dst + y * stride;
    if (band === prevBand) u8.copyWithin(row, row - stride, row - stride + width * bpp);
    else {
      for (let x = 0; x < width; x++) putPixel(u8, row + x * bpp, bpp, mainPixel(format, t, smpteColor(band, x, width, above)));
    }
    if (band === 2) {
      for (let x = noiseX; x < width; x++) {
        s = nextRandom(s);
        putPixel(u8, row + x * bpp, bpp, blendPixel(bpp, (s >>> 16) & 0xff));
      }
    }
    prevBand = band;
  }
  u32[state >>> 2] = s;
  if (format < VideoFormat.I420) return;

  const cs = chromaStride(format, width);
  const uBase = dst + plane1Offset(width, height);
  const vBase = dst + plane2Offset(width, height);
  let prevKey = -1;
  for (let cy = 0; cy < half(height); cy++) {
    const r0 = cy * 2;
    const r1 = Math.min(r0 + 1, height - 1);
    const b0 = r0 < y1 ? 0 : r0 < y2 ? 1 : 2;
    const b1 = r1 < y1 ? 0 : r1 < y2 ? 1 : 2;
    const key = b0 * 4 + b1;
    if (key === prevKey) {
      copyChromaRow(u8, format, dst, width, height, cy - 1, cy);
      continue;
    }
    prevKey = key;
    chromaRow(u8, format, t, uBase + cy * cs, vBase + cy * cs, width, cosited, 0, b0, b1, above);
  }
}

function snow(u8: Uint8Array, u32: Uint32Array, state: number, dst: number, width: number, height: number, format: VideoFormat): void {
  const bpp = mainBpp(format);
  const stride = mainStride(format, width);
  let s = u32[state >>> 2]!;
  for (let y = 0; y < height; y++) {
    const row = dst + y * stride;
    if (bpp === 4) {
      const base = row >>> 2;
      for (let x = 0; x < width; x++) {
        s = nextRandom(s);
        u32[base + x] = blendPixel(4, (s >>> 16) & 0xff);
      }
    } else {
      for (let x = 0; x < width; x++) {
        s = nextRandom(s);
        putPixel(u8, row + x * bpp, bpp, blendPixel(bpp, (s >>> 16) & 0xff));
      }
    }
  }
  u32[state >>> 2] = s;
  if (format >= VideoFormat.I420) fillChroma(u8, format, dst, width, height, 128, 128);
}

/** sin(2*pi*u) with +, *, floor and Taylor polynomials per quadrant: the kernel's double, bit for bit. */
function sinTurn(u: number): number {
  const f = u - Math.floor(u);
  const q = (f * 4.0) | 0;
  const a = (f * 4.0 - q) * 1.5707963267948966;
  const a2 = a * a;
  const r = (q & 1) === 0
    ? a * (1.0 + a2 * (-0.16666666666666666 + a2 * (0.0083333333333333332 + a2 * (-0.00019841269841269841 +
      a2 * (0.0000027557319223985893 + a2 * (-2.5052108385441720e-8 + a2 * (1.6059043836821613e-10 +
      a2 * (-7.6471637318198164e-13 + a2 * (2.8114572543455206e-15 + a2 * (-8.2206352466243295e-18 +
      a2 * 1.9572941063391263e-20))))))))))
    : 1.0 + a2 * (-0.5 + a2 * (0.041666666666666664 + a2 * (-0.0013888888888888889 + a2 * (0.000024801587301587302 +
      a2 * (-2.7557319223985888e-7 + a2 * (2.0876756987868100e-9 + a2 * (-1.1470745597729725e-11 +
      a2 * (4.7794773323873853e-14 + a2 * (-1.5619206968586225e-16 + a2 * 4.1103176233121648e-19)))))))));
  return q >= 2 ? -r : r;
}

/** Round half to even, as C's rint and WebAssembly's f64.nearest. */
function rint(v: number): number {
  const r = Math.round(v);
  return r - v === 0.5 && (r & 1) !== 0 ? r - 1 : r;
}

function ball(u8: Uint8Array, dst: number, width: number, height: number, format: VideoFormat, frame: number): void {
  const bpp = mainBpp(format);
  const stride = mainStride(format, width);
  fillRect(u8, dst, stride, width, height, bpp, mainPixel(format, TABLE_601, BLACK));
  if (format >= VideoFormat.I420) fillChroma(u8, format, dst, width, height, 128, 128);

  const t = frame;
  const cx = 20.0 + (0.5 + 0.5 * sinTurn(t / 200.0)) * (width - 40);
  const cy = 20.0 + (0.5 + 0.5 * sinTurn((t * 1.4142135623730951) / 200.0)) * (height - 40);
  for (let i = 0; i < height; i++) {
    if (i < cy - 20.0 || i > cy + 20.0) continue;
    const dy = i - cy;
    const r = rint(Math.sqrt(Math.max(0.0, 400.0 - dy * dy)));
    const x1 = Math.max(0.0, cx - r) | 0;
    const x2 = Math.min(width, cx + r + 1.0) | 0;
    const row = dst + i * stride;
    for (let j = x1; j < x2; j++) {
      const dx = j - cx;
      const rr = (20.0 - Math.sqrt(dx * dx + dy * dy)) * 0.5;
      let k = Math.floor(256.0 * rr) | 0;
      k = k < 0 ? 0 : k > 255 ? 255 : k;
      putPixel(u8, row + j * bpp, bpp, blendPixel(bpp, k));
    }
  }
}
