import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Buffer, BufferFlags } from '../../../src/element/buffer.js';
import { FlowResult } from '../../../src/element/flow.js';
import { RawAudioParse } from '../../../src/elements/formats/raw/rawaudioparse.js';
import { Harness, type HarnessOptions } from '../../../src/harness/harness.js';
import { copyStats } from '../../../src/memory/copy-counter.js';

let dir = '';
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'parallax-rawaudioparse-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** Bytes 0, 1, 2, … so that any misplaced byte shows. */
function counting(n: number, from = 0): Uint8Array {
  return Uint8Array.from({ length: n }, (_, i) => (from + i) & 0xff);
}

interface Out { sizes: number[]; pts: number[]; durations: number[]; offsets: number[]; discont: boolean[]; bytes: number[]; copied: number; warnings: string[] }

/** Pushes buffers of `sizes` bytes (one counting stream) and EOS; what came out. */
async function parse(props: Record<string, unknown>, sizes: number[], options: HarnessOptions = {}): Promise<Out & { h: Harness }> {
  const el = new RawAudioParse('rawaudioparse0');
  for (const [k, v] of Object.entries(props)) el.set(k, v);
  const h = await new Harness(el, options).start();
  let at = 0;
  const inputs = sizes.map((n) => {
    const b = Buffer.fromBytes(h.allocator, counting(n, at));
    at += n;
    return b;
  });
  const before = copyStats().bytesCopied;
  for (const b of inputs) expect(h.push(b)).toBe(FlowResult.OK);
  h.eos();
  const copied = copyStats().bytesCopied - before;
  const out: Out = { sizes: [], pts: [], durations: [], offsets: [], discont: [], bytes: [], copied, warnings: [] };
  for (let b = h.pull(); b !== undefined; b = h.pull()) {
    out.sizes.push(b.size);
    out.pts.push(b.pts);
    out.durations.push(b.duration);
    out.offsets.push(b.offset);
    out.discont.push(b.hasFlag(BufferFlags.DISCONT));
    out.bytes.push(...b.data);
    b.release();
  }
  out.warnings = h.messages.flatMap((m) => (m.type === 'warning' ? [m.message] : []));
  await h.stop();
  return { ...out, h };
}

