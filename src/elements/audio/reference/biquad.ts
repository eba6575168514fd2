/**
 * biquad reference kernels: the JS twins of assembly/audio/biquad.ts (same names, parameters
 * after `mem`, state layout, results and error codes).
 *
 * Transposed direct form II in f64: y = b0·x + z1; z1 = b1·x - a1·y + z2; z2 = b2·x - a2·y.
 * F32 out = f32(y); S16 in is the integer as f64, S16 out = saturate16(roundHalfEven(y)).
 *
 * State (1088 bytes, 8-byte aligned, zeroed before the first configure), byte offsets:
 *   0 i32 configured · 4 i32 channels · 8 f64 b0 · 16 f64 b1 · 24 f64 b2 · 32 f64 a1 ·
 *   40 f64 a2 · 48..63 reserved · 64 + 16·c f64 z1 of channel c · 72 + 16·c f64 z2 of channel c.
 *
 * Data thread; allocation-free per call.
 */
import { viewsOf } from '../../../wasm/views.js';
import {
  CONFIGURED, ERR_ALIGN, ERR_ARG, ERR_BOUNDS, ERR_OVERLAP, ERR_PARAM, ERR_STATE, MAX_CHANNELS, OK, inMemory, overlaps,
  roundToS16,
} from './common.js';

export const BIQUAD_STATE_SIZE = 1088;
const CONFIGURED_AT = 0;
const CHANNELS = 4;
const B0 = 8;
const B1 = 16;
const B2 = 24;
const A1 = 32;
const A2 = 40;
const HISTORY = 64;

/** Bytes of state one biquad instance needs (any channel count up to 64). */
export function biquad_state_size(): number {
  return BIQUAD_STATE_SIZE;
}

function finite(x: number): boolean {
  return x - x === 0.0;
}

/** Sets channels (1..64) and normalized coefficients; keeps the history if channels is unchanged. */
export function biquad_configure(mem: ArrayBufferLike, state: number, channels: number, b0: number, b1: number, b2: number, a1: number, a2: number): number {
  state >>>= 0;
  channels |= 0;
  if (state & 7) return ERR_ALIGN;
  if (!inMemory(mem, state, BIQUAD_STATE_SIZE)) return ERR_BOUNDS;
  if (channels < 1 || channels > MAX_CHANNELS) return ERR_ARG;
  if (!(finite(b0) && finite(b1) && finite(b2) && finite(a1) && finite(a2))) return ERR_PARAM;
  const v = viewsOf(mem);
  if (v.i32[(state + CONFIGURED_AT) >>> 2] !== CONFIGURED || v.i32[(state + CHANNELS) >>> 2] !== channels) {
    v.u8.fill(0, state + HISTORY, state + BIQUAD_STATE_SIZE);
  }
  v.i32[(state + CHANNELS) >>> 2] = channels;
  v.f64[(state + B0) >>> 3] = b0;
  v.f64[(state + B1) >>> 3] = b1;
  v.f64[(state + B2) >>> 3] = b2;
  v.f64[(state + A1) >>> 3] = a1;
  v.f64[(state + A2) >>> 3] = a2;
  v.i32[(state + CONFIGURED_AT) >>> 2] = CONFIGURED;
  return OK;
}

/** Clears the history. */
export function biquad_reset(mem: ArrayBufferLike, state: number): number {
  state >>>= 0;
  if (state & 7) return ERR_ALIGN;
  if (!inMemory(mem, state, BIQUAD_STATE_SIZE)) return ERR_BOUNDS;
  const v = viewsOf(mem);
  if (v.i32[(state + CONFIGURED_AT) >>> 2] !== CONFIGURED) return ERR_STATE;
  v.u8.fill(0, state + HISTORY, state + BIQUAD_STATE_SIZE);
  return OK;
}

function check(mem: ArrayBufferLike, state: number, src: number, dst: number, frames: number, bps: number): number {
  if (state & 7) return ERR_ALIGN;
  if (!inMemory(mem, state, BIQUAD_STATE_SIZE)) return ERR_BOUNDS;
  const v = viewsOf(mem);
  if (v.i32[(state + CONFIGURED_AT) >>> 2] !== CONFIGURED) return ERR_STATE;
  if (frames < 0) return ERR_ARG;
  if (src & (bps - 1) || dst & (bps - 1)) return ERR_ALIGN;
  const bytes = frames * v.i32[(state + CHANNELS) >>> 2]! * bps;
  if (!inMemory(mem, src, bytes) || !inMemory(mem, dst, bytes)) return ERR_BOUNDS;
  if (src !== dst && overlaps(src, bytes, dst, bytes)) return ERR_OVERLAP;
  return 0;
}

/** Filters `frames` interleaved F32 frames from `src` into `dst` (in place when equal). */
export function biquad_f32(mem: ArrayBufferLike, state: number, src: number, dst: number, frames: number): number {
  state >>>= 0;
  src >>>= 0;
  dst >>>= 0;
  frames |= 0;
  const err = check(mem, state, src, dst, frames, 4);
  if (err !== 0) return err;
  const { i32, f32, f64 } = viewsOf(mem);
  const channels = i32[(state + CHANNELS) >>> 2]!;
  const st = state >>> 3;
  const b0 = f64[st + 1]!;
  const b1 = f64[st + 2]!;
  const b2 = f64[st + 3]!;
  const a1 = f64[st + 4]!;
  const a2 = f64[st + 5]!;
  for (let c = 0; c < channels; c++) {
    const h = ((state + HISTORY) >>> 3) + 2 * c;
    let z1 = f64[h]!;
    let z2 = f64[h + 1]!;
    let s = (src >>> 2) + c;
    let d = (dst >>> 2) + c;
    for (let f = 0; f < frames; f++) {
      const x = f32[s]!;
      const y = b0 * x + z1;
      z1 = b1 * x - a1 * y + z2;
      z2 = b2 * x - a2 * y;
      f32[d] = y;
      s += channels;
      d += channels;
    }
    f64[h] = z1;
    f64[h + 1] = z2;
  }
  return frames;
}

/** Filters `frames` interleaved S16 frames from `src` into `dst` (in place when equal). */
export function biquad_s16(mem: ArrayBufferLike, state: number, src: number, dst: number, frames: number): number {
  state >>>= 0;
  src >>>= 0;
  dst >>>= 0;
  frames |= 0;
  const err = check(mem, state, src, dst, frames, 2);
  if (err !== 0) return err;
  const { i32, i16, f64 } = viewsOf(mem);
  const channels = i32[(state + CHANNELS) >>> 2]!;
  const st = state >>> 3;
  const b0 = f64[st + 1]!;
  const b1 = f64[st + 2]!;
  const b2 = f64[st + 3]!;
  const a1 = f64[st + 4]!;
  const a2 = f64[st + 5]!;
  for (let c = 0; c < channels; c++) {
    const h = ((state + HISTORY) >>> 3) + 2 * c;
    let z1 = f64[h]!;
    let z2 = f64[h + 1]!;
    let s = (src >>> 1) + c;
    let d = (dst >>> 1) + c;
    for (let f = 0; f < frames; f++) {
      const x = i16[s]!;
      const y = b0 * x + z1;
      z1 = b1 * x - a1 * y + z2;
      z2 = b2 * x - a2 * y;
      i16[d] = roundToS16(y);
      s += channels;
      d += channels;
    }
    f64[h] = z1;
    f64[h + 1] = z2;
  }
  return frames;
}
