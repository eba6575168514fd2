// The audio kernels (assembly/audio/) against their JS references (src/elements/audio/reference/):
// every call runs on two copies of the same bytes, the WASM kernel on one and the reference on
// the other, and the results, the output bytes, the state bytes and a canary after each area
// must be identical. Sanity checks then read the WASM side. Inputs come from a seeded PRNG.
import { existsSync, readFileSync } from 'node:fs';
import { beforeEach, describe, expect, it } from 'vitest';
import {
  AUDIO_FORMATS, bytesPerFrame, bytesPerSample, durationOfFrames, framesForDuration, framesInBytes, isAudioFormat,
  isValidChannelCount, isValidRate,
} from '../../src/elements/audio/format.js';
import { designBiquad, type BiquadType } from '../../src/elements/audio/reference/biquad-design.js';
import * as ref from '../../src/elements/audio/reference/index.js';
import { XorShift32 } from '../../src/elements/testing/xorshift.js';
import { kernelTwins, type Area } from '../support/kernel-twins.js';

const refs = ref as unknown as Record<string, unknown>;
const { sb, mem, v, wasm, reference, area, both, expectSame } = kernelTwins(refs);
const FAMILIES = ['audiotestsrc_', 'volume_', 'audioconvert_', 'audiomixer_', 'biquad_'];

const WAVES = ['sine', 'square', 'saw', 'triangle', 'silence', 'white-noise', 'ticks'] as const;
const FORMATS = ['s16', 'f32'] as const;
type Fmt = (typeof FORMATS)[number];
const BPS: Record<Fmt, number> = { s16: 2, f32: 4 };

let rng = new XorShift32(0xc0ffee);
beforeEach(() => {
  sb.reset();
  rng = new XorShift32(0xc0ffee);
});

function randomS16(at: number, n: number): void {
  for (let i = 0; i < n; i++) v.i16[(at >> 1) + i] = (rng.next() & 0xffff) - 32768;
}

function randomF32(at: number, n: number, range = 1): void {
  for (let i = 0; i < n; i++) v.f32[(at >> 2) + i] = (rng.nextFloat() * 2 - 1) * range;
}

function s16At(at: number, i: number): number {
  return v.i16[(at >> 1) + i]!;
}

function f32At(at: number, i: number): number {
  return v.f32[(at >> 2) + i]!;
}

function rms(at: number, from: number, to: number, fmt: Fmt): number {
  let sum = 0;
  for (let i = from; i < to; i++) {
    const x = fmt === 's16' ? s16At(at, i) : f32At(at, i);
    sum += x * x;
  }
  return Math.sqrt(sum / (to - from));
}

