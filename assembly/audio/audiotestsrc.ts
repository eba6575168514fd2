// audiotestsrc kernels: fill interleaved S16LE or F32LE frames with a test wave.
//
// Waves (GStreamer's enum values): 0 sine, 1 square, 2 saw, 3 triangle, 4 silence,
// 5 white-noise, 8 ticks. Others return ERR_WAVE.
//
// Call order: audiotestsrc_configure (at negotiation and on every property change; it keeps the
// phase), optionally audiotestsrc_configure_ticks, then audiotestsrc_fill_s16/_f32 once per buffer.
// audiotestsrc_reset restarts the signal (GStreamer's start()); audiotestsrc_seek moves the sample
// position that ticks count from (GStreamer's do_seek).
//
// State: 128 bytes, 8-byte aligned (the engine gives 64), zeroed before the first configure.
//   off  type  field
//     0  f64   phase          oscillator accumulator, radians in [0, 2π)
//     8  f64   step           2π·freq/rate folded into [0, 2π)
//    16  f64   volume         0..1
//    24  f64   freq           Hz, >= 0
//    32  f64   next_sample    position of the next frame (ticks count from it), integral
//    40  f64   tick_interval  ns between tick starts (default 1e9)
//    48  f64   marker_volume  volume of marker ticks (default 1.0)
//    56  u32   prng           xorshift32 state; 0 = not seeded yet
//    60  u32   seed           seed given to configure
//    64  i32   wave
//    68  i32   rate           Hz, >= 1
//    72  i32   channels       1..64
//    76  i32   configured     1 after a successful configure
//    80  u32   tick_counter   ticks started so far (marker ticks: tick_counter % marker_period == 0)
//    84  i32   periods        sine periods per tick, >= 1 (default 10)
//    88  i32   marker_period  0 = no marker ticks
//    92  i32   tick_ramp      1 = cubic ramp at both ends of a tick
//    96  i32   ticks_set      1 after audiotestsrc_configure_ticks
//   100..127   reserved, zero
//
// Numbers: every wave is computed in f64 like GStreamer's gdouble path, then S16 = truncation
// toward zero of value·32767 (C's cast), F32 = value rounded to nearest f32.

import {
  CONFIGURED, ERR_ALIGN, ERR_ARG, ERR_BOUNDS, ERR_PARAM, ERR_STATE, ERR_WAVE, HALF_PI, MAX_CHANNELS,
  OK, PI, TWO_PI, inMemory, sine,
} from './common';

const STATE_SIZE: i32 = 128;

const PHASE: usize = 0;
const STEP: usize = 8;
const VOLUME: usize = 16;
const FREQ: usize = 24;
const NEXT_SAMPLE: usize = 32;
const TICK_INTERVAL: usize = 40;
const MARKER_VOLUME: usize = 48;
const PRNG: usize = 56;
const SEED: usize = 60;
const WAVE: usize = 64;
const RATE: usize = 68;
const CHANNELS: usize = 72;
const CONFIGURED_AT: usize = 76;
const TICK_COUNTER: usize = 80;
const PERIODS: usize = 84;
const MARKER_PERIOD: usize = 88;
const TICK_RAMP: usize = 92;
const TICKS_SET: usize = 96;

const SINE: i32 = 0;
const SQUARE: i32 = 1;
const SAW: i32 = 2;
const TRIANGLE: i32 = 3;
const SILENCE: i32 = 4;
const WHITE_NOISE: i32 = 5;
const TICKS: i32 = 8;

/** Bytes of state one audiotestsrc instance needs. */
export function audiotestsrc_state_size(): i32 {
  return STATE_SIZE;
}

/**
 * Sets wave, freq (Hz, 0..2^30), volume (0..1), rate (Hz, >= 1), channels (1..64) and the noise
 * seed. Keeps phase, position and noise sequence; seeds the noise generator the first time
 * (seed 0 stands for 0x9E3779B9). Returns 0 or ERR_ALIGN, ERR_WAVE, ERR_PARAM, ERR_ARG.
 */
