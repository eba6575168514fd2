// audiomixer kernels: sum N inputs into one output buffer, one call per input. Stateless.
//
// Per output buffer: audiomixer_copy (first input) or audiomixer_clear (no input yet, or
// every input is a gap), then audiomixer_accumulate_* for each further input.
//
// S16: dst = saturate16(dst + src) per sample (GStreamer's orc addssw); the _volume form first
//      scales src like volume's S16 path, saturate16((src · trunc(volume · 2048)) >> 11), then
//      adds with saturation (GStreamer's audiomixer pad volume).
// F32: dst = dst + src (f32 add, no clipping); the _volume form dst = dst + src · f32(volume).
//
// dst and src may be the same buffer (doubling); any other overlap returns ERR_OVERLAP.

import { ERR_ALIGN, ERR_ARG, ERR_BOUNDS, ERR_OVERLAP, ERR_PARAM, clampS16, inMemory, overlaps } from './common';

@inline
function check(dst: usize, src: usize, bytes: u64, align: usize, count: i32): i32 {
  if (count < 0) return ERR_ARG;
  if ((dst & (align - 1)) || (src & (align - 1))) return ERR_ALIGN;
  if (!inMemory(dst, bytes) || !inMemory(src, bytes)) return ERR_BOUNDS;
  if (dst != src && overlaps(dst, bytes, src, bytes)) return ERR_OVERLAP;
  return 0;
}

/** Zeroes `bytes` bytes at `dst`. Returns bytes or a negative error. */
export function audiomixer_clear(dst: usize, bytes: i32): i32 {
  if (bytes < 0) return ERR_ARG;
  if (!inMemory(dst, <u64>bytes)) return ERR_BOUNDS;
  memory.fill(dst, 0, <usize>bytes);
  return bytes;
}

/** Copies `bytes` bytes from `src` to `dst` (memmove: overlap allowed). Returns bytes or a negative error. */
export function audiomixer_copy(dst: usize, src: usize, bytes: i32): i32 {
  if (bytes < 0) return ERR_ARG;
  if (!inMemory(dst, <u64>bytes) || !inMemory(src, <u64>bytes)) return ERR_BOUNDS;
  memory.copy(dst, src, <usize>bytes);
  return bytes;
}

/** dst[i] = saturate16(dst[i] + src[i]) for `samples` S16. Returns samples or a negative error. */
export function audiomixer_accumulate_s16(dst: usize, src: usize, samples: i32): i32 {
  const err = check(dst, src, <u64>samples << 1, 2, samples);
  if (err != 0) return err;
  const blocks = samples >> 3;
  let d = dst;
  let s = src;
  for (let b = 0; b < blocks; b++) {
    v128.store(d, i16x8.add_sat_s(v128.load(d), v128.load(s)));
    d += 16;
    s += 16;
  }
  for (let i = blocks << 3; i < samples; i++) {
    store<i16>(d, <i16>clampS16(<i32>load<i16>(d) + <i32>load<i16>(s)));
    d += 2;
    s += 2;
  }
  return samples;
}

/** dst[i] = dst[i] + src[i] for `samples` F32. Returns samples or a negative error. */
export function audiomixer_accumulate_f32(dst: usize, src: usize, samples: i32): i32 {
  const err = check(dst, src, <u64>samples << 2, 4, samples);
  if (err != 0) return err;
  const blocks = samples >> 2;
  let d = dst;
  let s = src;
  for (let b = 0; b < blocks; b++) {
    v128.store(d, f32x4.add(v128.load(d), v128.load(s)));
    d += 16;
    s += 16;
  }
  for (let i = blocks << 2; i < samples; i++) {
    store<f32>(d, load<f32>(d) + load<f32>(s));
    d += 4;
    s += 4;
  }
  return samples;
}

/**
 * dst[i] = saturate16(dst[i] + saturate16((src[i] · vol_i) >> 11)), vol_i = trunc(volume · 2048),
 * volume in 0..10 (audiomixer's pad volume range). Returns samples or a negative error.
 */
export function audiomixer_accumulate_volume_s16(dst: usize, src: usize, samples: i32, volume: f64): i32 {
  const err = check(dst, src, <u64>samples << 1, 2, samples);
  if (err != 0) return err;
  if (!(volume >= 0.0 && volume <= 10.0)) return ERR_PARAM;
  const vi = <i32>(volume * 2048.0);
  const vv = i16x8.splat(<i16>vi);
  const blocks = samples >> 3;
  let d = dst;
  let s = src;
  for (let b = 0; b < blocks; b++) {
    const x = v128.load(s);
    const lo = i32x4.shr_s(i32x4.extmul_low_i16x8_s(x, vv), 11);
    const hi = i32x4.shr_s(i32x4.extmul_high_i16x8_s(x, vv), 11);
    v128.store(d, i16x8.add_sat_s(v128.load(d), i16x8.narrow_i32x4_s(lo, hi)));
    d += 16;
    s += 16;
  }
  for (let i = blocks << 3; i < samples; i++) {
    const t = clampS16((<i32>load<i16>(s) * vi) >> 11);
    store<i16>(d, <i16>clampS16(<i32>load<i16>(d) + t));
    d += 2;
    s += 2;
  }
  return samples;
}

/** dst[i] = dst[i] + src[i] · volume, volume in 0..10, f32. Returns samples or a negative error. */
export function audiomixer_accumulate_volume_f32(dst: usize, src: usize, samples: i32, volume: f32): i32 {
  const err = check(dst, src, <u64>samples << 2, 4, samples);
  if (err != 0) return err;
  if (!(volume >= 0 && volume <= 10)) return ERR_PARAM;
  const v = f32x4.splat(volume);
  const blocks = samples >> 2;
  let d = dst;
  let s = src;
  for (let b = 0; b < blocks; b++) {
    v128.store(d, f32x4.add(v128.load(d), f32x4.mul(v128.load(s), v)));
    d += 16;
    s += 16;
  }
  for (let i = blocks << 2; i < samples; i++) {
    store<f32>(d, load<f32>(d) + load<f32>(s) * volume);
    d += 4;
    s += 4;
  }
  return samples;
}
