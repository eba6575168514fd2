import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Buffer, FlowResult, copyStats, launch } from '../../../src/index.js';
import { Events } from '../../../src/element/event.js';
import { Y4mEnc } from '../../../src/elements/formats/y4m/y4menc.js';
import { Harness } from '../../../src/harness/harness.js';
import { videoFormatFromName, videoFrameSize } from '../../../src/elements/video/layout.js';

const text = (b: Uint8Array): string => new TextDecoder().decode(b);
const range = (from: number, n: number): number[] => Array.from({ length: n }, (_, i) => from + i);

async function encoder(caps: string): Promise<Harness> {
  return new Harness(new Y4mEnc('y4menc0'), { caps }).start();
}

/** Everything the harness received, as [offset, bytes] pairs. */
function drain(h: Harness): [number, number[]][] {
  const out: [number, number[]][] = [];
  for (let b = h.pull(); b !== undefined; b = h.pull()) {
    out.push([b.offset, [...b.data]]);
    b.release();
  }
  return out;
}

describe('y4menc', () => {
  it('has GStreamer-style metadata', () => {
    expect(Y4mEnc.metadata.factory).toBe('y4menc');
    expect(Y4mEnc.metadata.classification).toBe('Codec/Encoder/Video');
  });

  it('writes the header, then FRAME and the planes per frame, each buffer with its byte offset', async () => {
    const h = await encoder('video/x-raw,format=GRAY8,width=4,height=2,framerate=25/1');
    expect(h.push(new Uint8Array(range(1, 8)))).toBe(FlowResult.OK);
    expect(h.push(new Uint8Array(range(11, 8)))).toBe(FlowResult.OK);
    const header = 'YUV4MPEG2 W4 H2 F25:1 Ip A0:0 Cmono\n';
    const bytes = (s: string): number[] => [...new TextEncoder().encode(s)];
    expect(drain(h)).toEqual([
      [0, bytes(header)],
      [36, bytes('FRAME\n')], [42, range(1, 8)],
      [50, bytes('FRAME\n')], [56, range(11, 8)],
    ]);
    expect(h.outputCaps?.toString()).toBe('application/x-yuv4mpeg, y4mversion=(int)2');
    await h.stop();
  });

  it.each([
    ['I420 at 480 lines without a chroma-site: GStreamer\'s default, jpeg', 'format=I420,width=4,height=480,framerate=30000/1001', 'W4 H480 F30000:1001 Ip A0:0 C420jpeg XYSCSS=420JPEG'],
    ['I420 at 720 lines without a chroma-site: mpeg2', 'format=I420,width=4,height=720,framerate=25/1', 'W4 H720 F25:1 Ip A0:0 C420mpeg2 XYSCSS=420MPEG2'],
    ['I420 chroma-site=dv', 'format=I420,width=4,height=2,framerate=25/1,chroma-site=dv', 'C420paldv XYSCSS=420PALDV'],
    ['Y42B bt709 (limited range)', 'format=Y42B,width=4,height=2,framerate=25/1,colorimetry=bt709', 'C422 XYSCSS=422 XCOLORRANGE=LIMITED'],
    ['Y444 interlaced, bottom field first, PAR 16/15', 'format=Y444,width=4,height=2,framerate=25/1,pixel-aspect-ratio=16/15,interlace-mode=interleaved,field-order=bottom-field-first', 'W4 H2 F25:1 Ib A16:15 C444 XYSCSS=444'],
    ['GRAY8 full range', 'format=GRAY8,width=4,height=2,framerate=25/1,colorimetry=(string)"1:0:0:0"', 'Cmono XCOLORRANGE=FULL'],
  ])('%s', async (_what, caps, header) => {
    const h = await encoder(`video/x-raw,${caps}`);
    const size = videoFrameSize(videoFormatFromName(/format=(\w+)/.exec(caps)![1]!)!, 4, Number(/height=(\d+)/.exec(caps)![1]));
    expect(h.push(new Uint8Array(size))).toBe(FlowResult.OK);
    const first = h.pull()!;
    expect(text(first.data)).toMatch(new RegExp(`^YUV4MPEG2 .*${header.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\n$`));
    first.release();
    drain(h);
    await h.stop();
  });

  it('packs a strided frame tightly, row by row (I420 3x3: strides 4, a spare Y row), one counted copy', async () => {
    const h = await encoder('video/x-raw,format=I420,width=3,height=3,framerate=25/1');
    const strided = [
      1, 2, 3, 0, 4, 5, 6, 0, 7, 8, 9, 0, 0, 0, 0, 0,
      11, 12, 0, 0, 13, 14, 0, 0,
      21, 22, 0, 0, 23, 24, 0, 0,
    ];
    const input = Buffer.allocate(h.allocator, strided.length);
    input.data.set(strided);
    const before = copyStats().bytesCopied;
    expect(h.push(input)).toBe(FlowResult.OK);
    const out = drain(h);
    // Header and FRAME line written into slots, then the 17 tight bytes.
    expect(copyStats().bytesCopied - before).toBe(out[0]![1].length + 6 + 17);
    expect(out[2]![1]).toEqual([...range(1, 9), 11, 12, 13, 14, 21, 22, 23, 24]);
    await h.stop();
  });

  it('passes a frame already tight (I420 8x2) on without copying it', async () => {
    const h = await encoder('video/x-raw,format=I420,width=8,height=2,framerate=25/1');
    const input = Buffer.allocate(h.allocator, 24);
    input.data.set(range(1, 24));
    expect(h.push(input)).toBe(FlowResult.OK);
    h.pull()!.release();
    h.pull()!.release();
    const before = copyStats().bytesCopied;
    const again = Buffer.allocate(h.allocator, 24);
    expect(h.push(again)).toBe(FlowResult.OK);
    // Only the next FRAME line is written.
    expect(copyStats().bytesCopied - before).toBe(6);
    const frames = [h.pull()!, h.pull()!, h.pull()!];
    expect([frames[2]!.slot, frames[2]!.pool]).toEqual([again.slot, again.pool]);
    for (const b of frames) b.release();
    await h.stop();
  });

  it('a tight frame that a tee branch still holds is copied (counted) before its offset is written: the holder keeps its own', async () => {
    const h = await encoder('video/x-raw,format=I420,width=8,height=2,framerate=25/1');
    const input = Buffer.allocate(h.allocator, 24);
    input.data.set(range(1, 24));
    input.offset = 7;
    const held = input.clone();
    const before = copyStats().bytesCopied;
    expect(h.push(input)).toBe(FlowResult.OK);
    const out = drain(h);
    // The header, the FRAME line, and the frame itself.
    expect(copyStats().bytesCopied - before).toBe(out[0]![1].length + 6 + 24);
    const at = out[0]![1].length + 6;
    expect(out[2]).toEqual([at, range(1, 24)]);
    expect(held.offset).toBe(7);
    held.release();
    await h.stop();
  });

  it('sends one bytes segment however many segments come in, and keeps counting offsets', async () => {
    const h = await encoder('video/x-raw,format=GRAY8,width=4,height=2,framerate=25/1');
    expect(h.push(new Uint8Array(8))).toBe(FlowResult.OK);
    expect(h.pushEvent(Events.segment({ format: 'time', rate: 1, start: 0, stop: -1, base: 80_000_000, time: 0 }))).toBe(true);
    expect(h.push(new Uint8Array(8))).toBe(FlowResult.OK);
    expect(drain(h).map(([offset]) => offset)).toEqual([0, 36, 42, 50, 56]);
    expect(h.events.flatMap((e) => (e.type === 'segment' ? [`${e.segment.format}:${e.segment.start}`] : []))).toEqual(['bytes:0']);
    await h.stop();
  });

  it('after concat, the file holds one header and every frame of both inputs', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'parallax-y4menc-'));
    try {
      const path = join(dir, 'cat.y4m');
      const input = (pattern: string): string => `videotestsrc num-buffers=2 pattern=${pattern} ! video/x-raw,format=I420,width=64,height=48 ! c.`;
      await launch(`concat name=c ! y4menc ! filesink location=${path}  ${input('smpte')}  ${input('black')}`).run();
      const file = await readFile(path);
      const header = 'YUV4MPEG2 W64 H48 F30:1 Ip A1:1 C420jpeg XYSCSS=420JPEG\n';
      expect(file.subarray(0, header.length).toString('latin1')).toBe(header);
      expect(file.byteLength).toBe(header.length + 4 * (6 + 4608));
      const frameLines = Array.from({ length: 4 }, (_, i) => file.subarray(header.length + i * 4614, header.length + i * 4614 + 6).toString('latin1'));
      expect(frameLines).toEqual(Array(4).fill('FRAME\n'));
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it.each([
    ['a format change after the header', (h: Harness) => {
      h.push(new Uint8Array(8));
      h.setCaps('video/x-raw,format=GRAY8,width=2,height=2,framerate=25/1');
    }, 'the stream changed from GRAY8 4x2 to GRAY8 2x2 at byte 50: a Y4M stream holds one format'],
    ['a frame rate of 0', (h: Harness) => h.setCaps('video/x-raw,format=GRAY8,width=4,height=2,framerate=0/1'), 'a Y4M stream needs a frame rate above 0 (framerate) in caps video/x-raw, format=(string)GRAY8, width=(int)4, height=(int)2, framerate=(fraction)0/1'],
    ['a chroma-site Y4M has no name for', (h: Harness) => h.setCaps('video/x-raw,format=I420,width=4,height=2,framerate=25/1,chroma-site=v-cosited'), 'chroma-site v-cosited has no Y4M colour space (jpeg, mpeg2 or dv) in caps'],
    ['a short frame', (h: Harness) => h.push(new Uint8Array(7)), 'a buffer of 7 bytes is smaller than one GRAY8 4x2 frame (8 bytes)'],
  ] as const)('%s is an error naming the element', async (_what, act, message) => {
    const h = await encoder('video/x-raw,format=GRAY8,width=4,height=2,framerate=25/1');
    act(h);
    expect(h.errors().join('\n')).toContain(`y4menc0: ${message}`);
    drain(h);
    await h.stop();
  });
});
