// Y42B, Y444 and GRAY8: their layout (GStreamer's video-info.c fill_planes), the videoflip kernel
// on them (WASM against its JS twin, and literal tables), Y42B refusing the turns, and the other
// video kernels and elements refusing the three formats cleanly.
import { beforeEach, describe, expect, it } from 'vitest';
import {
  VIDEO_FORMAT_NAMES, VideoFormat, videoFormatFromName, videoFrameSize, videoLayout, type VideoLayout,
} from '../../../src/elements/video/layout.js';
import * as ref from '../../../src/elements/video/reference/index.js';
import { VideoFlip } from '../../../src/elements/video/videoflip.js';
import { XorShift32 } from '../../../src/elements/testing/xorshift.js';
import { kernelTwins, type Area } from '../../support/kernel-twins.js';
import { harness, registry, through } from './helpers.js';
import { launch } from '../../../src/index.js';

const PRE = 0x5a;
const { sb, v, wasm, area, both, expectSame } = kernelTwins(ref as unknown as Record<string, unknown>, { pre: PRE });
const E = ref.VideoKernelError;
const F = ref.VideoFlipMethod;
const NEW = [VideoFormat.Y42B, VideoFormat.Y444, VideoFormat.GRAY8] as const;
const name = (f: number): string => VIDEO_FORMAT_NAMES[f]!;

let rng = new XorShift32(0x5eed);
beforeEach(() => {
  sb.reset();
  rng = new XorShift32(0x5eed);
});

function frame(format: number, width: number, height: number, random = false): Area {
  return area(videoFrameSize(format as VideoFormat, width, height), random ? (at) => {
    for (let i = 0; i < videoFrameSize(format as VideoFormat, width, height); i++) v.u8[at + i] = rng.next() & 0xff;
  } : undefined);
}

/** Every byte of the frame at `at` that is no pixel still holds PRE. */
function expectPaddingKept(label: string, at: number, layout: VideoLayout): void {
  layout.planes.forEach((p, i) => {
    const end = layout.planes[i + 1]?.offset ?? layout.size;
    for (let off = p.offset; off < end; off++) {
      const row = Math.floor((off - p.offset) / p.stride);
      const col = (off - p.offset) % p.stride;
      if (row < p.height && col < p.width * p.bytesPerSample) continue;
      if (v.u8[at + off] !== PRE) expect.fail(`${label}: plane ${i} padding byte at row ${row} column ${col} was written`);
    }
  });
}