describe('rawaudioparse', () => {
  it('passes buffers of whole frames on as they are, stamped from the sample count', async () => {
    const out = await parse({ 'pcm-format': 's16le', 'sample-rate': 8000, 'num-channels': 2 }, [8, 8, 4]);
    expect(out.sizes).toEqual([8, 8, 4]);
    expect(out.pts).toEqual([0, 250_000, 500_000]);
    expect(out.durations).toEqual([250_000, 250_000, 125_000]);
    expect(out.offsets).toEqual([0, 2, 4]);
    expect(out.discont).toEqual([true, false, false]);
    expect(out.bytes).toEqual([...counting(20)]);
    expect(out.copied).toBe(0);
  });

  it('sends its caps and a time segment before the first buffer', async () => {
    const { h } = await parse({ 'pcm-format': 's16le', 'sample-rate': 8000, 'num-channels': 2 }, [4]);
    expect(h.events.map((e) => e.type)).toEqual(['stream-start', 'caps', 'segment', 'eos']);
    const caps = h.events.find((e) => e.type === 'caps');
    expect(caps?.type === 'caps' && caps.caps.toString()).toBe('audio/x-raw, format=(string)S16LE, layout=(string)interleaved, rate=(int)8000, channels=(int)2');
  });

  // Input sizes → output sizes and bytes copied, 4-byte frames (S16LE stereo).
  it.each([
    // A buffer that ends inside a frame is cut; only the cut frame's bytes are copied aside.
    [[6, 6], [4, 8], 2 + 8],
    [[5, 3], [4, 4], 1 + 4],
    // Smaller than a frame: carried until it is whole.
    [[1, 1, 1, 1, 4], [4, 4], 3 + 4],
    // Misaligned after a straddling frame until an input starts on a boundary again.
    [[6, 8, 2, 4], [4, 8, 4, 4], 2 + 8 + 2 + 4],
  ] as const)('inputs %j come out as %j, copying %i bytes', async (inputs, outputs, copied) => {
    const out = await parse({ 'pcm-format': 's16le', 'sample-rate': 8000, 'num-channels': 2 }, [...inputs]);
    expect(out.sizes).toEqual(outputs);
    expect(out.bytes).toEqual([...counting(outputs.reduce((a, b) => a + b, 0))]);
    expect(out.offsets).toEqual(outputs.reduce<number[]>((acc, n, i) => [...acc, i === 0 ? 0 : acc[i - 1]! + outputs[i - 1]! / 4], []));
    expect(out.copied).toBe(copied);
  });

  it.each([
    ['s8', 1, 1],
    ['u8', 2, 2],
    ['s24le', 1, 3],
    ['s24be', 2, 6],
    ['f32le', 2, 8],
    ['f64be', 1, 8],
  ] as const)('pcm-format=%s num-channels=%i frames %i bytes', async (format, channels, bpf) => {
    const out = await parse({ 'pcm-format': format, 'num-channels': channels, 'sample-rate': 1000 }, [bpf * 3]);
    expect(out.sizes).toEqual([bpf * 3]);
    expect(out.durations).toEqual([3_000_000]);
  });

  it('pcm-format has GStreamer\'s GstAudioFormat numbers: 4 is s16le, 16 s24le, 28 f32le', async () => {
    const values = RawAudioParse.metadata.properties['pcm-format'];
    expect(values?.type === 'enum' && values.values.map((v) => `${v.nick}=${v.value}`)).toEqual([
      's8=2', 'u8=3', 's16le=4', 's16be=5', 'u16le=6', 'u16be=7', 's24le=16', 's24be=17',
      's32le=12', 's32be=13', 'u32le=14', 'u32be=15', 'f32le=28', 'f32be=29', 'f64le=30', 'f64be=31',
    ]);
    const el = new RawAudioParse('rawaudioparse0');
    el.set('pcm-format', '28');
    expect(el.get('pcm-format')).toBe('f32le');
    el.set('pcm-format', 4);
    expect(el.get('pcm-format')).toBe('s16le');
  });

  it('a buffer that a tee branch still holds is copied (counted) before it is stamped: the holder keeps its metadata', async () => {
    const el = new RawAudioParse('rawaudioparse0');
    for (const [k, v] of Object.entries({ 'pcm-format': 's16le', 'sample-rate': 8000, 'num-channels': 2 })) el.set(k, v);
    const h = await new Harness(el).start();
    const input = Buffer.fromBytes(h.allocator, counting(8));
    input.offset = 640;
    const held = input.clone();
    const before = copyStats().bytesCopied;
    expect(h.push(input)).toBe(FlowResult.OK);
    expect(copyStats().bytesCopied - before).toBe(8);
    const out = h.pull()!;
    expect([out.pts, out.duration, out.offset, out.flags]).toEqual([0, 250_000, 0, BufferFlags.DISCONT]);
    expect([...out.data]).toEqual([...counting(8)]);
    expect(out.pool !== held.pool || out.slot !== held.slot).toBe(true);
    expect([held.pts, held.duration, held.offset, held.flags]).toEqual([-1, -1, 640, 0]);
    out.release();
    held.release();
    await h.stop();
  });

  it('drops a partial frame at EOS with a warning naming the byte offset', async () => {
    const out = await parse({ 'pcm-format': 's16le', 'num-channels': 2 }, [5]);
    expect(out.sizes).toEqual([4]);
    expect(out.warnings).toEqual(['dropped 1 bytes of a partial frame at the end of the stream (byte 4)']);
  });

  it('takes the format from upstream caps with use-sink-caps=true', async () => {
    const out = await parse({ 'use-sink-caps': true }, [6], { caps: 'audio/x-raw, format=(string)S16LE, layout=(string)interleaved, rate=(int)16000, channels=(int)1' });
    expect(out.sizes).toEqual([6]);
    expect(out.durations).toEqual([187_500]);
  });

  it('rounds timestamps like GStreamer at 44.1 kHz', async () => {
    const out = await parse({ 'pcm-format': 's16le', 'num-channels': 1, 'sample-rate': 44100 }, [2, 2, 2]);
    expect(out.pts).toEqual([0, 22_676, 45_351]);
  });

  it('runs through launch(): a raw file into wavenc, compared with sox', async () => {
    const { launch } = await import('../../../src/index.js');
    const { spawnSync } = await import('node:child_process');
    const raw = join(dir, 'in.raw');
    await writeFile(raw, counting(4003));
    const out = join(dir, 'out.wav');
    await launch(`filesrc location=${raw} blocksize=1001 ! rawaudioparse pcm-format=s16le sample-rate=48000 num-channels=2 ! wavenc ! filesink location=${out}`).run();
    const wav = await readFile(out);
    expect(wav.readUInt16LE(22)).toBe(2);
    expect(wav.readUInt32LE(24)).toBe(48000);
    const data = wav.subarray(wav.indexOf('data') + 8);
    expect([...data]).toEqual([...counting(4000)]);
    const sox = spawnSync('sox', ['-t', 'raw', '-r', '48000', '-e', 'signed', '-b', '16', '-c', '2', raw, '-t', 'raw', '-'], { encoding: 'buffer' });
    if (sox.status === 0) expect(globalThis.Buffer.compare(sox.stdout, data)).toBe(0);
  });
});
