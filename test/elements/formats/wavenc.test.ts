import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseCaps } from '../../../src/element/caps/index.js';
import { Events } from '../../../src/element/event.js';
import { FlowResult } from '../../../src/element/flow.js';
import { AppSrc } from '../../../src/elements/app/appsrc.js';
import { AudioTestSrc } from '../../../src/elements/audio/audiotestsrc.js';
import { CapsFilter } from '../../../src/elements/flow/capsfilter.js';
import { WavEnc } from '../../../src/elements/formats/wav/wavenc.js';
import { FileSink } from '../../../src/elements/io/filesink.js';
import { Pipeline } from '../../../src/exec/pipeline.js';
import { linkPads } from '../../../src/graph/link.js';
import { Harness } from '../../../src/harness/harness.js';
import type { Element } from '../../../src/element/element.js';
import { Buffer as Slot } from '../../../src/element/buffer.js';
import { copyStats } from '../../../src/memory/copy-counter.js';
import { launch } from '../../../src/index.js';
import { CHANNELS, FORMATS, RATES, SOX_MISSING, parseFile, sox, soxi } from './wav-helpers.js';

let dir = '';
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'parallax-wavenc-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** Deterministic samples of `format`; floats stay within -1..1. */
function samples(format: string, frames: number, channels: number, seed: number): Uint8Array {
  const n = frames * channels;
  const bytes = format === 'S16LE' ? 2 : format === 'S24LE' ? 3 : 4;
  const out = new Uint8Array(n * bytes);
  const v = new DataView(out.buffer);
  let x = 0x9e3779b9 ^ seed;
  for (let i = 0; i < n; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    if (format === 'F32LE') v.setFloat32(i * 4, ((x >>> 0) / 0xffffffff) * 2 - 1, true);
    else for (let k = 0; k < bytes; k++) out[i * bytes + k] = (x >>> (8 * k)) & 0xff;
  }
  return out;
}

/**
 * sox's samples equal ours: byte for byte for integers; for floats within 1e-6, since sox carries
 * every sample as a 32-bit integer inside, so floats come back quantized to 2^-31.
 */
function expectSameSamples(format: string, sox: Uint8Array, ours: Uint8Array): void {
  if (format !== 'F32LE') {
    expect(Buffer.compare(Buffer.from(sox), Buffer.from(ours))).toBe(0);
    return;
  }
  expect(sox.byteLength).toBe(ours.byteLength);
  const a = new Float32Array(Uint8Array.from(sox).buffer);
  const b = new Float32Array(Uint8Array.from(ours).buffer);
  let worst = 0;
  for (let i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs(a[i]! - b[i]!));
  expect(worst).toBeLessThan(1e-6);
}

function pipeline(...els: Element[]): Pipeline {
  const p = new Pipeline();
  p.add(...els);
  for (let i = 1; i < els.length; i++) linkPads(els[i - 1]!.pad('src')!, els[i]!.pad('sink')!);
  return p;
}

/** appsrc caps=… ! wavenc ! filesink location=path, pushing `data` in 3 buffers. */
async function encode(path: string, caps: string, data: Uint8Array, bpf: number): Promise<void> {
  const src = new AppSrc('src');
  src.set('caps', caps);
  const enc = new WavEnc('wavenc0');
  const sink = new FileSink('sink');
  sink.set('location', path);
  const p = pipeline(src, enc, sink);
  const frames = data.byteLength / bpf;
  const cut = [0, Math.floor(frames / 3) * bpf, Math.floor((2 * frames) / 3) * bpf, data.byteLength];
  for (let i = 0; i < 3; i++) src.push(data.slice(cut[i], cut[i + 1]));
  src.endOfStream();
  await p.run();
}

