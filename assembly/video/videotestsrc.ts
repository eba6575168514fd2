// videotestsrc: GStreamer's test patterns, painted straight into a frame. Rows that repeat
// one painted above are memory.copy'd; solid planes are memory.fill'd.
import {
  ERR_ARGUMENT, ERR_DIMENSIONS, ERR_MATRIX, ERR_MODE, ERR_OVERLAP, FORMAT_I420, FORMAT_NV12,
  MATRIX_BT601, MATRIX_BT709, checkRegion, chromaStride, dimensionsOk, div255, fillRect, frameSize,
  half, mainBpp, mainStride, overlaps, plane1Offset, plane2Offset,
} from './common';
import {
  COLOR_BLACK, COLOR_BLUE, COLOR_DARK_GREY, COLOR_GREEN, COLOR_NEG_I, COLOR_NOISE, COLOR_POS_Q,
  COLOR_RED, COLOR_SUPER_BLACK, COLOR_WHITE, RGB_COLORS, YUV601_COLORS, YUV709_COLORS,
} from './colors';

// Pattern codes: GStreamer's GstVideoTestSrcPattern values.
const PATTERN_SMPTE: i32 = 0;
const PATTERN_SNOW: i32 = 1;
const PATTERN_BLACK: i32 = 2;
const PATTERN_WHITE: i32 = 3;
const PATTERN_RED: i32 = 4;
const PATTERN_GREEN: i32 = 5;
const PATTERN_BLUE: i32 = 6;
const PATTERN_CHECKERS_1: i32 = 7;
const PATTERN_CHECKERS_8: i32 = 10;
const PATTERN_BALL: i32 = 18;

// Chroma sites (GStreamer's defaults: jpeg up to 576 lines, mpeg2 above).
const CHROMA_SITE_JPEG: i32 = 0;
const CHROMA_SITE_MPEG2: i32 = 1;

/** State: u32 at +0 is GStreamer's random_state (an LCG, starts at 0); the rest is reserved. */
const STATE_SIZE: i32 = 64;

/** Bytes of per-instance state `videotestsrc_fill` needs: 64, zeroed before the first frame. */
export function videotestsrc_state_size(): i32 {
  return STATE_SIZE;
}

/**
 * Paints frame number `frame` of `pattern` into `dst` (layout.ts's layout for format, width,
 * height). For I420 and NV12, `matrix` picks the colours (0 BT.601, 1 BT.709) and `chromaSite`
 * how chroma is subsampled (0 jpeg/none, centred; 1 mpeg2, horizontally co-sited); both must be
 * valid for every format. Returns the frame size, or an error code (a bad chroma site is
 * ERR_ARGUMENT). smpte and snow advance the PRNG in `state`; ball moves with `frame`.
 */
export function videotestsrc_fill(
  state: usize, dst: usize, width: i32, height: i32, format: i32, pattern: i32, matrix: i32, chromaSite: i32, frame: i32,
): i32 {
  if (!dimensionsOk(width, height)) return ERR_DIMENSIONS;
  const size = frameSize(format, width, height);
  if (size < 0) return size;
  if (!((pattern >= PATTERN_SMPTE && pattern <= PATTERN_CHECKERS_8) || pattern == PATTERN_BALL)) return ERR_MODE;
  if (matrix != MATRIX_BT601 && matrix != MATRIX_BT709) return ERR_MATRIX;
  if (chromaSite != CHROMA_SITE_JPEG && chromaSite != CHROMA_SITE_MPEG2) return ERR_ARGUMENT;
  if (frame < 0) return ERR_ARGUMENT;
  let err = checkRegion(state, STATE_SIZE);
  if (err != 0) return err;
  err = checkRegion(dst, size);
  if (err != 0) return err;
  if (overlaps(state, STATE_SIZE, dst, size)) return ERR_OVERLAP;

  const yuv = matrix == MATRIX_BT709 ? YUV709_COLORS : YUV601_COLORS;
  const cosited = chromaSite == CHROMA_SITE_MPEG2;
  if (pattern == PATTERN_SMPTE) smpte(state, dst, width, height, format, yuv, cosited);
  else if (pattern == PATTERN_SNOW) snow(state, dst, width, height, format);
  else if (pattern == PATTERN_BALL) ball(dst, width, height, format, frame);
  else if (pattern >= PATTERN_CHECKERS_1) checkers(dst, width, height, format, yuv, 1 << (pattern - PATTERN_CHECKERS_1), cosited);
  else solid(dst, width, height, format, yuv, solidColor(pattern));
  return size;
}

