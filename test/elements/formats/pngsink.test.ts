import { spawnSync } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decode } from 'fast-png';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FlowResult } from '../../../src/element/flow.js';
import { PngSink } from '../../../src/elements/formats/png/pngsink.js';
import { videoPlaneStride, VideoFormat } from '../../../src/elements/video/layout.js';
import { packedPixels, pngFrame } from '../../../src/elements/formats/png/png-frame.js';
import { parseCaps } from '../../../src/element/caps/index.js';
import { Harness } from '../../../src/harness/harness.js';

let dir = '';
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'parallax-pngsink-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const caps = (format: string, w: number, h: number): string => `video/x-raw, format=(string)${format}, width=(int)${w}, height=(int)${h}, framerate=(fraction)30/1`;

/** Pushes `frames` into a pngsink; returns the flow results, the decoded PNG (if written), and the harness's errors. */
async function encode(format: string, w: number, h: number, frames: number[][], props: Record<string, unknown> = {}) {
  const location = join(dir, `${format}-${w}x${h}-${Math.random().toString(36).slice(2)}.png`);
  const sink = new PngSink('pngsink0');
  sink.set('location', location);
  for (const [k, v] of Object.entries(props)) sink.set(k, v);
  const hs = await new Harness(sink, { caps: caps(format, w, h) }).start();
  const results: FlowResult[] = [];
  for (const f of frames) {
    results.push(hs.push(new Uint8Array(f)));
    await hs.settle();
  }
  hs.eos();
  await hs.settle();
  expect(hs.eosCount).toBe(1);
  await hs.stop();
  let png: ReturnType<typeof decode> | null = null;
  try {
    png = decode(await readFile(location));
  } catch {
    png = null;
  }
  return { png, results, errors: hs.errors(), location };
}

describe('pngsink', () => {
  it('writes an RGBA frame that decodes to the same pixels', async () => {
    const rgba = [255, 0, 0, 255, 0, 255, 0, 128, 0, 0, 255, 0, 10, 20, 30, 40, 50, 60, 70, 80, 90, 100, 110, 120];
    const { png } = await encode('RGBA', 3, 2, [rgba]);
    expect(png).toMatchObject({ width: 3, height: 2, channels: 4, depth: 8 });
    expect([...png!.data]).toEqual(rgba);
  });

  it('drops the row padding of RGB (stride RU4(w·3))', async () => {
    // 3 pixels a row: 9 bytes of pixels, 3 of padding (0xee) that must not show.
    const rows = [[1, 2, 3, 4, 5, 6, 7, 8, 9], [11, 12, 13, 14, 15, 16, 17, 18, 19]];
    const { png } = await encode('RGB', 3, 2, [[...rows[0]!, 0xee, 0xee, 0xee, ...rows[1]!, 0xee, 0xee, 0xee]]);
    expect(png).toMatchObject({ width: 3, height: 2, channels: 3 });
    expect([...png!.data]).toEqual([...rows[0]!, ...rows[1]!]);
  });

  it('writes GRAY8 (stride RU4(w)) as a grey PNG', async () => {
    const { png } = await encode('GRAY8', 3, 3, [[0, 127, 255, 0xee, 1, 2, 3, 0xee, 4, 5, 6]]);
    expect(png).toMatchObject({ width: 3, height: 3, channels: 1 });
    expect([...png!.data]).toEqual([0, 127, 255, 1, 2, 3, 4, 5, 6]);
  });

  it('takes the frame property: earlier frames pass, the frame is written, then EOS upstream', async () => {
    const f = (v: number): number[] => [v, v, v, 255];
    const { png, results } = await encode('RGBA', 1, 1, [f(1), f(2), f(3)], { frame: 1 });
    expect([...png!.data]).toEqual(f(2));
    expect(results).toEqual([FlowResult.OK, FlowResult.OK, FlowResult.EOS]);
  });

  it('reports a stream that ends before the frame, and still ends (EOS counted)', async () => {
    const { png, errors, location } = await encode('RGBA', 1, 1, [[1, 2, 3, 4]], { frame: 5 });
    expect(png).toBeNull();
    expect(errors).toEqual([`pngsink0: the stream ended after 1 frames, before frame 5: "${location}" not written`]);
  });

  it('reports a buffer smaller than the caps say', async () => {
    const { png, errors } = await encode('RGB', 3, 2, [[1, 2, 3]]);
    expect(png).toBeNull();
    expect(errors[0]).toContain('pngsink0: frame 0 is 3 bytes, but RGB 3x2 (stride 12) needs 21');
  });

  it('refuses to start without a location', async () => {
    await expect(new Harness(new PngSink('pngsink0')).start()).rejects.toThrow('pngsink0: no file to write: the "location" property is not set');
  });

  it('uses the same strides as the video layout', () => {
    for (const w of [1, 2, 3, 5, 641]) {
      const rgb = pngFrame(parseCaps(caps('RGB', w, 1)));
      const rgba = pngFrame(parseCaps(caps('RGBA', w, 1)));
      expect(typeof rgb !== 'string' && rgb.stride).toBe(videoPlaneStride(VideoFormat.RGB, w, 0));
      expect(typeof rgba !== 'string' && rgba.stride).toBe(videoPlaneStride(VideoFormat.RGBA, w, 0));
    }
  });

  it('reads unpadded rows in place', () => {
    const f = pngFrame(parseCaps(caps('RGBA', 2, 2)));
    if (typeof f === 'string') throw new Error(f);
    const data = new Uint8Array(16);
    expect(packedPixels(data, f).buffer).toBe(data.buffer);
  });

  it('runs through launch(): videotestsrc RGB 33x7, frame 1, the same pixels as the raw frame (and as ffmpeg decodes it)', async () => {
    const { launch } = await import('../../../src/index.js');
    const line = 'videotestsrc num-buffers=2 ! video/x-raw,format=RGB,width=33,height=7';
    await launch(`${line} ! multifilesink location=${join(dir, 'raw-%d.rgb')}`).run();
    const png = join(dir, 'launch.png');
    await launch(`${line} ! pngsink location=${png} frame=1`).run();
    const raw = await readFile(join(dir, 'raw-1.rgb'));
    const f = pngFrame(parseCaps(caps('RGB', 33, 7)));
    if (typeof f === 'string') throw new Error(f);
    const want = packedPixels(new Uint8Array(raw), f);
    const got = decode(await readFile(png));
    expect(got.channels).toBe(3);
    expect(globalThis.Buffer.compare(globalThis.Buffer.from(got.data as Uint8Array), globalThis.Buffer.from(want))).toBe(0);
    const ff = spawnSync('ffmpeg', ['-v', 'error', '-i', png, '-f', 'rawvideo', '-pix_fmt', 'rgb24', '-'], { encoding: 'buffer' });
    if (ff.status === 0) expect(globalThis.Buffer.compare(ff.stdout, globalThis.Buffer.from(want))).toBe(0);
  });
});
