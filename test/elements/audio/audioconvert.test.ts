import { describe, expect, it } from 'vitest';
import { Buffer } from '../../../src/element/buffer.js';
import { parseCaps } from '../../../src/element/caps/index.js';
import { FlowResult } from '../../../src/element/flow.js';
import { AudioConvert } from '../../../src/elements/audio/audioconvert.js';
import { Harness } from '../../../src/harness/harness.js';
import { createDefaultRegistry, launch } from '../../../src/index.js';
import { builtin, runIn } from './run-in.js';

const registry = createDefaultRegistry();
if (!registry.has('audioconvert')) registry.register(AudioConvert);

const caps = (format: string, channels: number, rate = 48000): string => `audio/x-raw,format=${format},layout=interleaved,rate=${rate},channels=${channels}`;
const f32 = (v: number[]): Uint8Array => new Uint8Array(new Float32Array(v).buffer);
const s16 = (v: number[]): Uint8Array => new Uint8Array(new Int16Array(v).buffer);
const asF32 = (b: Uint8Array): number[] => [...new Float32Array(b.slice().buffer)];
const asS16 = (b: Uint8Array): number[] => [...new Int16Array(b.slice().buffer)];

/** A seeded xorshift32 in [0, 1). */
function rng(seed: number): () => number {
  let x = seed >>> 0 || 1;
  return () => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return (x >>> 0) / 2 ** 32;
  };
}

/** An audioconvert in a harness from `from` to `to` (the output caps set as negotiation would). */
async function harness(from: string, to: string, kernels = true): Promise<{ h: Harness; el: AudioConvert }> {
  const el = new AudioConvert('audioconvert0');
  const h = new Harness(el, { caps: from, kernels });
  const src = el.pad('src')!;
  src.caps = parseCaps(to);
  el.setCaps(src, src.caps);
  await h.start();
  return { h, el };
}

/** Converts one buffer from `from` to `to`; returns the output bytes. */
async function convert(from: string, to: string, bytes: Uint8Array, kernels = true): Promise<Uint8Array> {
  const { h } = await harness(from, to, kernels);
  expect(h.push(bytes, { pts: 1000, duration: 2000 })).toBe(FlowResult.OK);
  expect(h.errors()).toEqual([]);
  const b = h.pull()!;
  const out = b.data.slice();
  expect([b.pts, b.duration]).toEqual([1000, 2000]);
  b.release();
  expect(h.outputCaps?.toString()).toBe(parseCaps(to).toString());
  await h.stop();
  return out;
}

