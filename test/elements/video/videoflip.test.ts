import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Buffer, FlowResult, copyStats, launch } from '../../../src/index.js';
import { VideoFlip } from '../../../src/elements/video/videoflip.js';
import { videoFrameSize, videoFormatFromName } from '../../../src/elements/video/layout.js';
import { collect, harness, registry, seededBytes, through } from './helpers.js';
import { y4m } from '../formats/y4m-helpers.js';

const FORMATS = ['I420', 'NV12', 'RGBA', 'RGB'];
const METHODS = ['none', 'clockwise', 'rotate-180', 'counterclockwise', 'horizontal-flip', 'vertical-flip', 'upper-left-diagonal', 'upper-right-diagonal'];
const TURNS = new Set(['clockwise', 'counterclockwise', 'upper-left-diagonal', 'upper-right-diagonal']);
const caps = (format: string, w: number, h: number): string => `video/x-raw,format=${format},width=${w},height=${h},framerate=30/1`;

async function flip(method: string, format: string, w: number, h: number, bytes: Uint8Array, kernels = true): Promise<{ out: Uint8Array; outCaps: string }> {
  const el = new VideoFlip('videoflip0');
  el.set('method', method);
  const hs = await harness(el, caps(format, w, h), undefined, kernels);
  const outCaps = String(hs.outputCaps);
  const out = through(hs, bytes);
  await hs.stop();
  return { out, outCaps };
}