export function audiotestsrc_configure(state: usize, wave: i32, freq: f64, volume: f64, rate: i32, channels: i32, seed: u32): i32 {
  if (state & 7) return ERR_ALIGN;
  if (!inMemory(state, <u64>STATE_SIZE)) return ERR_BOUNDS;
  if (wave != SINE && wave != SQUARE && wave != SAW && wave != TRIANGLE && wave != SILENCE && wave != WHITE_NOISE && wave != TICKS) {
    return ERR_WAVE;
  }
  if (!(freq >= 0.0 && freq <= 1073741823.0)) return ERR_PARAM;
  if (!(volume >= 0.0 && volume <= 1.0)) return ERR_PARAM;
  if (rate < 1) return ERR_PARAM;
  if (channels < 1 || channels > MAX_CHANNELS) return ERR_ARG;

  // GStreamer: step = M_PI_M2 * freq / rate. Folded so the accumulator stays in [0, 2π) even
  // when freq >= rate (GStreamer lets it run away there).
  let step = TWO_PI * freq / <f64>rate;
  if (step >= TWO_PI) {
    step = step - floor<f64>(step / TWO_PI) * TWO_PI;
    if (step < 0.0) step += TWO_PI;
    if (step >= TWO_PI) step -= TWO_PI;
  }
  store<f64>(state + STEP, step);
  store<f64>(state + VOLUME, volume);
  store<f64>(state + FREQ, freq);
  store<i32>(state + WAVE, wave);
  store<i32>(state + RATE, rate);
  store<i32>(state + CHANNELS, channels);
  store<u32>(state + SEED, seed);
  if (load<u32>(state + PRNG) == 0) store<u32>(state + PRNG, seed == 0 ? 0x9e3779b9 : seed);
  if (load<i32>(state + TICKS_SET) == 0) {
    store<f64>(state + TICK_INTERVAL, 1e9);
    store<f64>(state + MARKER_VOLUME, 1.0);
    store<i32>(state + PERIODS, 10);
    store<i32>(state + MARKER_PERIOD, 0);
    store<i32>(state + TICK_RAMP, 0);
  }
  store<i32>(state + CONFIGURED_AT, CONFIGURED);
  return OK;
}

/**
 * The ticks properties: tick-interval (ns, >= 1), sine-periods-per-tick (>= 1),
 * marker-tick-period (>= 0, 0 = none), marker-tick-volume (0..1), apply-tick-ramp (0/1).
 * May come before or after audiotestsrc_configure. Returns 0 or ERR_ALIGN, ERR_PARAM.
 */
export function audiotestsrc_configure_ticks(state: usize, tickIntervalNs: f64, sinePeriodsPerTick: i32, markerTickPeriod: i32, markerTickVolume: f64, applyTickRamp: i32): i32 {
  if (state & 7) return ERR_ALIGN;
  if (!inMemory(state, <u64>STATE_SIZE)) return ERR_BOUNDS;
  if (!(tickIntervalNs >= 1.0 && tickIntervalNs <= 1.8446744073709552e19)) return ERR_PARAM;
  if (sinePeriodsPerTick < 1 || markerTickPeriod < 0) return ERR_PARAM;
  if (!(markerTickVolume >= 0.0 && markerTickVolume <= 1.0)) return ERR_PARAM;
  store<f64>(state + TICK_INTERVAL, tickIntervalNs);
  store<f64>(state + MARKER_VOLUME, markerTickVolume);
  store<i32>(state + PERIODS, sinePeriodsPerTick);
  store<i32>(state + MARKER_PERIOD, markerTickPeriod);
  store<i32>(state + TICK_RAMP, applyTickRamp != 0 ? 1 : 0);
  store<i32>(state + TICKS_SET, 1);
  return OK;
}

/** Restarts the signal: phase 0, position 0, no ticks yet, noise sequence from the seed again. */
export function audiotestsrc_reset(state: usize): i32 {
  if (state & 7) return ERR_ALIGN;
  if (!inMemory(state, <u64>STATE_SIZE)) return ERR_BOUNDS;
  if (load<i32>(state + CONFIGURED_AT) != CONFIGURED) return ERR_STATE;
  const seed = load<u32>(state + SEED);
  store<f64>(state + PHASE, 0.0);
  store<f64>(state + NEXT_SAMPLE, 0.0);
  store<u32>(state + TICK_COUNTER, 0);
  store<u32>(state + PRNG, seed == 0 ? 0x9e3779b9 : seed);
  return OK;
}

