import { describe, expect, it } from 'vitest';
import { Buffer } from '../../../src/element/buffer.js';
import { parseCaps } from '../../../src/element/caps/index.js';
import { Events } from '../../../src/element/event.js';
import { FlowResult } from '../../../src/element/flow.js';
import { AudioMixer } from '../../../src/elements/audio/audiomixer.js';
import { Harness } from '../../../src/harness/harness.js';
import { createDefaultRegistry, launch } from '../../../src/index.js';
import { builtin, runIn } from './run-in.js';

const registry = createDefaultRegistry();
if (!registry.has('audiomixer')) registry.register(AudioMixer);

const RATE = 8000;
/** Nanoseconds of `frames` frames at 8 kHz (exact: 125 µs each). */
const ns = (frames: number): number => frames * 125_000;
const caps = (format: string, channels = 1): string => `audio/x-raw,format=${format},layout=interleaved,rate=${RATE},channels=${channels}`;
const f32 = (v: ArrayLike<number>): Uint8Array => new Uint8Array(new Float32Array(v).buffer);
const s16 = (v: ArrayLike<number>): Uint8Array => new Uint8Array(new Int16Array(v).buffer);
const asF32 = (b: Uint8Array): number[] => [...new Float32Array(b.slice().buffer)];
const asS16 = (b: Uint8Array): number[] => [...new Int16Array(b.slice().buffer)];
/** -0 and +0 alike: a sample copied keeps -0, a sample added to silence becomes +0. */
const plain = (v: number[]): number[] => v.map((x) => (x === 0 ? 0 : x));

interface In { readonly pts: number; readonly data: Uint8Array }
interface Out { readonly bytes: Uint8Array; readonly pts: number; readonly duration: number; readonly offset: number }

/** `values` cut into buffers of `sizes` frames (cycling), the first at frame `start`; mono unless `channels`. */
function chunks(values: number[], sizes: number[], start: number, bytes: (v: number[]) => Uint8Array, channels = 1): In[] {
  const out: In[] = [];
  let at = 0;
  for (let i = 0; at < values.length / channels; i++) {
    const n = sizes[i % sizes.length]!;
    out.push({ pts: ns(start + at), data: bytes(values.slice(at * channels, (at + n) * channels)) });
    at += n;
  }
  return out;
}

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

/**
 * A mixer in a harness with one sink pad per input. Buffers go in round robin (or all of one
 * input before the next when `sequential`), then EOS on each input in order.
 */
async function mix(capsText: string, inputs: In[][], options: { kernels?: boolean; sequential?: boolean; durationNs?: number } = {}): Promise<{ outs: Out[]; events: string[]; h: Harness }> {
  const el = new AudioMixer('mix');
  if (options.durationNs !== undefined) el.set('output-buffer-duration', options.durationNs);
  const h = new Harness(el, { sinkPad: 'sink_0', caps: capsText, kernels: options.kernels ?? true });
  const pads = [el.pad('sink_0')!];
  for (let i = 1; i < inputs.length; i++) {
    const p = el.requestPad('sink_%u');
    p.caps = parseCaps(capsText);
    el.setCaps(p, p.caps);
    pads.push(p);
  }
  await h.start();
  for (const p of pads.slice(1)) {
    el.sinkEvent(p, Events.streamStart(p.name));
    el.sinkEvent(p, Events.caps(p.caps!));
    el.sinkEvent(p, Events.segment());
  }
  const push = (i: number, b: In): void => {
    const buf = Buffer.fromBytes(h.allocator, b.data);
    buf.pts = b.pts;
    expect(el.chain(pads[i]!, buf)).toBe(FlowResult.OK);
  };
  if (options.sequential) inputs.forEach((list, i) => list.forEach((b) => push(i, b)));
  else for (let k = 0; inputs.some((l) => k < l.length); k++) inputs.forEach((list, i) => k < list.length && push(i, list[k]!));
  pads.forEach((p) => el.sinkEvent(p, Events.eos()));
  expect(h.errors()).toEqual([]);
  const outs: Out[] = [];
  for (let b = h.pull(); b !== undefined; b = h.pull()) {
    outs.push({ bytes: b.data.slice(), pts: b.pts, duration: b.duration, offset: b.offset });
    b.release();
  }
  await h.stop();
  return { outs, events: h.events.map((e) => e.type), h };
}

