import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FlowResult } from '../../../src/element/flow.js';
import { wavHeader } from '../../../src/elements/formats/wav/wav-format.js';
import { WavParse } from '../../../src/elements/formats/wav/wavparse.js';
import { Harness } from '../../../src/harness/harness.js';
import { CHANNELS, FORMATS, RATES, SOX_MISSING, parseFile, sox } from './wav-helpers.js';

let dir = '';
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'parallax-wavparse-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const ascii = (s: string): number[] => [...s].map((c) => c.charCodeAt(0));
const u32 = (n: number): number[] => [n & 0xff, (n >>> 8) & 0xff, (n >>> 16) & 0xff, (n >>> 24) & 0xff];
const u16 = (n: number): number[] => [n & 0xff, (n >>> 8) & 0xff];
/** A fmt chunk: tag, channels, rate, block align, bits. */
const fmt = (tag: number, ch: number, rate: number, align: number, bits: number): number[] =>
  [...ascii('fmt '), ...u32(16), ...u16(tag), ...u16(ch), ...u32(rate), ...u32(rate * align), ...u16(align), ...u16(bits)];
const riff = (...chunks: number[][]): Uint8Array => {
  const body = chunks.flat();
  return new Uint8Array([...ascii('RIFF'), ...u32(4 + body.length), ...ascii('WAVE'), ...body]);
};

/** Pushes `file` into a wavparse in a harness, `step` bytes at a time, then EOS. */
async function harnessParse(file: Uint8Array, step = file.byteLength): Promise<{ h: Harness; out: Uint8Array; results: FlowResult[] }> {
  const h = await new Harness(new WavParse('wavparse0')).start();
  const results: FlowResult[] = [];
  for (let i = 0; i < file.byteLength; i += step) results.push(h.push(file.slice(i, i + step)));
  h.eos();
  const parts: number[] = [];
  for (let b = h.pull(); b !== undefined; b = h.pull()) {
    parts.push(...b.data);
    b.release();
  }
  return { h, out: new Uint8Array(parts), results };
}