/** Moves the position the next frame has (frames from the stream start, integral, 0..2^53). */
export function audiotestsrc_seek(state: usize, sample: f64): i32 {
  if (state & 7) return ERR_ALIGN;
  if (!inMemory(state, <u64>STATE_SIZE)) return ERR_BOUNDS;
  if (load<i32>(state + CONFIGURED_AT) != CONFIGURED) return ERR_STATE;
  if (!(sample >= 0.0 && sample <= 9007199254740992.0) || floor<f64>(sample) != sample) return ERR_PARAM;
  store<f64>(state + NEXT_SAMPLE, sample);
  return OK;
}

/** Fills `frames` interleaved S16LE frames at `ptr`. Returns frames or a negative error. */
export function audiotestsrc_fill_s16(state: usize, ptr: usize, frames: i32): i32 {
  return fill(state, ptr, frames, true);
}

/** Fills `frames` interleaved F32LE frames at `ptr`. Returns frames or a negative error. */
export function audiotestsrc_fill_f32(state: usize, ptr: usize, frames: i32): i32 {
  return fill(state, ptr, frames, false);
}

@inline
function put(at: usize, v: f64, s16: bool): void {
  if (s16) store<i16>(at, <i16><i32>v);
  else store<f32>(at, <f32>v);
}

/** One frame: the same value in every channel. */
@inline
function putFrame(at: usize, v: f64, channels: i32, bps: usize, s16: bool): void {
  for (let c = 0; c < channels; c++) put(at + <usize>c * bps, v, s16);
}

/** n mod d for integral n in [0, 2^53] and d >= 1, exactly. */
@inline
function modulo(n: f64, d: f64): f64 {
  let r = n - floor<f64>(n / d) * d;
  if (r < 0.0) r += d;
  if (r >= d) r -= d;
  return r;
}

function fill(state: usize, ptr: usize, frames: i32, s16: bool): i32 {
  if (state & 7) return ERR_ALIGN;
  if (!inMemory(state, <u64>STATE_SIZE)) return ERR_BOUNDS;
  if (load<i32>(state + CONFIGURED_AT) != CONFIGURED) return ERR_STATE;
  if (frames < 0) return ERR_ARG;
  const bps: usize = s16 ? 2 : 4;
  if (ptr & (bps - 1)) return ERR_ALIGN;
  const channels = load<i32>(state + CHANNELS);
  const bpf: usize = bps * <usize>channels;
  if (!inMemory(ptr, <u64>frames * <u64>bpf)) return ERR_BOUNDS;

  const wave = load<i32>(state + WAVE);
  const scale: f64 = s16 ? 32767.0 : 1.0;
  const volume = load<f64>(state + VOLUME);
  const step = load<f64>(state + STEP);
  let acc = load<f64>(state + PHASE);
  let at = ptr;

  if (wave == SILENCE) {
    memory.fill(ptr, 0, <usize>frames * bpf);
  } else if (wave == SINE) {
    const amp = volume * scale;
    for (let i = 0; i < frames; i++) {
      acc += step;
      if (acc >= TWO_PI) acc -= TWO_PI;
      putFrame(at, sine(acc) * amp, channels, bps, s16);
      at += bpf;
    }
  } else if (wave == SQUARE) {
    const amp = volume * scale;
    for (let i = 0; i < frames; i++) {
      acc += step;
      if (acc >= TWO_PI) acc -= TWO_PI;
      putFrame(at, acc < PI ? amp : -amp, channels, bps, s16);
      at += bpf;
    }
  } else if (wave == SAW) {
    const amp = (volume * scale) / PI;
    for (let i = 0; i < frames; i++) {
      acc += step;
      if (acc >= TWO_PI) acc -= TWO_PI;
      putFrame(at, acc < PI ? acc * amp : (TWO_PI - acc) * -amp, channels, bps, s16);
      at += bpf;
    }
  } else if (wave == TRIANGLE) {
    const amp = (volume * scale) / HALF_PI;
    for (let i = 0; i < frames; i++) {
      acc += step;
      if (acc >= TWO_PI) acc -= TWO_PI;
      let v: f64;
      if (acc < HALF_PI) v = acc * amp;
      else if (acc < PI * 1.5) v = (acc - PI) * -amp;
      else v = (TWO_PI - acc) * -amp;
      putFrame(at, v, channels, bps, s16);
      at += bpf;
    }
  } else if (wave == WHITE_NOISE) {
    // Uniform in [-amp, amp): xorshift32, u / 2^31 - 1 (exact in f64). Independent per channel.
    const amp = volume * scale;
    let x = load<u32>(state + PRNG);
    for (let i = 0; i < frames; i++) {
      for (let c = 0; c < channels; c++) {
        x ^= x << 13;
        x ^= x >>> 17;
        x ^= x << 5;
        put(at, amp * (<f64>x * 4.656612873077393e-10 - 1.0), s16);
        at += bps;
      }
    }
    store<u32>(state + PRNG, x);
  } else {
    acc = ticks(state, at, frames, channels, bps, s16, scale, step, acc);
  }

  store<f64>(state + PHASE, acc);
  store<f64>(state + NEXT_SAMPLE, load<f64>(state + NEXT_SAMPLE) + <f64>frames);
  return frames;
}

