// audioconvert kernels: sample format (S16LE ⇄ F32LE) and channel count. Stateless.
//
// S16 → F32: f = s / 32768 (exact: every S16 value has an exact f32 image in [-1, 32767/32768]).
//            Same as GStreamer, which unpacks S16 to S32 (s << 16) and divides by 2^31.
// F32 → S16: s = saturate16(roundHalfEven(f · 32768)); NaN → 0, ±inf and |f| >= 1 saturate to
//            32767 / -32768. No dither and no noise shaping (GStreamer's audioconvert dithers by
//            default; ours never does), so S16 → F32 → S16 gives back every value exactly.
// Up-mix mono → stereo copies the sample to both channels; down-mix stereo → mono averages:
//            S16 (L + R + 1) >> 1 (halves round up), F32 (L + R) · 0.5. These are GStreamer's
//            default matrices for unpositioned mono/stereo ({1, 1} and {0.5, 0.5}).
// N → M:     out[o] = Σ_i matrix[o·N + i] · in[i], i ascending, each product and sum in f32;
//            `matrix` is M rows of N f32 coefficients (audiomixmatrix's layout). S16 inputs are
//            widened to f32 (no scaling) and the sum rounds like F32 → S16 without the · 32768.
//
// Aliasing: the narrowing kernels (F32 → S16, stereo → mono) may run in place (dst == src);
// every other overlap of source and destination returns ERR_OVERLAP.

import {
  ERR_ALIGN, ERR_ARG, ERR_BOUNDS, ERR_OVERLAP, ERR_PARAM, MAX_CHANNELS, inMemory, overlaps, roundF32ToS16,
} from './common';

/**
 * Shared checks: count >= 0, src/dst aligned to their sample sizes, both areas in memory, and
 * either no overlap or (when `inPlace`) dst == src.
 */
@inline
function check(src: usize, srcBytes: u64, srcAlign: usize, dst: usize, dstBytes: u64, dstAlign: usize, count: i32, inPlace: bool): i32 {
  if (count < 0) return ERR_ARG;
  if ((src & (srcAlign - 1)) || (dst & (dstAlign - 1))) return ERR_ALIGN;
  if (!inMemory(src, srcBytes) || !inMemory(dst, dstBytes)) return ERR_BOUNDS;
  if (overlaps(src, srcBytes, dst, dstBytes) && !(inPlace && src == dst)) return ERR_OVERLAP;
  return 0;
}

/** `samples` S16 at `src` → F32 at `dst`. Returns samples or a negative error. */
export function audioconvert_s16_to_f32(src: usize, dst: usize, samples: i32): i32 {
  const err = check(src, <u64>samples << 1, 2, dst, <u64>samples << 2, 4, samples, false);
  if (err != 0) return err;
  const k = f32x4.splat(0.000030517578125);
  const blocks = samples >> 3;
  let s = src;
  let d = dst;
  for (let b = 0; b < blocks; b++) {
    const x = v128.load(s);
    v128.store(d, f32x4.mul(f32x4.convert_i32x4_s(i32x4.extend_low_i16x8_s(x)), k));
    v128.store(d + 16, f32x4.mul(f32x4.convert_i32x4_s(i32x4.extend_high_i16x8_s(x)), k));
    s += 16;
    d += 32;
  }
  for (let i = blocks << 3; i < samples; i++) {
    store<f32>(d, <f32>load<i16>(s) * <f32>0.000030517578125);
    s += 2;
    d += 4;
  }
  return samples;
}

/** `samples` F32 at `src` → S16 at `dst` (dst == src allowed). Returns samples or a negative error. */
export function audioconvert_f32_to_s16(src: usize, dst: usize, samples: i32): i32 {
  const err = check(src, <u64>samples << 2, 4, dst, <u64>samples << 1, 2, samples, true);
  if (err != 0) return err;
  const k = f32x4.splat(32768.0);
  const blocks = samples >> 3;
  let s = src;
  let d = dst;
  for (let b = 0; b < blocks; b++) {
    const lo = i32x4.trunc_sat_f32x4_s(f32x4.nearest(f32x4.mul(v128.load(s), k)));
    const hi = i32x4.trunc_sat_f32x4_s(f32x4.nearest(f32x4.mul(v128.load(s + 16), k)));
    v128.store(d, i16x8.narrow_i32x4_s(lo, hi));
    s += 32;
    d += 16;
  }
  for (let i = blocks << 3; i < samples; i++) {
    store<i16>(d, <i16>roundF32ToS16(load<f32>(s) * <f32>32768.0));
    s += 4;
    d += 2;
  }
  return samples;
}

