/**
 * audioconvert reference kernels: the JS twins of assembly/audio/audioconvert.ts (same names,
 * parameters after `mem`, results and error codes). Stateless.
 *
 * S16 → F32 f = s / 32768 (exact). F32 → S16 s = saturate16(roundHalfEven(f · 32768)), NaN → 0,
 * no dither. Mono → stereo duplicates; stereo → mono is (L + R + 1) >> 1 for S16 and
 * (L + R) · 0.5 for F32. N → M: out[o] = Σ_i matrix[o·N + i] · in[i] in f32, i ascending.
 * F32 → S16 and stereo → mono may run in place (dst === src); other overlaps are ERR_OVERLAP.
 *
 * Data thread; allocation-free per call.
 */
import { viewsOf } from '../../../wasm/views.js';
import {
  ERR_ALIGN, ERR_ARG, ERR_BOUNDS, ERR_OVERLAP, ERR_PARAM, F32_MAX, MAX_CHANNELS, inMemory, overlaps, roundToS16,
} from './common.js';

const fround = Math.fround;

/** The kernel's check(): count, alignment, bounds, then overlap (dst === src allowed when `inPlace`). */
function check(mem: ArrayBufferLike, src: number, srcBytes: number, srcAlign: number, dst: number, dstBytes: number, dstAlign: number, count: number, inPlace: boolean): number {
  if (count < 0) return ERR_ARG;
  if (src & (srcAlign - 1) || dst & (dstAlign - 1)) return ERR_ALIGN;
  if (!inMemory(mem, src, srcBytes) || !inMemory(mem, dst, dstBytes)) return ERR_BOUNDS;
  if (overlaps(src, srcBytes, dst, dstBytes) && !(inPlace && src === dst)) return ERR_OVERLAP;
  return 0;
}

/** `samples` S16 at `src` → F32 at `dst`. Returns samples or a negative error. */
export function audioconvert_s16_to_f32(mem: ArrayBufferLike, src: number, dst: number, samples: number): number {
  src >>>= 0;
  dst >>>= 0;
  samples |= 0;
  const err = check(mem, src, samples * 2, 2, dst, samples * 4, 4, samples, false);
  if (err !== 0) return err;
  const { i16, f32 } = viewsOf(mem);
  const s = src >>> 1;
  const d = dst >>> 2;
  for (let i = 0; i < samples; i++) f32[d + i] = i16[s + i]! * 0.000030517578125;
  return samples;
}

/** `samples` F32 at `src` → S16 at `dst` (dst === src allowed). Returns samples or a negative error. */
export function audioconvert_f32_to_s16(mem: ArrayBufferLike, src: number, dst: number, samples: number): number {
  src >>>= 0;
  dst >>>= 0;
  samples |= 0;
  const err = check(mem, src, samples * 4, 4, dst, samples * 2, 2, samples, true);
  if (err !== 0) return err;
  const { i16, f32 } = viewsOf(mem);
  const s = src >>> 2;
  const d = dst >>> 1;
  // f32 · 32768 is exact in f64 (and saturates the same when the f32 product would overflow).
  for (let i = 0; i < samples; i++) i16[d + i] = roundToS16(f32[s + i]! * 32768.0);
  return samples;
}

/** Mono S16 → stereo S16. Returns frames or a negative error. */
export function audioconvert_mono_to_stereo_s16(mem: ArrayBufferLike, src: number, dst: number, frames: number): number {
  src >>>= 0;
  dst >>>= 0;
  frames |= 0;
  const err = check(mem, src, frames * 2, 2, dst, frames * 4, 2, frames, false);
  if (err !== 0) return err;
  const { i16 } = viewsOf(mem);
  const s = src >>> 1;
  const d = dst >>> 1;
  for (let i = 0; i < frames; i++) {
    const x = i16[s + i]!;
    i16[d + 2 * i] = x;
    i16[d + 2 * i + 1] = x;
  }
  return frames;
}

/** Mono F32 → stereo F32 (bit copies). Returns frames or a negative error. */
export function audioconvert_mono_to_stereo_f32(mem: ArrayBufferLike, src: number, dst: number, frames: number): number {
  src >>>= 0;
  dst >>>= 0;
  frames |= 0;
  const err = check(mem, src, frames * 4, 4, dst, frames * 8, 4, frames, false);
  if (err !== 0) return err;
  const { u32 } = viewsOf(mem);
  const s = src >>> 2;
  const d = dst >>> 2;
  for (let i = 0; i < frames; i++) {
    const x = u32[s + i]!;
    u32[d + 2 * i] = x;
    u32[d + 2 * i + 1] = x;
  }
  return frames;
}

