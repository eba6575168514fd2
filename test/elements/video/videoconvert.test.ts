import { describe, expect, it } from 'vitest';
import { Buffer, FlowResult, copyStats, launch } from '../../../src/index.js';
import { VideoConvert } from '../../../src/elements/video/videoconvert.js';
import { videoFrameSize, videoFormatFromName } from '../../../src/elements/video/layout.js';
import { collect, harness, registry, seededBytes, through } from './helpers.js';

const FORMATS = ['I420', 'NV12', 'RGBA', 'RGB'];
const caps = (format: string, w: number, h: number, extra = ''): string => `video/x-raw,format=${format},width=${w},height=${h},framerate=30/1${extra}`;

/** Converts `bytes` from one format to another in a harness; WebAssembly or the JS reference. */
async function convert(from: string, to: string, w: number, h: number, bytes: Uint8Array, kernels = true, extra = ''): Promise<Uint8Array> {
  const h0 = await harness(new VideoConvert('videoconvert0'), caps(from, w, h, extra), caps(to, w, h, extra), kernels);
  const out = through(h0, bytes);
  await h0.stop();
  return out;
}

/** An RGBA frame whose 2x2 blocks each hold one colour, so 4:2:0 chroma loses nothing. */
function blockyRgba(w: number, h: number): Uint8Array {
  const colours = seededBytes(Math.ceil(w / 2) * Math.ceil(h / 2) * 3, 7);
  const out = new Uint8Array(w * h * 4);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const c = ((y >> 1) * Math.ceil(w / 2) + (x >> 1)) * 3;
      out.set([colours[c]!, colours[c + 1]!, colours[c + 2]!, 255], (y * w + x) * 4);
    }
  }
  return out;
}

