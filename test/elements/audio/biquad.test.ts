import { describe, expect, it } from 'vitest';
import { Buffer } from '../../../src/element/buffer.js';
import { Events } from '../../../src/element/event.js';
import { FlowResult } from '../../../src/element/flow.js';
import { Biquad } from '../../../src/elements/audio/biquad.js';
import { biquad_configure, biquad_f32, BIQUAD_STATE_SIZE } from '../../../src/elements/audio/reference/biquad.js';
import { designBiquad } from '../../../src/elements/audio/reference/biquad-design.js';
import { Harness } from '../../../src/harness/harness.js';
import { createDefaultRegistry, launch } from '../../../src/index.js';
import { builtin, runIn } from './run-in.js';

const registry = createDefaultRegistry();
if (!registry.has('biquad')) registry.register(Biquad);

const RATE = 48000;
const caps = (format: string, channels: number, rate = RATE): string => `audio/x-raw,format=${format},layout=interleaved,rate=${rate},channels=${channels}`;
const f32 = (v: ArrayLike<number>): Uint8Array => new Uint8Array(new Float32Array(v).buffer);
const asF32 = (b: Uint8Array): Float32Array => new Float32Array(b.slice().buffer);

/** `frames` of a sine at `freq` Hz, amplitude 0.5, interleaved over `channels` (channel c phase-shifted by c). */
function sine(freq: number, frames: number, channels = 1, from = 0): number[] {
  const out: number[] = [];
  for (let i = from; i < from + frames; i++) for (let c = 0; c < channels; c++) out.push(0.5 * Math.sin((2 * Math.PI * freq * i) / RATE + c));
  return out;
}

function rms(v: ArrayLike<number>, from = 0): number {
  let sum = 0;
  for (let i = from; i < v.length; i++) sum += v[i]! * v[i]!;
  return Math.sqrt(sum / (v.length - from));
}

/** Runs `inputs` through one biquad in a harness (properties `props`); returns each output's bytes. */
async function filter(props: Record<string, unknown>, capsText: string, inputs: Uint8Array[], kernels = true): Promise<Uint8Array[]> {
  const el = new Biquad('biquad0');
  for (const [k, v] of Object.entries(props)) el.set(k, v);
  const h = await new Harness(el, { caps: capsText, kernels }).start();
  const outs: Uint8Array[] = [];
  for (const bytes of inputs) {
    expect(h.push(bytes)).toBe(FlowResult.OK);
    const b = h.pull()!;
    outs.push(b.data.slice());
    b.release();
  }
  expect(h.errors()).toEqual([]);
  await h.stop();
  return outs;
}