/** Mono S16 → stereo S16, both channels = the input. Returns frames or a negative error. */
export function audioconvert_mono_to_stereo_s16(src: usize, dst: usize, frames: i32): i32 {
  const err = check(src, <u64>frames << 1, 2, dst, <u64>frames << 2, 2, frames, false);
  if (err != 0) return err;
  const blocks = frames >> 3;
  let s = src;
  let d = dst;
  for (let b = 0; b < blocks; b++) {
    const x = v128.load(s);
    v128.store(d, i16x8.shuffle(x, x, 0, 0, 1, 1, 2, 2, 3, 3));
    v128.store(d + 16, i16x8.shuffle(x, x, 4, 4, 5, 5, 6, 6, 7, 7));
    s += 16;
    d += 32;
  }
  for (let i = blocks << 3; i < frames; i++) {
    const v = load<i16>(s);
    store<i16>(d, v);
    store<i16>(d + 2, v);
    s += 2;
    d += 4;
  }
  return frames;
}

/** Mono F32 → stereo F32, both channels = the input. Returns frames or a negative error. */
export function audioconvert_mono_to_stereo_f32(src: usize, dst: usize, frames: i32): i32 {
  const err = check(src, <u64>frames << 2, 4, dst, <u64>frames << 3, 4, frames, false);
  if (err != 0) return err;
  const blocks = frames >> 2;
  let s = src;
  let d = dst;
  for (let b = 0; b < blocks; b++) {
    const x = v128.load(s);
    v128.store(d, i32x4.shuffle(x, x, 0, 0, 1, 1));
    v128.store(d + 16, i32x4.shuffle(x, x, 2, 2, 3, 3));
    s += 16;
    d += 32;
  }
  for (let i = blocks << 2; i < frames; i++) {
    const v = load<u32>(s);
    store<u32>(d, v);
    store<u32>(d + 4, v);
    s += 4;
    d += 8;
  }
  return frames;
}

/** Stereo S16 → mono S16, (L + R + 1) >> 1 (dst == src allowed). Returns frames or a negative error. */
export function audioconvert_stereo_to_mono_s16(src: usize, dst: usize, frames: i32): i32 {
  const err = check(src, <u64>frames << 2, 2, dst, <u64>frames << 1, 2, frames, true);
  if (err != 0) return err;
  // A signed rounding average from the unsigned one: bias both to unsigned, average, unbias.
  const bias = i16x8.splat(-32768);
  const blocks = frames >> 3;
  let s = src;
  let d = dst;
  for (let b = 0; b < blocks; b++) {
    const a = v128.load(s);
    const c = v128.load(s + 16);
    const l = i16x8.shuffle(a, c, 0, 2, 4, 6, 8, 10, 12, 14);
    const r = i16x8.shuffle(a, c, 1, 3, 5, 7, 9, 11, 13, 15);
    v128.store(d, v128.xor(i16x8.avgr_u(v128.xor(l, bias), v128.xor(r, bias)), bias));
    s += 32;
    d += 16;
  }
  for (let i = blocks << 3; i < frames; i++) {
    store<i16>(d, <i16>((<i32>load<i16>(s) + <i32>load<i16>(s + 2) + 1) >> 1));
    s += 4;
    d += 2;
  }
  return frames;
}

