import { describe, expect, it } from 'vitest';
import { Harness, launch, parseCaps, type Buffer } from '../../../src/index.js';
import { VideoTestSrc } from '../../../src/elements/video/videotestsrc.js';
import { collect, registry } from './helpers.js';

const PATTERNS = ['smpte', 'snow', 'black', 'white', 'red', 'green', 'blue', 'checkers-1', 'checkers-2', 'checkers-4', 'checkers-8', 'ball'];
const FORMATS = ['I420', 'NV12', 'RGBA', 'RGB'];

/** `count` frames of a videotestsrc in a harness with caps `caps`, WebAssembly or JS reference. */
async function frames(pattern: string, caps: string, count: number, kernels: boolean): Promise<Uint8Array[]> {
  const el = new VideoTestSrc('videotestsrc0');
  el.set('pattern', pattern);
  const h = new Harness(el, { kernels, arenaBytes: 16 * 1024 * 1024 });
  expect(h.arena!.kernelMemory === null).toBe(!kernels);
  el.setCaps(el.pad('src')!, parseCaps(caps));
  await h.start();
  const out: Uint8Array[] = [];
  for (let i = 0; i < count; i++) {
    const b = el.produce();
    if (typeof b === 'number' || b instanceof Promise) throw new Error(`produce gave ${String(b)}: ${h.errors().join('; ')}`);
    out.push(b.data.slice());
    b.release();
  }
  await h.stop();
  return out;
}

/** RGBA of pixel (x, y) in a packed RGBA frame `width` wide. */
function rgbaAt(frame: Uint8Array, width: number, x: number, y: number): number[] {
  const p = (y * width + x) * 4;
  return [...frame.subarray(p, p + 4)];
}

