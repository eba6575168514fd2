// volume kernels: scale samples in place. Stateless.
//
// Mute and volume 0 both write zeros (GStreamer memsets the buffer and flags it GAP), so a
// muted F32 buffer holds +0.0 everywhere, never -0.0. Volume 1 leaves the bytes untouched
// (GStreamer's passthrough).
//
// F32: sample · f32(volume), IEEE single multiply (GStreamer's orc mulf).
// S16: GStreamer's fixed-point path. vol_i = trunc(volume · 2048) (unity = 2048, 11 bits);
//      sample' = saturate16((sample · vol_i) >> 11), arithmetic shift, so it rounds toward -inf:
//      volume 0.5 maps 3 → 1 and -3 → -2. When vol_i > 32767 (volume >= 16, only reachable via
//      volume-full-range) GStreamer switches to f32: trunc(clamp(f32(sample) · f32(volume))), and
//      so do we.

import { ERR_ALIGN, ERR_ARG, ERR_BOUNDS, ERR_PARAM, clampS16, inMemory } from './common';

/** Zeroes `bytes` bytes at `ptr` (mute, any format). Returns bytes or a negative error. */
export function volume_mute(ptr: usize, bytes: i32): i32 {
  if (bytes < 0) return ERR_ARG;
  if (!inMemory(ptr, <u64>bytes)) return ERR_BOUNDS;
  memory.fill(ptr, 0, <usize>bytes);
  return bytes;
}

/**
 * Multiplies `samples` F32 samples at `ptr` by `volume` (finite, >= 0), in place.
 * Returns samples or ERR_ARG, ERR_ALIGN, ERR_BOUNDS, ERR_PARAM.
 */
export function volume_f32(ptr: usize, samples: i32, volume: f32): i32 {
  if (samples < 0) return ERR_ARG;
  if (ptr & 3) return ERR_ALIGN;
  const bytes = <usize>samples << 2;
  if (!inMemory(ptr, <u64>samples << 2)) return ERR_BOUNDS;
  if (!(volume >= 0 && volume <= f32.MAX_VALUE)) return ERR_PARAM;
  if (volume == 0) {
    memory.fill(ptr, 0, bytes);
    return samples;
  }
  if (volume == 1) return samples;
  const v = f32x4.splat(volume);
  const end = ptr + bytes;
  const vend = ptr + (bytes & ~15);
  let p = ptr;
  while (p < vend) {
    v128.store(p, f32x4.mul(v128.load(p), v));
    p += 16;
  }
  while (p < end) {
    store<f32>(p, load<f32>(p) * volume);
    p += 4;
  }
  return samples;
}

/**
 * Multiplies `samples` S16 samples at `ptr` by `volume` (>= 0, at most f32's largest), in
 * place, saturating. Returns samples or ERR_ARG, ERR_ALIGN, ERR_BOUNDS, ERR_PARAM.
 */
export function volume_s16(ptr: usize, samples: i32, volume: f64): i32 {
  if (samples < 0) return ERR_ARG;
  if (ptr & 1) return ERR_ALIGN;
  const bytes = <usize>samples << 1;
  if (!inMemory(ptr, <u64>samples << 1)) return ERR_BOUNDS;
  if (!(volume >= 0.0 && volume <= 3.4028234663852886e38)) return ERR_PARAM;
  if (volume == 0.0) {
    memory.fill(ptr, 0, bytes);
    return samples;
  }
  const end = ptr + bytes;
  const fixed = volume * 2048.0;
  let p = ptr;
  if (fixed >= 32768.0) {
    const vf = <f32>volume;
    while (p < end) {
      let x = <f32>load<i16>(p) * vf;
      if (x > <f32>32767.0) x = 32767.0;
      else if (x < <f32>-32768.0) x = -32768.0;
      store<i16>(p, <i16><i32>x);
      p += 2;
    }
    return samples;
  }
  const vi = <i32>fixed;
  if (vi == 2048) return samples;
  const vv = i16x8.splat(<i16>vi);
  const vend = ptr + (bytes & ~15);
  while (p < vend) {
    const x = v128.load(p);
    const lo = i32x4.shr_s(i32x4.extmul_low_i16x8_s(x, vv), 11);
    const hi = i32x4.shr_s(i32x4.extmul_high_i16x8_s(x, vv), 11);
    v128.store(p, i16x8.narrow_i32x4_s(lo, hi));
    p += 16;
  }
  while (p < end) {
    store<i16>(p, <i16>clampS16((<i32>load<i16>(p) * vi) >> 11));
    p += 2;
  }
  return samples;
}