const joinF32 = (outs: Out[]): number[] => outs.flatMap((o) => asF32(o.bytes));

describe('audiomixer', () => {
  it('sums two F32 inputs sample for sample into 10 ms buffers, stamped from 0, then EOS once', async () => {
    const a = Array.from({ length: 200 }, (_, i) => Math.sin(i / 7) * 0.5);
    const b = Array.from({ length: 200 }, (_, i) => Math.sin(i / 3) * 0.25);
    const { outs, events } = await mix(caps('F32LE'), [chunks(a, [100], 0, f32), chunks(b, [100], 0, f32)]);
    expect(outs.map((o) => [o.bytes.byteLength, o.pts, o.duration, o.offset])).toEqual([
      [320, 0, 10_000_000, 0], [320, 10_000_000, 10_000_000, 80], [160, 20_000_000, 5_000_000, 160]]);
    expect(joinF32(outs)).toEqual(a.map((x, i) => Math.fround(Math.fround(x) + Math.fround(b[i]!))));
    expect(events).toEqual(['stream-start', 'caps', 'segment', 'eos']);
  });

  it('saturates S16 sums', async () => {
    const { outs } = await mix(caps('S16LE', 2), [
      [{ pts: 0, data: s16([30000, -30000, 100, -100, 32767, 5]) }],
      [{ pts: 0, data: s16([30000, -30000, -300, 300, 1, -5]) }],
      [{ pts: 0, data: s16([1, 1, 1, 1, 1, 1]) }]]);
    expect(outs.flatMap((o) => asS16(o.bytes))).toEqual([32767, -32767, -199, 201, 32767, 1]);
  });

  it('mixes inputs of different buffer sizes and start times sample-accurately, whatever order they arrive in', async () => {
    const a = Array.from({ length: 1000 }, (_, i) => ((i * 37) % 101) / 128 - 0.4);
    const b = Array.from({ length: 700 }, (_, i) => ((i * 13) % 59) / 64 - 0.45);
    // b starts at 25 ms (frame 200) and ends at frame 900; a ends at frame 1000.
    const inputs = [chunks(a, [100, 37, 250], 0, f32), chunks(b, [333], 200, f32)];
    const expected = a.map((x, f) => (f >= 200 && f < 900 ? Math.fround(Math.fround(x) + Math.fround(b[f - 200]!)) : Math.fround(x)));
    for (const sequential of [false, true]) {
      const { outs } = await mix(caps('F32LE'), inputs, { sequential });
      expect(plain(joinF32(outs))).toEqual(plain(expected));
      expect(outs.map((o) => o.offset)).toEqual(Array.from({ length: 13 }, (_, k) => k * 80));
      expect(outs.at(-1)!.bytes.byteLength).toBe(40 * 4);
    }
  });

  it('a gap in an input and the time before it starts are silence; the output starts at 0', async () => {
    const one = new Array<number>(100).fill(0.25);
    const { outs } = await mix(caps('F32LE'), [[{ pts: ns(50), data: f32(one) }, { pts: ns(300), data: f32(one) }]]);
    const got = joinF32(outs);
    expect(got).toHaveLength(400);
    expect(got.slice(0, 50).every((x) => x === 0)).toBe(true);
    expect(got.slice(50, 150).every((x) => x === 0.25)).toBe(true);
    expect(got.slice(150, 300).every((x) => x === 0)).toBe(true);
    expect(got.slice(300).every((x) => x === 0.25)).toBe(true);
  });

  it('a timestamp one frame off continues its input; an overlap drops the samples already placed', async () => {
    const { outs } = await mix(caps('S16LE'), [[
      { pts: 0, data: s16([1, 2, 3, 4]) },
      { pts: ns(5), data: s16([5, 6, 7]) }, // should start at frame 4: taken as contiguous
      { pts: ns(5), data: s16([8, 9, 10, 11]) }, // frames 5..8 overlap 7 (frames 5, 6): 10, 11 are new
      { pts: ns(11), data: s16([12]) }, // a gap of two frames (9, 10)
    ]]);
    expect(outs.flatMap((o) => asS16(o.bytes))).toEqual([1, 2, 3, 4, 5, 6, 7, 10, 11, 0, 0, 12]);
  });

  it('an input at EOS stops contributing and the others go on; the end comes when all have ended', async () => {
    const a = new Array<number>(160).fill(0.5);
    const b = new Array<number>(400).fill(0.125);
    const el = new AudioMixer('mix');
    const h = new Harness(el, { sinkPad: 'sink_0', caps: caps('F32LE') });
    const p1 = el.requestPad('sink_%u');
    p1.caps = parseCaps(caps('F32LE'));
    el.setCaps(p1, p1.caps);
    await h.start();
    el.sinkEvent(p1, Events.segment());
    const push = (pad: number, pts: number, v: number[]): FlowResult => {
      const buf = Buffer.fromBytes(h.allocator, f32(v));
      buf.pts = pts;
      return el.chain(pad === 0 ? el.pad('sink_0')! : p1, buf);
    };
    expect(push(0, 0, a)).toBe(FlowResult.OK);
    expect(h.pending).toBe(0); // sink_1 has nothing yet
    expect(h.eos()).toBe(true); // sink_0 ends at frame 160
    expect(push(1, 0, b.slice(0, 200))).toBe(FlowResult.OK);
    expect(h.pending).toBe(2);
    expect(push(1, ns(200), b.slice(200))).toBe(FlowResult.OK);
    expect(h.pending).toBe(5);
    expect(h.events.map((e) => e.type)).not.toContain('eos');
    expect(el.sinkEvent(p1, Events.eos())).toBe(true);
    expect(h.events.filter((e) => e.type === 'eos')).toHaveLength(1);
    const got: number[] = [];
    for (let x = h.pull(); x !== undefined; x = h.pull()) {
      got.push(...asF32(x.data));
      x.release();
    }
    expect(got).toEqual([...new Array<number>(160).fill(0.625), ...new Array<number>(240).fill(0.125)]);
    await h.stop();
  });

  it('refuses a caps change while mixing, with an error naming the pad and both formats', async () => {
    const el = new AudioMixer('mix');
    const h = await new Harness(el, { sinkPad: 'sink_0', caps: caps('S16LE') }).start();
    expect(h.setCaps(caps('S16LE'))).toBe(true); // the same caps again: fine
    expect(h.setCaps(caps('F32LE'))).toBe(false);
    const errors = h.messages.filter((m) => m.type === 'error').map((m) => (m as { error: Error }).error.message);
    expect(errors).toEqual([expect.stringMatching(/^mix: cannot change caps while mixing \(from S16LE \d+ Hz \dch to F32LE \d+ Hz \dch on sink_0\)/)]);
    await h.stop();
  });

  it('holds back an input that is ahead until the others catch up', async () => {
    const el = new AudioMixer('mix');
    const h = new Harness(el, { sinkPad: 'sink_0', caps: caps('S16LE') });
    // Each chain call that must wait says so here, as a streaming task would be told.
    const waits: Promise<unknown>[] = [];
    el.attach({ ...el.context, blockUpstream: (p) => waits.push(p) });
    const p1 = el.requestPad('sink_%u');
    p1.caps = parseCaps(caps('S16LE'));
    el.setCaps(p1, p1.caps);
    await h.start();
    const push = (pad: string, frames: number, pts: number): FlowResult => {
      const buf = Buffer.fromBytes(h.allocator, s16(new Array<number>(frames).fill(1)));
      buf.pts = ns(pts);
      return el.chain(el.pad(pad)!, buf);
    };
    const released: boolean[] = [];
    expect(push('sink_0', 400, 0)).toBe(FlowResult.OK);
    expect(waits).toHaveLength(1);
    void waits[0]!.then(() => (released[0] = true));
    expect(push('sink_1', 300, 0)).toBe(FlowResult.OK);
    expect(waits).toHaveLength(1); // sink_1 is behind: it goes on
    await new Promise((r) => setTimeout(r, 0));
    expect(released[0]).toBeUndefined(); // sink_0 is still ahead of sink_1
    expect(push('sink_1', 200, 300)).toBe(FlowResult.OK);
    expect(waits).toHaveLength(2); // now sink_1 is ahead …
    await new Promise((r) => setTimeout(r, 0));
    expect(released[0]).toBe(true); // … and sink_0, used up to frame 400, is needed again
    expect(h.pending).toBe(5);
    await h.stop();
  });

  it('WebAssembly and the JS reference give the same bytes', async () => {
    for (const [format, channels] of [['F32LE', 2], ['S16LE', 3]] as const) {
      const random = rng(7 + channels);
      const inputs = [0, 1, 2].map((k) => {
        const frames = 500 + 77 * k;
        const v = Array.from({ length: frames * channels }, () => (format === 'F32LE' ? random() * 2 - 1 : Math.floor(random() * 65536) - 32768));
        return chunks(v, [61 + 40 * k, 13], 17 * k, format === 'F32LE' ? f32 : s16, channels);
      });
      const wasm = await mix(caps(format, channels), inputs, { kernels: true, durationNs: 7_000_000 });
      const js = await mix(caps(format, channels), inputs, { kernels: false, durationNs: 7_000_000 });
      expect(js.outs).toEqual(wasm.outs);
      expect(wasm.outs.length).toBeGreaterThan(5);
    }
  });

  it('mixes two audiotestsrc streams with other buffer sizes and an offset, the same as adding them by hand, with no copy', async () => {
    const A = 'audiotestsrc wave=sine freq=440 samplesperbuffer=100 num-buffers=10 ! audio/x-raw,format=F32LE,rate=8000,channels=1';
    const B = 'audiotestsrc wave=saw freq=300 samplesperbuffer=333 num-buffers=3 timestamp-offset=25000000 ! audio/x-raw,format=F32LE,rate=8000,channels=1';
    const collect = async (desc: string): Promise<{ values: number[]; copied: number; sizes: number[] }> => {
      const p = launch(desc, { registry });
      const sink = p.get('out') as unknown as AsyncIterable<{ data: Uint8Array; release(): void }>;
      const values: number[] = [];
      const sizes: number[] = [];
      const reading = (async () => {
        for await (const b of sink) {
          values.push(...asF32(b.data));
          sizes.push(b.data.byteLength / 4);
          b.release();
        }
      })();
      await p.run();
      await reading;
      const copied = p.stats().bytesCopied;
      await p.dispose();
      return { values, copied, sizes };
    };
    const a = (await collect(`${A} ! appsink name=out max-buffers=0`)).values;
    const b = (await collect(`${B} ! appsink name=out max-buffers=0`)).values;
    const mixed = await collect(`audiomixer name=m ! appsink name=out max-buffers=0  ${A} ! m.  ${B} ! m.`);
    // a: frames 0..999; b: frames 200..1198.
    const expected = Array.from({ length: 1199 }, (_, f) => {
      const x = f < 1000 ? a[f]! : undefined;
      const y = f >= 200 ? b[f - 200]! : undefined;
      return x !== undefined && y !== undefined ? Math.fround(x + y) : (x ?? y)!;
    });
    expect(plain(mixed.values)).toEqual(plain(expected));
    expect(mixed.sizes).toEqual([...new Array<number>(14).fill(80), 79]);
    expect(mixed.copied).toBe(0);
  });

  it('refuses inputs with different caps at prepare, naming both pads', async () => {
    const p = launch('audiomixer name=m ! fakesink  audiotestsrc num-buffers=1 ! audio/x-raw,format=F32LE ! m.  audiotestsrc num-buffers=1 ! audio/x-raw,format=S16LE ! m.', { registry });
    await expect(p.prepare()).rejects.toThrow(/m: every input must have the same caps, but sink_\d has .*S16LE.* and sink_\d has .*F32LE/);
    await p.dispose();
  });
});

describe.runIf(builtin('audiomixer'))('audiomixer on a data thread', () => {
  it('gives the same bytes in hybrid scheduling as in async, with no copy', async () => {
    const desc = 'audiomixer name=m ! queue ! appsink name=out max-buffers=0  audiotestsrc samplesperbuffer=100 num-buffers=30 ! audio/x-raw,format=F32LE,rate=8000 ! m.  audiotestsrc wave=saw samplesperbuffer=333 num-buffers=5 timestamp-offset=25000000 ! audio/x-raw,format=F32LE,rate=8000 ! m.';
    const a = await runIn(desc, 'async', 'm');
    const h = await runIn(desc, 'hybrid', 'm');
    expect(h.thread).toBeGreaterThanOrEqual(0);
    expect(h.got.length).toBeGreaterThan(30);
    expect(h.got).toEqual(a.got);
    expect([a.copied, h.copied]).toEqual([0, 0]);
  });
});