/** Stereo S16 → mono S16, (L + R + 1) >> 1 (dst === src allowed). Returns frames or a negative error. */
export function audioconvert_stereo_to_mono_s16(mem: ArrayBufferLike, src: number, dst: number, frames: number): number {
  src >>>= 0;
  dst >>>= 0;
  frames |= 0;
  const err = check(mem, src, frames * 4, 2, dst, frames * 2, 2, frames, true);
  if (err !== 0) return err;
  const { i16 } = viewsOf(mem);
  const s = src >>> 1;
  const d = dst >>> 1;
  for (let i = 0; i < frames; i++) i16[d + i] = (i16[s + 2 * i]! + i16[s + 2 * i + 1]! + 1) >> 1;
  return frames;
}

/** Stereo F32 → mono F32, (L + R) · 0.5 (dst === src allowed). Returns frames or a negative error. */
export function audioconvert_stereo_to_mono_f32(mem: ArrayBufferLike, src: number, dst: number, frames: number): number {
  src >>>= 0;
  dst >>>= 0;
  frames |= 0;
  const err = check(mem, src, frames * 8, 4, dst, frames * 4, 4, frames, true);
  if (err !== 0) return err;
  const { f32 } = viewsOf(mem);
  const s = src >>> 2;
  const d = dst >>> 2;
  for (let i = 0; i < frames; i++) f32[d + i] = fround(f32[s + 2 * i]! + f32[s + 2 * i + 1]!) * 0.5;
  return frames;
}

/** The kernel's checkMix(). */
function checkMix(mem: ArrayBufferLike, src: number, dst: number, frames: number, inChannels: number, outChannels: number, matrix: number, bps: number): number {
  if (inChannels < 1 || inChannels > MAX_CHANNELS || outChannels < 1 || outChannels > MAX_CHANNELS) return ERR_ARG;
  const inBytes = frames * inChannels * bps;
  const outBytes = frames * outChannels * bps;
  const err = check(mem, src, inBytes, bps, dst, outBytes, bps, frames, false);
  if (err !== 0) return err;
  const mBytes = inChannels * outChannels * 4;
  if (matrix & 3) return ERR_ALIGN;
  if (!inMemory(mem, matrix, mBytes)) return ERR_BOUNDS;
  if (overlaps(matrix, mBytes, dst, outBytes)) return ERR_OVERLAP;
  const { f32 } = viewsOf(mem);
  const m0 = matrix >>> 2;
  const n = inChannels * outChannels;
  for (let i = 0; i < n; i++) {
    const m = f32[m0 + i]!;
    if (!(m >= -F32_MAX && m <= F32_MAX)) return ERR_PARAM;
  }
  return 0;
}

/** F32 N → M through `matrix` (outChannels rows × inChannels f32). Returns frames or a negative error. */
export function audioconvert_mix_f32(mem: ArrayBufferLike, src: number, dst: number, frames: number, inChannels: number, outChannels: number, matrix: number): number {
  src >>>= 0;
  dst >>>= 0;
  frames |= 0;
  inChannels |= 0;
  outChannels |= 0;
  matrix >>>= 0;
  const err = checkMix(mem, src, dst, frames, inChannels, outChannels, matrix, 4);
  if (err !== 0) return err;
  const { f32 } = viewsOf(mem);
  const m0 = matrix >>> 2;
  let s = src >>> 2;
  let d = dst >>> 2;
  for (let f = 0; f < frames; f++) {
    let row = m0;
    for (let o = 0; o < outChannels; o++) {
      let acc = fround(f32[row]! * f32[s]!);
      for (let i = 1; i < inChannels; i++) acc = fround(acc + fround(f32[row + i]! * f32[s + i]!));
      f32[d++] = acc;
      row += inChannels;
    }
    s += inChannels;
  }
  return frames;
}

/** S16 N → M through `matrix`, summed in f32, rounded half-to-even, saturated. */
export function audioconvert_mix_s16(mem: ArrayBufferLike, src: number, dst: number, frames: number, inChannels: number, outChannels: number, matrix: number): number {
  src >>>= 0;
  dst >>>= 0;
  frames |= 0;
  inChannels |= 0;
  outChannels |= 0;
  matrix >>>= 0;
  const err = checkMix(mem, src, dst, frames, inChannels, outChannels, matrix, 2);
  if (err !== 0) return err;
  const { f32, i16 } = viewsOf(mem);
  const m0 = matrix >>> 2;
  let s = src >>> 1;
  let d = dst >>> 1;
  for (let f = 0; f < frames; f++) {
    let row = m0;
    for (let o = 0; o < outChannels; o++) {
      let acc = fround(f32[row]! * i16[s]!);
      for (let i = 1; i < inChannels; i++) acc = fround(acc + fround(f32[row + i]! * i16[s + i]!));
      i16[d++] = roundToS16(acc);
      row += inChannels;
    }
    s += inChannels;
  }
  return frames;
}