/** The tick volume for the current tick counter, times scale (GStreamer's calc_scaled_tick_volume). */
@inline
function tickVolume(state: usize, counter: u32, scale: f64): f64 {
  const period = <u32>load<i32>(state + MARKER_PERIOD);
  const vol = period > 0 && counter % period == 0 ? load<f64>(state + MARKER_VOLUME) : load<f64>(state + VOLUME);
  return vol * scale;
}

/**
 * GStreamer's create_tick: a tick starts every samples_between_ticks = floor(interval·rate/1e9)
 * frames (>= 1); its first frame is 0 and resets the phase; the next
 * floor(rate·periods/freq) - 1 frames carry the sine, optionally shaped by a cubic ramp
 * floor(rate/freq) frames long at both ends; the rest are 0. Those counts are capped at
 * samples_between_ticks. Output before advancing the phase (unlike the other waves).
 */
function ticks(state: usize, ptr: usize, frames: i32, channels: i32, bps: usize, s16: bool, scale: f64, step: f64, acc: f64): f64 {
  const rate = <f64>load<i32>(state + RATE);
  const freq = load<f64>(state + FREQ);
  let sbtF = floor<f64>(load<f64>(state + TICK_INTERVAL) * rate / 1e9);
  if (!(sbtF >= 1.0)) sbtF = 1.0;
  if (sbtF > 2147483647.0) sbtF = 2147483647.0;
  const sbt = <i32>sbtF;
  const nonzeroF = rate * <f64>load<i32>(state + PERIODS) / freq;
  const nonzero = nonzeroF < sbtF ? <i32>nonzeroF : sbt;
  let ramp = 0;
  if (load<i32>(state + TICK_RAMP) != 0) {
    const rampF = rate / freq;
    ramp = rampF < sbtF ? <i32>rampF : sbt;
  }
  const endRamp = nonzero - ramp;
  let pos = <i32>modulo(load<f64>(state + NEXT_SAMPLE), sbtF);
  let counter = load<u32>(state + TICK_COUNTER);
  let volscale = tickVolume(state, counter, scale);
  const bpf: usize = bps * <usize>channels;
  let at = ptr;

  for (let i = 0; i < frames; i++) {
    const m = pos;
    pos++;
    if (pos == sbt) pos = 0;
    if (m == 0) {
      acc = 0.0;
      counter++;
      volscale = tickVolume(state, counter, scale);
      putFrame(at, 0.0, channels, bps, s16);
    } else if (m < nonzero) {
      let r: f64 = 1.0;
      if (ramp > 0) {
        r = m < ramp ? <f64>m / <f64>ramp : m >= endRamp ? <f64>(nonzero - m) / <f64>ramp : 1.0;
        if (r > 1.0) r = 1.0;
        r = r * (r * r);
      }
      putFrame(at, volscale * r * sine(acc), channels, bps, s16);
    } else {
      putFrame(at, 0.0, channels, bps, s16);
    }
    acc += step;
    if (acc >= TWO_PI) acc -= TWO_PI;
    at += bpf;
  }
  store<u32>(state + TICK_COUNTER, counter);
  return acc;
}
