import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Buffer, FlowResult, copyStats, launch } from '../../../src/index.js';
import { BufferFlags } from '../../../src/element/buffer.js';
import { RawVideoParse } from '../../../src/elements/formats/raw/rawvideoparse.js';
import { Harness } from '../../../src/harness/harness.js';

const range = (from: number, n: number): number[] => Array.from({ length: n }, (_, i) => from + i);

async function parser(props: Record<string, string | number> = {}): Promise<Harness> {
  const el = new RawVideoParse('rawvideoparse0');
  for (const [k, v] of Object.entries({ format: 'GRAY8', width: 4, height: 2, ...props })) el.set(k, v);
  return new Harness(el).start();
}

/** Pushes the bytes 1.. in blocks of `sizes` (slots the harness allocates); returns frames, bytes copied and which frames kept their input slot. */
function feed(h: Harness, sizes: number[], shared = false): { frames: number[][]; copied: number; zeroCopy: boolean[] } {
  const slots: string[] = [];
  let next = 1;
  const before = copyStats().bytesCopied;
  const holds: Buffer[] = [];
  for (const n of sizes) {
    const b = Buffer.allocate(h.allocator, n);
    b.data.set(range(next, n));
    next += n;
    slots.push(`${b.pool.id}:${b.slot}`);
    // A second handle makes the block shared: it may not be cut.
    if (shared) holds.push(b.clone());
    expect(h.push(b)).toBe(FlowResult.OK);
  }
  const copied = copyStats().bytesCopied - before;
  const frames: number[][] = [];
  const zeroCopy: boolean[] = [];
  for (let b = h.pull(); b !== undefined; b = h.pull()) {
    frames.push([...b.data]);
    zeroCopy.push(slots.includes(`${b.pool.id}:${b.slot}`));
    b.release();
  }
  for (const b of holds) b.release();
  return { frames, copied, zeroCopy };
}

describe('rawvideoparse', () => {
  let dir = '';
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'parallax-rawvideoparse-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('has GStreamer-style metadata', () => {
    expect(RawVideoParse.metadata.factory).toBe('rawvideoparse');
    expect(RawVideoParse.metadata.classification).toBe('Codec/Parser/Video');
  });

  // GRAY8 4x2: 8-byte frames. Copies only where a frame does not start an input buffer.
  it.each([
    ['one frame per block: all zero copy', [8, 8, 8], [true, true, true], 0],
    ['two frames per block: the first cut in place, the second copied', [16, 16], [true, false, true, false], 16],
    ['frames straddling blocks, and one after a straddling one: copied once each', [5, 3, 5, 11], [false, false, false], 24],
    ['tiny blocks', [3, 3, 3, 3, 4], [false, false], 16],
    ['a partial frame left over waits for the next block', [12, 4, 8], [true, false, true], 8],
  ])('%s', async (_what, sizes, zeroCopy, copied) => {
    const h = await parser();
    const r = feed(h, sizes);
    expect(r.frames).toEqual(zeroCopy.map((_, i) => range(1 + i * 8, 8)));
    expect(r.zeroCopy).toEqual(zeroCopy);
    expect(r.copied).toBe(copied);
    await h.stop();
  });

  it('a shared block is not cut: its first frame is copied too', async () => {
    const h = await parser();
    const r = feed(h, [16], true);
    expect(r.zeroCopy).toEqual([false, false]);
    expect(r.copied).toBe(16);
    await h.stop();
  });

  it('a one-frame block that a tee branch still holds is copied (counted) before it is stamped: the holder keeps its metadata', async () => {
    const h = await parser();
    const input = Buffer.allocate(h.allocator, 8);
    input.data.set(range(1, 8));
    input.offset = 800;
    const held = input.clone();
    const before = copyStats().bytesCopied;
    expect(h.push(input)).toBe(FlowResult.OK);
    expect(copyStats().bytesCopied - before).toBe(8);
    const out = h.pull()!;
    expect([out.pts, out.duration, out.offset, out.flags]).toEqual([0, 40_000_000, 0, BufferFlags.DISCONT]);
    expect([...out.data]).toEqual(range(1, 8));
    expect([held.pts, held.duration, held.offset, held.flags]).toEqual([-1, -1, 800, 0]);
    out.release();
    held.release();
    await h.stop();
  });

  it('sends its caps and a time segment first, then frames stamped from the frame rate', async () => {
    // Y42B 3x2 in GStreamer's layout: Y stride 4, U/V stride RU8(3)/2 = 4, 2 rows each: 24 bytes.
    const h = await parser({ format: 'Y42B', width: 3, height: 2, framerate: '30000/1001' });
    expect(h.push(new Uint8Array(48))).toBe(FlowResult.OK);
    expect(h.outputCaps?.toString()).toBe('video/x-raw, format=(string)Y42B, width=(int)3, height=(int)2, framerate=(fraction)30000/1001');
    const [a, b] = [h.pull()!, h.pull()!];
    expect([a.size, a.pts, a.duration, a.offset, a.flags]).toEqual([24, 0, 33_366_666, 0, BufferFlags.DISCONT]);
    expect([b.size, b.pts, b.duration, b.offset, b.flags]).toEqual([24, 33_366_666, 33_366_667, 1, 0]);
    a.release();
    b.release();
    expect(h.events.map((e) => e.type)).toEqual(['stream-start', 'caps', 'segment']);
    await h.stop();
  });

  it('drops a partial frame at EOS with a warning naming the byte offset', async () => {
    const h = await parser();
    feed(h, [13]);
    h.eos();
    expect(h.messages.filter((m) => m.type === 'warning').map((m) => (m as { message: string }).message))
      .toEqual(['dropped 5 bytes of a partial frame at the end of the stream (byte 8; a frame is 8 bytes)']);
    await h.stop();
  });

  it('frames a file read in any block size into the same frames as y4mparse would', async () => {
    const file = join(dir, 'frames.bin');
    // Three I420 8x2 frames (24 bytes each in GStreamer's layout).
    await writeFile(file, new Uint8Array(range(0, 72)));
    for (const blocksize of [1, 7, 24, 4096]) {
      const p = launch(`filesrc location=${file} blocksize=${blocksize} ! rawvideoparse format=I420 width=8 height=2 ! appsink name=out max-buffers=0`);
      const sink = p.get('out') as unknown as AsyncIterable<{ data: Uint8Array; release(): void }>;
      const frames: number[][] = [];
      const reading = (async () => {
        for await (const b of sink) {
          frames.push([...b.data]);
          b.release();
        }
      })();
      await p.run();
      await reading;
      await p.dispose();
      expect(frames, `blocksize ${blocksize}`).toEqual([range(0, 24), range(24, 24), range(48, 24)]);
    }
  });
});