/** Stereo F32 → mono F32, (L + R) · 0.5 (dst == src allowed). Returns frames or a negative error. */
export function audioconvert_stereo_to_mono_f32(src: usize, dst: usize, frames: i32): i32 {
  const err = check(src, <u64>frames << 3, 4, dst, <u64>frames << 2, 4, frames, true);
  if (err != 0) return err;
  const half = f32x4.splat(0.5);
  const blocks = frames >> 2;
  let s = src;
  let d = dst;
  for (let b = 0; b < blocks; b++) {
    const a = v128.load(s);
    const c = v128.load(s + 16);
    const l = i32x4.shuffle(a, c, 0, 2, 4, 6);
    const r = i32x4.shuffle(a, c, 1, 3, 5, 7);
    v128.store(d, f32x4.mul(f32x4.add(l, r), half));
    s += 32;
    d += 16;
  }
  for (let i = blocks << 2; i < frames; i++) {
    store<f32>(d, (load<f32>(s) + load<f32>(s + 4)) * <f32>0.5);
    s += 8;
    d += 4;
  }
  return frames;
}

/** Checks shared by the N → M mixers; 0 when the call may proceed. */
@inline
function checkMix(src: usize, dst: usize, frames: i32, inChannels: i32, outChannels: i32, matrix: usize, bps: usize): i32 {
  if (inChannels < 1 || inChannels > MAX_CHANNELS || outChannels < 1 || outChannels > MAX_CHANNELS) return ERR_ARG;
  const inBytes = <u64>frames * <u64>inChannels * <u64>bps;
  const outBytes = <u64>frames * <u64>outChannels * <u64>bps;
  const err = check(src, inBytes, bps, dst, outBytes, bps, frames, false);
  if (err != 0) return err;
  const mBytes = <u64>inChannels * <u64>outChannels * 4;
  if (matrix & 3) return ERR_ALIGN;
  if (!inMemory(matrix, mBytes)) return ERR_BOUNDS;
  if (overlaps(matrix, mBytes, dst, outBytes)) return ERR_OVERLAP;
  const n = inChannels * outChannels;
  for (let i = 0; i < n; i++) {
    const m = load<f32>(matrix + (<usize>i << 2));
    if (!(m >= -f32.MAX_VALUE && m <= f32.MAX_VALUE)) return ERR_PARAM;
  }
  return 0;
}

/**
 * F32, `inChannels` → `outChannels` through `matrix` (outChannels rows × inChannels f32,
 * finite). src, dst and matrix must not overlap dst. Returns frames or a negative error.
 */
export function audioconvert_mix_f32(src: usize, dst: usize, frames: i32, inChannels: i32, outChannels: i32, matrix: usize): i32 {
  const err = checkMix(src, dst, frames, inChannels, outChannels, matrix, 4);
  if (err != 0) return err;
  const inStride = <usize>inChannels << 2;
  let s = src;
  let d = dst;
  for (let f = 0; f < frames; f++) {
    let row = matrix;
    for (let o = 0; o < outChannels; o++) {
      let acc: f32 = load<f32>(row) * load<f32>(s);
      for (let i = 1; i < inChannels; i++) {
        acc += load<f32>(row + (<usize>i << 2)) * load<f32>(s + (<usize>i << 2));
      }
      store<f32>(d, acc);
      d += 4;
      row += inStride;
    }
    s += inStride;
  }
  return frames;
}

/**
 * S16, `inChannels` → `outChannels` through `matrix` (outChannels rows × inChannels f32,
 * finite), summed in f32 and rounded half-to-even with saturation. Returns frames or a
 * negative error.
 */
export function audioconvert_mix_s16(src: usize, dst: usize, frames: i32, inChannels: i32, outChannels: i32, matrix: usize): i32 {
  const err = checkMix(src, dst, frames, inChannels, outChannels, matrix, 2);
  if (err != 0) return err;
  const inStride = <usize>inChannels << 1;
  const rowStride = <usize>inChannels << 2;
  let s = src;
  let d = dst;
  for (let f = 0; f < frames; f++) {
    let row = matrix;
    for (let o = 0; o < outChannels; o++) {
      let acc: f32 = load<f32>(row) * <f32>load<i16>(s);
      for (let i = 1; i < inChannels; i++) {
        acc += load<f32>(row + (<usize>i << 2)) * <f32>load<i16>(s + (<usize>i << 1));
      }
      store<i16>(d, <i16>roundF32ToS16(acc));
      d += 2;
      row += rowStride;
    }
    s += inStride;
  }
  return frames;
}