describe('layout of Y42B, Y444 and GRAY8', () => {
  it('follows GStreamer video-info.c: Y42B RU4(w) and RU8(w)/2 x h; Y444 RU4(w) x h three times; GRAY8 RU4(w) x h', () => {
    const table: [VideoFormat, number, number, number[], number[], number][] = [
      [VideoFormat.Y42B, 1920, 1080, [0, 2073600, 3110400], [1920, 960, 960], 4147200],
      [VideoFormat.Y42B, 33, 17, [0, 612, 952], [36, 20, 20], 1292],
      [VideoFormat.Y42B, 3, 2, [0, 8, 16], [4, 4, 4], 24],
      [VideoFormat.Y444, 1920, 1080, [0, 2073600, 4147200], [1920, 1920, 1920], 6220800],
      [VideoFormat.Y444, 33, 17, [0, 612, 1224], [36, 36, 36], 1836],
      [VideoFormat.GRAY8, 33, 17, [0], [36], 612],
      [VideoFormat.GRAY8, 1, 1, [0], [4], 4],
    ];
    for (const [f, w, h, offsets, strides, size] of table) {
      const layout = videoLayout(f, w, h);
      expect(layout.planes.map((p) => p.offset), `${name(f)} ${w}x${h}`).toEqual(offsets);
      expect(layout.planes.map((p) => p.stride)).toEqual(strides);
      expect(layout.size).toBe(size);
      expect(wasm('video_frame_size')(f, w, h)).toBe(size);
      expect(ref.video_frame_size(f, w, h)).toBe(size);
      layout.planes.forEach((p, i) => {
        expect(wasm('video_plane_offset')(f, w, h, i)).toBe(p.offset);
        expect(wasm('video_plane_stride')(f, w, i)).toBe(p.stride);
        expect(ref.video_plane_offset(f, w, h, i)).toBe(p.offset);
        expect(ref.video_plane_stride(f, w, i)).toBe(p.stride);
      });
      expect(wasm('video_plane_offset')(f, w, h, layout.planes.length)).toBe(E.ARGUMENT);
    }
    expect(videoLayout(VideoFormat.Y42B, 33, 17).planes[1]).toMatchObject({ width: 17, height: 17, bytesPerSample: 1 });
    expect(videoLayout(VideoFormat.Y444, 33, 17).planes[2]).toMatchObject({ width: 33, height: 17, bytesPerSample: 1 });
    expect([4, 5, 6, 7, 11].map((f) => wasm('video_frame_size')(f, 8, 8))).toEqual([E.FORMAT, E.FORMAT, E.FORMAT, E.FORMAT, E.FORMAT]);
    expect(videoFormatFromName('Y42B')).toBe(8);
    expect(videoFormatFromName('toString')).toBeUndefined();
  });

  it('the other kernels refuse them with FORMAT, as their references do', () => {
    const a = area(4096);
    const b = area(4096);
    const st = area(64, (at) => v.u8.fill(0, at, at + 64));
    for (const f of NEW) {
      expect(both('videoconvert_copy', (s) => [a[s], b[s], 8, 8, f]), name(f)).toBe(E.FORMAT);
      expect(both('videoscale_scale', (s) => [a[s], b[s], 8, 8, 4, 4, f, 0])).toBe(E.FORMAT);
      expect(both('videotestsrc_fill', (s) => [st[s], a[s], 8, 8, f, 0, 0, 0, 0])).toBe(E.FORMAT);
    }
  });
});

describe('videoflip kernel on Y42B, Y444 and GRAY8', () => {
  const SIZES = [[1, 1], [2, 2], [7, 3], [13, 7], [33, 17], [40, 33], [3, 70]] as const;
  for (const [method, code] of Object.entries(F)) {
    it(`${method}: WASM = JS at odd sizes, padding kept (Y42B refuses a turn with MODE)`, () => {
      for (const f of NEW) {
        for (const [w, h] of SIZES) {
          const turns = ref.flipSwapsDimensions(code);
          const src = frame(f, w, h, true);
          const dst = frame(f, turns ? h : w, turns ? w : h);
          const label = `${method} ${name(f)} ${w}x${h}`;
          const expected = turns && f === VideoFormat.Y42B ? E.MODE : dst.bytes;
          expect(both('videoflip_flip', (s) => [src[s], dst[s], w, h, f, code]), label).toBe(expected);
          expectSame(label, dst, src);
          expectPaddingKept(label, dst.w, videoLayout(f, turns ? h : w, turns ? w : h));
        }
      }
    });
  }
});

