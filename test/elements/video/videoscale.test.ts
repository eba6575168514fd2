import { describe, expect, it } from 'vitest';
import { Buffer, FlowResult, copyStats, launch } from '../../../src/index.js';
import { VideoScale } from '../../../src/elements/video/videoscale.js';
import { videoFrameSize, videoFormatFromName } from '../../../src/elements/video/layout.js';
import { collect, harness, registry, seededBytes, through } from './helpers.js';

const FORMATS = ['I420', 'NV12', 'RGBA', 'RGB'];
const caps = (format: string, w: number, h: number): string => `video/x-raw,format=${format},width=${w},height=${h},framerate=30/1`;

async function scale(format: string, from: [number, number], to: [number, number], bytes: Uint8Array, method: string, kernels = true): Promise<Uint8Array> {
  const el = new VideoScale('videoscale0');
  el.set('method', method);
  const h = await harness(el, caps(format, ...from), caps(format, ...to), kernels);
  const out = through(h, bytes);
  await h.stop();
  return out;
}

describe('videoscale', () => {
  it('every format, both methods, up and down: WebAssembly and the JS reference give the same bytes', async () => {
    for (const format of FORMATS) {
      const input = seededBytes(videoFrameSize(videoFormatFromName(format)!, 13, 7));
      for (const method of ['nearest-neighbour', 'bilinear']) {
        for (const to of [[5, 3], [27, 16], [13, 9]] as [number, number][]) {
          const wasm = await scale(format, [13, 7], to, input, method);
          const js = await scale(format, [13, 7], to, input, method, false);
          expect(wasm.length).toBe(videoFrameSize(videoFormatFromName(format)!, ...to));
          expect(js, `${format} ${method} → ${to.join('x')}`).toEqual(wasm);
        }
      }
    }
  });

  it('nearest-neighbour doubles each pixel into a 2x2 block; bilinear keeps a flat colour flat', async () => {
    // A 2x2 RGBA frame: pixels 1, 2 / 3, 4 (in R).
    const input = new Uint8Array([1, 0, 0, 255, 2, 0, 0, 255, 3, 0, 0, 255, 4, 0, 0, 255]);
    const out = await scale('RGBA', [2, 2], [4, 4], input, 'nearest-neighbour');
    expect(Array.from({ length: 16 }, (_, i) => out[i * 4])).toEqual([1, 1, 2, 2, 1, 1, 2, 2, 3, 3, 4, 4, 3, 3, 4, 4]);
    const flat = await scale('RGB', [6, 4], [17, 9], new Uint8Array(videoFrameSize(1, 6, 4)).fill(77), 'bilinear');
    // RGB rows of 17 pixels are 51 bytes, padded to 52: the padding keeps what the slot held.
    for (let y = 0; y < 9; y++) expect(flat.subarray(y * 52, y * 52 + 51).every((b) => b === 77)).toBe(true);
  });

  it('takes downstream\'s size; a width alone keeps the aspect ratio; nothing asked keeps the input size and passes through', async () => {
    const both = await collect('videotestsrc num-buffers=2 ! video/x-raw,format=I420,width=64,height=48 ! videoscale ! video/x-raw,width=30,height=10 ! appsink name=out max-buffers=0');
    expect(both.caps.get('videoscale0:src')).toMatch(/format=\(string\)I420, width=\(int\)30, height=\(int\)10, framerate=\(fraction\)30\/1/);
    expect(both.frames.map((f) => f.bytes.length)).toEqual([videoFrameSize(2, 30, 10), videoFrameSize(2, 30, 10)]);
    const width = await collect('videotestsrc num-buffers=1 ! video/x-raw,width=64,height=48 ! videoscale ! video/x-raw,width=32 ! appsink name=out max-buffers=0');
    expect(width.caps.get('videoscale0:src')).toMatch(/width=\(int\)32, height=\(int\)24/);
    const open = await collect('videotestsrc num-buffers=2 ! video/x-raw,width=64,height=48 ! videoscale ! appsink name=out max-buffers=0');
    expect(open.caps.get('videoscale0:src')).toBe(open.caps.get('videotestsrc0:src'));
    expect(open.copied).toBe(0);
    // Upstream follows what downstream of the scaler asks for when the source is free to choose.
    const free = await collect('videotestsrc num-buffers=1 ! videoscale ! video/x-raw,width=100,height=50 ! appsink name=out max-buffers=0');
    expect(free.caps.get('videotestsrc0:src')).toMatch(/width=\(int\)320, height=\(int\)240/);
    expect(free.caps.get('videoscale0:src')).toMatch(/width=\(int\)100, height=\(int\)50/);
  });

  it('passes a frame of the same size through untouched: same slot, no copy', async () => {
    const h = await harness(new VideoScale('videoscale0'), caps('RGBA', 8, 4));
    const before = copyStats().bytesCopied;
    const input = Buffer.allocate(h.allocator, 128);
    const [slot, pool] = [input.slot, input.pool];
    expect(h.push(input)).toBe(FlowResult.OK);
    const out = h.pull()!;
    expect(out.slot).toBe(slot);
    expect(out.pool).toBe(pool);
    expect(copyStats().bytesCopied - before).toBe(0);
    out.release();
    await h.stop();
  });

  it('1080p smoke: I420 1920x1080 → 1280x720 bilinear', async () => {
    const { frames, copied } = await collect('videotestsrc num-buffers=2 ! video/x-raw,format=I420,width=1920,height=1080 ! videoscale ! video/x-raw,width=1280,height=720 ! appsink name=out max-buffers=0');
    expect(frames.map((f) => f.bytes.length)).toEqual([1382400, 1382400]);
    expect(frames[0]!.bytes[0]).toBe(235);
    expect(copied).toBe(0);
  });

  it('changes method while running', async () => {
    const el = new VideoScale('videoscale0');
    const h = await harness(el, caps('RGBA', 2, 1), caps('RGBA', 4, 1));
    el.state = 'running';
    const input = new Uint8Array([0, 0, 0, 255, 200, 0, 0, 255]);
    const bilinear = through(h, input);
    el.set('method', 'nearest-neighbour');
    const nearest = through(h, input);
    expect([0, 1, 2, 3].map((i) => nearest[i * 4])).toEqual([0, 0, 200, 200]);
    expect([0, 1, 2, 3].map((i) => bilinear[i * 4])).not.toEqual([0, 0, 200, 200]);
    await h.stop();
  });

  it('refuses an unknown method naming the choices, and a size out of range', async () => {
    expect(() => launch('videotestsrc ! videoscale method=lanczos ! fakesink', { registry })).toThrow(/method.*nearest-neighbour \(0\), bilinear \(1\)/);
    const p = launch('videotestsrc num-buffers=1 ! videoscale ! video/x-raw,width=16385 ! fakesink', { registry });
    await expect(p.run()).rejects.toThrow(/width/);
    await p.dispose();
  });

  it('runs its documented launch line', async () => {
    const p = launch(VideoScale.metadata.example, { registry });
    await expect(p.run()).resolves.toBeUndefined();
    await p.dispose();
  });

  // Needs the video elements in src/registry/builtins.ts and built into dist/ (see videotestsrc.test.ts).
  it('gives byte-identical output in async and hybrid scheduling', async () => {
    const desc = 'videotestsrc num-buffers=5 ! video/x-raw,format=NV12,width=64,height=48 ! videoscale ! video/x-raw,width=40,height=30 ! queue ! appsink name=out max-buffers=0';
    const a = await collect(desc, { scheduling: 'async' });
    const h = await collect(desc, { scheduling: 'hybrid' });
    expect(h.frames).toEqual(a.frames);
    expect(h.copied).toBe(0);
  });
});
