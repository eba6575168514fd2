/**
 * audiotestsrc reference kernels: the JS twins of assembly/audio/audiotestsrc.ts, with the same
 * names, parameters (after `mem`), state layout, results and error codes. They are the fallback
 * when WebAssembly is unavailable, and what the kernel tests compare the WASM build with.
 *
 * State (128 bytes, 8-byte aligned, zeroed before the first configure), byte offsets:
 *   0 f64 phase · 8 f64 step · 16 f64 volume · 24 f64 freq · 32 f64 next_sample ·
 *   40 f64 tick_interval (ns) · 48 f64 marker_volume · 56 u32 prng · 60 u32 seed · 64 i32 wave ·
 *   68 i32 rate · 72 i32 channels · 76 i32 configured · 80 u32 tick_counter · 84 i32 periods ·
 *   88 i32 marker_period · 92 i32 tick_ramp · 96 i32 ticks_set · 100..127 reserved.
 *
 * Data thread; allocation-free per call.
 */
import { viewsOf, type MemoryViews } from '../../../wasm/views.js';
import {
  CONFIGURED, ERR_ALIGN, ERR_ARG, ERR_BOUNDS, ERR_PARAM, ERR_STATE, ERR_WAVE, HALF_PI, MAX_CHANNELS, OK, PI,
  TWO_PI, inMemory, sine,
} from './common.js';

export const AUDIOTESTSRC_STATE_SIZE = 128;

/** GStreamer's wave enum values, for the waves these kernels generate. */
export const AudioTestSrcWave = {
  sine: 0,
  square: 1,
  saw: 2,
  triangle: 3,
  silence: 4,
  'white-noise': 5,
  ticks: 8,
} as const;
export type AudioTestSrcWaveName = keyof typeof AudioTestSrcWave;

const PHASE = 0;
const STEP = 8;
const VOLUME = 16;
const FREQ = 24;
const NEXT_SAMPLE = 32;
const TICK_INTERVAL = 40;
const MARKER_VOLUME = 48;
const PRNG = 56;
const SEED = 60;
const WAVE = 64;
const RATE = 68;
const CHANNELS = 72;
const CONFIGURED_AT = 76;
const TICK_COUNTER = 80;
const PERIODS = 84;
const MARKER_PERIOD = 88;
const TICK_RAMP = 92;
const TICKS_SET = 96;

const SINE = 0;
const SQUARE = 1;
const SAW = 2;
const TRIANGLE = 3;
const SILENCE = 4;
const WHITE_NOISE = 5;
const TICKS = 8;

/** Bytes of state one audiotestsrc instance needs. */
export function audiotestsrc_state_size(): number {
  return AUDIOTESTSRC_STATE_SIZE;
}

/** See the kernel: sets wave, freq, volume, rate, channels and seed; keeps the phase. */
export function audiotestsrc_configure(mem: ArrayBufferLike, state: number, wave: number, freq: number, volume: number, rate: number, channels: number, seed: number): number {
  state >>>= 0;
  wave |= 0;
  rate |= 0;
  channels |= 0;
  if (state & 7) return ERR_ALIGN;
  if (!inMemory(mem, state, AUDIOTESTSRC_STATE_SIZE)) return ERR_BOUNDS;
  if (wave !== SINE && wave !== SQUARE && wave !== SAW && wave !== TRIANGLE && wave !== SILENCE && wave !== WHITE_NOISE && wave !== TICKS) {
    return ERR_WAVE;
  }
  if (!(freq >= 0.0 && freq <= 1073741823.0)) return ERR_PARAM;
  if (!(volume >= 0.0 && volume <= 1.0)) return ERR_PARAM;
  if (rate < 1) return ERR_PARAM;
  if (channels < 1 || channels > MAX_CHANNELS) return ERR_ARG;

  const v = viewsOf(mem);
  let step = (TWO_PI * freq) / rate;
  if (step >= TWO_PI) {
    step = step - Math.floor(step / TWO_PI) * TWO_PI;
    if (step < 0.0) step += TWO_PI;
    if (step >= TWO_PI) step -= TWO_PI;
  }
  const s = seed >>> 0;
  v.f64[(state + STEP) >>> 3] = step;
  v.f64[(state + VOLUME) >>> 3] = volume;
  v.f64[(state + FREQ) >>> 3] = freq;
  v.i32[(state + WAVE) >>> 2] = wave;
  v.i32[(state + RATE) >>> 2] = rate;
  v.i32[(state + CHANNELS) >>> 2] = channels;
  v.u32[(state + SEED) >>> 2] = s;
  if (v.u32[(state + PRNG) >>> 2] === 0) v.u32[(state + PRNG) >>> 2] = s === 0 ? 0x9e3779b9 : s;
  if (v.i32[(state + TICKS_SET) >>> 2] === 0) {
    v.f64[(state + TICK_INTERVAL) >>> 3] = 1e9;
    v.f64[(state + MARKER_VOLUME) >>> 3] = 1.0;
    v.i32[(state + PERIODS) >>> 2] = 10;
    v.i32[(state + MARKER_PERIOD) >>> 2] = 0;
    v.i32[(state + TICK_RAMP) >>> 2] = 0;
  }
  v.i32[(state + CONFIGURED_AT) >>> 2] = CONFIGURED;
  return OK;
}