describe('wavenc', () => {
  it('has GStreamer-style metadata', () => {
    expect(WavEnc.metadata.factory).toBe('wavenc');
    expect(WavEnc.metadata.classification).toBe('Codec/Muxer/Audio');
  });

  it('sends header then samples with byte offsets, and at EOS the pad byte, a rewind and the real header', async () => {
    const h = await new Harness(new WavEnc('wavenc0'), { caps: 'audio/x-raw,format=S24LE,layout=interleaved,rate=8000,channels=1' }).start();
    expect(h.push(new Uint8Array([1, 2, 3]))).toBe(FlowResult.OK);
    h.eos();
    const bufs = [h.pull()!, h.pull()!, h.pull()!, h.pull()!];
    expect(h.pull()).toBeUndefined();
    expect(bufs.map((b) => [b.size, b.offset])).toEqual([[68, 0], [3, 68], [1, 71], [68, 0]]);
    const first = new DataView(bufs[0]!.data.slice().buffer);
    const last = new DataView(bufs[3]!.data.slice().buffer);
    expect([first.getUint32(4, true), first.getUint32(64, true)]).toEqual([0xffffffff, 0xffffffff]);
    // RIFF size: 60 header bytes after "RIFF <size>", 3 samples, 1 pad byte; data size 3.
    expect([last.getUint32(4, true), last.getUint32(64, true), last.getUint16(20, true)]).toEqual([64, 3, 0xfffe]);
    for (const b of bufs) b.release();
    expect(h.outputCaps?.toString()).toBe('audio/x-wav');
    const segments = h.events.flatMap((e) => (e.type === 'segment' ? [e.segment.format + ':' + e.segment.start] : []));
    expect(segments).toEqual(['bytes:0', 'bytes:0']);
    expect(h.events.map((e) => e.type)).toEqual(['stream-start', 'caps', 'segment', 'segment', 'eos']);
  });

  it('a buffer that a tee branch still holds is copied (counted) before its offset is written: the holder keeps its own', async () => {
    const h = await new Harness(new WavEnc('wavenc0'), { caps: 'audio/x-raw,format=S16LE,layout=interleaved,rate=8000,channels=1' }).start();
    const input = Slot.allocate(h.allocator, 4);
    input.data.set([1, 2, 3, 4]);
    input.offset = 3;
    const held = input.clone();
    const before = copyStats().bytesCopied;
    expect(h.push(input)).toBe(FlowResult.OK);
    const [header, samples] = [h.pull()!, h.pull()!];
    expect(copyStats().bytesCopied - before).toBe(44 + 4);
    expect([samples.offset, ...samples.data]).toEqual([44, 1, 2, 3, 4]);
    expect(held.offset).toBe(3);
    for (const b of [header, samples, held]) b.release();
    await h.stop();
  });

  it('sends one bytes segment however many segments come in: concat\'s inputs end up in one file', async () => {
    const h = await new Harness(new WavEnc('wavenc0'), { caps: 'audio/x-raw,format=S16LE,layout=interleaved,rate=8000,channels=1' }).start();
    h.push(new Uint8Array(4));
    expect(h.pushEvent(Events.segment({ format: 'time', rate: 1, start: 0, stop: -1, base: 250_000, time: 0 }))).toBe(true);
    h.push(new Uint8Array(4));
    for (let b = h.pull(); b !== undefined; b = h.pull()) b.release();
    expect(h.events.flatMap((e) => (e.type === 'segment' ? [`${e.segment.format}:${e.segment.start}`] : []))).toEqual(['bytes:0']);
    await h.stop();

    const path = join(dir, 'concat.wav');
    const input = 'audiotestsrc num-buffers=2 samplesperbuffer=100 ! audio/x-raw,format=S16LE,channels=1,rate=8000 ! c.';
    await launch(`concat name=c ! wavenc ! filesink location=${path}  ${input}  ${input}`).run();
    const wav = await readFile(path);
    expect([wav.byteLength, wav.readUInt32LE(4), wav.readUInt32LE(40)]).toEqual([44 + 800, 36 + 800, 800]);
  });

  it('writes one header with empty sizes for a stream without samples', async () => {
    const h = await new Harness(new WavEnc('wavenc0'), { caps: 'audio/x-raw,format=S16LE,layout=interleaved,rate=8000,channels=2' }).start();
    h.eos();
    const b = h.pull()!;
    expect(h.pull()).toBeUndefined();
    const v = new DataView(b.data.slice().buffer);
    expect([b.size, v.getUint32(4, true), v.getUint16(20, true), v.getUint32(40, true)]).toEqual([44, 36, 1, 0]);
    b.release();
  });

  it('refuses a format change after the header, naming the byte', async () => {
    const h = await new Harness(new WavEnc('wavenc0'), { caps: 'audio/x-raw,format=S16LE,layout=interleaved,rate=8000,channels=1' }).start();
    h.push(new Uint8Array(4));
    expect(h.pushEvent(Events.caps(parseCaps('audio/x-raw,format=F32LE,layout=interleaved,rate=8000,channels=1')))).toBe(false);
    expect(h.errors()).toEqual(['wavenc0: the format changed from S16LE 8000 Hz 1 ch to F32LE 8000 Hz 1 ch at byte 48: a WAV file holds one format']);
    for (let b = h.pull(); b !== undefined; b = h.pull()) b.release();
  });

  it('filesink honours a bytes segment: the next buffer is written at its start', async () => {
    const path = join(dir, 'seek.bin');
    const sink = new FileSink('sink');
    sink.set('location', path);
    const h = await new Harness(sink).start();
    h.push('abcdef');
    await h.settle();
    h.pushEvent(Events.segment({ format: 'bytes', rate: 1, start: 1, stop: -1, base: 0, time: 0 }));
    h.push('XY');
    await h.settle();
    h.push('Z');
    await h.settle();
    h.eos();
    await h.settle();
    expect(await readFile(path, 'utf8')).toBe('aXYZef');
  });

  describe.skipIf(SOX_MISSING !== null)('writes what sox reads: soxi reports the format and sample count, sox the same samples', () => {
    for (const f of FORMATS) {
      for (const rate of RATES) {
        for (const channels of CHANNELS) {
          it(`${f.format} ${rate} Hz ${channels} ch`, async () => {
            const path = join(dir, `${f.format}-${rate}-${channels}.wav`);
            const bpf = channels * f.bits / 8;
            // An odd frame count makes an odd data chunk (pad byte) for 24-bit mono.
            const frames = Math.round(rate / 10) + 1;
            const data = samples(f.format, frames, channels, rate + channels);
            await encode(path, `audio/x-raw,format=${f.format},layout=interleaved,rate=${rate},channels=${channels}`, data, bpf);
            expect(soxi('-r', path)).toBe(`${rate}`);
            expect(soxi('-c', path)).toBe(`${channels}`);
            expect(soxi('-b', path)).toBe(`${f.bits}`);
            expect(soxi('-s', path)).toBe(`${frames}`);
            expect(soxi('-e', path)).toBe(f.encoding === 'floating-point' ? 'Floating Point PCM' : 'Signed Integer PCM');
            const raw = sox(['-V1', path, '-t', 'raw', '-']);
            expectSameSamples(f.format, raw, data);
            // And back through wavparse.
            const back = await parseFile(path, 777);
            expect(Buffer.compare(Buffer.from(back.bytes), Buffer.from(data))).toBe(0);
          });
        }
      }
    }

    it.each(['S16LE', 'F32LE'])('audiotestsrc ! %s ! wavenc ! filesink matches sox', async (format) => {
      const path = join(dir, `testsrc-${format}.wav`);
      const src = new AudioTestSrc('src');
      src.set('num-buffers', 5);
      src.set('samplesperbuffer', 333);
      const filter = new CapsFilter('filter');
      filter.set('caps', `audio/x-raw,format=${format},rate=44100,channels=2`);
      const enc = new WavEnc('wavenc0');
      const sink = new FileSink('sink');
      sink.set('location', path);
      await pipeline(src, filter, enc, sink).run();
      expect(soxi('-s', path)).toBe(`${5 * 333}`);
      expect(soxi('-r', path)).toBe('44100');
      const file = await readFile(path);
      const raw = sox(['-V1', path, '-t', 'raw', '-']);
      const headerBytes = format === 'S16LE' ? 44 : 68;
      expectSameSamples(format, raw, file.subarray(headerBytes));
      expect(raw.byteLength).toBe(5 * 333 * 2 * (format === 'S16LE' ? 2 : 4));
    });
  });
});
