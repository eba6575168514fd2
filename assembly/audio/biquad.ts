// biquad kernels: one second-order IIR section per channel, interleaved F32LE or S16LE.
//
// Coefficients come from src/elements/audio/reference/biquad-design.ts (RBJ cookbook lowpass,
// highpass, bandpass, normalized so a0 = 1), computed once per property change in TS and handed
// to biquad_configure; the kernels never call a transcendental function.
//
// Transposed direct form II, in f64 (history too), per channel c and input x:
//   y     = b0·x + z1[c]
//   z1[c] = b1·x - a1·y + z2[c]
//   z2[c] = b2·x - a2·y
// F32 out = f32(y) (round to nearest). S16 in = the integer as f64 (no scaling); S16 out =
// saturate16(roundHalfEven(y)).
//
// State: 1088 bytes (64 + 64 channels · 16), 8-byte aligned, zeroed before the first configure.
//   off  type  field
//     0  i32   configured   1 after a successful configure
//     4  i32   channels     1..64
//     8  f64   b0
//    16  f64   b1
//    24  f64   b2
//    32  f64   a1
//    40  f64   a2
//    48..63    reserved, zero
//    64 + 16·c f64 z1 of channel c
//    72 + 16·c f64 z2 of channel c
//
// src == dst runs in place; any other overlap returns ERR_OVERLAP.

import {
  CONFIGURED, ERR_ALIGN, ERR_ARG, ERR_BOUNDS, ERR_OVERLAP, ERR_PARAM, ERR_STATE, MAX_CHANNELS, OK,
  inMemory, overlaps, roundToS16,
} from './common';

const STATE_SIZE: i32 = 1088;
const CONFIGURED_AT: usize = 0;
const CHANNELS: usize = 4;
const B0: usize = 8;
const B1: usize = 16;
const B2: usize = 24;
const A1: usize = 32;
const A2: usize = 40;
const HISTORY: usize = 64;

/** Bytes of state one biquad instance needs (any channel count up to 64). */
export function biquad_state_size(): i32 {
  return STATE_SIZE;
}

@inline
function finite(x: f64): bool {
  return x - x == 0.0;
}

/**
 * Sets the channel count (1..64) and the normalized coefficients (finite). The history is kept
 * when the channel count is unchanged (a cutoff sweep stays smooth) and cleared otherwise.
 * Returns 0 or ERR_ALIGN, ERR_BOUNDS, ERR_ARG, ERR_PARAM.
 */
export function biquad_configure(state: usize, channels: i32, b0: f64, b1: f64, b2: f64, a1: f64, a2: f64): i32 {
  if (state & 7) return ERR_ALIGN;
  if (!inMemory(state, <u64>STATE_SIZE)) return ERR_BOUNDS;
  if (channels < 1 || channels > MAX_CHANNELS) return ERR_ARG;
  if (!(finite(b0) && finite(b1) && finite(b2) && finite(a1) && finite(a2))) return ERR_PARAM;
  if (load<i32>(state + CONFIGURED_AT) != CONFIGURED || load<i32>(state + CHANNELS) != channels) {
    memory.fill(state + HISTORY, 0, <usize>(STATE_SIZE - <i32>HISTORY));
  }
  store<i32>(state + CHANNELS, channels);
  store<f64>(state + B0, b0);
  store<f64>(state + B1, b1);
  store<f64>(state + B2, b2);
  store<f64>(state + A1, a1);
  store<f64>(state + A2, a2);
  store<i32>(state + CONFIGURED_AT, CONFIGURED);
  return OK;
}

/** Clears the history (after a flush or a discontinuity). Returns 0 or a negative error. */
export function biquad_reset(state: usize): i32 {
  if (state & 7) return ERR_ALIGN;
  if (!inMemory(state, <u64>STATE_SIZE)) return ERR_BOUNDS;
  if (load<i32>(state + CONFIGURED_AT) != CONFIGURED) return ERR_STATE;
  memory.fill(state + HISTORY, 0, <usize>(STATE_SIZE - <i32>HISTORY));
  return OK;
}

/** Checks shared by both formats; 0 when the call may proceed. */
@inline
function check(state: usize, src: usize, dst: usize, frames: i32, bps: usize): i32 {
  if (state & 7) return ERR_ALIGN;
  if (!inMemory(state, <u64>STATE_SIZE)) return ERR_BOUNDS;
  if (load<i32>(state + CONFIGURED_AT) != CONFIGURED) return ERR_STATE;
  if (frames < 0) return ERR_ARG;
  if ((src & (bps - 1)) || (dst & (bps - 1))) return ERR_ALIGN;
  const bytes = <u64>frames * <u64>load<i32>(state + CHANNELS) * <u64>bps;
  if (!inMemory(src, bytes) || !inMemory(dst, bytes)) return ERR_BOUNDS;
  if (src != dst && overlaps(src, bytes, dst, bytes)) return ERR_OVERLAP;
  return 0;
}

/** Filters `frames` interleaved F32 frames from `src` into `dst`. Returns frames or a negative error. */
export function biquad_f32(state: usize, src: usize, dst: usize, frames: i32): i32 {
  const err = check(state, src, dst, frames, 4);
  if (err != 0) return err;
  const channels = load<i32>(state + CHANNELS);
  const b0 = load<f64>(state + B0);
  const b1 = load<f64>(state + B1);
  const b2 = load<f64>(state + B2);
  const a1 = load<f64>(state + A1);
  const a2 = load<f64>(state + A2);
  const stride = <usize>channels << 2;
  // Channel by channel, so the history lives in locals for a whole buffer.
  for (let c = 0; c < channels; c++) {
    const h = state + HISTORY + (<usize>c << 4);
    let z1 = load<f64>(h);
    let z2 = load<f64>(h + 8);
    let s = src + (<usize>c << 2);
    let d = dst + (<usize>c << 2);
    for (let f = 0; f < frames; f++) {
      const x = <f64>load<f32>(s);
      const y = b0 * x + z1;
      z1 = b1 * x - a1 * y + z2;
      z2 = b2 * x - a2 * y;
      store<f32>(d, <f32>y);
      s += stride;
      d += stride;
    }
    store<f64>(h, z1);
    store<f64>(h + 8, z2);
  }
  return frames;
}

/** Filters `frames` interleaved S16 frames from `src` into `dst`. Returns frames or a negative error. */
export function biquad_s16(state: usize, src: usize, dst: usize, frames: i32): i32 {
  const err = check(state, src, dst, frames, 2);
  if (err != 0) return err;
  const channels = load<i32>(state + CHANNELS);
  const b0 = load<f64>(state + B0);
  const b1 = load<f64>(state + B1);
  const b2 = load<f64>(state + B2);
  const a1 = load<f64>(state + A1);
  const a2 = load<f64>(state + A2);
  const stride = <usize>channels << 1;
  for (let c = 0; c < channels; c++) {
    const h = state + HISTORY + (<usize>c << 4);
    let z1 = load<f64>(h);
    let z2 = load<f64>(h + 8);
    let s = src + (<usize>c << 1);
    let d = dst + (<usize>c << 1);
    for (let f = 0; f < frames; f++) {
      const x = <f64>load<i16>(s);
      const y = b0 * x + z1;
      z1 = b1 * x - a1 * y + z2;
      z2 = b2 * x - a2 * y;
      store<i16>(d, <i16>roundToS16(y));
      s += stride;
      d += stride;
    }
    store<f64>(h, z1);
    store<f64>(h + 8, z2);
  }
  return frames;
}