describe('videoflip', () => {
  // A 3x2 RGBA frame whose pixels hold 0..5 in R:  0 1 2 / 3 4 5.
  const small = new Uint8Array(24).map((_, i) => (i % 4 === 0 ? i / 4 : i % 4 === 3 ? 255 : 0));
  it.each([
    ['none', 3, 2, [0, 1, 2, 3, 4, 5]],
    ['clockwise', 2, 3, [3, 0, 4, 1, 5, 2]],
    ['rotate-180', 3, 2, [5, 4, 3, 2, 1, 0]],
    ['counterclockwise', 2, 3, [2, 5, 1, 4, 0, 3]],
    ['horizontal-flip', 3, 2, [2, 1, 0, 5, 4, 3]],
    ['vertical-flip', 3, 2, [3, 4, 5, 0, 1, 2]],
    ['upper-left-diagonal', 2, 3, [0, 3, 1, 4, 2, 5]],
    ['upper-right-diagonal', 2, 3, [5, 2, 4, 1, 3, 0]],
  ] as const)('%s turns a 3x2 frame into %ix%i with the pixels in place', async (method, w, h, pixels) => {
    const { out, outCaps } = await flip(method, 'RGBA', 3, 2, small);
    expect(outCaps).toContain(`width=(int)${w}, height=(int)${h}`);
    expect(Array.from({ length: 6 }, (_, i) => out[i * 4])).toEqual(pixels);
  });

  it('video-direction is the same setting by GStreamer\'s orientation nicks; setting either sets both', async () => {
    const el = new VideoFlip('videoflip0');
    el.set('video-direction', '90l');
    expect(el.get('method')).toBe('counterclockwise');
    el.set('method', 'vertical-flip');
    expect(el.get('video-direction')).toBe('vert');
    const { frames: got, caps: c } = await collect('videotestsrc num-buffers=1 ! video/x-raw,format=RGBA,width=3,height=2 ! videoflip video-direction=ur-ll ! appsink name=out max-buffers=0');
    const ref = await collect('videotestsrc num-buffers=1 ! video/x-raw,format=RGBA,width=3,height=2 ! videoflip method=upper-right-diagonal ! appsink name=out max-buffers=0');
    expect(c.get('videoflip0:src')).toMatch(/width=\(int\)2, height=\(int\)3/);
    expect(got[0]!.bytes).toEqual(ref.frames[0]!.bytes);
  });

  it('every method and format: WebAssembly and the JS reference give the same bytes, at an odd size', async () => {
    for (const format of FORMATS) {
      const input = seededBytes(videoFrameSize(videoFormatFromName(format)!, 13, 7));
      for (const method of METHODS) {
        const wasm = await flip(method, format, 13, 7, input);
        const js = await flip(method, format, 13, 7, input, false);
        const [w, h] = TURNS.has(method) ? [7, 13] : [13, 7];
        expect(wasm.out.length).toBe(videoFrameSize(videoFormatFromName(format)!, w, h));
        expect(js.out, `${format} ${method}`).toEqual(wasm.out);
      }
    }
  });

  it('swaps width and height in both directions of negotiation', async () => {
    // Downstream asks for portrait: the source is asked for landscape.
    const up = await collect('videotestsrc num-buffers=1 ! videoflip method=clockwise ! video/x-raw,width=48,height=64 ! appsink name=out max-buffers=0');
    expect(up.caps.get('videotestsrc0:src')).toMatch(/width=\(int\)64, height=\(int\)48/);
    expect(up.caps.get('videoflip0:src')).toMatch(/width=\(int\)48, height=\(int\)64/);
    const down = await collect('videotestsrc num-buffers=1 ! video/x-raw,format=NV12,width=64,height=48 ! videoflip method=upper-right-diagonal ! appsink name=out max-buffers=0');
    expect(down.caps.get('videoflip0:src')).toMatch(/format=\(string\)NV12, width=\(int\)48, height=\(int\)64/);
    expect(down.frames[0]!.bytes.length).toBe(videoFrameSize(3, 48, 64));
  });

  it('new input caps in-band: sends the turned caps downstream, pixel-aspect-ratio inverted', async () => {
    const el = new VideoFlip('videoflip0');
    el.set('method', 'counterclockwise');
    const h = await harness(el, caps('RGBA', 3, 2));
    expect(h.setCaps('video/x-raw,format=RGBA,width=5,height=4,framerate=30/1,pixel-aspect-ratio=4/3')).toBe(true);
    expect(String(h.outputCaps)).toMatch(/width=\(int\)4, height=\(int\)5, framerate=\(fraction\)30\/1, pixel-aspect-ratio=\(fraction\)3\/4/);
    expect(through(h, new Uint8Array(80)).length).toBe(80);
    await h.stop();
  });

  it('method none passes buffers through untouched: same slot, no copy', async () => {
    const h = await harness(new VideoFlip('videoflip0'), caps('RGB', 4, 4));
    const before = copyStats().bytesCopied;
    const input = Buffer.allocate(h.allocator, 48);
    const [slot, pool] = [input.slot, input.pool];
    expect(h.push(input)).toBe(FlowResult.OK);
    const out = h.pull()!;
    expect(out.slot).toBe(slot);
    expect(out.pool).toBe(pool);
    expect(copyStats().bytesCopied - before).toBe(0);
    out.release();
    await h.stop();
    const { copied } = await collect('videotestsrc num-buffers=2 ! video/x-raw,width=16,height=8 ! videoflip ! appsink name=out max-buffers=0');
    expect(copied).toBe(0);
  });

  it('changes method while running between methods that keep the size, and refuses one that would turn it', async () => {
    const el = new VideoFlip('videoflip0');
    const h = await harness(el, caps('RGBA', 3, 2));
    el.state = 'running';
    expect(through(h, small)).toEqual(small);
    el.set('method', 'horizontal-flip');
    expect(Array.from({ length: 6 }, (_, i) => through(h, small)[i * 4])).toEqual([2, 1, 0, 5, 4, 3]);
    expect(() => el.set('method', 'clockwise')).toThrow(/cannot change from horizontal-flip to clockwise.*3x2 to 2x3/);
    expect(el.get('method')).toBe('horizontal-flip');
    el.set('method', 'none');
    expect(through(h, small)).toEqual(small);
    await h.stop();
  });

  it('in a running pipeline, setProperty switches to a method of the same size and refuses one that turns it', async () => {
    const p = launch('videotestsrc pattern=checkers-1 is-live=true num-buffers=20 ! video/x-raw,format=RGBA,width=4,height=2,framerate=100/1 ! videoflip name=f ! appsink name=out max-buffers=0', { registry });
    const sink = p.get('out') as unknown as AsyncIterable<{ data: Uint8Array; release(): void }>;
    const got: Uint8Array[] = [];
    const reading = (async () => {
      for await (const b of sink) {
        got.push(b.data.slice());
        b.release();
      }
    })();
    const running = p.run();
    await new Promise((r) => setTimeout(r, 60));
    await p.setProperty('f', 'method', 'horizontal-flip');
    await expect(p.setProperty('f', 'method', 'clockwise')).rejects.toThrow(/cannot change from horizontal-flip to clockwise/);
    await running;
    await reading;
    await p.dispose();
    expect(got).toHaveLength(20);
    // 1-pixel checkers: the last frames are the first one mirrored.
    const mirrored = (f: Uint8Array): number[] => [0, 1, 2, 3].flatMap((x) => [0, 1].map((y) => f[(y * 4 + 3 - x) * 4]!));
    const plain = (f: Uint8Array): number[] => [0, 1, 2, 3].flatMap((x) => [0, 1].map((y) => f[(y * 4 + x) * 4]!));
    expect(plain(got[19]!)).toEqual(mirrored(got[0]!));
    expect(plain(got[19]!)).not.toEqual(plain(got[0]!));
  });

  // Needs dist/ built, as the data threads load the elements from there (see below).
  it.each([
    ['async scheduling', { scheduling: 'async' }],
    ['realtime scheduling', { scheduling: 'realtime' }],
    ['videoflip in a host process', { isolation: { mode: 'grouped', isolate: ['f'] } }],
  ] as const)('with %s, judges a change of method by the stream\'s caps, not the placeholder negotiated before y4mparse read its header', async (_, options) => {
    const dir = await mkdtemp(join(tmpdir(), 'parallax-videoflip-'));
    try {
      // y4mparse negotiates a 320x240 placeholder; the streams are 8x8 (a turn keeps the size) and 8x4,
      // 4 s long at 100 fps played in time, so that they still run when the method is set.
      const results: string[] = [];
      const refusals: string[] = [];
      for (const [w, h] of [[8, 8], [8, 4]] as const) {
        const path = join(dir, `${w}x${h}.y4m`);
        await writeFile(path, y4m(`YUV4MPEG2 W${w} H${h} F100:1 Ip A1:1 Cmono`, Array.from({ length: 400 }, () => new Uint8Array(w * h))));
        const p = launch(`filesrc location=${path} ! y4mparse ! videoflip name=f ! fakesink sync=true`, { registry, ...options });
        const running = p.run().catch((e: unknown) => e);
        // The element that runs has the stream's caps once a frame went through it.
        for (let t = 0; t < 300 && (p.stats().pads['f:src']?.buffers ?? 0) === 0; t++) await new Promise((r) => setTimeout(r, 10));
        try {
          await p.setProperty('f', 'method', 'clockwise');
          results.push(`${w}x${h}: ${String(await p.getProperty('f', 'method'))}`);
        } catch (e) {
          results.push(`${w}x${h}: ${e instanceof Error ? e.message : String(e)}`);
          // The refusal keeps its code across the thread, and no copy keeps the refused value.
          refusals.push(`${(e as { code?: string }).code} ${String(p.get('f')!.get('method'))} ${String(await p.getProperty('f', 'method'))}`);
        }
        await p.suspend();
        await running;
        await p.dispose();
      }
      expect(results).toEqual([
        '8x8: clockwise',
        '8x4: property method of f cannot change from none to clockwise while the pipeline is prepared: the output would turn from 8x4 to 4x8, ' +
          'and videoflip does not renegotiate; set it while the pipeline is stopped',
      ]);
      expect(refusals).toEqual(['PROPERTY_NOT_MUTABLE none none']);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('1080p smoke: I420 rotated clockwise is 1080x1920', async () => {
    const { frames, caps: c, copied } = await collect('videotestsrc num-buffers=1 ! video/x-raw,format=I420,width=1920,height=1080 ! videoflip method=clockwise ! appsink name=out max-buffers=0');
    expect(c.get('videoflip0:src')).toMatch(/width=\(int\)1080, height=\(int\)1920/);
    expect(frames[0]!.bytes.length).toBe(videoFrameSize(2, 1080, 1920));
    expect(copied).toBe(0);
  });

  it('a kernel error becomes an element error naming the element, the kernel and what the code means', async () => {
    const el = new VideoFlip('videoflip0');
    el.set('method', 'clockwise');
    const h = await harness(el, caps('RGBA', 3, 2));
    // Stand in for a kernel that finds its destination past the end of memory.
    (el as unknown as { process: () => number }).process = () => -7;
    expect(h.push(small)).toBe(FlowResult.ERROR);
    expect(h.errors()).toEqual(['videoflip0: kernel videoflip_flip (RGBA 3x2 → RGBA 2x3) failed with -7: BOUNDS (a frame or state region past the end of memory)']);
    await h.stop();
  });

  it('refuses an unknown method, naming the choices', () => {
    expect(() => launch('videotestsrc ! videoflip method=automatic ! fakesink', { registry })).toThrow(/method.*upper-right-diagonal \(7\)/);
  });

  it('runs its documented launch line', async () => {
    const p = launch(VideoFlip.metadata.example, { registry });
    await expect(p.run()).resolves.toBeUndefined();
    await p.dispose();
  });

  // Needs the video elements in src/registry/builtins.ts and built into dist/ (see videotestsrc.test.ts).
  it('gives byte-identical output in async and hybrid scheduling', async () => {
    const desc = 'videotestsrc num-buffers=5 ! video/x-raw,format=I420,width=64,height=48 ! videoflip method=counterclockwise ! queue ! appsink name=out max-buffers=0';
    const a = await collect(desc, { scheduling: 'async' });
    const h = await collect(desc, { scheduling: 'hybrid' });
    expect(h.frames).toEqual(a.frames);
    expect(h.copied).toBe(0);
  });
});