function solidColor(pattern: i32): i32 {
  if (pattern == PATTERN_BLACK) return COLOR_BLACK;
  if (pattern == PATTERN_WHITE) return COLOR_WHITE;
  if (pattern == PATTERN_RED) return COLOR_RED;
  if (pattern == PATTERN_GREEN) return COLOR_GREEN;
  return COLOR_BLUE;
}

// --- pixels -------------------------------------------------------------------------------

/** Plane 0's value for a colour: an RGBA word (RGB uses its low 3 bytes) or a Y byte. */
@inline function mainPixel(format: i32, yuv: usize, color: i32): u32 {
  return format >= FORMAT_I420 ? <u32>load<u8>(yuv + <usize>(color * 4)) : load<u32>(RGB_COLORS + <usize>(color * 4));
}

/** GStreamer's BLEND of the foreground (white) over the background (black) by r (0..255). */
@inline function blendPixel(bpp: i32, r: i32): u32 {
  if (bpp == 1) return <u32>div255(235 * r + 16 * (255 - r));
  const v = <u32>div255(255 * r);
  return v | (v << 8) | (v << 16) | 0xff000000;
}

@inline function putPixel(p: usize, bpp: i32, px: u32): void {
  if (bpp == 4) store<u32>(p, px);
  else if (bpp == 1) store<u8>(p, <u8>px);
  else {
    store<u8>(p, <u8>px);
    store<u8>(p + 1, <u8>(px >> 8));
    store<u8>(p + 2, <u8>(px >> 16));
  }
}

/** GStreamer's random_char: state = state * 1103515245 + 12345, byte 2 of the result. */
@inline function nextRandom(s: u32): u32 {
  return s * 1103515245 + 12345;
}

// --- chroma planes (I420: U and V; NV12: interleaved UV) -----------------------------------

@inline function uOf(yuv: usize, color: i32): i32 {
  return load<u8>(yuv + <usize>(color * 4 + 1));
}

@inline function vOf(yuv: usize, color: i32): i32 {
  return load<u8>(yuv + <usize>(color * 4 + 2));
}

@inline function putChroma(format: i32, uRow: usize, vRow: usize, cx: i32, u: i32, v: i32): void {
  if (format == FORMAT_NV12) store<u16>(uRow + <usize>(cx * 2), <u16>(u | (v << 8)));
  else {
    store<u8>(uRow + <usize>cx, <u8>u);
    store<u8>(vRow + <usize>cx, <u8>v);
  }
}

/** Copies chroma row `from` to row `to`. */
function copyChromaRow(format: i32, dst: usize, width: i32, height: i32, from: i32, to: i32): void {
  const cs = chromaStride(format, width);
  const u = dst + <usize>plane1Offset(width, height);
  if (format == FORMAT_NV12) {
    memory.copy(u + <usize>(to * cs), u + <usize>(from * cs), half(width) * 2);
    return;
  }
  const v = dst + <usize>plane2Offset(width, height);
  memory.copy(u + <usize>(to * cs), u + <usize>(from * cs), half(width));
  memory.copy(v + <usize>(to * cs), v + <usize>(from * cs), half(width));
}

function fillChroma(format: i32, dst: usize, width: i32, height: i32, u: i32, v: i32): void {
  const cs = chromaStride(format, width);
  const cw = half(width);
  const ch = half(height);
  const p1 = dst + <usize>plane1Offset(width, height);
  if (format == FORMAT_NV12) {
    fillRect(p1, cs, cw, ch, 2, <u32>(u | (v << 8)));
    return;
  }
  fillRect(p1, cs, cw, ch, 1, <u32>u);
  fillRect(dst + <usize>plane2Offset(width, height), cs, cw, ch, 1, <u32>v);
}

// --- patterns -------------------------------------------------------------------------------

function solid(dst: usize, width: i32, height: i32, format: i32, yuv: usize, color: i32): void {
  fillRect(dst, mainStride(format, width), width, height, mainBpp(format), mainPixel(format, yuv, color));
  if (format >= FORMAT_I420) fillChroma(format, dst, width, height, uOf(yuv, color), vOf(yuv, color));
}

@inline function checkerColor(x: i32, y: i32, n: i32): i32 {
  return ((x ^ y) & n) != 0 ? COLOR_GREEN : COLOR_RED;
}

