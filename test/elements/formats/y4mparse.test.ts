import { describe, expect, it } from 'vitest';
import { Buffer, FlowResult, copyStats, launch } from '../../../src/index.js';
import { BufferFlags } from '../../../src/element/buffer.js';
import { Y4mParse } from '../../../src/elements/formats/y4m/y4mparse.js';
import { Harness } from '../../../src/harness/harness.js';
import { y4m } from './y4m-helpers.js';

interface Out { bytes: number[]; pts: number; duration: number; offset: number; flags: number }

/** Pushes `stream` into a y4mparse in a harness, `step` bytes at a time, then EOS. */
async function parse(stream: Uint8Array, step = stream.byteLength): Promise<{ h: Harness; frames: Out[]; results: FlowResult[] }> {
  const h = await new Harness(new Y4mParse('y4mparse0')).start();
  const results: FlowResult[] = [];
  for (let i = 0; i < stream.byteLength; i += step) results.push(h.push(stream.slice(i, i + step)));
  h.eos();
  const frames: Out[] = [];
  for (let b = h.pull(); b !== undefined; b = h.pull()) {
    frames.push({ bytes: [...b.data], pts: b.pts, duration: b.duration, offset: b.offset, flags: b.flags });
    b.release();
  }
  return { h, frames, results };
}

const range = (from: number, n: number): number[] => Array.from({ length: n }, (_, i) => from + i);