describe('biquad', () => {
  it('lowpass at 1 kHz passes a 200 Hz tone and attenuates a 10 kHz one by about 40 dB', async () => {
    const [low] = await filter({ type: 'lowpass', cutoff: 1000 }, caps('F32LE', 1), [f32(sine(200, 4800))]);
    const [high] = await filter({ type: 'lowpass', cutoff: 1000 }, caps('F32LE', 1), [f32(sine(10000, 4800))]);
    const ref = rms(sine(200, 4800));
    // Skip the first 10 ms: the filter settles.
    expect(rms(asF32(low!), 480) / ref).toBeGreaterThan(0.95);
    expect(rms(asF32(high!), 480) / ref).toBeLessThan(0.015);
  });

  it('highpass and bandpass do the opposite and the middle', async () => {
    const hp = async (freq: number): Promise<number> => rms(asF32((await filter({ type: 'highpass', cutoff: 1000 }, caps('F32LE', 1), [f32(sine(freq, 4800))]))[0]!), 480);
    const bp = async (freq: number): Promise<number> => rms(asF32((await filter({ type: 'bandpass', cutoff: 2000, q: 4 }, caps('F32LE', 1), [f32(sine(freq, 4800))]))[0]!), 480);
    const ref = rms(sine(1000, 4800));
    expect(await hp(100) / ref).toBeLessThan(0.015);
    expect(await hp(10000) / ref).toBeGreaterThan(0.95);
    expect(await bp(2000) / ref).toBeGreaterThan(0.97);
    expect(await bp(200) / ref).toBeLessThan(0.05);
    expect(await bp(15000) / ref).toBeLessThan(0.05);
  });

  it('a lowpass keeps DC: a constant settles to itself, on each channel, in S16 too', async () => {
    const frames = 2000;
    const input = new Int16Array(frames * 2);
    for (let i = 0; i < frames; i++) [input[2 * i], input[2 * i + 1]] = [1000, -20000];
    const [out] = await filter({ cutoff: 500 }, caps('S16LE', 2), [new Uint8Array(input.buffer)]);
    const s = new Int16Array(out!.buffer);
    expect([s[2 * frames - 2], s[2 * frames - 1]]).toEqual([1000, -20000]);
  });

  it('WebAssembly and the JS reference give the same bytes, with history carried across buffers', async () => {
    for (const [format, channels] of [['F32LE', 3], ['S16LE', 2]] as const) {
      const inputs = [0, 1, 2].map((k) => {
        const v = sine(700 + 3000 * k, 333, channels, 333 * k).map((x) => x * 1.9);
        return format === 'F32LE' ? f32(v) : new Uint8Array(new Int16Array(v.map((x) => Math.round(x * 32767))).buffer);
      });
      for (const type of ['lowpass', 'highpass', 'bandpass']) {
        const props = { type, cutoff: 2500, q: 1.3 };
        const wasm = await filter(props, caps(format, channels), inputs, true);
        const js = await filter(props, caps(format, channels), inputs, false);
        expect(js, `${type} ${format}`).toEqual(wasm);
        expect(wasm[2]!.some((b) => b !== 0)).toBe(true);
      }
    }
  });

  it('works in place: the output is the input slot', async () => {
    const el = new Biquad('biquad0');
    const h = await new Harness(el, { caps: caps('F32LE', 1) }).start();
    const buf = Buffer.fromBytes(h.allocator, f32(sine(300, 64)));
    const where = [buf.pool, buf.slot];
    expect(h.push(buf)).toBe(FlowResult.OK);
    const out = h.pull()!;
    expect([out.pool, out.slot]).toEqual(where);
    out.release();
    await h.stop();
  });

  it('a property change while running redesigns the coefficients and keeps the history', async () => {
    const a = f32(sine(3000, 256));
    const b = f32(sine(3000, 256, 1, 256));
    for (const kernels of [true, false]) {
      const el = new Biquad('biquad0');
      const h = await new Harness(el, { caps: caps('F32LE', 1), kernels }).start();
      expect(h.push(a)).toBe(FlowResult.OK);
      el.set('cutoff', 6000);
      el.set('type', 'highpass');
      expect(h.push(b)).toBe(FlowResult.OK);
      const got = [h.pull()!, h.pull()!].map((x) => {
        const v = asF32(x.data);
        x.release();
        return v;
      });
      await h.stop();
      // The reference, by hand: lowpass 1 kHz over a, then reconfigured (history kept) over b.
      const mem = new ArrayBuffer(BIQUAD_STATE_SIZE + 2048);
      const f = new Float32Array(mem);
      const configure = (type: 'lowpass' | 'highpass', cutoff: number): void => {
        const c = designBiquad(type, cutoff, Math.SQRT1_2, RATE);
        expect(biquad_configure(mem, 0, 1, c.b0, c.b1, c.b2, c.a1, c.a2)).toBe(0);
      };
      configure('lowpass', 1000);
      f.set(asF32(a), BIQUAD_STATE_SIZE / 4);
      biquad_f32(mem, 0, BIQUAD_STATE_SIZE, BIQUAD_STATE_SIZE, 256);
      expect(got[0]).toEqual(f.slice(BIQUAD_STATE_SIZE / 4, BIQUAD_STATE_SIZE / 4 + 256));
      configure('highpass', 6000);
      f.set(asF32(b), BIQUAD_STATE_SIZE / 4);
      biquad_f32(mem, 0, BIQUAD_STATE_SIZE, BIQUAD_STATE_SIZE, 256);
      expect(got[1]).toEqual(f.slice(BIQUAD_STATE_SIZE / 4, BIQUAD_STATE_SIZE / 4 + 256));
    }
  });

  it('flush-stop and a restart clear the history', async () => {
    const impulse = f32([1, ...new Array<number>(63).fill(0)]);
    const zeros = f32(new Array<number>(64).fill(0));
    const el = new Biquad('biquad0');
    const h = await new Harness(el, { caps: caps('F32LE', 1) }).start();
    const take = (): Float32Array => {
      const x = h.pull()!;
      const v = asF32(x.data);
      x.release();
      return v;
    };
    h.push(impulse);
    const first = take();
    h.push(zeros);
    expect(take().some((x) => x !== 0)).toBe(true); // it rings on
    h.push(impulse);
    take();
    h.pushEvent(Events.flushStart());
    h.pushEvent(Events.flushStop());
    h.push(zeros);
    expect(take().every((x) => x === 0)).toBe(true);
    await h.stop();
    await h.start();
    h.push(impulse);
    expect(take()).toEqual(first);
    await h.stop();
  });

  it('refuses a cutoff at or above half the rate when caps are set, naming the element and the rate', async () => {
    const p = launch('audiotestsrc num-buffers=1 ! audio/x-raw,rate=8000 ! biquad cutoff=4000 ! fakesink', { registry });
    await expect(p.prepare()).rejects.toThrow(/biquad0: cutoff 4000 Hz must be below half the sample rate \(4000 Hz at rate 8000\)/);
    await p.dispose();
    const el = new Biquad('biquad1');
    el.set('cutoff', 30000);
    expect(() => new Harness(el, { caps: caps('F32LE', 2) })).toThrow(/NOT_NEGOTIATED|cutoff 30000 Hz/);
  });

  it('refuses a bad type, q or cutoff value by name', () => {
    expect(() => launch('audiotestsrc ! biquad type=notch ! fakesink', { registry })).toThrow(/type.*lowpass.*highpass.*bandpass/);
    expect(() => launch('audiotestsrc ! biquad q=0 ! fakesink', { registry })).toThrow(/property q of biquad0/);
    expect(() => launch('audiotestsrc ! biquad cutoff=-5 ! fakesink', { registry })).toThrow(/property cutoff of biquad0/);
  });

  it('changes type while a pipeline runs, and refuses a cutoff above Nyquist then, keeping the old one', async () => {
    const p = launch('audiotestsrc freq=100 is-live=true samplesperbuffer=480 num-buffers=30 ! audio/x-raw,format=F32LE,rate=48000,channels=1 ! biquad name=f cutoff=2000 ! appsink name=out max-buffers=0', { registry });
    const sink = p.get('out') as unknown as AsyncIterable<{ data: Uint8Array; release(): void }>;
    const levels: number[] = [];
    const reading = (async () => {
      for await (const b of sink) {
        levels.push(rms(asF32(b.data)));
        b.release();
      }
    })();
    const running = p.run();
    while (levels.length < 5) await new Promise((r) => setTimeout(r, 5));
    await expect(p.setProperty('f', 'cutoff', 30000)).rejects.toThrow(/cutoff 30000 Hz must be below half the sample rate \(24000 Hz/);
    expect(await p.getProperty('f', 'cutoff')).toBe(2000);
    await p.setProperty('f', 'type', 'highpass');
    await running;
    await reading;
    expect(levels).toHaveLength(30);
    // 100 Hz passes the 2 kHz lowpass (rms of a 0.8 sine ≈ 0.566) and is cut by the 2 kHz highpass.
    expect(levels[3]).toBeGreaterThan(0.5);
    expect(levels[levels.length - 1]).toBeLessThan(0.01);
    expect(p.stats().bytesCopied).toBe(0);
    await p.dispose();
  });
});

describe.runIf(builtin('biquad'))('biquad on a data thread', () => {
  it('gives the same bytes in hybrid scheduling as in async, with no copy', async () => {
    const desc = 'audiotestsrc wave=white-noise samplesperbuffer=256 num-buffers=20 ! audio/x-raw,format=S16LE,channels=2 ! biquad name=f type=highpass cutoff=3000 ! queue ! appsink name=out max-buffers=0';
    const a = await runIn(desc, 'async', 'f');
    const h = await runIn(desc, 'hybrid', 'f');
    expect(h.thread).toBeGreaterThanOrEqual(0);
    expect(h.got).toEqual(a.got);
    expect([a.copied, h.copied]).toEqual([0, 0]);
  });

  it('takes a property change on its thread, after the event-loop copy checked it', async () => {
    const p = launch('audiotestsrc freq=100 is-live=true samplesperbuffer=480 num-buffers=30 ! audio/x-raw,format=F32LE,rate=48000,channels=1 ! biquad name=f cutoff=2000 ! queue ! appsink name=out max-buffers=0', { scheduling: 'hybrid' });
    const sink = p.get('out') as unknown as AsyncIterable<{ data: Uint8Array; release(): void }>;
    const levels: number[] = [];
    const reading = (async () => {
      for await (const b of sink) {
        levels.push(rms(asF32(b.data)));
        b.release();
      }
    })();
    const running = p.run();
    while (levels.length < 5) await new Promise((r) => setTimeout(r, 5));
    await expect(p.setProperty('f', 'cutoff', 30000)).rejects.toThrow(/below half the sample rate/);
    await p.setProperty('f', 'type', 'highpass');
    await running;
    await reading;
    expect(levels[3]).toBeGreaterThan(0.5);
    expect(levels[levels.length - 1]).toBeLessThan(0.01);
    await p.dispose();
  });
});