describe('audio kernel ABI', () => {
  it('every audio export has a reference of the same name, and every reference a WASM export', () => {
    const isAudio = (n: string) => FAMILIES.some((p) => n.startsWith(p));
    const exported = Object.keys(sb.exports).filter(isAudio).sort();
    const referenced = Object.keys(refs).filter((n) => isAudio(n) && typeof refs[n] === 'function').sort();
    expect(exported.length).toBeGreaterThan(25);
    expect(referenced).toEqual(exported);
  });

  it('state sizes agree, are multiples of 64 and match the documented layouts', () => {
    expect(wasm('audiotestsrc_state_size')()).toBe(ref.audiotestsrc_state_size());
    expect(wasm('biquad_state_size')()).toBe(ref.biquad_state_size());
    expect(ref.audiotestsrc_state_size()).toBe(128);
    expect(ref.biquad_state_size()).toBe(64 + 64 * 16);
    expect(ref.biquad_state_size() % 64).toBe(0);
  });

  it('references coerce integer arguments the way WebAssembly does (ToInt32 / ToUint32)', () => {
    const buf = area(64, (at) => randomF32(at, 16));
    expect(both('volume_f32', (s) => [buf[s], 7.9, 0.5])).toBe(7);
    expectSame('fractional count', buf);
    expect(both('volume_f32', (s) => [buf[s], 2 ** 32 + 3, 0.5])).toBe(3);
    expect(both('volume_f32', (s) => [buf[s] - 2 ** 32, 3, 0.5])).toBe(3);
    expectSame('wrapped count and pointer', buf);
    expect(both('volume_f32', () => [-64, 4, 0.5])).toBe(ref.ERR_BOUNDS);
    const st = area(ref.AUDIOTESTSRC_STATE_SIZE);
    expect(both('audiotestsrc_configure', (s) => [st[s], 0.7, 440, 0.8, 48000.9, 2.2, -1])).toBe(0);
    const out = area(3 * 2 * 2);
    expect(both('audiotestsrc_fill_s16', (s) => [st[s], out[s], 3.99])).toBe(3);
    expectSame('coerced configure and fill', out, st);
  });

  it('the module keeps no mutable globals (kernels share one memory across instances)', () => {
    const wat = new URL('../../dist/wasm/kernels.wat', import.meta.url);
    expect(existsSync(wat), 'dist/wasm/kernels.wat (npm run build:wasm)').toBe(true);
    const text = readFileSync(wat, 'utf8');
    expect(text).not.toMatch(/\(global\s+\S+\s+\(mut/);
    expect(text).toMatch(/\(export "volume_f32"/);
  });
});

describe('audio format helpers', () => {
  it('sizes frames and converts between frames and nanoseconds like GStreamer', () => {
    expect(AUDIO_FORMATS.map((f) => bytesPerSample(f))).toEqual([2, 4]);
    expect(bytesPerFrame('S16LE', 2)).toBe(4);
    expect(bytesPerFrame('F32LE', 6)).toBe(24);
    expect(framesInBytes(1023, 'F32LE', 2)).toBe(127);
    expect(isAudioFormat('S16LE') && !isAudioFormat('S16BE')).toBe(true);
    expect([0, 1, 64, 65, 1.5].map(isValidChannelCount)).toEqual([false, true, true, false, false]);
    expect([0, 1, 48000, 2 ** 31, 44100.5].map(isValidRate)).toEqual([false, true, true, false, false]);
    expect(framesForDuration(10_000_000, 48000)).toBe(480);
    expect(framesForDuration(100_000_000, 44100)).toBe(4410);
    expect(framesForDuration(22_675, 44100)).toBe(0);
    expect(framesForDuration(22_676, 44100)).toBe(1);
    expect(durationOfFrames(1, 44100)).toBe(22676); // 22675.73 → 22676
    expect(durationOfFrames(44100, 44100)).toBe(1_000_000_000);
    // Exact where a plain f64 product would not be (frames · 1e9 > 2^53): compare with BigInt.
    for (const frames of [2 ** 30 + 12345, 2 ** 34 - 1, 98765432198]) {
      for (const rate of [44100, 48000, 96000, 192000]) {
        expect(durationOfFrames(frames, rate)).toBe(Number((BigInt(frames) * 1_000_000_000n + BigInt(rate >> 1)) / BigInt(rate)));
        expect(framesForDuration(frames * 1000, rate)).toBe(Number((BigInt(frames * 1000) * BigInt(rate)) / 1_000_000_000n));
      }
    }
  });
});

describe('audiotestsrc', () => {
  const STATE = ref.AUDIOTESTSRC_STATE_SIZE;
  const wave = (name: (typeof WAVES)[number]) => ref.AudioTestSrcWave[name];

  function configured(w: number, freq: number, volume: number, rate: number, channels: number, seed = 1234): Area {
    const st = area(STATE);
    expect(both('audiotestsrc_configure', (s) => [st[s], w, freq, volume, rate, channels, seed])).toBe(0);
    return st;
  }

  const configs = [
    { rate: 48000, channels: 1, freq: 1000, volume: 0.8 },
    { rate: 44100, channels: 2, freq: 440, volume: 1 },
    { rate: 8000, channels: 6, freq: 3999.5, volume: 0.3 },
    { rate: 22050, channels: 3, freq: 30000, volume: 0.5 }, // freq above rate: the step folds
  ];

  for (const name of WAVES) {
    for (const fmt of FORMATS) {
      it.each(configs)(`${name} ${fmt}: WASM = JS over consecutive buffers (%o)`, ({ rate, channels, freq, volume }) => {
        const st = configured(wave(name), freq, volume, rate, channels);
        if (name === 'ticks') {
          expect(both('audiotestsrc_configure_ticks', (s) => [st[s], 10_000_000, 3, 2, 1.0, 1])).toBe(0);
        }
        for (const frames of [1, 127, 480, 1024, 33, 0]) {
          const out = area(frames * channels * BPS[fmt]);
          expect(both(`audiotestsrc_fill_${fmt}`, (s) => [st[s], out[s], frames])).toBe(frames);
          expectSame(`${name} ${fmt} ${frames} frames`, out, st);
        }
      });
    }
  }

  it.each(['sine', 'white-noise', 'ticks', 'triangle'] as const)('%s: ten buffers of 100 frames = one of 1000 (seamless joins)', (name) => {
    for (const fmt of FORMATS) {
      const whole = configured(wave(name), 1234.5, 0.7, 44100, 2, 99);
      const split = configured(wave(name), 1234.5, 0.7, 44100, 2, 99);
      if (name === 'ticks') {
        both('audiotestsrc_configure_ticks', (s) => [whole[s], 5_000_000, 4, 3, 0.9, 1]);
        both('audiotestsrc_configure_ticks', (s) => [split[s], 5_000_000, 4, 3, 0.9, 1]);
      }
      const bpf = 2 * BPS[fmt];
      const a = sb.alloc(1000 * bpf);
      const b = sb.alloc(1000 * bpf);
      expect(wasm(`audiotestsrc_fill_${fmt}`)(whole.w, a, 1000)).toBe(1000);
      // The split run goes through the JS reference: seams and the two implementations at once.
      for (let k = 0; k < 10; k++) expect(reference(`audiotestsrc_fill_${fmt}`)(mem, split.j, b + k * 100 * bpf, 100)).toBe(100);
      expect(Buffer.compare(v.u8.subarray(a, a + 1000 * bpf), v.u8.subarray(b, b + 1000 * bpf)), `${name} ${fmt}`).toBe(0);
      expect(Buffer.compare(v.u8.subarray(whole.w, whole.w + STATE), v.u8.subarray(split.j, split.j + STATE))).toBe(0);
      if (name !== 'white-noise') expect(rms(a, 0, 2000, fmt)).toBeGreaterThan(0);
    }
  });

  it('a 1 kHz sine at 48 kHz crosses zero every 24 samples, peaks at 32767, and follows sin()', () => {
    const st = configured(wave('sine'), 1000, 1, 48000, 1);
    const s16 = area(480 * 2);
    both('audiotestsrc_fill_s16', (s) => [st[s], s16[s], 480]);
    expectSame('sine s16', s16, st);
    // GStreamer advances the phase before each sample: sample i is sin(2π·(i+1)/48).
    for (let p = 0; p < 10; p++) {
      const o = 48 * p;
      expect(Math.abs(s16At(s16.w, o + 23))).toBeLessThanOrEqual(1);
      expect(Math.abs(s16At(s16.w, o + 47))).toBeLessThanOrEqual(1);
      for (let i = 0; i < 23; i++) expect(s16At(s16.w, o + i)).toBeGreaterThan(0);
      for (let i = 24; i < 47; i++) expect(s16At(s16.w, o + i)).toBeLessThan(0);
      expect(s16At(s16.w, o + 11)).toBeGreaterThanOrEqual(32766);
      expect(s16At(s16.w, o + 35)).toBeLessThanOrEqual(-32766);
    }
    const st2 = configured(wave('sine'), 1000, 1, 48000, 1);
    const f32 = area(480 * 4);
    both('audiotestsrc_fill_f32', (s) => [st2[s], f32[s], 480]);
    expectSame('sine f32', f32, st2);
    for (let i = 0; i < 480; i++) expect(Math.abs(f32At(f32.w, i) - Math.sin((2 * Math.PI * (i + 1)) / 48))).toBeLessThan(1e-6);
  });

  it('square, saw and triangle have GStreamer shapes and amplitudes', () => {
    const amp = Math.trunc(0.8 * 32767);
    const sq = configured(wave('square'), 1000, 0.8, 48000, 1);
    const out = area(96 * 2);
    both('audiotestsrc_fill_s16', (s) => [sq[s], out[s], 96]);
    // Phases π and 2π (samples 23 and 47) sit on the edge, where rounding picks the side.
    for (let i = 0; i < 96; i++) if (i % 24 !== 23) expect(s16At(out.w, i)).toBe(i % 48 < 23 ? amp : -amp);

    const saw = configured(wave('saw'), 1000, 0.8, 48000, 1);
    const out2 = area(48 * 4);
    both('audiotestsrc_fill_f32', (s) => [saw[s], out2[s], 48]);
    expectSame('saw', out2);
    for (let i = 1; i < 23; i++) expect(f32At(out2.w, i)).toBeGreaterThan(f32At(out2.w, i - 1));
    expect(f32At(out2.w, 22)).toBeCloseTo((0.8 * 23) / 24, 5);
    expect(f32At(out2.w, 24)).toBeCloseTo((-0.8 * 23) / 24, 5);

    const tri = configured(wave('triangle'), 1000, 0.8, 48000, 1);
    const out3 = area(48 * 4);
    both('audiotestsrc_fill_f32', (s) => [tri[s], out3[s], 48]);
    expectSame('triangle', out3);
    expect(f32At(out3.w, 11)).toBeCloseTo(0.8, 5); // phase π/2
    expect(f32At(out3.w, 23)).toBeCloseTo(0, 5); // phase π
    expect(f32At(out3.w, 35)).toBeCloseTo(-0.8, 5); // phase 3π/2
  });

  it('silence is zeros; reconfiguring keeps the phase', () => {
    const st = configured(wave('sine'), 440, 0.5, 48000, 2);
    const a = area(100 * 4);
    both('audiotestsrc_fill_s16', (s) => [st[s], a[s], 100]);
    const phase = v.f64[st.w >> 3]!;
    expect(phase).toBeGreaterThan(0);
    expect(both('audiotestsrc_configure', (s) => [st[s], wave('silence'), 880, 0.5, 48000, 2, 1234])).toBe(0);
    expect(v.f64[st.w >> 3]).toBe(phase);
    const b = area(100 * 4, (at) => v.u8.fill(0x55, at, at + 400));
    both('audiotestsrc_fill_s16', (s) => [st[s], b[s], 100]);
    expectSame('silence', b, st);
    expect(v.u8.subarray(b.w, b.w + 400).every((x) => x === 0)).toBe(true);
  });

  it('white noise is seeded, uniform in ±volume, independent per channel, and replays after reset', () => {
    const n = 24000;
    const st = configured(wave('white-noise'), 0, 0.5, 48000, 2, 42);
    const a = area(n * 2 * 4);
    both('audiotestsrc_fill_f32', (s) => [st[s], a[s], n]);
    expectSame('noise', a, st);
    let sum = 0;
    let sameLR = 0;
    for (let i = 0; i < 2 * n; i++) {
      const x = f32At(a.w, i);
      expect(x).toBeGreaterThanOrEqual(-0.5);
      expect(x).toBeLessThan(0.5);
      sum += x;
    }
    for (let i = 0; i < n; i++) if (f32At(a.w, 2 * i) === f32At(a.w, 2 * i + 1)) sameLR++;
    expect(Math.abs(sum / (2 * n))).toBeLessThan(0.01);
    expect(rms(a.w, 0, 2 * n, 'f32')).toBeCloseTo(0.5 / Math.sqrt(3), 2);
    expect(sameLR).toBeLessThan(5);

    expect(both('audiotestsrc_reset', (s) => [st[s]])).toBe(0);
    const b = area(64 * 2 * 4);
    both('audiotestsrc_fill_f32', (s) => [st[s], b[s], 64]);
    expect(Buffer.compare(v.u8.subarray(a.w, a.w + 512), v.u8.subarray(b.w, b.w + 512))).toBe(0);

    const other = configured(wave('white-noise'), 0, 0.5, 48000, 2, 43);
    const c = area(64 * 2 * 4);
    both('audiotestsrc_fill_f32', (s) => [other[s], c[s], 64]);
    expect(Buffer.compare(v.u8.subarray(a.w, a.w + 512), v.u8.subarray(c.w, c.w + 512))).not.toBe(0);
  });

  it('ticks: one every tick-interval, periods·rate/freq long, marker ticks at their own volume, ramped', () => {
    // 48 kHz, a tick every 10 ms (480 frames), 5 periods of 1 kHz (240 frames), volume 0.5,
    // every 3rd tick a marker at 1.0; the tick counter is 1 at the first tick.
    const st = configured(wave('ticks'), 1000, 0.5, 48000, 1);
    both('audiotestsrc_configure_ticks', (s) => [st[s], 10_000_000, 5, 3, 1.0, 0]);
    const out = area(480 * 6 * 4);
    both('audiotestsrc_fill_f32', (s) => [st[s], out[s], 480 * 6]);
    expectSame('ticks', out, st);
    for (let t = 0; t < 6; t++) {
      const o = 480 * t;
      expect(f32At(out.w, o)).toBe(0);
      let peak = 0;
      for (let i = 1; i < 240; i++) peak = Math.max(peak, Math.abs(f32At(out.w, o + i)));
      const volume = (t + 1) % 3 === 0 ? 1.0 : 0.5;
      expect(peak).toBeCloseTo(volume, 6);
      for (let i = 240; i < 480; i++) expect(f32At(out.w, o + i)).toBe(0);
      // Each tick restarts the phase: frame m of a tick is volume · sin(m · 2π/48).
      expect(f32At(out.w, o + 1)).toBeCloseTo(volume * Math.sin((2 * Math.PI) / 48), 6);
      expect(f32At(out.w, o + 12)).toBeCloseTo(volume, 6);
      expect(Math.abs(f32At(out.w, o + 24))).toBeLessThan(1e-6);
    }
    expect(v.u32[(st.w + 80) >> 2]).toBe(6);

    // With the ramp (48 frames at 1 kHz), the first and last samples of a tick are damped.
    const ramped = configured(wave('ticks'), 1000, 1, 48000, 1);
    both('audiotestsrc_configure_ticks', (s) => [ramped[s], 10_000_000, 5, 0, 1.0, 1]);
    const r = area(480 * 2);
    both('audiotestsrc_fill_s16', (s) => [ramped[s], r[s], 480]);
    expectSame('ramped ticks', r, ramped);
    expect(Math.abs(s16At(r.w, 13))).toBeLessThan(32767 * 0.03);
    expect(Math.abs(s16At(r.w, 60))).toBeGreaterThan(32700);
    expect(Math.abs(s16At(r.w, 229))).toBeLessThan(32767 * 0.02);

    // Seeking to frame 479 makes the second frame of the next buffer a tick start (tick 7).
    expect(both('audiotestsrc_seek', (s) => [st[s], 479])).toBe(0);
    const after = area(4 * 4, (at) => v.f32.fill(7, at >> 2, (at >> 2) + 4));
    both('audiotestsrc_fill_f32', (s) => [st[s], after[s], 4]);
    expectSame('after seek', after, st);
    expect(f32At(after.w, 0)).toBe(0);
    expect(f32At(after.w, 1)).toBe(0);
    expect(f32At(after.w, 2)).toBeCloseTo(0.5 * Math.sin((2 * Math.PI) / 48), 6);
    expect(v.u32[(st.w + 80) >> 2]).toBe(7);
  });

  it('returns the same error codes as the reference', () => {
    const st = area(STATE);
    const buf = sb.alloc(1024);
    const E = ref;
    expect(both('audiotestsrc_fill_s16', (s) => [st[s], buf, 4])).toBe(E.ERR_STATE);
    expect(both('audiotestsrc_reset', (s) => [st[s]])).toBe(E.ERR_STATE);
    expect(both('audiotestsrc_configure', (s) => [st[s], 6, 440, 0.8, 48000, 1, 0])).toBe(E.ERR_WAVE);
    expect(both('audiotestsrc_configure', (s) => [st[s], 0, 440, 1.5, 48000, 1, 0])).toBe(E.ERR_PARAM);
    expect(both('audiotestsrc_configure', (s) => [st[s], 0, Number.NaN, 0.8, 48000, 1, 0])).toBe(E.ERR_PARAM);
    expect(both('audiotestsrc_configure', (s) => [st[s], 0, 440, 0.8, 0, 1, 0])).toBe(E.ERR_PARAM);
    expect(both('audiotestsrc_configure', (s) => [st[s], 0, 440, 0.8, 48000, 0, 0])).toBe(E.ERR_ARG);
    expect(both('audiotestsrc_configure', (s) => [st[s], 0, 440, 0.8, 48000, 65, 0])).toBe(E.ERR_ARG);
    expect(both('audiotestsrc_configure', (s) => [st[s] + 4, 0, 440, 0.8, 48000, 1, 0])).toBe(E.ERR_ALIGN);
    expect(both('audiotestsrc_configure', (s) => [st[s], 0, 440, 0.8, 48000, 2, 0])).toBe(0);
    expect(both('audiotestsrc_fill_s16', (s) => [st[s], buf + 1, 4])).toBe(E.ERR_ALIGN);
    expect(both('audiotestsrc_fill_f32', (s) => [st[s], buf + 2, 4])).toBe(E.ERR_ALIGN);
    expect(both('audiotestsrc_fill_s16', (s) => [st[s], buf, -1])).toBe(E.ERR_ARG);
    expect(both('audiotestsrc_fill_f32', (s) => [st[s], mem.byteLength - 64, 9])).toBe(E.ERR_BOUNDS);
    expect(both('audiotestsrc_fill_f32', (s) => [st[s], mem.byteLength - 64, 8])).toBe(8);
    expect(both('audiotestsrc_configure_ticks', (s) => [st[s], 1e9, 0, 0, 1, 0])).toBe(E.ERR_PARAM);
    expect(both('audiotestsrc_configure_ticks', (s) => [st[s], 0.5, 1, 0, 1, 0])).toBe(E.ERR_PARAM);
    expect(both('audiotestsrc_configure_ticks', (s) => [st[s], 1e9, 1, -1, 1, 0])).toBe(E.ERR_PARAM);
    expect(both('audiotestsrc_seek', (s) => [st[s], 1.5])).toBe(E.ERR_PARAM);
    expect(both('audiotestsrc_seek', (s) => [st[s], -1])).toBe(E.ERR_PARAM);
    expectSame('state after errors', st);
  });
});

describe('volume', () => {
  const COUNTS = [0, 1, 7, 8, 9, 17, 1023];

  it.each([0, 0.25, 0.5, 1, 1.37, 3, 10])('f32 volume %f: WASM = JS for every count (SIMD and tail)', (volume) => {
    for (const n of COUNTS) {
      const buf = area(n * 4, (at) => randomF32(at, n, 2));
      expect(both('volume_f32', (s) => [buf[s], n, volume])).toBe(n);
      expectSame(`volume_f32 ${volume} × ${n}`, buf);
    }
  });

  it.each([0, 0.0004, 0.5, 0.999, 1, 1.0004, 1.37, 10, 15.99, 16, 100])('s16 volume %f: WASM = JS for every count (SIMD and tail)', (volume) => {
    for (const n of COUNTS) {
      const buf = area(n * 2, (at) => randomS16(at, n));
      expect(both('volume_s16', (s) => [buf[s], n, volume])).toBe(n);
      expectSame(`volume_s16 ${volume} × ${n}`, buf);
    }
  });

  it('volume 0.5 halves: f32 exactly, s16 by an arithmetic shift (rounds toward -inf)', () => {
    const n = 37;
    const f = area(n * 4, (at) => randomF32(at, n));
    const before = Array.from(v.f32.subarray(f.w >> 2, (f.w >> 2) + n));
    both('volume_f32', (s) => [f[s], n, 0.5]);
    expectSame('f32 half', f);
    before.forEach((x, i) => expect(f32At(f.w, i)).toBe(x * 0.5));

    const s = area(n * 2, (at) => randomS16(at, n));
    const s0 = Array.from(v.i16.subarray(s.w >> 1, (s.w >> 1) + n));
    both('volume_s16', (side) => [s[side], n, 0.5]);
    expectSame('s16 half', s);
    s0.forEach((x, i) => expect(s16At(s.w, i)).toBe(x >> 1));
  });

  it('s16 saturates at 32767 / -32768 (SIMD lanes and scalar tail alike)', () => {
    const input = [20000, -20000, 32767, -32768, 100, -100, 3277, -3277, 20000];
    const expected: Record<number, number[]> = {
      10: [32767, -32768, 32767, -32768, 1000, -1000, 32767, -32768, 32767], // fixed point
      100: [32767, -32768, 32767, -32768, 10000, -10000, 32767, -32768, 32767], // the f32 path
    };
    for (const volume of [10, 100]) {
      const buf = area(input.length * 2, (at) => v.i16.set(input, at >> 1));
      both('volume_s16', (s) => [buf[s], input.length, volume]);
      expectSame(`saturate ${volume}`, buf);
      expect(Array.from(v.i16.subarray(buf.w >> 1, (buf.w >> 1) + input.length))).toEqual(expected[volume]);
    }
  });

  it('mute and volume 0 write zeros (+0.0, never -0.0); volume 1 leaves the bytes alone', () => {
    const n = 21;
    const neg = area(n * 4, (at) => v.f32.fill(-0.75, at >> 2, (at >> 2) + n));
    both('volume_f32', (s) => [neg[s], n, 0]);
    expectSame('f32 volume 0', neg);
    expect(v.u8.subarray(neg.w, neg.w + n * 4).every((b) => b === 0)).toBe(true);

    const m = area(n * 2, (at) => randomS16(at, n));
    expect(both('volume_mute', (s) => [m[s], n * 2])).toBe(n * 2);
    expectSame('mute', m);
    expect(v.u8.subarray(m.w, m.w + n * 2).every((b) => b === 0)).toBe(true);

    const nan = area(8 * 4, (at) => v.u32.fill(0x7fc00123, at >> 2, (at >> 2) + 8));
    both('volume_f32', (s) => [nan[s], 8, 1]);
    expectSame('volume 1', nan);
    expect(v.u32[nan.w >> 2]).toBe(0x7fc00123);
  });

  it('rejects negative, NaN and infinite volumes, misaligned pointers and negative counts', () => {
    const buf = area(64);
    expect(both('volume_f32', (s) => [buf[s], 4, -1])).toBe(ref.ERR_PARAM);
    expect(both('volume_f32', (s) => [buf[s], 4, Number.NaN])).toBe(ref.ERR_PARAM);
    expect(both('volume_f32', (s) => [buf[s], 4, Infinity])).toBe(ref.ERR_PARAM);
    expect(both('volume_s16', (s) => [buf[s], 4, -0.5])).toBe(ref.ERR_PARAM);
    expect(both('volume_s16', (s) => [buf[s], 4, 1e39])).toBe(ref.ERR_PARAM);
    expect(both('volume_f32', (s) => [buf[s] + 2, 4, 0.5])).toBe(ref.ERR_ALIGN);
    expect(both('volume_s16', (s) => [buf[s] + 1, 4, 0.5])).toBe(ref.ERR_ALIGN);
    expect(both('volume_s16', (s) => [buf[s], -4, 0.5])).toBe(ref.ERR_ARG);
    expect(both('volume_mute', (s) => [buf[s], -1])).toBe(ref.ERR_ARG);
    expect(both('volume_mute', () => [mem.byteLength - 8, 16])).toBe(ref.ERR_BOUNDS);
  });
});

describe('audioconvert', () => {
  const COUNTS = [0, 1, 7, 8, 9, 15, 16, 17, 1001];
  const F32_SPECIALS = [
    0, -0, 1, -1, 1.5, -1.5, Number.NaN, Infinity, -Infinity, 1e-40, -1e-40, 3e38,
    0.5 / 32768, 1.5 / 32768, 2.5 / 32768, -0.5 / 32768, -1.5 / 32768, -2.5 / 32768,
    32766.5 / 32768, 32767.5 / 32768, -32767.5 / 32768, -32768.5 / 32768, 0.999, -0.999,
  ];

  it('S16 → F32 is s / 32768 for every S16 value; F32 → S16 gives every value back', () => {
    const n = 65536;
    const s16 = area(n * 2, (at) => {
      for (let i = 0; i < n; i++) v.i16[(at >> 1) + i] = i - 32768;
    });
    const f32 = area(n * 4);
    const back = area(n * 2);
    expect(both('audioconvert_s16_to_f32', (s) => [s16[s], f32[s], n])).toBe(n);
    expect(both('audioconvert_f32_to_s16', (s) => [f32[s], back[s], n])).toBe(n);
    expectSame('s16 → f32 → s16', f32, back);
    let wrong = 0;
    for (let i = 0; i < n; i++) if (f32At(f32.w, i) !== (i - 32768) / 32768) wrong++;
    expect(wrong).toBe(0);
    expect(Buffer.compare(v.u8.subarray(s16.w, s16.w + n * 2), v.u8.subarray(back.w, back.w + n * 2))).toBe(0);
  });

  it('S16 ⇄ F32 on random data and every SIMD tail length', () => {
    for (const n of COUNTS) {
      const a = area(n * 2, (at) => randomS16(at, n));
      const b = area(n * 4);
      both('audioconvert_s16_to_f32', (s) => [a[s], b[s], n]);
      expectSame(`s16_to_f32 ${n}`, b);
      const c = area(n * 4, (at) => randomF32(at, n, 1.2));
      const d = area(n * 2);
      both('audioconvert_f32_to_s16', (s) => [c[s], d[s], n]);
      expectSame(`f32_to_s16 ${n}`, d);
    }
  });

  it('F32 → S16 rounds half to even, saturates, maps NaN to 0 — in SIMD lanes and in the tail', () => {
    const n = F32_SPECIALS.length;
    const expected = [
      0, 0, 32767, -32768, 32767, -32768, 0, 32767, -32768, 0, 0, 32767,
      0, 2, 2, 0, -2, -2, 32766, 32767, -32768, -32768, 32735, -32735,
    ];
    for (const shift of [0, 3]) {
      // shift moves each value between the SIMD body and the scalar tail.
      const src = area((n + shift) * 4, (at) => v.f32.set(F32_SPECIALS, (at >> 2) + shift));
      const dst = area((n + shift) * 2);
      both('audioconvert_f32_to_s16', (s) => [src[s], dst[s], n + shift]);
      expectSame(`specials +${shift}`, dst);
      expect(Array.from(v.i16.subarray((dst.w >> 1) + shift, (dst.w >> 1) + shift + n))).toEqual(expected);
    }
    // In place (dst == src) gives the same as out of place.
    const m = 333;
    const a = area(m * 4, (at) => randomF32(at, m, 1.1));
    const out = area(m * 2);
    both('audioconvert_f32_to_s16', (s) => [a[s], out[s], m]);
    both('audioconvert_f32_to_s16', (s) => [a[s], a[s], m]);
    expect(Buffer.compare(v.u8.subarray(a.w, a.w + m * 2), v.u8.subarray(out.w, out.w + m * 2))).toBe(0);
    expectSame('in place', a);
  });

  it.each(FORMATS)('mono ⇄ stereo %s: duplicate up, average down, WASM = JS', (fmt) => {
    const bps = BPS[fmt];
    const fill = fmt === 's16' ? randomS16 : randomF32;
    const at = fmt === 's16' ? s16At : f32At;
    for (const n of COUNTS) {
      const mono = area(n * bps, (p) => fill(p, n));
      const stereo = area(2 * n * bps);
      expect(both(`audioconvert_mono_to_stereo_${fmt}`, (s) => [mono[s], stereo[s], n])).toBe(n);
      expectSame(`mono → stereo ${n}`, stereo);
      for (let i = 0; i < n; i++) {
        expect(at(stereo.w, 2 * i)).toBe(at(mono.w, i));
        expect(at(stereo.w, 2 * i + 1)).toBe(at(mono.w, i));
      }
      const lr = area(2 * n * bps, (p) => fill(p, 2 * n));
      const down = area(n * bps);
      expect(both(`audioconvert_stereo_to_mono_${fmt}`, (s) => [lr[s], down[s], n])).toBe(n);
      expectSame(`stereo → mono ${n}`, down);
      for (let i = 0; i < n; i++) {
        const l = at(lr.w, 2 * i);
        const r = at(lr.w, 2 * i + 1);
        expect(at(down.w, i)).toBe(fmt === 's16' ? (l + r + 1) >> 1 : Math.fround(Math.fround(l + r) * 0.5));
      }
      both(`audioconvert_stereo_to_mono_${fmt}`, (s) => [lr[s], lr[s], n]);
      expectSame(`stereo → mono in place ${n}`, lr);
      expect(Buffer.compare(v.u8.subarray(lr.w, lr.w + n * bps), v.u8.subarray(down.w, down.w + n * bps))).toBe(0);
    }
  });

  it.each(FORMATS)('N → M through a matrix, %s: WASM = JS; identity copies; {0.5, 0.5} is the stereo down-mix', (fmt) => {
    const bps = BPS[fmt];
    const fill = fmt === 's16' ? randomS16 : randomF32;
    for (const [inCh, outCh] of [[1, 2], [2, 1], [6, 2], [3, 5], [2, 2], [64, 1]] as const) {
      const matrix = area(inCh * outCh * 4, (p) => randomF32(p, inCh * outCh));
      for (const n of [0, 1, 13, 256]) {
        const src = area(n * inCh * bps, (p) => fill(p, n * inCh));
        const dst = area(n * outCh * bps);
        expect(both(`audioconvert_mix_${fmt}`, (s) => [src[s], dst[s], n, inCh, outCh, matrix[s]])).toBe(n);
        expectSame(`mix ${inCh}→${outCh} × ${n}`, dst);
      }
    }
    const n = 99;
    const id = area(3 * 3 * 4, (p) => v.f32.set([1, 0, 0, 0, 1, 0, 0, 0, 1], p >> 2));
    const src = area(n * 3 * bps, (p) => fill(p, n * 3));
    const dst = area(n * 3 * bps);
    both(`audioconvert_mix_${fmt}`, (s) => [src[s], dst[s], n, 3, 3, id[s]]);
    expect(Buffer.compare(v.u8.subarray(src.w, src.w + n * 3 * bps), v.u8.subarray(dst.w, dst.w + n * 3 * bps))).toBe(0);
    if (fmt === 'f32') {
      const half = area(8, (p) => v.f32.set([0.5, 0.5], p >> 2));
      const lr = area(n * 8, (p) => fill(p, 2 * n));
      const viaMatrix = area(n * 4);
      const viaKernel = area(n * 4);
      both('audioconvert_mix_f32', (s) => [lr[s], viaMatrix[s], n, 2, 1, half[s]]);
      both('audioconvert_stereo_to_mono_f32', (s) => [lr[s], viaKernel[s], n]);
      expect(Buffer.compare(v.u8.subarray(viaMatrix.w, viaMatrix.w + n * 4), v.u8.subarray(viaKernel.w, viaKernel.w + n * 4))).toBe(0);
    }
  });

  it('rejects overlaps, bad channel counts and non-finite coefficients alike', () => {
    const a = area(4096);
    const m = area(16, (p) => v.f32.set([1, Number.NaN, 0, 1], p >> 2));
    const ok = area(16, (p) => v.f32.set([1, 0, 0, 1], p >> 2));
    expect(both('audioconvert_s16_to_f32', (s) => [a[s], a[s] + 64, 100])).toBe(ref.ERR_OVERLAP);
    expect(both('audioconvert_s16_to_f32', (s) => [a[s], a[s], 100])).toBe(ref.ERR_OVERLAP);
    expect(both('audioconvert_f32_to_s16', (s) => [a[s], a[s] + 64, 100])).toBe(ref.ERR_OVERLAP);
    expect(both('audioconvert_mono_to_stereo_f32', (s) => [a[s], a[s], 10])).toBe(ref.ERR_OVERLAP);
    expect(both('audioconvert_mix_f32', (s) => [a[s], a[s] + 2048, 10, 2, 2, m[s]])).toBe(ref.ERR_PARAM);
    expect(both('audioconvert_mix_f32', (s) => [a[s], a[s] + 2048, 10, 2, 2, ok[s]])).toBe(10);
    expect(both('audioconvert_mix_s16', (s) => [a[s], a[s] + 20, 10, 2, 2, ok[s]])).toBe(ref.ERR_OVERLAP);
    expect(both('audioconvert_mix_s16', (s) => [a[s], a[s] + 2048, 10, 65, 2, ok[s]])).toBe(ref.ERR_ARG);
    expect(both('audioconvert_mix_s16', (s) => [a[s], a[s] + 2048, 10, 2, 2, ok[s] + 2])).toBe(ref.ERR_ALIGN);
    expect(both('audioconvert_mix_s16', (s) => [a[s], a[s] + 2048, 10, 2, 2, a[s] + 2048])).toBe(ref.ERR_OVERLAP);
    expect(both('audioconvert_stereo_to_mono_s16', (s) => [a[s], a[s], -1])).toBe(ref.ERR_ARG);
    expect(both('audioconvert_stereo_to_mono_s16', (s) => [a[s] + 1, a[s], 1])).toBe(ref.ERR_ALIGN);
    expectSame('after errors', a);
  });
});

describe('audiomixer', () => {
  const COUNTS = [0, 1, 7, 8, 9, 17, 1001];

  it.each(FORMATS)('%s: clear/copy then accumulate three inputs, WASM = JS', (fmt) => {
    const bps = BPS[fmt];
    const fill = fmt === 's16' ? randomS16 : (p: number, n: number) => randomF32(p, n, 0.7);
    for (const n of COUNTS) {
      const inputs = [0, 1, 2].map(() => area(n * bps, (p) => fill(p, n)));
      const out = area(n * bps, (p) => fill(p, n));
      expect(both('audiomixer_clear', (s) => [out[s], n * bps])).toBe(n * bps);
      expectSame('clear', out);
      expect(v.u8.subarray(out.w, out.w + n * bps).every((b) => b === 0)).toBe(true);
      expect(both('audiomixer_copy', (s) => [out[s], inputs[0]![s], n * bps])).toBe(n * bps);
      for (const input of inputs.slice(1)) expect(both(`audiomixer_accumulate_${fmt}`, (s) => [out[s], input[s], n])).toBe(n);
      expectSame(`mix of 3, ${n} samples`, out);
      for (let i = 0; i < n; i++) {
        if (fmt === 's16') {
          const sum = inputs.reduce((acc, a) => Math.max(-32768, Math.min(32767, acc + s16At(a.w, i))), 0);
          expect(s16At(out.w, i)).toBe(sum);
        } else {
          const [a, b, c] = inputs.map((a) => f32At(a.w, i)) as [number, number, number];
          expect(f32At(out.w, i)).toBe(Math.fround(Math.fround(a + b) + c));
        }
      }
    }
  });

  it('s16 saturates in every lane and in the tail', () => {
    const d = [30000, -30000, 32767, -32768, 1, -1, 30000, -30000, 30000];
    const s = [30000, -30000, 1, -1, 2, -2, 2767, -2768, 30000];
    const dst = area(d.length * 2, (p) => v.i16.set(d, p >> 1));
    const src = area(s.length * 2, (p) => v.i16.set(s, p >> 1));
    both('audiomixer_accumulate_s16', (side) => [dst[side], src[side], d.length]);
    expectSame('saturate', dst);
    expect(Array.from(v.i16.subarray(dst.w >> 1, (dst.w >> 1) + d.length))).toEqual([32767, -32768, 32767, -32768, 3, -3, 32767, -32768, 32767]);
  });

  it.each([0, 0.5, 1, 2.5, 10])('pad volume %f: WASM = JS in both formats', (volume) => {
    for (const n of COUNTS) {
      const d16 = area(n * 2, (p) => randomS16(p, n));
      const s16 = area(n * 2, (p) => randomS16(p, n));
      expect(both('audiomixer_accumulate_volume_s16', (s) => [d16[s], s16[s], n, volume])).toBe(n);
      expectSame(`volume s16 ${volume} × ${n}`, d16);
      const d32 = area(n * 4, (p) => randomF32(p, n));
      const s32 = area(n * 4, (p) => randomF32(p, n));
      expect(both('audiomixer_accumulate_volume_f32', (s) => [d32[s], s32[s], n, volume])).toBe(n);
      expectSame(`volume f32 ${volume} × ${n}`, d32);
    }
  });

  it('dst == src doubles; other overlaps and bad volumes are refused', () => {
    const n = 19;
    const a = area(n * 2, (p) => v.i16.set(Array.from({ length: n }, (_, i) => i * 100 - 900), p >> 1));
    both('audiomixer_accumulate_s16', (s) => [a[s], a[s], n]);
    expectSame('double', a);
    expect(s16At(a.w, 0)).toBe(-1800);
    expect(s16At(a.w, 18)).toBe(1800);
    const b = area(4096);
    expect(both('audiomixer_accumulate_f32', (s) => [b[s], b[s] + 4, 100])).toBe(ref.ERR_OVERLAP);
    expect(both('audiomixer_accumulate_volume_s16', (s) => [b[s], b[s] + 2048, 100, 10.5])).toBe(ref.ERR_PARAM);
    expect(both('audiomixer_accumulate_volume_f32', (s) => [b[s], b[s] + 2048, 100, -1])).toBe(ref.ERR_PARAM);
    expect(both('audiomixer_copy', (s) => [b[s], b[s] + 8, -1])).toBe(ref.ERR_ARG);
    expect(both('audiomixer_copy', (s) => [b[s] + 8, b[s], 100])).toBe(100);
    expectSame('after overlap copy', b);
  });
});

describe('biquad', () => {
  const STATE = ref.BIQUAD_STATE_SIZE;
  const TYPES: BiquadType[] = ['lowpass', 'highpass', 'bandpass'];

  function filter(type: BiquadType, cutoff: number, q: number, rate: number, channels: number): Area {
    const st = area(STATE);
    const c = designBiquad(type, cutoff, q, rate);
    expect(both('biquad_configure', (s) => [st[s], channels, c.b0, c.b1, c.b2, c.a1, c.a2])).toBe(0);
    return st;
  }

  /** |H(e^jw)| of normalized coefficients at `freq`. */
  function gain(type: BiquadType, cutoff: number, q: number, rate: number, freq: number): number {
    const { b0, b1, b2, a1, a2 } = designBiquad(type, cutoff, q, rate);
    const w = (2 * Math.PI * freq) / rate;
    const re = (k0: number, k1: number, k2: number) => k0 + k1 * Math.cos(w) + k2 * Math.cos(2 * w);
    const im = (k1: number, k2: number) => -k1 * Math.sin(w) - k2 * Math.sin(2 * w);
    return Math.hypot(re(b0, b1, b2), im(b1, b2)) / Math.hypot(re(1, a1, a2), im(a1, a2));
  }

  it('designs RBJ filters: unity gain in the pass band, -3 dB at the cutoff for q = 1/√2', () => {
    expect(gain('lowpass', 1000, Math.SQRT1_2, 48000, 0)).toBeCloseTo(1, 12);
    expect(gain('lowpass', 1000, Math.SQRT1_2, 48000, 1000)).toBeCloseTo(Math.SQRT1_2, 9);
    expect(gain('highpass', 1000, Math.SQRT1_2, 48000, 24000)).toBeCloseTo(1, 12);
    expect(gain('highpass', 1000, Math.SQRT1_2, 48000, 1000)).toBeCloseTo(Math.SQRT1_2, 9);
    expect(gain('bandpass', 1000, 2, 48000, 1000)).toBeCloseTo(1, 12);
    expect(() => designBiquad('lowpass', 24000, 1, 48000)).toThrow(/cutoff/);
    expect(() => designBiquad('lowpass', 0, 1, 48000)).toThrow(/cutoff/);
    expect(() => designBiquad('highpass', 100, 0, 48000)).toThrow(/q/);
    expect(() => designBiquad('bandpass', 100, 1, 0)).toThrow(/rate/);
  });

  for (const type of TYPES) {
    for (const fmt of FORMATS) {
      it.each([1, 2, 5])(`${type} ${fmt}, %i channels: WASM = JS, output and history, over consecutive buffers`, (channels) => {
        const st = filter(type, 1200, 0.9, 44100, channels);
        const bps = BPS[fmt];
        for (const frames of [1, 64, 333, 1000, 0, 7]) {
          const n = frames * channels;
          const src = area(n * bps, (p) => (fmt === 's16' ? randomS16(p, n) : randomF32(p, n)));
          const dst = area(n * bps);
          expect(both(`biquad_${fmt}`, (s) => [st[s], src[s], dst[s], frames])).toBe(frames);
          expectSame(`${type} ${fmt} ${frames}`, dst, st);
        }
        // In place continues the same way.
        const n = 50 * channels;
        const buf = area(n * bps, (p) => (fmt === 's16' ? randomS16(p, n) : randomF32(p, n)));
        both(`biquad_${fmt}`, (s) => [st[s], buf[s], buf[s], 50]);
        expectSame(`${type} ${fmt} in place`, buf, st);
      });
    }
  }

  /** RMS of `type` applied to a `freq` sine (made by the audiotestsrc kernel), after 2000 frames of settling. */
  function response(type: BiquadType, cutoff: number, q: number, freq: number, fmt: Fmt): number {
    const rate = 48000;
    const frames = 6000;
    const gen = area(ref.AUDIOTESTSRC_STATE_SIZE);
    both('audiotestsrc_configure', (s) => [gen[s], ref.AudioTestSrcWave.sine, freq, 0.5, rate, 1, 0]);
    const tone = area(frames * BPS[fmt]);
    both(`audiotestsrc_fill_${fmt}`, (s) => [gen[s], tone[s], frames]);
    const st = filter(type, cutoff, q, rate, 1);
    const out = area(frames * BPS[fmt]);
    both(`biquad_${fmt}`, (s) => [st[s], tone[s], out[s], frames]);
    expectSame(`${type} ${freq} Hz`, out, st);
    return rms(out.w, 2000, frames, fmt) / rms(tone.w, 2000, frames, fmt);
  }

  it.each(FORMATS)('%s: a lowpass attenuates a high tone, a highpass a low one, a bandpass both sides', (fmt) => {
    expect(response('lowpass', 500, Math.SQRT1_2, 10000, fmt)).toBeLessThan(0.01);
    expect(response('lowpass', 500, Math.SQRT1_2, 100, fmt)).toBeGreaterThan(0.98);
    expect(response('highpass', 5000, Math.SQRT1_2, 100, fmt)).toBeLessThan(0.01);
    expect(response('highpass', 5000, Math.SQRT1_2, 15000, fmt)).toBeGreaterThan(0.95);
    expect(response('bandpass', 1000, 2, 1000, fmt)).toBeGreaterThan(0.98);
    expect(response('bandpass', 1000, 2, 100, fmt)).toBeLessThan(0.1);
    expect(response('bandpass', 1000, 2, 10000, fmt)).toBeLessThan(0.1);
  });

  it('reconfiguring keeps the history for the same channel count and clears it for another; reset clears it', () => {
    const st = filter('lowpass', 800, 1, 48000, 2);
    const src = area(64 * 2 * 4, (p) => randomF32(p, 128));
    both('biquad_f32', (s) => [st[s], src[s], src[s], 64]);
    const history = () => Array.from(v.f64.subarray((st.w + 64) >> 3, ((st.w + 64) >> 3) + 4));
    const h = history();
    expect(h.some((x) => x !== 0)).toBe(true);
    const c = designBiquad('lowpass', 900, 1, 48000);
    both('biquad_configure', (s) => [st[s], 2, c.b0, c.b1, c.b2, c.a1, c.a2]);
    expect(history()).toEqual(h);
    both('biquad_configure', (s) => [st[s], 3, c.b0, c.b1, c.b2, c.a1, c.a2]);
    expect(history()).toEqual([0, 0, 0, 0]);
    both('biquad_f32', (s) => [st[s], src[s], src[s], 20]);
    expect(both('biquad_reset', (s) => [st[s]])).toBe(0);
    expect(history()).toEqual([0, 0, 0, 0]);
    expectSame('state', st, src);
  });

  it('returns the same error codes as the reference', () => {
    const st = area(STATE);
    const buf = area(1024);
    expect(both('biquad_f32', (s) => [st[s], buf[s], buf[s], 4])).toBe(ref.ERR_STATE);
    expect(both('biquad_reset', (s) => [st[s]])).toBe(ref.ERR_STATE);
    expect(both('biquad_configure', (s) => [st[s], 0, 1, 0, 0, 0, 0])).toBe(ref.ERR_ARG);
    expect(both('biquad_configure', (s) => [st[s], 65, 1, 0, 0, 0, 0])).toBe(ref.ERR_ARG);
    expect(both('biquad_configure', (s) => [st[s], 2, 1, Number.NaN, 0, 0, 0])).toBe(ref.ERR_PARAM);
    expect(both('biquad_configure', (s) => [st[s], 2, 1, 0, 0, Infinity, 0])).toBe(ref.ERR_PARAM);
    expect(both('biquad_configure', (s) => [st[s] + 4, 2, 1, 0, 0, 0, 0])).toBe(ref.ERR_ALIGN);
    expect(both('biquad_configure', (s) => [st[s], 2, 1, 0, 0, 0, 0])).toBe(0);
    expect(both('biquad_s16', (s) => [st[s], buf[s] + 1, buf[s] + 2, 4])).toBe(ref.ERR_ALIGN);
    expect(both('biquad_f32', (s) => [st[s], buf[s], buf[s] + 4, 4])).toBe(ref.ERR_OVERLAP);
    expect(both('biquad_f32', (s) => [st[s], buf[s], buf[s], -1])).toBe(ref.ERR_ARG);
    expect(both('biquad_f32', (s) => [st[s], buf[s], mem.byteLength - 16, 4])).toBe(ref.ERR_BOUNDS);
    expectSame('after errors', st, buf);
  });
});