/** Red and green squares of n pixels: rows repeat every 2n rows, chroma rows every n. */
function checkers(dst: usize, width: i32, height: i32, format: i32, yuv: usize, n: i32, cosited: bool): void {
  const bpp = mainBpp(format);
  const stride = mainStride(format, width);
  const red = mainPixel(format, yuv, COLOR_RED);
  const green = mainPixel(format, yuv, COLOR_GREEN);
  for (let y = 0; y < height; y++) {
    const row = dst + <usize>(y * stride);
    if (y >= 2 * n) {
      memory.copy(row, row - <usize>(2 * n * stride), width * bpp);
      continue;
    }
    for (let x = 0; x < width; x++) putPixel(row + <usize>(x * bpp), bpp, ((x ^ y) & n) != 0 ? green : red);
  }
  if (format < FORMAT_I420) return;

  const cs = chromaStride(format, width);
  const uBase = dst + <usize>plane1Offset(width, height);
  const vBase = dst + <usize>plane2Offset(width, height);
  for (let cy = 0; cy < half(height); cy++) {
    const r0 = cy * 2;
    const r1 = min(r0 + 1, height - 1);
    if (cy >= n && r1 != r0) {
      copyChromaRow(format, dst, width, height, cy - n, cy);
      continue;
    }
    chromaRow(format, yuv, uBase + <usize>(cy * cs), vBase + <usize>(cy * cs), width, cosited, n, r0, r1, 0);
  }
}

/** The bar (0..6) under x when the width is cut in 7 as GStreamer does: [i*w/7, (i+1)*w/7). */
function bar7(x: i32, width: i32): i32 {
  let i = 0;
  while (i < 6 && x >= ((i + 1) * width) / 7) i++;
  return i;
}

/** Bands 0 (colour bars) and 1 (inverse blue bars). */
function smpteTop(band: i32, x: i32, width: i32): i32 {
  const i = bar7(x, width);
  if (band == 0) return i;
  return (i & 1) != 0 ? COLOR_BLACK : 6 - i;
}

/**
 * The colour of x in `band`. In band 2 (-I, white, +Q, the pluge, noise from 3w/4), a pixel no
 * region covers keeps the colour of the band above, as GStreamer's reused line buffer does.
 */
function smpteColor(band: i32, x: i32, width: i32, above: i32): i32 {
  if (band < 2) return smpteTop(band, x, width);
  if (x >= (width * 3) / 4) return COLOR_NOISE;
  const mid = width / 2;
  if (x < mid) return x < width / 6 ? COLOR_NEG_I : x < (2 * width) / 6 ? COLOR_WHITE : COLOR_POS_Q;
  if (x < mid + width / 12) return COLOR_SUPER_BLACK;
  if (x < mid + (2 * width) / 12) return COLOR_BLACK;
  if (x < mid + (3 * width) / 12) return COLOR_DARK_GREY;
  return above < 0 ? COLOR_BLACK : smpteTop(above, x, width);
}

// --- chroma rows, as GStreamer's chroma resampler (video-chroma.c) subsamples them ----------
//
// A chroma row covers luma rows r0 and r1 (r1 == r0 for the last row of an odd height): the two
// rows are averaged first, (a + b + 1) >> 1; then, per chroma site,
//   jpeg/none (centred):   (m[i] + m[i+1] + 1) >> 1, the last odd column alone;
//   mpeg2 (h-cosited):     (3 m[0] + m[1] + 2) >> 2 at 0, (m[i-1] + 2 m[i] + m[i+1] + 2) >> 2 inside,
//                          (m[i-1] + 3 m[i] + 2) >> 2 at the last even column i >= w - 2,
// with m the row average and i = 2 cx.

/** The colour at x on a row: SMPTE band `key` when n == 0, else checkers of n on row `key`. */
@inline function colorAt(n: i32, key: i32, x: i32, width: i32, above: i32): i32 {
  return n == 0 ? smpteColor(key, x, width, above) : checkerColor(x, key, n);
}

/** (a + b + 1) >> 1 of the U (c == 1) or V (c == 2) of two colours. */
@inline function mean(yuv: usize, c: i32, c0: i32, c1: i32): i32 {
  return (<i32>load<u8>(yuv + <usize>(c0 * 4 + c)) + <i32>load<u8>(yuv + <usize>(c1 * 4 + c)) + 1) >> 1;
}

