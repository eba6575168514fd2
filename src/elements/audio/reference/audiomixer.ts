/**
 * audiomixer reference kernels: the JS twins of assembly/audio/audiomixer.ts (same names,
 * parameters after `mem`, results and error codes). Stateless.
 *
 * S16 dst = saturate16(dst + src); with volume, src is first scaled like volume's S16 path
 * (vol_i = trunc(volume · 2048), saturate16((src · vol_i) >> 11)). F32 dst = dst + src (· volume).
 * dst === src is allowed (doubling); any other overlap is ERR_OVERLAP.
 *
 * Data thread; allocation-free per call.
 */
import { viewsOf } from '../../../wasm/views.js';
import { ERR_ALIGN, ERR_ARG, ERR_BOUNDS, ERR_OVERLAP, ERR_PARAM, clampS16, inMemory, overlaps } from './common.js';

const fround = Math.fround;

function check(mem: ArrayBufferLike, dst: number, src: number, bytes: number, align: number, count: number): number {
  if (count < 0) return ERR_ARG;
  if (dst & (align - 1) || src & (align - 1)) return ERR_ALIGN;
  if (!inMemory(mem, dst, bytes) || !inMemory(mem, src, bytes)) return ERR_BOUNDS;
  if (dst !== src && overlaps(dst, bytes, src, bytes)) return ERR_OVERLAP;
  return 0;
}

/** Zeroes `bytes` bytes at `dst`. Returns bytes or a negative error. */
export function audiomixer_clear(mem: ArrayBufferLike, dst: number, bytes: number): number {
  dst >>>= 0;
  bytes |= 0;
  if (bytes < 0) return ERR_ARG;
  if (!inMemory(mem, dst, bytes)) return ERR_BOUNDS;
  viewsOf(mem).u8.fill(0, dst, dst + bytes);
  return bytes;
}

/** Copies `bytes` bytes from `src` to `dst` (memmove). Returns bytes or a negative error. */
export function audiomixer_copy(mem: ArrayBufferLike, dst: number, src: number, bytes: number): number {
  dst >>>= 0;
  src >>>= 0;
  bytes |= 0;
  if (bytes < 0) return ERR_ARG;
  if (!inMemory(mem, dst, bytes) || !inMemory(mem, src, bytes)) return ERR_BOUNDS;
  viewsOf(mem).u8.copyWithin(dst, src, src + bytes);
  return bytes;
}

/** dst[i] = saturate16(dst[i] + src[i]) for `samples` S16. */
export function audiomixer_accumulate_s16(mem: ArrayBufferLike, dst: number, src: number, samples: number): number {
  dst >>>= 0;
  src >>>= 0;
  samples |= 0;
  const err = check(mem, dst, src, samples * 2, 2, samples);
  if (err !== 0) return err;
  const { i16 } = viewsOf(mem);
  const d = dst >>> 1;
  const s = src >>> 1;
  for (let i = 0; i < samples; i++) i16[d + i] = clampS16(i16[d + i]! + i16[s + i]!);
  return samples;
}

/** dst[i] = dst[i] + src[i] for `samples` F32. */
export function audiomixer_accumulate_f32(mem: ArrayBufferLike, dst: number, src: number, samples: number): number {
  dst >>>= 0;
  src >>>= 0;
  samples |= 0;
  const err = check(mem, dst, src, samples * 4, 4, samples);
  if (err !== 0) return err;
  const { f32 } = viewsOf(mem);
  const d = dst >>> 2;
  const s = src >>> 2;
  // f64 has more than 2·24 + 2 bits, so rounding the f64 sum to f32 gives the f32 add's result.
  for (let i = 0; i < samples; i++) f32[d + i] = f32[d + i]! + f32[s + i]!;
  return samples;
}

/** dst[i] = saturate16(dst[i] + saturate16((src[i] · vol_i) >> 11)), volume 0..10. */
export function audiomixer_accumulate_volume_s16(mem: ArrayBufferLike, dst: number, src: number, samples: number, volume: number): number {
  dst >>>= 0;
  src >>>= 0;
  samples |= 0;
  const err = check(mem, dst, src, samples * 2, 2, samples);
  if (err !== 0) return err;
  if (!(volume >= 0.0 && volume <= 10.0)) return ERR_PARAM;
  const vi = Math.trunc(volume * 2048.0);
  const { i16 } = viewsOf(mem);
  const d = dst >>> 1;
  const s = src >>> 1;
  for (let i = 0; i < samples; i++) i16[d + i] = clampS16(i16[d + i]! + clampS16((i16[s + i]! * vi) >> 11));
  return samples;
}

/** dst[i] = dst[i] + src[i] · volume (f32), volume 0..10. */
export function audiomixer_accumulate_volume_f32(mem: ArrayBufferLike, dst: number, src: number, samples: number, volume: number): number {
  dst >>>= 0;
  src >>>= 0;
  samples |= 0;
  const err = check(mem, dst, src, samples * 4, 4, samples);
  if (err !== 0) return err;
  const vol = fround(volume);
  if (!(vol >= 0 && vol <= 10)) return ERR_PARAM;
  const { f32 } = viewsOf(mem);
  const d = dst >>> 2;
  const s = src >>> 2;
  for (let i = 0; i < samples; i++) f32[d + i] = f32[d + i]! + fround(f32[s + i]! * vol);
  return samples;
}