/** See the kernel: tick-interval (ns), sine-periods-per-tick, marker-tick-period/-volume, apply-tick-ramp. */
export function audiotestsrc_configure_ticks(mem: ArrayBufferLike, state: number, tickIntervalNs: number, sinePeriodsPerTick: number, markerTickPeriod: number, markerTickVolume: number, applyTickRamp: number): number {
  state >>>= 0;
  sinePeriodsPerTick |= 0;
  markerTickPeriod |= 0;
  applyTickRamp |= 0;
  if (state & 7) return ERR_ALIGN;
  if (!inMemory(mem, state, AUDIOTESTSRC_STATE_SIZE)) return ERR_BOUNDS;
  if (!(tickIntervalNs >= 1.0 && tickIntervalNs <= 1.8446744073709552e19)) return ERR_PARAM;
  if (sinePeriodsPerTick < 1 || markerTickPeriod < 0) return ERR_PARAM;
  if (!(markerTickVolume >= 0.0 && markerTickVolume <= 1.0)) return ERR_PARAM;
  const v = viewsOf(mem);
  v.f64[(state + TICK_INTERVAL) >>> 3] = tickIntervalNs;
  v.f64[(state + MARKER_VOLUME) >>> 3] = markerTickVolume;
  v.i32[(state + PERIODS) >>> 2] = sinePeriodsPerTick;
  v.i32[(state + MARKER_PERIOD) >>> 2] = markerTickPeriod;
  v.i32[(state + TICK_RAMP) >>> 2] = applyTickRamp !== 0 ? 1 : 0;
  v.i32[(state + TICKS_SET) >>> 2] = 1;
  return OK;
}

/** Restarts the signal: phase 0, position 0, no ticks yet, noise from the seed again. */
export function audiotestsrc_reset(mem: ArrayBufferLike, state: number): number {
  state >>>= 0;
  if (state & 7) return ERR_ALIGN;
  if (!inMemory(mem, state, AUDIOTESTSRC_STATE_SIZE)) return ERR_BOUNDS;
  const v = viewsOf(mem);
  if (v.i32[(state + CONFIGURED_AT) >>> 2] !== CONFIGURED) return ERR_STATE;
  const seed = v.u32[(state + SEED) >>> 2]!;
  v.f64[(state + PHASE) >>> 3] = 0.0;
  v.f64[(state + NEXT_SAMPLE) >>> 3] = 0.0;
  v.u32[(state + TICK_COUNTER) >>> 2] = 0;
  v.u32[(state + PRNG) >>> 2] = seed === 0 ? 0x9e3779b9 : seed;
  return OK;
}