describe('videoconvert', () => {
  it('keeps the output format downstream negotiated when the input size changes mid-stream', async () => {
    const el = new VideoConvert('videoconvert0');
    const h = await harness(el, 'video/x-raw,format=RGBA,width=4,height=4,framerate=30/1', 'video/x-raw,format=I420,width=4,height=4,framerate=30/1');
    expect(h.setCaps('video/x-raw,format=RGBA,width=8,height=8,framerate=30/1')).toBe(true);
    expect(String(el.pad('src')!.caps)).toMatch(/format=\(string\)I420, width=\(int\)8, height=\(int\)8/);
    expect(through(h, seededBytes(8 * 8 * 4))).toHaveLength(96);
    await h.stop();
  });

  it('every pair of formats: WebAssembly and the JS reference give the same bytes, at an odd size', async () => {
    for (const from of FORMATS) {
      const input = seededBytes(videoFrameSize(videoFormatFromName(from)!, 13, 7));
      for (const to of FORMATS) {
        if (to === from) continue;
        for (const extra of ['', ',colorimetry=bt709']) {
          const wasm = await convert(from, to, 13, 7, input, true, extra);
          const js = await convert(from, to, 13, 7, input, false, extra);
          expect(wasm.length, `${from} → ${to}`).toBe(videoFrameSize(videoFormatFromName(to)!, 13, 7));
          expect(js, `${from} → ${to}${extra}`).toEqual(wasm);
        }
      }
    }
  });

  it('RGBA → I420 → RGBA comes back within 2 per channel (BT.601 and BT.709), and through NV12 and RGB alike', async () => {
    const rgba = blockyRgba(16, 8);
    for (const extra of ['', ',colorimetry=bt709']) {
      for (const via of ['I420', 'NV12']) {
        const yuv = await convert('RGBA', via, 16, 8, rgba, true, extra);
        const back = await convert(via, 'RGBA', 16, 8, yuv, true, extra);
        const worst = Math.max(...back.map((v, i) => Math.abs(v - rgba[i]!)));
        expect(worst, `via ${via}${extra}`).toBeLessThanOrEqual(2);
      }
    }
    const rgb = await convert('RGBA', 'RGB', 16, 8, rgba);
    expect(await convert('RGB', 'RGBA', 16, 8, rgb)).toEqual(rgba);
  });

  it('white RGBA is Y 235, U and V 128 in I420 (limited range)', async () => {
    const i420 = await convert('RGBA', 'I420', 8, 2, new Uint8Array(64).fill(255));
    expect([...i420]).toEqual([...new Array(16).fill(235), ...new Array(8).fill(128)]);
  });

  it('passes buffers through untouched when both sides have the same format: same slot, no copy', async () => {
    const h = await harness(new VideoConvert('videoconvert0'), caps('NV12', 8, 4));
    expect(String(h.outputCaps)).toContain('format=(string)NV12');
    const before = copyStats().bytesCopied;
    const input = Buffer.allocate(h.allocator, 48);
    const [inSlot, inPool] = [input.slot, input.pool];
    expect(h.push(input)).toBe(FlowResult.OK);
    const out = h.pull()!;
    expect(out.slot).toBe(inSlot);
    expect(out.pool).toBe(inPool);
    expect(copyStats().bytesCopied - before).toBe(0);
    out.release();
    await h.stop();
  });

  it('negotiates: keeps the input format when downstream allows it, else converts; width, height and framerate pass through', async () => {
    const same = await collect('videotestsrc num-buffers=2 ! video/x-raw,format=RGB,width=8,height=4 ! videoconvert ! appsink name=out max-buffers=0');
    expect(same.caps.get('videoconvert0:src')).toBe(same.caps.get('videotestsrc0:src'));
    expect(same.copied).toBe(0);
    const other = await collect('videotestsrc num-buffers=2 ! video/x-raw,format=RGBA,width=8,height=4,framerate=15/1 ! videoconvert ! video/x-raw,format=NV12 ! appsink name=out max-buffers=0');
    expect(other.caps.get('videoconvert0:src')).toMatch(/format=\(string\)NV12, width=\(int\)8, height=\(int\)4, framerate=\(fraction\)15\/1/);
    expect(other.frames.map((f) => f.bytes.length)).toEqual([48, 48]);
    expect(other.copied).toBe(0);
    // Downstream that takes RGB or NV12: I420 in gives NV12, the first of its own family.
    const family = await collect('videotestsrc num-buffers=1 ! video/x-raw,format=I420,width=8,height=4 ! videoconvert ! video/x-raw,format={RGB,NV12} ! appsink name=out max-buffers=0');
    expect(family.caps.get('videoconvert0:src')).toContain('format=(string)NV12');
  });

  it('takes the matrix from the YUV side\'s colorimetry, else the default for the height', async () => {
    const white = new Uint8Array(4 * 4 * 4).fill(255);
    // Pure red: BT.601 Y 81, BT.709 Y 63.
    const red = new Uint8Array(16 * 4).map((_, i) => (i % 4 === 0 || i % 4 === 3 ? 255 : 0));
    expect((await convert('RGBA', 'I420', 4, 4, red, true, ',colorimetry=bt601'))[0]).toBe(81);
    expect((await convert('RGBA', 'I420', 4, 4, red, true, ',colorimetry=bt709'))[0]).toBe(63);
    expect((await convert('RGBA', 'I420', 4, 4, red, true, ',colorimetry=2:3:5:1'))[0]).toBe(63);
    expect((await convert('RGBA', 'I420', 4, 4, white))[0]).toBe(235);
    const big = await collect('videotestsrc pattern=red num-buffers=1 ! video/x-raw,format=RGBA,width=16,height=720 ! videoconvert ! video/x-raw,format=I420 ! appsink name=out max-buffers=0');
    expect(big.frames[0]!.bytes[0]).toBe(63);
  });

  it('1080p smoke: RGBA → I420 with no copy', async () => {
    const { frames, copied } = await collect('videotestsrc num-buffers=2 ! video/x-raw,format=RGBA,width=1920,height=1080 ! videoconvert ! video/x-raw,format=I420 ! appsink name=out max-buffers=0');
    expect(frames.map((f) => f.bytes.length)).toEqual([3110400, 3110400]);
    // SMPTE's first bar is white: Y 235 at the top left.
    expect(frames[0]!.bytes[0]).toBe(235);
    expect(copied).toBe(0);
  });

  it('refuses to scale, and a change of matrix between YUV formats, at negotiation', async () => {
    const scale = launch('videotestsrc num-buffers=1 ! video/x-raw,width=64,height=48 ! videoconvert ! video/x-raw,width=32 ! fakesink', { registry });
    await expect(scale.run()).rejects.toThrow(/width/);
    await scale.dispose();
    const matrix = launch('videotestsrc num-buffers=1 ! video/x-raw,format=I420,colorimetry=bt601 ! videoconvert ! video/x-raw,format=NV12,colorimetry=bt709 ! fakesink', { registry });
    await expect(matrix.run()).rejects.toThrow(/videoconvert0.*bt601 → bt709/);
    await matrix.dispose();
  });

  it('new input caps in-band: converts from the new format and keeps sending the negotiated output caps', async () => {
    const h = await harness(new VideoConvert('videoconvert0'), caps('RGBA', 8, 2), caps('I420', 8, 2));
    expect(through(h, new Uint8Array(64).fill(255))[0]).toBe(235);
    expect(h.setCaps(caps('RGB', 8, 2))).toBe(true);
    expect(String(h.outputCaps)).toContain('format=(string)I420');
    const out = through(h, new Uint8Array(48).fill(255));
    expect([...out]).toEqual([...new Array(16).fill(235), ...new Array(8).fill(128)]);
    await h.stop();
  });

  it('a buffer smaller than a frame is an element error, not a read past it', async () => {
    const h = await harness(new VideoConvert('videoconvert0'), caps('RGBA', 4, 4), caps('I420', 4, 4));
    expect(h.push(new Uint8Array(10))).toBe(FlowResult.ERROR);
    expect(h.errors()[0]).toMatch(/videoconvert0: a buffer of 10 bytes is smaller than one RGBA 4x4 frame \(64 bytes\)/);
    await h.stop();
  });

  it('runs its documented launch line', async () => {
    const p = launch(VideoConvert.metadata.example, { registry });
    await expect(p.run()).resolves.toBeUndefined();
    await p.dispose();
  });

  // Needs the video elements in src/registry/builtins.ts and built into dist/ (see videotestsrc.test.ts).
  it('gives byte-identical output in async and hybrid scheduling', async () => {
    const desc = 'videotestsrc num-buffers=5 ! video/x-raw,format=RGBA,width=64,height=48 ! videoconvert ! video/x-raw,format=I420 ! queue ! appsink name=out max-buffers=0';
    const a = await collect(desc, { scheduling: 'async' });
    const h = await collect(desc, { scheduling: 'hybrid' });
    expect(h.frames).toEqual(a.frames);
    expect(h.copied).toBe(0);
  });
});