describe('audioconvert', () => {
  it('S16 → F32 is s / 32768, exactly', async () => {
    const out = await convert(caps('S16LE', 1), caps('F32LE', 1), s16([0, 16384, -32768, 32767, 1, -1, -16384]));
    expect(asF32(out)).toEqual([0, 0.5, -1, 32767 / 32768, 1 / 32768, -1 / 32768, -0.5]);
  });

  it('F32 → S16 rounds half to even and saturates; NaN is 0', async () => {
    const out = await convert(caps('F32LE', 1), caps('S16LE', 1), f32([0, 0.5, -1, 1, 2, -2, NaN, 0.5 / 32768, 1.5 / 32768, 2.5 / 32768, -0.25]));
    expect(asS16(out)).toEqual([0, 16384, -32768, 32767, 32767, -32768, 0, 0, 2, 2, -8192]);
  });

  it('S16 → F32 → S16 gives back every value', async () => {
    const values = Array.from({ length: 65536 }, (_, i) => i - 32768);
    const there = await convert(caps('S16LE', 2), caps('F32LE', 2), s16(values));
    const back = await convert(caps('F32LE', 2), caps('S16LE', 2), there);
    expect(asS16(back)).toEqual(values);
  });

  it('mono → stereo duplicates, stereo → mono averages (S16 halves round up)', async () => {
    expect(asS16(await convert(caps('S16LE', 1), caps('S16LE', 2), s16([1, -2, 32767])))).toEqual([1, 1, -2, -2, 32767, 32767]);
    expect(asF32(await convert(caps('F32LE', 1), caps('F32LE', 2), f32([0.25, -1])))).toEqual([0.25, 0.25, -1, -1]);
    expect(asS16(await convert(caps('S16LE', 2), caps('S16LE', 1), s16([1, 2, -1, -2, 32767, 32767, -32768, -32768, 3, -4])))).toEqual([2, -1, 32767, -32768, 0]);
    expect(asF32(await convert(caps('F32LE', 2), caps('F32LE', 1), f32([0.5, 0.25, -1, 1, 1, 1])))).toEqual([0.375, 0, 1]);
  });

  it('other channel counts go through the matrix: up-mix repeats, down-mix averages what folds together', async () => {
    // 4 → 2: out0 = (in0 + in2) / 2, out1 = (in1 + in3) / 2.
    expect(asF32(await convert(caps('F32LE', 4), caps('F32LE', 2), f32([0.5, -0.25, 0.25, 0.75])))).toEqual([0.375, 0.25]);
    // 3 → 2: in1 alone maps to out1.
    expect(asF32(await convert(caps('F32LE', 3), caps('F32LE', 2), f32([0.5, -0.25, 0.25])))).toEqual([0.375, -0.25]);
    // 2 → 3: L R L; 1 → 4: all equal.
    expect(asS16(await convert(caps('S16LE', 2), caps('S16LE', 3), s16([7, -9, 100, 200])))).toEqual([7, -9, 7, 100, 200, 100]);
    expect(asS16(await convert(caps('S16LE', 1), caps('S16LE', 4), s16([5, -6])))).toEqual([5, 5, 5, 5, -6, -6, -6, -6]);
    // S16 4 → 2 rounds the f32 sum half to even: 1500.5 → 1500, 4 → 4.
    expect(asS16(await convert(caps('S16LE', 4), caps('S16LE', 2), s16([1000, 3, 2001, 5])))).toEqual([1500, 4]);
  });

  it('format and channels at once: the channel step runs in F32 (two steps through a temporary buffer or in place)', async () => {
    expect(asF32(await convert(caps('S16LE', 1), caps('F32LE', 2), s16([16384, -32768])))).toEqual([0.5, 0.5, -1, -1]);
    // S16 stereo → F32 mono averages in F32: no rounding to S16 first.
    expect(asF32(await convert(caps('S16LE', 2), caps('F32LE', 1), s16([1, 2])))).toEqual([1.5 / 32768]);
    expect(asS16(await convert(caps('F32LE', 2), caps('S16LE', 1), f32([0.5, 0.25, 1, 1])))).toEqual([12288, 32767]);
    expect(asS16(await convert(caps('F32LE', 1), caps('S16LE', 2), f32([0.5, -0.5])))).toEqual([16384, 16384, -16384, -16384]);
    expect(asS16(await convert(caps('F32LE', 4), caps('S16LE', 2), f32([0.5, -0.25, 0.25, 0.75])))).toEqual([12288, 8192]);
    expect(asF32(await convert(caps('S16LE', 3), caps('F32LE', 6), s16([16384, -16384, 8192])))).toEqual([0.5, -0.5, 0.25, 0.5, -0.5, 0.25]);
  });

  it('WebAssembly and the JS reference give the same bytes for every kind of conversion', async () => {
    const random = rng(42);
    for (const [fa, fb] of [['S16LE', 'F32LE'], ['F32LE', 'S16LE'], ['F32LE', 'F32LE'], ['S16LE', 'S16LE']] as const) {
      for (const [ca, cb] of [[1, 2], [2, 1], [2, 2], [3, 5], [6, 2], [1, 1]] as const) {
        if (fa === fb && ca === cb) continue;
        const frames = 301;
        const n = frames * ca;
        const input = fa === 'S16LE'
          ? s16(Array.from({ length: n }, () => Math.floor(random() * 65536) - 32768))
          : f32(Array.from({ length: n }, () => (random() * 2.4 - 1.2)));
        const wasm = await convert(caps(fa, ca), caps(fb, cb), input, true);
        const js = await convert(caps(fa, ca), caps(fb, cb), input, false);
        expect(js, `${fa} ${ca}ch → ${fb} ${cb}ch`).toEqual(wasm);
        expect(wasm.byteLength).toBe(frames * cb * (fb === 'S16LE' ? 2 : 4));
      }
    }
  });

  it('narrowing conversions run in place on a writable buffer, and leave a shared one alone', async () => {
    const { h } = await harness(caps('F32LE', 2), caps('S16LE', 1));
    const buf = Buffer.fromBytes(h.allocator, f32([0.5, 0.25, -1, -1]));
    const slot = [buf.pool, buf.slot];
    expect(h.push(buf)).toBe(FlowResult.OK);
    const out = h.pull()!;
    expect([out.pool, out.slot]).toEqual(slot);
    expect(asS16(out.data)).toEqual([12288, -32768]);
    out.release();
    const shared = Buffer.fromBytes(h.allocator, f32([0.5, 0.25, -1, -1]));
    const keep = shared.clone();
    expect(h.push(shared)).toBe(FlowResult.OK);
    const out2 = h.pull()!;
    expect(out2.slot === keep.slot && out2.pool === keep.pool).toBe(false);
    expect(asS16(out2.data)).toEqual([12288, -32768]);
    expect(asF32(keep.data)).toEqual([0.5, 0.25, -1, -1]);
    out2.release();
    keep.release();
    await h.stop();
  });

  it('new input caps in-band keep the output format, follow the rate, and go downstream as output caps', async () => {
    const { h } = await harness(caps('S16LE', 1), caps('F32LE', 2));
    expect(h.setCaps(caps('S16LE', 2, 22050))).toBe(true);
    expect(h.outputCaps?.toString()).toBe(parseCaps(caps('F32LE', 2, 22050)).toString());
    expect(h.push(s16([16384, -16384]))).toBe(FlowResult.OK);
    const out = h.pull()!;
    expect(asF32(out.data)).toEqual([0.5, -0.5]);
    out.release();
    await h.stop();
  });

  it('with equal caps on both sides it passes buffers through untouched: the same slot, no copy', async () => {
    const { h } = await harness(caps('S16LE', 2), caps('S16LE', 2));
    const buf = Buffer.fromBytes(h.allocator, s16([1, 2, 3, 4]));
    const keep = buf.clone();
    expect(h.push(buf)).toBe(FlowResult.OK);
    const out = h.pull()!;
    expect([out.pool, out.slot]).toEqual([keep.pool, keep.slot]);
    out.release();
    keep.release();
    await h.stop();
  });

  it('negotiates pass-through when downstream leaves the format open (bytesCopied 0)', async () => {
    const p = launch('audiotestsrc num-buffers=5 samplesperbuffer=64 ! audioconvert name=c ! appsink name=out max-buffers=0', { registry });
    let outCaps = '';
    p.bus.on('caps', (m) => {
      if (m.pad === 'c:src') outCaps = String(m.caps);
    });
    const sink = p.get('out') as unknown as AsyncIterable<{ data: Uint8Array; release(): void }>;
    let n = 0;
    const reading = (async () => {
      for await (const b of sink) {
        expect(b.data.byteLength).toBe(128);
        n++;
        b.release();
      }
    })();
    await p.run();
    await reading;
    expect(n).toBe(5);
    expect(outCaps).toMatch(/format=\(string\)S16LE.*rate=\(int\)44100.*channels=\(int\)1/);
    expect(p.stats().bytesCopied).toBe(0);
    await p.dispose();
  });

  it('converts in a pipeline to what downstream asks, the same as converting the source by hand', async () => {
    const run = async (desc: string): Promise<Uint8Array[]> => {
      const p = launch(desc, { registry });
      const sink = p.get('out') as unknown as AsyncIterable<{ data: Uint8Array; release(): void }>;
      const got: Uint8Array[] = [];
      const reading = (async () => {
        for await (const b of sink) {
          got.push(b.data.slice());
          b.release();
        }
      })();
      await p.run();
      await reading;
      expect(p.stats().bytesCopied).toBe(0);
      await p.dispose();
      return got;
    };
    const converted = await run('audiotestsrc wave=saw num-buffers=3 samplesperbuffer=100 ! audioconvert ! audio/x-raw,format=F32LE,channels=2 ! appsink name=out max-buffers=0');
    const raw = await run('audiotestsrc wave=saw num-buffers=3 samplesperbuffer=100 ! audio/x-raw,format=S16LE,channels=1 ! appsink name=out max-buffers=0');
    expect(converted).toHaveLength(3);
    for (let i = 0; i < 3; i++) {
      const expected = asS16(raw[i]!).flatMap((s) => [s / 32768, s / 32768]);
      expect(asF32(converted[i]!)).toEqual(expected);
    }
  });

  it('does not resample: a rate change across it fails to negotiate, naming the link', async () => {
    const p = launch('audiotestsrc num-buffers=1 ! audio/x-raw,rate=44100 ! audioconvert ! audio/x-raw,rate=48000 ! fakesink', { registry });
    await expect(p.prepare()).rejects.toThrow(/cannot link capsfilter0:src to audioconvert0:sink: rate 44100 != 48000/);
    await p.dispose();
  });
});

describe.runIf(builtin('audioconvert'))('audioconvert on a data thread', () => {
  it.each([
    'audiotestsrc wave=saw samplesperbuffer=256 num-buffers=20 ! audioconvert name=c ! audio/x-raw,format=F32LE,channels=2 ! queue ! appsink name=out max-buffers=0',
    'audiotestsrc wave=saw samplesperbuffer=256 num-buffers=20 ! audio/x-raw,format=F32LE,channels=6 ! audioconvert name=c ! audio/x-raw,format=S16LE,channels=4 ! queue ! appsink name=out max-buffers=0',
    'audiotestsrc wave=saw samplesperbuffer=256 num-buffers=20 ! audioconvert name=c ! queue ! appsink name=out max-buffers=0',
  ])('gives the same bytes in hybrid scheduling as in async, with no copy: %s', async (desc) => {
    const a = await runIn(desc, 'async', 'c');
    const h = await runIn(desc, 'hybrid', 'c');
    expect(h.thread).toBeGreaterThanOrEqual(0);
    expect(h.got).toHaveLength(20);
    expect(h.got).toEqual(a.got);
    expect([a.copied, h.copied]).toEqual([0, 0]);
  });
});