describe('wavparse', () => {
  it('has GStreamer-style metadata', () => {
    expect(WavParse.metadata.factory).toBe('wavparse');
    expect(WavParse.metadata.classification).toBe('Codec/Demuxer/Audio');
    expect(WavParse.metadata.example.startsWith('audiotestsrc')).toBe(true);
  });

  it('reads a PCM file byte by byte: caps, then segment, then whole frames with timestamps', async () => {
    // Stereo S16: 3 frames; a LIST chunk of odd size (pad byte) before fmt, a fact chunk between.
    const samples = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12];
    const file = riff([...ascii('LIST'), ...u32(3), 1, 2, 3, 0], fmt(1, 2, 8000, 4, 16), [...ascii('fact'), ...u32(4), ...u32(3)], [...ascii('data'), ...u32(12), ...samples]);
    const { h, out, results } = await harnessParse(file, 1);
    expect(results.every((r) => r === FlowResult.OK)).toBe(true);
    expect([...out]).toEqual(samples);
    expect(h.outputCaps?.toString()).toBe('audio/x-raw, format=(string)S16LE, layout=(string)interleaved, rate=(int)8000, channels=(int)2');
    expect(h.events.map((e) => e.type)).toEqual(['stream-start', 'caps', 'segment', 'eos']);
    expect(h.errors()).toEqual([]);
  });

  it('stamps pts, duration and sample offset; passes aligned sample buffers on without a copy', async () => {
    const header = riff(fmt(1, 1, 1000, 2, 16), [...ascii('data'), ...u32(40)]);
    const h = await new Harness(new WavParse('wavparse0')).start();
    expect(h.push(header)).toBe(FlowResult.OK);
    expect(h.push(new Uint8Array(20).fill(1))).toBe(FlowResult.OK);
    expect(h.push(new Uint8Array(20).fill(2))).toBe(FlowResult.OK);
    const a = h.pull()!;
    const b = h.pull()!;
    expect([a.pts, a.duration, a.offset, b.pts, b.duration, b.offset]).toEqual([0, 10_000_000, 0, 10_000_000, 10_000_000, 10]);
    a.release();
    b.release();
  });

  it('reads WAVE_FORMAT_EXTENSIBLE 24-bit as packed S24LE, ignoring chunks after data', async () => {
    const header = wavHeader({ format: 'S24LE', rate: 48000, channels: 1, bpf: 3 }, 6);
    const file = new Uint8Array([...header, 1, 2, 3, 4, 5, 6, ...ascii('LIST'), ...u32(2), 9, 9]);
    const { h, out } = await harnessParse(file, 5);
    expect([...out]).toEqual([1, 2, 3, 4, 5, 6]);
    expect(h.outputCaps?.toString()).toContain('format=(string)S24LE');
  });

  it('carries partial frames across buffers and warns about a short data chunk', async () => {
    const file = riff(fmt(3, 1, 8000, 4, 32), [...ascii('data'), ...u32(100), 0, 0, 0x80, 0x3f, 0, 0, 0, 0xbf, 7]);
    const { h, out } = await harnessParse(file, 3);
    expect([...new Float32Array(out.buffer)]).toEqual([1, -0.5]);
    const warnings = h.messages.flatMap((m) => (m.type === 'warning' ? [m.message] : []));
    expect(warnings).toEqual([
      'the data chunk at byte 36 declares 100 bytes but the stream ends after 9 (at byte 53); using the samples present',
      'dropped 1 bytes of a partial frame at the end of the data (byte 52)',
    ]);
    expect(h.errors()).toEqual([]);
  });

  it.each([
    ['not RIFF', new Uint8Array([...ascii('RIFX'), ...u32(4), ...ascii('WAVE')]), 'wavparse0: not a RIFF file: found "RIFX" at byte 0, expected "RIFF"'],
    ['not WAVE', new Uint8Array([...ascii('RIFF'), ...u32(4), ...ascii('AVI ')]), 'wavparse0: not a WAVE file: found "AVI " at byte 8, expected "WAVE"'],
    ['unsupported tag', riff([...fmt(0x55, 1, 8000, 2, 16)]), 'wavparse0: unsupported format tag 0x0055 at byte 20 (supported: PCM, IEEE float, WAVE_FORMAT_EXTENSIBLE of those)'],
    ['unsupported bits', riff([...fmt(1, 1, 8000, 1, 8)]), 'wavparse0: unsupported 8-bit PCM at byte 34 (supported: 16, 24, 32-bit PCM and 32-bit float)'],
    ['64-bit float', riff([...fmt(3, 1, 8000, 8, 64)]), 'wavparse0: unsupported 64-bit IEEE float at byte 34 (supported: 16, 24, 32-bit PCM and 32-bit float)'],
    ['bad block align', riff([...fmt(1, 2, 8000, 2, 16)]), 'wavparse0: bad block align 2 at byte 32: 2 channels of 16-bit samples take 4'],
    ['data before fmt', riff([...ascii('data'), ...u32(2), 0, 0]), 'wavparse0: data chunk at byte 12 comes before any fmt chunk'],
    ['short fmt', riff([...ascii('fmt '), ...u32(8), ...u32(0), ...u32(0)]), 'wavparse0: truncated fmt chunk at byte 12: 8 bytes, at least 16 needed'],
  ])('rejects %s, naming the element and the byte', async (_name, file, message) => {
    const { h, results } = await harnessParse(file, 7);
    expect(results).toContain(FlowResult.ERROR);
    expect(h.errors()[0]).toBe(message);
    expect(h.pending).toBe(0);
  });

  it.each([
    ['the RIFF header', new Uint8Array(ascii('RIFF')), 'wavparse0: truncated header: the stream ends at byte 4, inside the 12-byte RIFF header'],
    ['the fmt chunk', riff(fmt(1, 1, 8000, 2, 16)).slice(0, 30), 'wavparse0: truncated header: the stream ends at byte 30, inside the fmt chunk at byte 12 (16 bytes declared)'],
    ['a chunk before data', riff(fmt(1, 1, 8000, 2, 16), [...ascii('LIST'), ...u32(100), 1]), 'wavparse0: truncated header: the stream ends at byte 45, inside the "LIST" chunk at byte 36 (100 bytes declared), before any data chunk'],
    ['an empty stream', new Uint8Array(0), 'wavparse0: empty stream: no RIFF header'],
  ])('reports a header cut short in %s at EOS', async (_name, file, message) => {
    const { h } = await harnessParse(file, 3);
    expect(h.errors()).toEqual([message]);
  });

  describe.skipIf(SOX_MISSING !== null)('reads what sox writes, sample for sample', () => {
    for (const f of FORMATS) {
      for (const rate of RATES) {
        for (const channels of CHANNELS) {
          it(`${f.format} ${rate} Hz ${channels} ch`, async () => {
            const wav = join(dir, `${f.format}-${rate}-${channels}.wav`);
            sox(['-n', '-r', `${rate}`, '-c', `${channels}`, '-b', `${f.bits}`, '-e', f.encoding, wav, 'synth', '0.1', 'sine', '440']);
            const raw = sox([wav, '-t', 'raw', '-']);
            // An odd block size puts header, chunk and frame boundaries inside buffers.
            const got = await parseFile(wav, 1001);
            expect(got.messages).toEqual([]);
            expect(got.caps).toBe(`audio/x-raw, format=(string)${f.format}, layout=(string)interleaved, rate=(int)${rate}, channels=(int)${channels}`);
            expect(Buffer.compare(Buffer.from(got.bytes), raw)).toBe(0);
            const frames = raw.byteLength / (channels * f.bits / 8);
            expect(got.buffers.reduce((n, b) => n + b.size, 0)).toBe(raw.byteLength);
            const last = got.buffers[got.buffers.length - 1]!;
            expect(last.offset + last.size / (channels * f.bits / 8)).toBe(frames);
            expect(last.pts + last.duration).toBe(Math.round(frames * 1e9 / rate));
          });
        }
      }
    }
  });

  it.skipIf(SOX_MISSING !== null)('reports a bad file through the pipeline with the byte offset', async () => {
    const path = join(dir, 'bad.wav');
    await writeFile(path, riff(fmt(1, 2, 8000, 3, 16)));
    await expect(parseFile(path, 5)).rejects.toThrow('wavparse0: bad block align 3 at byte 32');
  });
});