describe('y4mparse', () => {
  it('has GStreamer-style metadata', () => {
    expect(Y4mParse.metadata.factory).toBe('y4mparse');
    expect(Y4mParse.metadata.classification).toBe('Codec/Demuxer/Video');
  });

  it('reads a mono stream byte by byte: caps, segment, one buffer per frame with timestamps', async () => {
    const stream = y4m('YUV4MPEG2 W4 H2 F25:1 Ip A1:1 Cmono', [range(1, 8), range(11, 8)]);
    const { h, frames, results } = await parse(stream, 1);
    expect(results.every((r) => r === FlowResult.OK)).toBe(true);
    expect(h.errors()).toEqual([]);
    expect(h.outputCaps?.toString()).toBe('video/x-raw, format=(string)GRAY8, width=(int)4, height=(int)2, framerate=(fraction)25/1, pixel-aspect-ratio=(fraction)1/1');
    expect(h.events.map((e) => e.type)).toEqual(['stream-start', 'caps', 'segment', 'eos']);
    expect(frames).toEqual([
      { bytes: range(1, 8), pts: 0, duration: 40_000_000, offset: 0, flags: BufferFlags.DISCONT },
      { bytes: range(11, 8), pts: 40_000_000, duration: 40_000_000, offset: 1, flags: 0 },
    ]);
  });

  // Tight Y4M rows land in GStreamer's strided layout; padding and spare rows are zero.
  it.each([
    ['I420 3x3: Y stride 4 with a spare row, U/V stride 4', 'C420jpeg', 3, 3, [...range(1, 9), 11, 12, 13, 14, 21, 22, 23, 24], [
      1, 2, 3, 0, 4, 5, 6, 0, 7, 8, 9, 0, 0, 0, 0, 0,
      11, 12, 0, 0, 13, 14, 0, 0,
      21, 22, 0, 0, 23, 24, 0, 0,
    ]],
    ['Y42B 3x2: Y stride 4, U/V stride RU8(3)/2 = 4, chroma 2 wide and 2 high', 'C422', 3, 2, [...range(1, 6), 11, 12, 13, 14, 21, 22, 23, 24], [
      1, 2, 3, 0, 4, 5, 6, 0,
      11, 12, 0, 0, 13, 14, 0, 0,
      21, 22, 0, 0, 23, 24, 0, 0,
    ]],
    ['Y444 2x2: every stride 4', 'C444', 2, 2, [1, 2, 3, 4, 11, 12, 13, 14, 21, 22, 23, 24], [
      1, 2, 0, 0, 3, 4, 0, 0, 11, 12, 0, 0, 13, 14, 0, 0, 21, 22, 0, 0, 23, 24, 0, 0,
    ]],
    ['GRAY8 5x1: stride 8', 'Cmono', 5, 1, [1, 2, 3, 4, 5], [1, 2, 3, 4, 5, 0, 0, 0]],
  ] as const)('%s', async (_what, c, w, ht, tight, strided) => {
    for (const step of [1, 5, 1000]) {
      const { h, frames } = await parse(y4m(`YUV4MPEG2 W${w} H${ht} F30000:1001 ${c}`, [[...tight], [...tight]]), step);
      expect(h.errors()).toEqual([]);
      expect(frames.map((f) => f.bytes)).toEqual([strided, strided]);
      expect(frames[1]!.pts).toBe(33_366_666);
    }
  });

  it.each([
    ['YUV4MPEG2 W4 H2 F25:1', 'format=(string)I420, width=(int)4, height=(int)2, framerate=(fraction)25/1, chroma-site=(string)jpeg'],
    ['YUV4MPEG2 W4 H2 F25:1 C420', 'chroma-site=(string)jpeg'],
    ['YUV4MPEG2 W4 H2 F25:1 C420mpeg2 XYSCSS=420MPEG2', 'chroma-site=(string)mpeg2'],
    ['YUV4MPEG2 W4 H2 F25:1 C420paldv', 'chroma-site=(string)dv'],
    ['YUV4MPEG2 C422 W4 H2 F25:1 It', 'format=(string)Y42B, width=(int)4, height=(int)2, framerate=(fraction)25/1, interlace-mode=(string)interleaved, field-order=(string)top-field-first'],
    ['YUV4MPEG2 W4 H2 F25:1 Ib C444', 'field-order=(string)bottom-field-first'],
    ['YUV4MPEG2 W4 H2 F25:1 Im C444', 'interlace-mode=(string)mixed'],
    ['YUV4MPEG2 W4 H2 F24000:1001 A128:117 Cmono XCOLORRANGE=FULL Zunknown', 'framerate=(fraction)24000/1001, pixel-aspect-ratio=(fraction)128/117, colorimetry=(string)1:0:0:0'],
    ['YUV4MPEG2 W4 H2 F25:1 A0:0 I? Cmono XCOLORRANGE=LIMITED', 'format=(string)GRAY8, width=(int)4, height=(int)2, framerate=(fraction)25/1, colorimetry=(string)2:0:0:0'],
  ])('header %s → caps with %s', async (header, caps) => {
    const { h } = await parse(y4m(header, []));
    expect(h.errors()).toEqual([]);
    expect(h.outputCaps?.toString()).toContain(caps);
  });

  it('skips FRAME parameters', async () => {
    const { h, frames } = await parse(y4m('YUV4MPEG2 W4 H1 F1:1 Cmono', [[1, 2, 3, 4]], 'FRAME Ip XFOO=1'), 3);
    expect(h.errors()).toEqual([]);
    expect(frames.map((f) => f.bytes)).toEqual([[1, 2, 3, 4]]);
  });

  const header = 'YUV4MPEG2 W4 H2 F25:1 Cmono';
  it.each([
    ['not Y4M', new TextEncoder().encode('RIFF....WAVE\n'), 'not a YUV4MPEG2 stream: found "RIFF....WA" at byte 0, expected "YUV4MPEG2 "'],
    ['no F', y4m('YUV4MPEG2 W4 H2', []), 'the stream header at byte 0 has no F (frame rate)'],
    ['no W or H', y4m('YUV4MPEG2 F25:1', []), 'the stream header at byte 0 has no W (width), H (height)'],
    ['a zero width', y4m('YUV4MPEG2 W0 H2 F25:1', []), 'bad width W0 at byte 10: expected an integer in 1..16384'],
    ['a bad rate', y4m('YUV4MPEG2 W4 H2 F25', []), 'bad frame rate F25 at byte 16: expected n:d with both above 0'],
    ['an unsupported colour space', y4m('YUV4MPEG2 W4 H2 F25:1 C411', []), 'unsupported colour space C411 at byte 22: expected one of 420jpeg, 420mpeg2, 420paldv, 420, 422, 444, mono'],
    ['a bad FRAME marker', y4m(header, [range(1, 8)], 'FRAMX'), 'bad frame marker at byte 28: found "FRAMX", expected "FRAME" (frame 0)'],
    ['a frame longer than the header says', new Uint8Array([...y4m(header, [range(1, 8)]), 9, ...new TextEncoder().encode('FRAME\n')]), 'bad frame marker at byte 42: found "?", expected "FRAME" (frame 1)'],
    ['a truncated frame', y4m(header, [range(1, 5)]), 'truncated frame 0 at byte 34: the stream ends at byte 39, after 5 of its 8 bytes'],
    ['a truncated FRAME line', new Uint8Array([...y4m(header, []), 70, 82]), 'truncated FRAME line at byte 28: the stream ends at byte 30 (frame 0)'],
    ['a truncated header', new TextEncoder().encode('YUV4MPEG2 W4'), 'truncated header: the stream ends at byte 12, inside the stream header at byte 0'],
    ['an empty stream', new Uint8Array(0), 'empty stream: no YUV4MPEG2 header'],
    ['a header that does not end', new Uint8Array(5000).fill(0x41), 'the stream header at byte 0 does not end within 4096 bytes (no newline by byte 4096)'],
  ])('%s: an error naming the element and the byte offset', async (_what, stream, message) => {
    for (const step of [1, 7, Math.max(1, stream.byteLength)]) {
      const { h } = await parse(stream, step);
      expect(h.errors()).toEqual([`y4mparse0: ${message}`]);
    }
  });

  it('a buffer that holds exactly one frame in GStreamer\'s layout goes on as it is: same slot, no copy', async () => {
    const h = await new Harness(new Y4mParse('y4mparse0')).start();
    expect(h.push(y4m('YUV4MPEG2 W8 H2 F25:1 C420jpeg', []))).toBe(FlowResult.OK);
    expect(h.push('FRAME\n')).toBe(FlowResult.OK);
    const input = Buffer.allocate(h.allocator, 24);
    input.data.set(range(1, 24));
    const before = copyStats().bytesCopied;
    expect(h.push(input)).toBe(FlowResult.OK);
    const out = h.pull()!;
    expect(copyStats().bytesCopied - before).toBe(0);
    expect([out.slot, out.pool]).toEqual([input.slot, input.pool]);
    expect([...out.data]).toEqual(range(1, 24));
    out.release();
    await h.stop();
  });

  it('a one-frame buffer that a tee branch still holds is copied (counted) before it is stamped: the holder keeps its metadata', async () => {
    const h = await new Harness(new Y4mParse('y4mparse0')).start();
    expect(h.push(y4m('YUV4MPEG2 W8 H2 F25:1 C420jpeg', []))).toBe(FlowResult.OK);
    expect(h.push('FRAME\n')).toBe(FlowResult.OK);
    const input = Buffer.allocate(h.allocator, 24);
    input.data.set(range(1, 24));
    input.offset = 41;
    const held = input.clone();
    const before = copyStats().bytesCopied;
    expect(h.push(input)).toBe(FlowResult.OK);
    expect(copyStats().bytesCopied - before).toBe(24);
    const out = h.pull()!;
    expect([out.pts, out.duration, out.offset, out.flags]).toEqual([0, 40_000_000, 0, BufferFlags.DISCONT]);
    expect([...out.data]).toEqual(range(1, 24));
    expect([held.pts, held.duration, held.offset, held.flags]).toEqual([-1, -1, 41, 0]);
    out.release();
    held.release();
    await h.stop();
  });

  it('a frame read in blocks is copied once, and only its bytes', async () => {
    const stream = y4m('YUV4MPEG2 W8 H2 F25:1 C420jpeg', [range(1, 24), range(31, 24)]);
    const h = await new Harness(new Y4mParse('y4mparse0')).start();
    const blocks = [stream.slice(0, 40), stream.slice(40)].map((b) => {
      const buf = Buffer.allocate(h.allocator, b.byteLength);
      buf.data.set(b);
      return buf;
    });
    const before = copyStats().bytesCopied;
    for (const b of blocks) expect(h.push(b)).toBe(FlowResult.OK);
    expect(copyStats().bytesCopied - before).toBe(48);
    await h.stop();
  });

  it('downstream refusing the stream\'s caps stops with NOT_NEGOTIATED, naming the caps', async () => {
    const p = launch('appsrc name=in ! y4mparse ! video/x-raw,format=I420 ! fakesink');
    const errors: string[] = [];
    p.bus.on('error', (m) => errors.push(m.error.message));
    const running = p.run().catch(() => undefined);
    const src = p.get('in') as unknown as { push(d: Uint8Array): unknown; endOfStream(): void };
    src.push(y4m('YUV4MPEG2 W4 H2 F25:1 Cmono', [range(1, 8)]));
    src.endOfStream();
    await running;
    await p.dispose();
    expect(errors.join('\n')).toMatch(/y4mparse0: downstream refused the stream's caps video\/x-raw, format=\(string\)GRAY8.*\(header at byte 0\)/);
  });

  it('a 4:2:2 stream into videoflip method=clockwise stops with videoflip\'s NOT_NEGOTIATED', async () => {
    const p = launch('appsrc name=in ! y4mparse ! videoflip method=clockwise ! fakesink');
    const errors: string[] = [];
    p.bus.on('error', (m) => errors.push(m.error.message));
    const running = p.run().catch(() => undefined);
    const src = p.get('in') as unknown as { push(d: Uint8Array): unknown; endOfStream(): void };
    src.push(y4m('YUV4MPEG2 W4 H2 F25:1 C422', [range(1, 16)]));
    src.endOfStream();
    await running;
    await p.dispose();
    expect(errors.join('\n')).toMatch(/videoflip0: .*method clockwise cannot turn Y42B 4x2: its 4:2:2 chroma would become 4:4:0/);
    expect(errors.join('\n')).toMatch(/y4mparse0: downstream refused the stream's caps/);
  });
});