describe('videoflip element on Y42B, Y444 and GRAY8', () => {
  // Y42B 3x2: Y rows [1 2 3] / [4 5 6]; U rows [11 12] / [13 14]; V rows [21 22] / [23 24].
  const y42b = [1, 2, 3, 0, 4, 5, 6, 0, 11, 12, 0, 0, 13, 14, 0, 0, 21, 22, 0, 0, 23, 24, 0, 0];
  it.each([
    ['Y42B', 3, 2, 'horizontal-flip', y42b, [3, 2, 1, 0, 6, 5, 4, 0, 12, 11, 0, 0, 14, 13, 0, 0, 22, 21, 0, 0, 24, 23, 0, 0]],
    ['Y42B', 3, 2, 'vertical-flip', y42b, [4, 5, 6, 0, 1, 2, 3, 0, 13, 14, 0, 0, 11, 12, 0, 0, 23, 24, 0, 0, 21, 22, 0, 0]],
    ['Y42B', 3, 2, 'rotate-180', y42b, [6, 5, 4, 0, 3, 2, 1, 0, 14, 13, 0, 0, 12, 11, 0, 0, 24, 23, 0, 0, 22, 21, 0, 0]],
    // GRAY8 3x2 → 2x3 (stride 4): rows [4 1] / [5 2] / [6 3].
    ['GRAY8', 3, 2, 'clockwise', [1, 2, 3, 0, 4, 5, 6, 0], [4, 1, 0, 0, 5, 2, 0, 0, 6, 3, 0, 0]],
    // Y444 2x1 → 1x2: each plane turns alike.
    ['Y444', 2, 1, 'counterclockwise', [1, 2, 0, 0, 11, 12, 0, 0, 21, 22, 0, 0], [2, 0, 0, 0, 1, 0, 0, 0, 12, 0, 0, 0, 11, 0, 0, 0, 22, 0, 0, 0, 21, 0, 0, 0]],
  ] as const)('%s %ix%i %s', async (format, w, h, method, input, output) => {
    for (const kernels of [true, false]) {
      const el = new VideoFlip('videoflip0');
      el.set('method', method);
      const hs = await harness(el, `video/x-raw,format=${format},width=${w},height=${h},framerate=30/1`, undefined, kernels);
      // The harness's fresh slots may hold old bytes in the padding: compare the pixels only.
      const out = through(hs, new Uint8Array(input));
      const turned = ref.flipSwapsDimensions(ref.VideoFlipMethod[method.toUpperCase().replace(/-/g, '_') as keyof typeof ref.VideoFlipMethod]);
      const layout = videoLayout(videoFormatFromName(format)!, turned ? h : w, turned ? w : h);
      expect(pixels(out, layout), `${kernels ? 'wasm' : 'js'}`).toEqual(pixels(new Uint8Array(output), layout));
      await hs.stop();
    }
  });

  it('refuses a turn of Y42B with NOT_NEGOTIATED at prepare, and when the method is set', async () => {
    const p = launch('datasrc ! rawvideoparse format=Y42B width=4 height=2 ! videoflip method=clockwise ! fakesink', { registry });
    await expect(p.prepare()).rejects.toThrow(/videoflip0: method clockwise cannot turn Y42B 4x2: its 4:2:2 chroma would become 4:4:0/);
    await p.dispose();
    const el = new VideoFlip('videoflip0');
    el.set('method', 'vertical-flip');
    const hs = await harness(el, 'video/x-raw,format=Y42B,width=4,height=4,framerate=30/1');
    expect(() => el.set('method', 'clockwise')).toThrow(/cannot turn Y42B 4x4/);
    expect(el.get('method')).toBe('vertical-flip');
    el.set('method', 'rotate-180');
    await hs.stop();
  });

  it('videoconvert and videoscale refuse the three formats at negotiation, and in-band', async () => {
    for (const format of ['Y42B', 'Y444', 'GRAY8']) {
      for (const el of ['videoconvert', 'videoscale']) {
        const p = launch(`datasrc ! rawvideoparse format=${format} width=4 height=2 ! ${el} ! fakesink`, { registry });
        await expect(p.prepare(), `${el} ${format}`).rejects.toThrow(/cannot link|NOT_NEGOTIATED|not-negotiated/i);
        await p.dispose();
      }
    }
    const { VideoConvert } = await import('../../../src/elements/video/videoconvert.js');
    const hs = await harness(new VideoConvert('videoconvert0'), 'video/x-raw,format=I420,width=4,height=2,framerate=30/1');
    expect(hs.setCaps('video/x-raw,format=Y444,width=4,height=2,framerate=30/1')).toBe(false);
    expect(hs.errors().join('\n')).toMatch(/videoconvert0: format Y444 is not one of I420, NV12, RGBA, RGB/);
    await hs.stop();
  });
});

/** The visible bytes of each plane, row by row. */
function pixels(bytes: Uint8Array, layout: VideoLayout): number[][] {
  const rows: number[][] = [];
  for (const p of layout.planes) {
    for (let y = 0; y < p.height; y++) rows.push([...bytes.subarray(p.offset + y * p.stride, p.offset + y * p.stride + p.width * p.bytesPerSample)]);
  }
  return rows;
}