/** Moves the position of the next frame (integral, 0..2^53). */
export function audiotestsrc_seek(mem: ArrayBufferLike, state: number, sample: number): number {
  state >>>= 0;
  if (state & 7) return ERR_ALIGN;
  if (!inMemory(mem, state, AUDIOTESTSRC_STATE_SIZE)) return ERR_BOUNDS;
  const v = viewsOf(mem);
  if (v.i32[(state + CONFIGURED_AT) >>> 2] !== CONFIGURED) return ERR_STATE;
  if (!(sample >= 0.0 && sample <= 9007199254740992.0) || Math.floor(sample) !== sample) return ERR_PARAM;
  v.f64[(state + NEXT_SAMPLE) >>> 3] = sample;
  return OK;
}

/** Fills `frames` interleaved S16LE frames at `ptr`. Returns frames or a negative error. */
export function audiotestsrc_fill_s16(mem: ArrayBufferLike, state: number, ptr: number, frames: number): number {
  return fill(mem, state, ptr, frames, true);
}

/** Fills `frames` interleaved F32LE frames at `ptr`. Returns frames or a negative error. */
export function audiotestsrc_fill_f32(mem: ArrayBufferLike, state: number, ptr: number, frames: number): number {
  return fill(mem, state, ptr, frames, false);
}

/** One frame at sample index `at`: the same value in every channel (S16 truncates, F32 rounds). */
function putFrame(v: MemoryViews, at: number, value: number, channels: number, s16: boolean): void {
  if (s16) {
    const x = value | 0;
    for (let c = 0; c < channels; c++) v.i16[at + c] = x;
  } else {
    for (let c = 0; c < channels; c++) v.f32[at + c] = value;
  }
}

/** n mod d for integral n in [0, 2^53] and d >= 1, exactly (the kernel's modulo). */
function modulo(n: number, d: number): number {
  let r = n - Math.floor(n / d) * d;
  if (r < 0.0) r += d;
  if (r >= d) r -= d;
  return r;
}

function fill(mem: ArrayBufferLike, state: number, ptr: number, frames: number, s16: boolean): number {
  state >>>= 0;
  ptr >>>= 0;
  frames |= 0;
  if (state & 7) return ERR_ALIGN;
  if (!inMemory(mem, state, AUDIOTESTSRC_STATE_SIZE)) return ERR_BOUNDS;
  const v = viewsOf(mem);
  if (v.i32[(state + CONFIGURED_AT) >>> 2] !== CONFIGURED) return ERR_STATE;
  if (frames < 0) return ERR_ARG;
  const bps = s16 ? 2 : 4;
  if (ptr & (bps - 1)) return ERR_ALIGN;
  const channels = v.i32[(state + CHANNELS) >>> 2]!;
  if (!inMemory(mem, ptr, frames * bps * channels)) return ERR_BOUNDS;

  const wave = v.i32[(state + WAVE) >>> 2]!;
  const scale = s16 ? 32767.0 : 1.0;
  const volume = v.f64[(state + VOLUME) >>> 3]!;
  const step = v.f64[(state + STEP) >>> 3]!;
  let acc = v.f64[(state + PHASE) >>> 3]!;
  // Sample index of the current frame in the i16 or f32 view.
  let at = s16 ? ptr >>> 1 : ptr >>> 2;

  if (wave === SILENCE) {
    v.u8.fill(0, ptr, ptr + frames * bps * channels);
  } else if (wave === SINE) {
    const amp = volume * scale;
    for (let i = 0; i < frames; i++) {
      acc += step;
      if (acc >= TWO_PI) acc -= TWO_PI;
      putFrame(v, at, sine(acc) * amp, channels, s16);
      at += channels;
    }
  } else if (wave === SQUARE) {
    const amp = volume * scale;
    for (let i = 0; i < frames; i++) {
      acc += step;
      if (acc >= TWO_PI) acc -= TWO_PI;
      putFrame(v, at, acc < PI ? amp : -amp, channels, s16);
      at += channels;
    }
  } else if (wave === SAW) {
    const amp = (volume * scale) / PI;
    for (let i = 0; i < frames; i++) {
      acc += step;
      if (acc >= TWO_PI) acc -= TWO_PI;
      putFrame(v, at, acc < PI ? acc * amp : (TWO_PI - acc) * -amp, channels, s16);
      at += channels;
    }
  } else if (wave === TRIANGLE) {
    const amp = (volume * scale) / HALF_PI;
    for (let i = 0; i < frames; i++) {
      acc += step;
      if (acc >= TWO_PI) acc -= TWO_PI;
      let value: number;
      if (acc < HALF_PI) value = acc * amp;
      else if (acc < PI * 1.5) value = (acc - PI) * -amp;
      else value = (TWO_PI - acc) * -amp;
      putFrame(v, at, value, channels, s16);
      at += channels;
    }
  } else if (wave === WHITE_NOISE) {
    const amp = volume * scale;
    let x = v.u32[(state + PRNG) >>> 2]! | 0;
    const samples = frames * channels;
    for (let i = 0; i < samples; i++) {
      x ^= x << 13;
      x ^= x >>> 17;
      x ^= x << 5;
      const value = amp * ((x >>> 0) * 4.656612873077393e-10 - 1.0);
      if (s16) v.i16[at + i] = value | 0;
      else v.f32[at + i] = value;
    }
    v.u32[(state + PRNG) >>> 2] = x;
  } else {
    acc = ticks(v, state, at, frames, channels, s16, scale, step, acc);
  }

  v.f64[(state + PHASE) >>> 3] = acc;
  v.f64[(state + NEXT_SAMPLE) >>> 3] = v.f64[(state + NEXT_SAMPLE) >>> 3]! + frames;
  return frames;
}