/** One chroma row from the rows keyed k0 and k1 (see colorAt), sliding m over the columns. */
function chromaRow(format: i32, yuv: usize, uRow: usize, vRow: usize, width: i32, cosited: bool, n: i32, k0: i32, k1: i32, above: i32): void {
  let leftU = 0; // m at i - 1
  let leftV = 0;
  for (let cx = 0; cx < half(width); cx++) {
    const i = cx * 2;
    const a0 = colorAt(n, k0, i, width, above);
    const a1 = colorAt(n, k1, i, width, above);
    const mu = mean(yuv, 1, a0, a1);
    const mv = mean(yuv, 2, a0, a1);
    let nu = mu; // m at min(i + 1, w - 1)
    let nv = mv;
    if (i + 1 < width) {
      const b0 = colorAt(n, k0, i + 1, width, above);
      const b1 = colorAt(n, k1, i + 1, width, above);
      nu = mean(yuv, 1, b0, b1);
      nv = mean(yuv, 2, b0, b1);
    }
    let u: i32, v: i32;
    if (!cosited || width < 2) {
      u = (mu + nu + 1) >> 1;
      v = (mv + nv + 1) >> 1;
    } else if (i == 0) {
      u = (3 * mu + nu + 2) >> 2;
      v = (3 * mv + nv + 2) >> 2;
    } else if (i < width - 2) {
      u = (leftU + 2 * mu + nu + 2) >> 2;
      v = (leftV + 2 * mv + nv + 2) >> 2;
    } else {
      u = (leftU + 3 * mu + 2) >> 2;
      v = (leftV + 3 * mv + 2) >> 2;
    }
    putChroma(format, uRow, vRow, cx, u, v);
    leftU = nu;
    leftV = nv;
  }
}

/** GStreamer's "SMPTE 100% color bars": bars to 2h/3, inverse bars to 3h/4, then the bottom. */
function smpte(state: usize, dst: usize, width: i32, height: i32, format: i32, yuv: usize, cosited: bool): void {
  const bpp = mainBpp(format);
  const stride = mainStride(format, width);
  const y1 = (2 * height) / 3;
  const y2 = (3 * height) / 4;
  const above = y2 > y1 ? 1 : y1 > 0 ? 0 : -1;
  const noiseX = (width * 3) / 4;
  let s = load<u32>(state);
  let prevBand = -1;
  for (let y = 0; y < height; y++) {
    const band = y < y1 ? 0 : y < y2 ? 1 : 2;
    const row = dst + <usize>(y * stride);
    if (band == prevBand) memory.copy(row, row - <usize>stride, width * bpp);
    else {
      for (let x = 0; x < width; x++) {
        putPixel(row + <usize>(x * bpp), bpp, mainPixel(format, yuv, smpteColor(band, x, width, above)));
      }
    }
    if (band == 2) {
      for (let x = noiseX; x < width; x++) {
        s = nextRandom(s);
        putPixel(row + <usize>(x * bpp), bpp, blendPixel(bpp, <i32>((s >> 16) & 0xff)));
      }
    }
    prevBand = band;
  }
  store<u32>(state, s);
  if (format < FORMAT_I420) return;

  // Chroma: chromaRow over the two bands (the noise's U and V are 128).
  const cs = chromaStride(format, width);
  const uBase = dst + <usize>plane1Offset(width, height);
  const vBase = dst + <usize>plane2Offset(width, height);
  let prevKey = -1;
  for (let cy = 0; cy < half(height); cy++) {
    const r0 = cy * 2;
    const r1 = min(r0 + 1, height - 1);
    const b0 = r0 < y1 ? 0 : r0 < y2 ? 1 : 2;
    const b1 = r1 < y1 ? 0 : r1 < y2 ? 1 : 2;
    const key = b0 * 4 + b1;
    if (key == prevKey) {
      copyChromaRow(format, dst, width, height, cy - 1, cy);
      continue;
    }
    prevKey = key;
    chromaRow(format, yuv, uBase + <usize>(cy * cs), vBase + <usize>(cy * cs), width, cosited, 0, b0, b1, above);
  }
}