describe('videotestsrc', () => {
  it('fixates like GStreamer when downstream leaves everything open: I420 320x240 at 30/1, square pixels, progressive', async () => {
    const { frames: got, caps } = await collect('videotestsrc num-buffers=3 ! appsink name=out max-buffers=0');
    const c = caps.get('videotestsrc0:src')!;
    for (const field of ['format=(string)I420', 'width=(int)320', 'height=(int)240', 'framerate=(fraction)30/1', 'pixel-aspect-ratio=(fraction)1/1', 'interlace-mode=(string)progressive']) {
      expect(c).toContain(field);
    }
    // I420 320x240: 76800 of Y, 2 x 19200 of chroma. pts = n / 30 s rounded down, duration the difference, offset n.
    expect(got.map((f) => [f.bytes.length, f.pts, f.duration, f.offset])).toEqual([
      [115200, 0, 33_333_333, 0], [115200, 33_333_333, 33_333_333, 1], [115200, 66_666_666, 33_333_334, 2]]);
  });

  it('takes width, height, format and framerate from downstream, and timestamp-offset', async () => {
    const { frames: got, caps } = await collect('videotestsrc num-buffers=2 timestamp-offset=1000 ! video/x-raw,format=RGB,width=10,height=6,framerate=25/1 ! appsink name=out max-buffers=0');
    expect(caps.get('videotestsrc0:src')).toMatch(/format=\(string\)RGB, width=\(int\)10, height=\(int\)6, framerate=\(fraction\)25\/1/);
    // RGB rows are padded to 4 bytes: 32 x 6.
    expect(got.map((f) => [f.bytes.length, f.pts, f.duration])).toEqual([[192, 1000, 40_000_000], [192, 40_001_000, 40_000_000]]);
  });

  it('a framerate of 0/1 gives one still frame with no duration, then EOS', async () => {
    const { frames: got } = await collect('videotestsrc pattern=red ! video/x-raw,width=4,height=4,framerate=0/1 ! appsink name=out max-buffers=0');
    expect(got.map((f) => [f.pts, f.duration])).toEqual([[0, -1]]);
  });

  it('black I420: Y 16, U and V 128, every byte', async () => {
    const [f] = await frames('black', 'video/x-raw,format=I420,width=8,height=4,framerate=30/1', 1, true);
    expect([...f!]).toEqual([...new Array(32).fill(16), ...new Array(16).fill(128)]);
    const [rgba] = await frames('black', 'video/x-raw,format=RGBA,width=2,height=2,framerate=30/1', 1, true);
    expect([...rgba!]).toEqual([0, 0, 0, 255, 0, 0, 0, 255, 0, 0, 0, 255, 0, 0, 0, 255]);
  });

  it('smpte: the seven bars across the top, in RGBA and in BT.601 and BT.709 luma', async () => {
    const [rgba] = await frames('smpte', 'video/x-raw,format=RGBA,width=320,height=240,framerate=30/1', 1, true);
    const bars = [[255, 255, 255], [255, 255, 0], [0, 255, 255], [0, 255, 0], [255, 0, 255], [255, 0, 0], [0, 0, 255]];
    for (let i = 0; i < 7; i++) {
      const x = Math.floor(((i + 0.5) * 320) / 7);
      expect(rgbaAt(rgba!, 320, x, 20), `bar ${i}`).toEqual([...bars[i]!, 255]);
    }
    const luma = async (caps: string, width: number): Promise<number[]> => {
      const [f] = await frames('smpte', caps, 1, true);
      return Array.from({ length: 7 }, (_, i) => f![width * 20 + Math.floor(((i + 0.5) * width) / 7)]!);
    };
    expect(await luma('video/x-raw,format=I420,width=320,height=240,framerate=30/1', 320)).toEqual([235, 210, 170, 145, 106, 81, 41]);
    expect(await luma('video/x-raw,format=I420,width=320,height=240,framerate=30/1,colorimetry=bt709', 320)).toEqual([235, 219, 188, 173, 78, 63, 32]);
    // Above 576 lines GStreamer's default matrix is BT.709.
    expect(await luma('video/x-raw,format=NV12,width=64,height=720,framerate=30/1', 64)).toEqual([235, 219, 188, 173, 78, 63, 32]);
  });

  it.each(PATTERNS)('pattern=%s: WebAssembly and the JS reference paint the same bytes, in every format, at an odd size', async (pattern) => {
    for (const format of FORMATS) {
      const caps = `video/x-raw,format=${format},width=13,height=7,framerate=30/1`;
      const wasm = await frames(pattern, caps, 3, true);
      const js = await frames(pattern, caps, 3, false);
      expect(js, `${pattern} ${format}`).toEqual(wasm);
      if (pattern === 'snow') expect(wasm[1]).not.toEqual(wasm[0]);
    }
  });

  it('ball moves and snow changes from frame to frame (they are painted every frame)', async () => {
    const ball = await frames('ball', 'video/x-raw,format=I420,width=64,height=48,framerate=30/1', 8, true);
    expect(ball[7]).not.toEqual(ball[0]);
    const snow = await frames('snow', 'video/x-raw,format=RGB,width=16,height=8,framerate=30/1', 2, true);
    expect(snow[1]).not.toEqual(snow[0]);
  });

  it('a static pattern is painted once and pushed again by reference: the same slot, no copy', async () => {
    const el = new VideoTestSrc('videotestsrc0');
    el.set('pattern', 'checkers-4');
    const h = new Harness(el, { arenaBytes: 16 * 1024 * 1024 });
    el.setCaps(el.pad('src')!, parseCaps('video/x-raw,format=RGBA,width=16,height=8,framerate=30/1'));
    await h.start();
    const first = el.produce() as Buffer;
    const [slot, pool, bytes] = [first.slot, first.pool, first.data.slice()];
    first.release();
    const second = el.produce() as Buffer;
    expect([second.slot, second.pool]).toEqual([slot, pool]);
    expect(second.data).toEqual(bytes);
    expect([second.pts, second.offset]).toEqual([33_333_333, 1]);
    // Still held downstream: the next frame needs another painted slot.
    const third = el.produce() as Buffer;
    expect(third.slot === slot && third.pool === pool).toBe(false);
    expect(third.data).toEqual(bytes);
    second.release();
    third.release();
    await h.stop();
  });

  it('a downstream writer copies the shared frame: later frames are still black, and the copy is counted', async () => {
    const { frames: got, copied, pipelineElements } = await collect('videotestsrc pattern=black num-buffers=4 ! video/x-raw,format=I420,width=8,height=4 ! scribble name=w ! appsink name=out max-buffers=0');
    const scribble = pipelineElements.find((e) => e.name === 'w') as unknown as { seen: Uint8Array[] };
    const black = [...new Array(32).fill(16), ...new Array(16).fill(128)];
    expect(scribble.seen.map((f) => [...f])).toEqual([black, black, black, black]);
    expect(got.every((f) => f.bytes.every((b) => b === 0xff))).toBe(true);
    expect(copied).toBe(4 * 48);
  });

  it('a pattern that changes while running is painted afresh', async () => {
    const el = new VideoTestSrc('videotestsrc0');
    el.set('pattern', 'red');
    const h = new Harness(el, { arenaBytes: 16 * 1024 * 1024 });
    el.setCaps(el.pad('src')!, parseCaps('video/x-raw,format=RGBA,width=2,height=1,framerate=30/1'));
    await h.start();
    const a = el.produce() as Buffer;
    expect([...a.data]).toEqual([255, 0, 0, 255, 255, 0, 0, 255]);
    a.release();
    el.set('pattern', 'blue');
    const b = el.produce() as Buffer;
    expect([...b.data]).toEqual([0, 0, 255, 255, 0, 0, 255, 255]);
    b.release();
    await h.stop();
  });

  it('is-live paces frames by the clock: 5 frames at 100/1 take about 50 ms', async () => {
    const started = performance.now();
    const { frames: got } = await collect('videotestsrc is-live=true num-buffers=5 ! video/x-raw,width=16,height=16,framerate=100/1 ! appsink name=out max-buffers=0');
    expect(got).toHaveLength(5);
    expect(performance.now() - started).toBeGreaterThanOrEqual(45);
  });

  it('1080p smoke: smpte and black I420 frames of the right size, no copy', async () => {
    const { frames: got, copied } = await collect('videotestsrc num-buffers=3 ! video/x-raw,format=I420,width=1920,height=1080 ! appsink name=out max-buffers=0');
    expect(got.map((f) => f.bytes.length)).toEqual([3110400, 3110400, 3110400]);
    expect(copied).toBe(0);
    const black = await collect('videotestsrc pattern=black num-buffers=3 ! video/x-raw,format=I420,width=1920,height=1080 ! appsink name=out max-buffers=0');
    expect(black.frames[2]!.bytes.subarray(0, 1920 * 1080).every((b) => b === 16)).toBe(true);
    expect(black.copied).toBe(0);
  });

  it('refuses an unknown pattern, naming the property and the choices', () => {
    expect(() => launch('videotestsrc pattern=zebra ! fakesink', { registry })).toThrow(/pattern.*smpte \(0\)/);
  });

  it('refuses a size out of range at negotiation', async () => {
    const p = launch('videotestsrc num-buffers=1 ! video/x-raw,width=20000 ! fakesink', { registry });
    await expect(p.run()).rejects.toThrow(/width/);
    await p.dispose();
  });

  it('refuses colorimetry the kernels do not have, naming the element', async () => {
    const p = launch('videotestsrc num-buffers=1 ! video/x-raw,format=I420,colorimetry=bt2020 ! fakesink', { registry });
    await expect(p.run()).rejects.toThrow(/videotestsrc0.*bt2020/);
    await p.dispose();
  });

  it('runs its documented launch line', async () => {
    const p = launch(VideoTestSrc.metadata.example, { registry });
    await expect(p.run()).resolves.toBeUndefined();
    await p.dispose();
  });

  // The queue puts the source side on a data thread (appsink keeps the rest on the loop).
  it('gives byte-identical output in async and hybrid scheduling', async () => {
    const desc = 'videotestsrc pattern=snow num-buffers=10 ! video/x-raw,format=NV12,width=64,height=48 ! queue ! appsink name=out max-buffers=0';
    const a = await collect(desc, { scheduling: 'async' });
    const h = await collect(desc, { scheduling: 'hybrid' });
    expect(h.frames).toEqual(a.frames);
    expect(h.copied).toBe(0);
  });
});