function tickVolume(v: MemoryViews, state: number, counter: number, scale: number): number {
  const period = v.u32[(state + MARKER_PERIOD) >>> 2]!;
  const vol = period > 0 && counter % period === 0 ? v.f64[(state + MARKER_VOLUME) >>> 3]! : v.f64[(state + VOLUME) >>> 3]!;
  return vol * scale;
}

/** See the kernel's ticks(): GStreamer's create_tick with the counts capped at samples_between_ticks. */
function ticks(v: MemoryViews, state: number, at: number, frames: number, channels: number, s16: boolean, scale: number, step: number, acc: number): number {
  const rate = v.i32[(state + RATE) >>> 2]!;
  const freq = v.f64[(state + FREQ) >>> 3]!;
  let sbtF = Math.floor((v.f64[(state + TICK_INTERVAL) >>> 3]! * rate) / 1e9);
  if (!(sbtF >= 1.0)) sbtF = 1.0;
  if (sbtF > 2147483647.0) sbtF = 2147483647.0;
  const sbt = sbtF;
  const nonzeroF = (rate * v.i32[(state + PERIODS) >>> 2]!) / freq;
  const nonzero = nonzeroF < sbtF ? Math.trunc(nonzeroF) : sbt;
  let ramp = 0;
  if (v.i32[(state + TICK_RAMP) >>> 2] !== 0) {
    const rampF = rate / freq;
    ramp = rampF < sbtF ? Math.trunc(rampF) : sbt;
  }
  const endRamp = nonzero - ramp;
  let pos = modulo(v.f64[(state + NEXT_SAMPLE) >>> 3]!, sbtF);
  let counter = v.u32[(state + TICK_COUNTER) >>> 2]!;
  let volscale = tickVolume(v, state, counter, scale);

  for (let i = 0; i < frames; i++) {
    const m = pos;
    pos++;
    if (pos === sbt) pos = 0;
    if (m === 0) {
      acc = 0.0;
      counter = (counter + 1) >>> 0;
      volscale = tickVolume(v, state, counter, scale);
      putFrame(v, at, 0.0, channels, s16);
    } else if (m < nonzero) {
      let r = 1.0;
      if (ramp > 0) {
        r = m < ramp ? m / ramp : m >= endRamp ? (nonzero - m) / ramp : 1.0;
        if (r > 1.0) r = 1.0;
        r = r * (r * r);
      }
      putFrame(v, at, volscale * r * sine(acc), channels, s16);
    } else {
      putFrame(v, at, 0.0, channels, s16);
    }
    acc += step;
    if (acc >= TWO_PI) acc -= TWO_PI;
    at += channels;
  }
  v.u32[(state + TICK_COUNTER) >>> 2] = counter;
  return acc;
}