/** Television snow: one PRNG byte per pixel, row by row, blended white over black. */
function snow(state: usize, dst: usize, width: i32, height: i32, format: i32): void {
  const bpp = mainBpp(format);
  const stride = mainStride(format, width);
  let s = load<u32>(state);
  for (let y = 0; y < height; y++) {
    const row = dst + <usize>(y * stride);
    if (bpp == 4) {
      for (let x = 0; x < width; x++) {
        s = nextRandom(s);
        store<u32>(row + <usize>(x * 4), blendPixel(4, <i32>((s >> 16) & 0xff)));
      }
    } else if (bpp == 1) {
      for (let x = 0; x < width; x++) {
        s = nextRandom(s);
        store<u8>(row + <usize>x, <u8>blendPixel(1, <i32>((s >> 16) & 0xff)));
      }
    } else {
      for (let x = 0; x < width; x++) {
        s = nextRandom(s);
        putPixel(row + <usize>(x * 3), 3, blendPixel(3, <i32>((s >> 16) & 0xff)));
      }
    }
  }
  store<u32>(state, s);
  if (format >= FORMAT_I420) fillChroma(format, dst, width, height, 128, 128);
}

/**
 * sin(2*pi*u) from +, *, floor and Taylor polynomials (sin or cos of the quadrant's angle, so
 * quadrant boundaries are exact), so that WebAssembly and JavaScript get the same double
 * (Math.sin differs between engines in the last bit). |error| about 1e-16.
 */
@inline function sinTurn(u: f64): f64 {
  const f = u - Math.floor(u);
  const q = <i32>(f * 4.0);
  const a = (f * 4.0 - <f64>q) * 1.5707963267948966;
  const a2 = a * a;
  const r = (q & 1) == 0
    ? a * (1.0 + a2 * (-0.16666666666666666 + a2 * (0.0083333333333333332 + a2 * (-0.00019841269841269841 +
      a2 * (0.0000027557319223985893 + a2 * (-2.5052108385441720e-8 + a2 * (1.6059043836821613e-10 +
      a2 * (-7.6471637318198164e-13 + a2 * (2.8114572543455206e-15 + a2 * (-8.2206352466243295e-18 +
      a2 * 1.9572941063391263e-20))))))))))
    : 1.0 + a2 * (-0.5 + a2 * (0.041666666666666664 + a2 * (-0.0013888888888888889 + a2 * (0.000024801587301587302 +
      a2 * (-2.7557319223985888e-7 + a2 * (2.0876756987868100e-9 + a2 * (-1.1470745597729725e-11 +
      a2 * (4.7794773323873853e-14 + a2 * (-1.5619206968586225e-16 + a2 * 4.1103176233121648e-19)))))))));
  return q >= 2 ? -r : r;
}

/**
 * GStreamer's ball (animation-mode frames, motion wavy): a 20-pixel ball, anti-aliased, white on
 * black, centred at x = 20 + (0.5 + 0.5 sin(2 pi n/200)) (w - 40), y likewise with n*sqrt(2)/200.
 */
function ball(dst: usize, width: i32, height: i32, format: i32, frame: i32): void {
  const bpp = mainBpp(format);
  const stride = mainStride(format, width);
  fillRect(dst, stride, width, height, bpp, mainPixel(format, YUV601_COLORS, COLOR_BLACK));
  if (format >= FORMAT_I420) fillChroma(format, dst, width, height, 128, 128);

  const t = <f64>frame;
  const cx = 20.0 + (0.5 + 0.5 * sinTurn(t / 200.0)) * <f64>(width - 40);
  const cy = 20.0 + (0.5 + 0.5 * sinTurn((t * 1.4142135623730951) / 200.0)) * <f64>(height - 40);
  for (let i = 0; i < height; i++) {
    const fi = <f64>i;
    if (fi < cy - 20.0 || fi > cy + 20.0) continue;
    const dy = fi - cy;
    const r = nearest<f64>(Math.sqrt(Math.max(0.0, 400.0 - dy * dy)));
    const x1 = <i32>Math.max(0.0, cx - r);
    const x2 = <i32>Math.min(<f64>width, cx + r + 1.0);
    const row = dst + <usize>(i * stride);
    for (let j = x1; j < x2; j++) {
      const dx = <f64>j - cx;
      const rr = (20.0 - Math.sqrt(dx * dx + dy * dy)) * 0.5;
      let k = <i32>Math.floor(256.0 * rr);
      k = k < 0 ? 0 : k > 255 ? 255 : k;
      putPixel(row + <usize>(j * bpp), bpp, blendPixel(bpp, k));
    }
  }
}
