/**
 * volume reference kernels: the JS twins of assembly/audio/volume.ts (same names, parameters
 * after `mem`, results and error codes). Stateless.
 *
 * F32: sample · f32(volume). S16: GStreamer's fixed point, vol_i = trunc(volume · 2048),
 * sample' = saturate16((sample · vol_i) >> 11); volume >= 16 switches to f32 like GStreamer.
 * Volume 0 (and mute) writes zeros; volume 1 leaves the bytes untouched.
 *
 * Data thread; allocation-free per call.
 */
import { viewsOf } from '../../../wasm/views.js';
import { ERR_ALIGN, ERR_ARG, ERR_BOUNDS, ERR_PARAM, F32_MAX, clampS16, inMemory } from './common.js';

/** Zeroes `bytes` bytes at `ptr` (mute, any format). Returns bytes or a negative error. */
export function volume_mute(mem: ArrayBufferLike, ptr: number, bytes: number): number {
  ptr >>>= 0;
  bytes |= 0;
  if (bytes < 0) return ERR_ARG;
  if (!inMemory(mem, ptr, bytes)) return ERR_BOUNDS;
  viewsOf(mem).u8.fill(0, ptr, ptr + bytes);
  return bytes;
}

/** Multiplies `samples` F32 samples at `ptr` by `volume` (finite, >= 0), in place. */
export function volume_f32(mem: ArrayBufferLike, ptr: number, samples: number, volume: number): number {
  ptr >>>= 0;
  samples |= 0;
  if (samples < 0) return ERR_ARG;
  if (ptr & 3) return ERR_ALIGN;
  if (!inMemory(mem, ptr, samples * 4)) return ERR_BOUNDS;
  const vol = Math.fround(volume);
  if (!(vol >= 0 && vol <= F32_MAX)) return ERR_PARAM;
  const v = viewsOf(mem);
  if (vol === 0) {
    v.u8.fill(0, ptr, ptr + samples * 4);
    return samples;
  }
  if (vol === 1) return samples;
  const f32 = v.f32;
  const start = ptr >>> 2;
  const end = start + samples;
  // A product of two f32 is exact in f64, so the Float32Array store rounds it like f32.mul.
  for (let i = start; i < end; i++) f32[i] = f32[i]! * vol;
  return samples;
}

/** Multiplies `samples` S16 samples at `ptr` by `volume` (0..f32 max), in place, saturating. */
export function volume_s16(mem: ArrayBufferLike, ptr: number, samples: number, volume: number): number {
  ptr >>>= 0;
  samples |= 0;
  if (samples < 0) return ERR_ARG;
  if (ptr & 1) return ERR_ALIGN;
  if (!inMemory(mem, ptr, samples * 2)) return ERR_BOUNDS;
  if (!(volume >= 0.0 && volume <= F32_MAX)) return ERR_PARAM;
  const v = viewsOf(mem);
  if (volume === 0.0) {
    v.u8.fill(0, ptr, ptr + samples * 2);
    return samples;
  }
  const i16 = v.i16;
  const start = ptr >>> 1;
  const end = start + samples;
  const fixed = volume * 2048.0;
  if (fixed >= 32768.0) {
    const vf = Math.fround(volume);
    for (let i = start; i < end; i++) {
      let x = Math.fround(i16[i]! * vf);
      if (x > 32767.0) x = 32767.0;
      else if (x < -32768.0) x = -32768.0;
      i16[i] = Math.trunc(x);
    }
    return samples;
  }
  const vi = Math.trunc(fixed);
  if (vi === 2048) return samples;
  for (let i = start; i < end; i++) i16[i] = clampS16((i16[i]! * vi) >> 11);
  return samples;
}
