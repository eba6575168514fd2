// The video kernels (assembly/video/) against their JS references (src/elements/video/reference/):
// every call runs on two copies of the same bytes, the WASM kernel on one and the reference on the
// other, and the results, the output bytes (row padding included), the state bytes and a canary
// after each area must be identical. Value checks then read the WASM side. Inputs come from a
// seeded PRNG; sizes are mostly small and odd, so every SIMD loop also runs its scalar tail.
import { createHash } from 'node:crypto';
import { beforeEach, describe, expect, it } from 'vitest';
import {
  VIDEO_FORMAT_NAMES, VideoChromaSite, VideoFormat, VideoMatrix, defaultVideoChromaSite, defaultVideoMatrix, videoFrameSize, videoLayout,
  videoPlaneOffset, videoPlaneStride, type VideoLayout,
} from '../../src/elements/video/layout.js';
import * as ref from '../../src/elements/video/reference/index.js';
import { XorShift32 } from '../../src/elements/testing/xorshift.js';
import { kernelTwins, type Area, type Side } from '../support/kernel-twins.js';

/** What a destination holds before a kernel runs: padding must still hold it afterwards. */
const PRE = 0x5a;
const refs = ref as unknown as Record<string, unknown>;
const { sb, mem, v, wasm, area, both, expectSame } = kernelTwins(refs, { pre: PRE });
const FAMILIES = ['videotestsrc_', 'videoconvert_', 'videoscale_', 'videoflip_', 'video_'];
const E = ref.VideoKernelError;

const FORMATS = [VideoFormat.RGBA, VideoFormat.RGB, VideoFormat.I420, VideoFormat.NV12] as const;
const MATRICES = [VideoMatrix.BT601, VideoMatrix.BT709] as const;
const PATTERNS = Object.entries(ref.VideoTestPattern);
const P = ref.VideoTestPattern;
const FLIPS = Object.entries(ref.VideoFlipMethod);
const F = ref.VideoFlipMethod;
const name = (format: number): string => VIDEO_FORMAT_NAMES[format]!;

let rng = new XorShift32(0x5eed);
beforeEach(() => {
  sb.reset();
  rng = new XorShift32(0x5eed);
});

function frame(format: number, width: number, height: number, init?: (at: number) => void): Area {
  return area(videoFrameSize(format as VideoFormat, width, height), init);
}

const random = (at: number, n: number): void => {
  for (let i = 0; i < n; i++) v.u8[at + i] = rng.next() & 0xff;
};

/** Every byte of the frame at `at` that is no pixel (row padding, spare rows) still holds PRE. */
function expectPaddingKept(label: string, at: number, layout: VideoLayout): void {
  layout.planes.forEach((p, i) => {
    const end = layout.planes[i + 1]?.offset ?? layout.size;
    const rowBytes = p.width * p.bytesPerSample;
    for (let off = p.offset; off < end; off++) {
      const row = Math.floor((off - p.offset) / p.stride);
      const col = (off - p.offset) % p.stride;
      if (row < p.height && col < rowBytes) continue;
      if (v.u8[at + off] !== PRE) expect.fail(`${label}: plane ${i} padding byte at row ${row} column ${col} was written`);
    }
  });
}

/** Sample (x, y) of plane `plane`, channel `c`, on the WASM side. */
function sample(a: Area, layout: VideoLayout, plane: number, x: number, y: number, c = 0): number {
  const p = layout.planes[plane]!;
  return v.u8[a.w + p.offset + y * p.stride + x * p.bytesPerSample + c]!;
}

/** [R, G, B, A] of an RGBA frame or [Y, U, V] of an I420/NV12 frame at pixel (x, y). */
function pixel(a: Area, layout: VideoLayout, x: number, y: number): number[] {
  switch (layout.format) {
    case VideoFormat.RGBA:
      return [0, 1, 2, 3].map((c) => sample(a, layout, 0, x, y, c));
    case VideoFormat.RGB:
      return [0, 1, 2].map((c) => sample(a, layout, 0, x, y, c));
    case VideoFormat.I420:
      return [sample(a, layout, 0, x, y), sample(a, layout, 1, x >> 1, y >> 1), sample(a, layout, 2, x >> 1, y >> 1)];
    default:
      return [sample(a, layout, 0, x, y), sample(a, layout, 1, x >> 1, y >> 1, 0), sample(a, layout, 1, x >> 1, y >> 1, 1)];
  }
}

/** The visible bytes of every plane, WASM side, as one array (for comparisons across formats). */
function visible(a: Area, layout: VideoLayout, side: Side = 'w'): number[] {
  const out: number[] = [];
  const base = side === 'w' ? a.w : a.j;
  for (const p of layout.planes) {
    for (let y = 0; y < p.height; y++) {
      const row = base + p.offset + y * p.stride;
      for (let i = 0; i < p.width * p.bytesPerSample; i++) out.push(v.u8[row + i]!);
    }
  }
  return out;
}

const SIZES: readonly (readonly [number, number])[] = [[33, 17], [1, 1], [2, 2], [7, 3], [64, 48], [17, 30]];

describe('video kernel ABI', () => {
  it('every video export has a reference of the same name, and every reference a WASM export', () => {
    const isVideo = (n: string) => FAMILIES.some((p) => n.startsWith(p));
    const exported = Object.keys(sb.exports).filter(isVideo).sort();
    const referenced = Object.keys(refs).filter((n) => isVideo(n) && typeof refs[n] === 'function').sort();
    expect(exported).toHaveLength(20);
    expect(referenced).toEqual(exported);
  });

  it('videotestsrc keeps 64 bytes of state, a multiple of 64', () => {
    expect(wasm('videotestsrc_state_size')()).toBe(64);
    expect(ref.videotestsrc_state_size()).toBe(64);
  });

  it('layout.ts, the reference and the kernels agree on every plane of every format, odd sizes included', () => {
    for (const f of FORMATS) {
      for (const [w, h] of [...SIZES, [1920, 1080], [16384, 16384], [1, 16384], [35, 1]] as const) {
        const layout = videoLayout(f, w, h);
        expect(wasm('video_frame_size')(f, w, h), `${name(f)} ${w}x${h}`).toBe(layout.size);
        expect(ref.video_frame_size(f, w, h)).toBe(layout.size);
        layout.planes.forEach((p, i) => {
          expect(wasm('video_plane_offset')(f, w, h, i)).toBe(p.offset);
          expect(wasm('video_plane_stride')(f, w, i)).toBe(p.stride);
          expect(ref.video_plane_offset(f, w, h, i)).toBe(p.offset);
          expect(ref.video_plane_stride(f, w, i)).toBe(p.stride);
        });
        expect(wasm('video_plane_offset')(f, w, h, layout.planes.length)).toBe(E.ARGUMENT);
      }
    }
  });

  it('layout follows GStreamer video-info.c: RU4 strides, RU2(h) luma rows, RU2(w)/2 x RU2(h)/2 chroma', () => {
    const table: [VideoFormat, number, number, number[], number[], number][] = [
      [VideoFormat.I420, 1920, 1080, [0, 2073600, 2592000], [1920, 960, 960], 3110400],
      [VideoFormat.I420, 33, 17, [0, 648, 828], [36, 20, 20], 1008],
      [VideoFormat.I420, 2, 1, [0, 8, 12], [4, 4, 4], 16],
      [VideoFormat.NV12, 1920, 1080, [0, 2073600], [1920, 1920], 3110400],
      [VideoFormat.NV12, 33, 17, [0, 648], [36, 36], 972],
      [VideoFormat.RGB, 33, 17, [0], [100], 1700],
      [VideoFormat.RGBA, 33, 17, [0], [132], 2244],
    ];
    for (const [f, w, h, offsets, strides, size] of table) {
      const layout = videoLayout(f, w, h);
      expect(layout.planes.map((p) => p.offset), `${name(f)} ${w}x${h}`).toEqual(offsets);
      expect(layout.planes.map((p) => p.stride)).toEqual(strides);
      expect(layout.size).toBe(size);
    }
    expect(videoLayout(VideoFormat.I420, 33, 17).planes[1]).toMatchObject({ width: 17, height: 9, bytesPerSample: 1 });
    expect(videoLayout(VideoFormat.NV12, 33, 17).planes[1]).toMatchObject({ width: 17, height: 9, bytesPerSample: 2 });
    expect(videoPlaneStride(VideoFormat.I420, 33, 2)).toBe(20);
    expect(videoPlaneOffset(VideoFormat.NV12, 33, 17, 1)).toBe(648);
    expect(() => videoFrameSize(VideoFormat.RGBA, 0, 10)).toThrow(RangeError);
    expect(() => videoFrameSize(7 as VideoFormat, 10, 10)).toThrow(/format/);
    expect(defaultVideoMatrix(576)).toBe(VideoMatrix.BT601);
    expect(defaultVideoMatrix(1080)).toBe(VideoMatrix.BT709);
  });
});

describe('videotestsrc', () => {
  const STATE = ref.VIDEOTESTSRC_STATE_SIZE;
  /** A zeroed state region, as the engine hands one to a new instance. */
  const state = () => area(STATE, (at) => v.u8.fill(0, at, at + STATE));

  for (const [pattern, code] of PATTERNS) {
    it(`${pattern}: WASM = JS for every format, matrix, chroma site and odd size, over two frames`, () => {
      for (const f of FORMATS) {
        for (const [m, site] of [[0, 0], [1, 1], [0, 1], [1, 0]] as const) {
          for (const [w, h] of SIZES) {
            const st = state();
            const layout = videoLayout(f, w, h);
            for (const n of [0, code === P.BALL ? 137 : 1]) {
              const out = frame(f, w, h);
              const label = `${pattern} ${name(f)} m${m} site ${site} ${w}x${h} frame ${n}`;
              expect(both('videotestsrc_fill', (s) => [st[s], out[s], w, h, f, code, m, site, n]), label).toBe(layout.size);
              expectSame(label, out, st);
              expectPaddingKept(label, out.w, layout);
            }
          }
        }
      }
    });
  }

  it('solid colours take GStreamer\'s values: black Y16 U/V128, white Y235, red by matrix', () => {
    const cases: [number, number, number[]][] = [
      [P.BLACK, VideoMatrix.BT601, [16, 128, 128]],
      [P.BLACK, VideoMatrix.BT709, [16, 128, 128]],
      [P.WHITE, VideoMatrix.BT601, [235, 128, 128]],
      [P.RED, VideoMatrix.BT601, [81, 90, 240]],
      [P.RED, VideoMatrix.BT709, [63, 102, 240]],
      [P.GREEN, VideoMatrix.BT601, [145, 54, 34]],
      [P.BLUE, VideoMatrix.BT709, [32, 240, 118]],
    ];
    for (const [pattern, m, yuv] of cases) {
      for (const f of [VideoFormat.I420, VideoFormat.NV12]) {
        const st = state();
        const out = frame(f, 33, 17);
        const layout = videoLayout(f, 33, 17);
        both('videotestsrc_fill', (s) => [st[s], out[s], 33, 17, f, pattern, m, 0, 0]);
        const [Y, U, V] = layout.planes.length === 3 ? layout.planes : [layout.planes[0]!, layout.planes[1]!, undefined];
        const bytes = visible(out, layout);
        const ySize = Y!.width * Y!.height;
        expect(new Set(bytes.slice(0, ySize)), `${pattern} ${name(f)} Y`).toEqual(new Set([yuv[0]]));
        if (V !== undefined) {
          expect(new Set(bytes.slice(ySize, ySize + U!.width * U!.height))).toEqual(new Set([yuv[1]]));
          expect(new Set(bytes.slice(ySize + U!.width * U!.height))).toEqual(new Set([yuv[2]]));
        } else {
          const uv = bytes.slice(ySize);
          expect(new Set(uv.filter((_, i) => i % 2 === 0))).toEqual(new Set([yuv[1]]));
          expect(new Set(uv.filter((_, i) => i % 2 === 1))).toEqual(new Set([yuv[2]]));
        }
      }
    }
    const st = state();
    const out = frame(VideoFormat.RGBA, 5, 3);
    both('videotestsrc_fill', (s) => [st[s], out[s], 5, 3, VideoFormat.RGBA, P.RED, 0, 0, 0]);
    expect(new Set(v.u32.subarray(out.w >> 2, (out.w >> 2) + 15))).toEqual(new Set([0xff0000ff]));
  });

  it('smpte bars carry GStreamer\'s 100% colours in every band (64x48 and 1920x1080)', () => {
    const RGB = [[255, 255, 255], [255, 255, 0], [0, 255, 255], [0, 255, 0], [255, 0, 255], [255, 0, 0], [0, 0, 255]];
    const YUV601 = [[235, 128, 128], [210, 16, 146], [170, 166, 16], [145, 54, 34], [106, 202, 222], [81, 90, 240], [41, 240, 110]];
    const YUV709 = [[235, 128, 128], [219, 16, 138], [188, 154, 16], [173, 42, 26], [78, 214, 230], [63, 102, 240], [32, 240, 118]];
    for (const [w, h] of [[64, 48], [1920, 1080]] as const) {
      for (const f of FORMATS) {
        for (const m of MATRICES) {
          if (w === 1920 && f !== VideoFormat.I420 && f !== VideoFormat.RGBA) continue;
          const st = state();
          const out = frame(f, w, h);
          const layout = videoLayout(f, w, h);
          const site = defaultVideoChromaSite(h);
          if (w === 1920) wasm('videotestsrc_fill')(st.w, out.w, w, h, f, P.SMPTE, m, site, 0);
          else both('videotestsrc_fill', (s) => [st[s], out[s], w, h, f, P.SMPTE, m, site, 0]);
          const yuvTable = m === VideoMatrix.BT709 ? YUV709 : YUV601;
          const expected = f === VideoFormat.RGBA ? RGB.map((c) => [...c, 255]) : f === VideoFormat.RGB ? RGB : yuvTable;
          const centre = (i: number, n: number) => Math.floor(((2 * i + 1) * w) / (2 * n)) & ~1;
          for (let i = 0; i < 7; i++) {
            expect(pixel(out, layout, centre(i, 7), 2), `${name(f)} m${m} ${w}x${h} bar ${i}`).toEqual(expected[i]);
            // The inverse-blue band: blue, black, magenta, black, cyan, black, white.
            const k = (i & 1) === 1 ? -1 : 6 - i;
            const want = k < 0 ? (f >= VideoFormat.I420 ? [16, 128, 128] : f === VideoFormat.RGBA ? [0, 0, 0, 255] : [0, 0, 0]) : expected[k];
            expect(pixel(out, layout, centre(i, 7), Math.floor((2 * h) / 3) + 2), `band 1 bar ${i}`).toEqual(want);
          }
          const bottom = h - 2;
          const yOf = (x: number) => pixel(out, layout, x, bottom)[0];
          if (f >= VideoFormat.I420) {
            expect(pixel(out, layout, centre(0, 6), bottom), '-I').toEqual([16, 198, 21]);
            expect(pixel(out, layout, centre(1, 6), bottom), 'white').toEqual([235, 128, 128]);
            expect(pixel(out, layout, centre(2, 6), bottom), '+Q').toEqual([16, 235, 198]);
            const pluge = [w / 2 + 2, Math.floor(w / 2 + w / 12 + 2), Math.floor(w / 2 + w / 6 + 2)];
            expect(pluge.map(yOf), 'pluge').toEqual([0, 16, 32]);
            for (let x = (3 * w) / 4; x < w; x++) expect(yOf(x)).toBeGreaterThanOrEqual(16);
            for (let x = (3 * w) / 4; x < w; x++) expect(yOf(x)).toBeLessThanOrEqual(235);
          } else {
            expect(pixel(out, layout, centre(0, 6), bottom).slice(0, 3), '-I').toEqual([0, 0, 128]);
            expect(pixel(out, layout, centre(2, 6), bottom).slice(0, 3), '+Q').toEqual([0, 128, 255]);
            expect(pixel(out, layout, Math.floor(w / 2 + w / 6 + 2), bottom).slice(0, 3), 'dark grey').toEqual([19, 19, 19]);
          }
        }
      }
    }
  });

  it('smpte at 1920x1080 I420 and RGBA: WASM = JS (the benchmark frame)', () => {
    for (const f of [VideoFormat.I420, VideoFormat.RGBA]) {
      const st = state();
      const out = frame(f, 1920, 1080);
      for (const n of [0, 1]) {
        expect(both('videotestsrc_fill', (s) => [st[s], out[s], 1920, 1080, f, P.SMPTE, VideoMatrix.BT709, VideoChromaSite.MPEG2, n])).toBe(out.bytes);
        expectSame(`smpte ${name(f)} 1080p frame ${n}`, out, st);
      }
    }
  });

  it('snow: the PRNG is GStreamer\'s random_char from 0, one step per pixel; frames differ; chroma is 128', () => {
    const st = state();
    const a = frame(VideoFormat.I420, 33, 17);
    const b = frame(VideoFormat.I420, 33, 17);
    const layout = videoLayout(VideoFormat.I420, 33, 17);
    both('videotestsrc_fill', (s) => [st[s], a[s], 33, 17, VideoFormat.I420, P.SNOW, 0, 0, 0]);
    let s = 0n;
    const ys: number[] = [];
    for (let i = 0; i < 33 * 17; i++) {
      s = (s * 1103515245n + 12345n) & 0xffffffffn;
      const r = Number((s >> 16n) & 0xffn);
      const x = 235 * r + 16 * (255 - r);
      ys.push((x + ((x + 128) >> 8) + 128) >> 8);
    }
    expect(v.u32[st.w >> 2]).toBe(Number(s));
    const bytes = visible(a, layout);
    expect(bytes.slice(0, 33 * 17)).toEqual(ys);
    expect(new Set(bytes.slice(33 * 17))).toEqual(new Set([128]));
    both('videotestsrc_fill', (s2) => [st[s2], b[s2], 33, 17, VideoFormat.I420, P.SNOW, 0, 0, 1]);
    expectSame('snow frame 2', b, st);
    expect(visible(b, layout)).not.toEqual(bytes);
  });

  it('chroma follows GStreamer\'s resampler: rows averaged, then jpeg pairs or mpeg2 [1 2 1] taps', () => {
    // checkers-2, 8x2, BT.601: U per column 90 90 54 54 90 90 54 54, V 240 240 34 34 ...
    const want = {
      [VideoChromaSite.JPEG]: { u: [90, 54, 90, 54], v: [240, 34, 240, 34] },
      [VideoChromaSite.MPEG2]: { u: [90, 63, 81, 63], v: [240, 86, 189, 86] },
    };
    for (const site of [VideoChromaSite.JPEG, VideoChromaSite.MPEG2]) {
      const st = state();
      const out = frame(VideoFormat.I420, 8, 2);
      both('videotestsrc_fill', (s) => [st[s], out[s], 8, 2, VideoFormat.I420, P.CHECKERS_2, 0, site, 0]);
      const layout = videoLayout(VideoFormat.I420, 8, 2);
      expect([0, 1, 2, 3].map((cx) => sample(out, layout, 1, cx, 0)), `site ${site} U`).toEqual(want[site].u);
      expect([0, 1, 2, 3].map((cx) => sample(out, layout, 2, cx, 0)), `site ${site} V`).toEqual(want[site].v);
    }
    // Rows first, rounding up at each step: magenta over +Q next to black over +Q gives 201, not 200.
    const st = state();
    const out = frame(VideoFormat.I420, 35, 21);
    both('videotestsrc_fill', (s) => [st[s], out[s], 35, 21, VideoFormat.I420, P.SMPTE, 0, 0, 0]);
    expect(sample(out, videoLayout(VideoFormat.I420, 35, 21), 1, 7, 7)).toBe(201);
  });

  it('reproduces frames dumped from GStreamer 1.22 (sha-256 of their pixels, padding aside)', () => {
    // gst-launch-1.0 videotestsrc pattern=P num-buffers=N ! video/x-raw,format=F,width=W,height=H
    //   ! filesink; caps without colorimetry or chroma-site, so GStreamer's defaults by height.
    const dumps: [string, number, VideoFormat, number, number, number, string][] = [
      ['smpte', P.SMPTE, VideoFormat.I420, 33, 17, 0, '8f2c0d5b83eb1acb'],
      ['smpte', P.SMPTE, VideoFormat.I420, 33, 17, 1, '49824e31e018097c'],
      ['smpte', P.SMPTE, VideoFormat.RGB, 35, 21, 1, '3891f37f9d5be604'],
      ['smpte', P.SMPTE, VideoFormat.I420, 1920, 1080, 1, '6cd988f16378bba1'],
      ['snow', P.SNOW, VideoFormat.NV12, 33, 17, 1, 'ef7f0cd595938fb8'],
      ['ball', P.BALL, VideoFormat.I420, 97, 61, 150, 'a7c1db2a1f00e9cb'],
      ['checkers-2', P.CHECKERS_2, VideoFormat.RGBA, 33, 17, 0, '9817794af50ec2fb'],
      ['checkers-4', P.CHECKERS_4, VideoFormat.NV12, 1280, 720, 0, 'f12d64d96d427e90'],
    ];
    for (const [label, pattern, f, w, h, n, sha] of dumps) {
      sb.reset();
      const st = state();
      const out = frame(f, w, h);
      const layout = videoLayout(f, w, h);
      // The PRNG runs on from frame 0, as in the pipeline; the ball only needs its frame number.
      for (let k = pattern === P.BALL ? n : 0; k <= n; k++) {
        wasm('videotestsrc_fill')(st.w, out.w, w, h, f, pattern, defaultVideoMatrix(h), defaultVideoChromaSite(h), k);
      }
      const digest = createHash('sha256').update(Uint8Array.from(visible(out, layout))).digest('hex').slice(0, 16);
      expect(digest, `${label} ${name(f)} ${w}x${h} frame ${n}`).toBe(sha);
    }
  });

  it('checkers-n alternate red and green every n pixels, both ways', () => {
    for (const [pattern, n] of [[P.CHECKERS_1, 1], [P.CHECKERS_2, 2], [P.CHECKERS_4, 4], [P.CHECKERS_8, 8]] as const) {
      const st = state();
      const out = frame(VideoFormat.RGBA, 33, 17);
      const layout = videoLayout(VideoFormat.RGBA, 33, 17);
      both('videotestsrc_fill', (s) => [st[s], out[s], 33, 17, VideoFormat.RGBA, pattern, 0, 0, 0]);
      const red = [255, 0, 0, 255];
      const green = [0, 255, 0, 255];
      expect(pixel(out, layout, 0, 0)).toEqual(red);
      expect(pixel(out, layout, n, 0)).toEqual(green);
      expect(pixel(out, layout, 0, n)).toEqual(green);
      expect(pixel(out, layout, n, n)).toEqual(red);
      expect(pixel(out, layout, n - 1, n - 1)).toEqual(red);
    }
  });

  it('ball: a 20-pixel ball at GStreamer\'s wavy position, moving with the frame number', () => {
    const w = 96, h = 64;
    const lit = (n: number) => {
      const st = state();
      const out = frame(VideoFormat.I420, w, h);
      both('videotestsrc_fill', (s) => [st[s], out[s], w, h, VideoFormat.I420, P.BALL, 0, 0, n]);
      const layout = videoLayout(VideoFormat.I420, w, h);
      const bytes = visible(out, layout);
      expect(new Set(bytes.slice(w * h)), 'chroma').toEqual(new Set([128]));
      return { at: (x: number, y: number) => bytes[y * w + x]!, count: bytes.slice(0, w * h).filter((y) => y > 16).length };
    };
    const f0 = lit(0);
    // Frame 0: sin 0 = 0, so the centre is (20 + 0.5 (w - 40), 20 + 0.5 (h - 40)) = (48, 32).
    expect(f0.at(48, 32)).toBe(235);
    expect(f0.at(0, 0)).toBe(16);
    expect(f0.at(48 + 22, 32)).toBe(16);
    expect(f0.count).toBeGreaterThan(1000);
    expect(f0.count).toBeLessThan(1400);
    // Frame 50: a quarter turn in x (centre w - 20); y follows sin(2 pi 50 sqrt(2) / 200).
    const f50 = lit(50);
    const y50 = Math.round(20 + (0.5 + 0.5 * Math.sin((2 * Math.PI * 50 * Math.SQRT2) / 200)) * (h - 40));
    expect(f50.at(w - 20, y50)).toBe(235);
    expect(f50.at(48, 32)).toBe(16);
  });
});

describe('videoconvert', () => {
  const CONVERSIONS: [string, VideoFormat, VideoFormat][] = [];
  for (const a of FORMATS) {
    for (const b of FORMATS) {
      if (a !== b) CONVERSIONS.push([`videoconvert_${name(a).toLowerCase()}_to_${name(b).toLowerCase()}`, a, b]);
    }
  }
  const SIZES_CONVERT: readonly (readonly [number, number])[] = [[33, 17], [1, 1], [2, 2], [16, 2], [17, 3], [48, 31], [5, 4], [31, 1]];

  for (const [kernel, from, to] of CONVERSIONS) {
    it(`${kernel}: WASM = JS on random frames, both matrices, odd sizes`, () => {
      for (const m of MATRICES) {
        for (const [w, h] of SIZES_CONVERT) {
          const src = frame(from, w, h, (at) => random(at, videoFrameSize(from, w, h)));
          const dst = frame(to, w, h);
          const label = `${kernel} m${m} ${w}x${h}`;
          expect(both(kernel, (s) => [src[s], dst[s], w, h, m]), label).toBe(dst.bytes);
          expectSame(label, dst, src);
          expectPaddingKept(label, dst.w, videoLayout(to, w, h));
        }
      }
    });
  }

  it('videoconvert_copy: WASM = JS, pixels only', () => {
    for (const f of FORMATS) {
      for (const [w, h] of SIZES_CONVERT) {
        const src = frame(f, w, h, (at) => random(at, videoFrameSize(f, w, h)));
        const dst = frame(f, w, h);
        expect(both('videoconvert_copy', (s) => [src[s], dst[s], w, h, f])).toBe(dst.bytes);
        expectSame(`copy ${name(f)} ${w}x${h}`, dst);
        expectPaddingKept(`copy ${name(f)}`, dst.w, videoLayout(f, w, h));
        expect(visible(dst, videoLayout(f, w, h))).toEqual(visible(src, videoLayout(f, w, h)));
      }
    }
  });

  it('RGBA → I420 at 1920x1080: WASM = JS (the benchmark conversion)', () => {
    const src = frame(VideoFormat.RGBA, 1920, 1080, (at) => random(at, 1920 * 1080 * 4));
    const dst = frame(VideoFormat.I420, 1920, 1080);
    expect(both('videoconvert_rgba_to_i420', (s) => [src[s], dst[s], 1920, 1080, VideoMatrix.BT709])).toBe(3110400);
    expectSame('rgba_to_i420 1080p', dst);
  });

  it('RGB colours land on GStreamer\'s YUV values (white, black, red, yellow, by matrix)', () => {
    const colours = [[255, 255, 255], [0, 0, 0], [255, 0, 0], [255, 255, 0], [0, 0, 255]];
    const want = [
      [[235, 128, 128], [16, 128, 128], [81, 90, 240], [210, 16, 146], [41, 240, 110]],
      [[235, 128, 128], [16, 128, 128], [63, 102, 240], [219, 16, 138], [32, 240, 118]],
    ];
    for (const m of MATRICES) {
      colours.forEach((c, i) => {
        const src = frame(VideoFormat.RGBA, 4, 2, (at) => {
          for (let p = 0; p < 8; p++) v.u8.set([c[0]!, c[1]!, c[2]!, 255], at + p * 4);
        });
        const dst = frame(VideoFormat.I420, 4, 2);
        both('videoconvert_rgba_to_i420', (s) => [src[s], dst[s], 4, 2, m]);
        expect(pixel(dst, videoLayout(VideoFormat.I420, 4, 2), 3, 1), `m${m} ${c.join(',')}`).toEqual(want[m]![i]);
        const back = frame(VideoFormat.RGBA, 4, 2);
        both('videoconvert_i420_to_rgba', (s) => [dst[s], back[s], 4, 2, m]);
        const got = pixel(back, videoLayout(VideoFormat.RGBA, 4, 2), 1, 1);
        for (let k = 0; k < 3; k++) expect(Math.abs(got[k]! - c[k]!), `m${m} ${c.join(',')} back`).toBeLessThanOrEqual(1);
      });
    }
  });

  it('RGB(A) → I420/NV12 → RGB(A) comes back within 2 per channel (2x2 blocks of one colour)', () => {
    const w = 37, h = 23;
    for (const m of MATRICES) {
      for (const rgb of [VideoFormat.RGBA, VideoFormat.RGB]) {
        for (const yuv of [VideoFormat.I420, VideoFormat.NV12]) {
          const layout = videoLayout(rgb, w, h);
          const stride = layout.planes[0]!.stride;
          const bpp = layout.planes[0]!.bytesPerSample;
          const src = frame(rgb, w, h, (at) => {
            for (let by = 0; by < h; by += 2) {
              for (let bx = 0; bx < w; bx += 2) {
                const c = [rng.next() & 0xff, rng.next() & 0xff, rng.next() & 0xff, 255];
                for (let y = by; y < Math.min(by + 2, h); y++) {
                  for (let x = bx; x < Math.min(bx + 2, w); x++) v.u8.set(c.slice(0, bpp), at + y * stride + x * bpp);
                }
              }
            }
          });
          const mid = frame(yuv, w, h);
          const back = frame(rgb, w, h);
          const lower = (f: VideoFormat) => name(f).toLowerCase();
          both(`videoconvert_${lower(rgb)}_to_${lower(yuv)}`, (s) => [src[s], mid[s], w, h, m]);
          both(`videoconvert_${lower(yuv)}_to_${lower(rgb)}`, (s) => [mid[s], back[s], w, h, m]);
          expectSame('round trip', mid, back);
          const a = visible(src, layout);
          const b = visible(back, layout);
          const worst = a.reduce((acc, x, i) => Math.max(acc, Math.abs(x - b[i]!)), 0);
          expect(worst, `${name(rgb)} → ${name(yuv)} → ${name(rgb)} m${m}`).toBeLessThanOrEqual(2);
        }
      }
    }
  });

  it('I420 → NV12 → I420 and RGBA (alpha 255) → RGB → RGBA are exact', () => {
    const w = 35, h = 19;
    const i420 = frame(VideoFormat.I420, w, h, (at) => random(at, videoFrameSize(VideoFormat.I420, w, h)));
    const nv12 = frame(VideoFormat.NV12, w, h);
    const again = frame(VideoFormat.I420, w, h);
    both('videoconvert_i420_to_nv12', (s) => [i420[s], nv12[s], w, h, 0]);
    both('videoconvert_nv12_to_i420', (s) => [nv12[s], again[s], w, h, 0]);
    const li = videoLayout(VideoFormat.I420, w, h);
    expect(visible(again, li)).toEqual(visible(i420, li));
    expect(pixel(nv12, videoLayout(VideoFormat.NV12, w, h), 34, 18)).toEqual(pixel(i420, li, 34, 18));

    const rgba = frame(VideoFormat.RGBA, w, h, (at) => {
      random(at, w * h * 4);
      for (let p = 0; p < w * h; p++) v.u8[at + p * 4 + 3] = 255;
    });
    const rgb = frame(VideoFormat.RGB, w, h);
    const back = frame(VideoFormat.RGBA, w, h);
    both('videoconvert_rgba_to_rgb', (s) => [rgba[s], rgb[s], w, h, 0]);
    both('videoconvert_rgb_to_rgba', (s) => [rgb[s], back[s], w, h, 0]);
    expect(Buffer.compare(v.u8.subarray(rgba.w, rgba.w + rgba.bytes), v.u8.subarray(back.w, back.w + back.bytes))).toBe(0);
  });
});

describe('videoscale', () => {
  const PAIRS: readonly (readonly [number, number, number, number])[] = [
    [33, 17, 16, 9], [16, 9, 33, 17], [33, 17, 33, 17], [1, 1, 5, 3], [7, 5, 1, 1], [20, 10, 40, 20], [40, 30, 13, 29], [3, 2, 64, 3],
  ];

  for (const [method, code] of Object.entries(ref.VideoScaleMethod)) {
    it(`${method}: WASM = JS for every format, growing and shrinking, odd sizes`, () => {
      for (const f of FORMATS) {
        for (const [sw, sh, dw, dh] of PAIRS) {
          const src = frame(f, sw, sh, (at) => random(at, videoFrameSize(f, sw, sh)));
          const dst = frame(f, dw, dh);
          const label = `${method} ${name(f)} ${sw}x${sh} → ${dw}x${dh}`;
          expect(both('videoscale_scale', (s) => [src[s], dst[s], sw, sh, dw, dh, f, code]), label).toBe(dst.bytes);
          expectSame(label, dst, src);
          expectPaddingKept(label, dst.w, videoLayout(f, dw, dh));
        }
      }
    });
  }

  it('nearest by 2 turns every pixel into a 2x2 block; the same size is a copy with either method', () => {
    for (const f of FORMATS) {
      const src = frame(f, 17, 9, (at) => random(at, videoFrameSize(f, 17, 9)));
      const dst = frame(f, 34, 18);
      both('videoscale_scale', (s) => [src[s], dst[s], 17, 9, 34, 18, f, ref.VideoScaleMethod.NEAREST]);
      const ls = videoLayout(f, 17, 9);
      const ld = videoLayout(f, 34, 18);
      for (let y = 0; y < 18; y++) {
        for (let x = 0; x < 34; x++) {
          expect(sample(dst, ld, 0, x, y), `${name(f)} (${x}, ${y})`).toBe(sample(src, ls, 0, x >> 1, y >> 1));
        }
      }
      for (const method of [ref.VideoScaleMethod.NEAREST, ref.VideoScaleMethod.BILINEAR]) {
        const same = frame(f, 17, 9);
        both('videoscale_scale', (s) => [src[s], same[s], 17, 9, 17, 9, f, method]);
        expect(visible(same, ls)).toEqual(visible(src, ls));
      }
    }
  });

  it('bilinear keeps a flat colour flat and lands between neighbours', () => {
    const src = frame(VideoFormat.RGBA, 9, 7, (at) => {
      for (let p = 0; p < 63; p++) v.u8.set([10, 200, 77, 255], at + p * 4);
    });
    const dst = frame(VideoFormat.RGBA, 31, 5);
    both('videoscale_scale', (s) => [src[s], dst[s], 9, 7, 31, 5, VideoFormat.RGBA, ref.VideoScaleMethod.BILINEAR]);
    expect(new Set(v.u32.subarray(dst.w >> 2, (dst.w >> 2) + 31 * 5))).toEqual(new Set([v.u32[src.w >> 2]]));

    // A 2-pixel ramp 0 → 255 doubled: the inner samples sit at 1/4 and 3/4.
    const ramp = frame(VideoFormat.I420, 2, 1, (at) => v.u8.set([0, 255], at));
    const wide = frame(VideoFormat.I420, 4, 1);
    both('videoscale_scale', (s) => [ramp[s], wide[s], 2, 1, 4, 1, VideoFormat.I420, ref.VideoScaleMethod.BILINEAR]);
    expect([...v.u8.subarray(wide.w, wide.w + 4)]).toEqual([0, 64, 191, 255]);
  });
});

describe('videoflip', () => {
  for (const [method, code] of FLIPS) {
    it(`${method}: WASM = JS for every format and odd size`, () => {
      for (const f of FORMATS) {
        for (const [w, h] of [...SIZES, [40, 33], [3, 70]] as const) {
          const turns = ref.flipSwapsDimensions(code);
          const src = frame(f, w, h, (at) => random(at, videoFrameSize(f, w, h)));
          const dst = frame(f, turns ? h : w, turns ? w : h);
          const label = `${method} ${name(f)} ${w}x${h}`;
          expect(both('videoflip_flip', (s) => [src[s], dst[s], w, h, f, code]), label).toBe(dst.bytes);
          expectSame(label, dst, src);
          expectPaddingKept(label, dst.w, videoLayout(f, turns ? h : w, turns ? w : h));
        }
      }
    });
  }

  it('maps pixels as GStreamer does (3x2 RGBA, pixel i holds i)', () => {
    // Source rows: [0 1 2] / [3 4 5].
    const src = frame(VideoFormat.RGBA, 3, 2, (at) => {
      for (let i = 0; i < 6; i++) v.u32[(at >> 2) + i] = i;
    });
    const expected: Record<string, number[]> = {
      NONE: [0, 1, 2, 3, 4, 5],
      CLOCKWISE: [3, 0, 4, 1, 5, 2],
      ROTATE_180: [5, 4, 3, 2, 1, 0],
      COUNTERCLOCKWISE: [2, 5, 1, 4, 0, 3],
      HORIZONTAL_FLIP: [2, 1, 0, 5, 4, 3],
      VERTICAL_FLIP: [3, 4, 5, 0, 1, 2],
      UPPER_LEFT_DIAGONAL: [0, 3, 1, 4, 2, 5],
      UPPER_RIGHT_DIAGONAL: [5, 2, 4, 1, 3, 0],
    };
    for (const [method, code] of FLIPS) {
      const dst = frame(VideoFormat.RGBA, 3, 3);
      both('videoflip_flip', (s) => [src[s], dst[s], 3, 2, VideoFormat.RGBA, code]);
      expect([...v.u32.subarray(dst.w >> 2, (dst.w >> 2) + 6)], method).toEqual(expected[method]);
    }
  });

  it('four turns clockwise, two of any mirror, and counterclockwise after clockwise give the input back', () => {
    const run = (f: VideoFormat, src: number, w: number, h: number, method: number): [number, number, number] => {
      const turns = ref.flipSwapsDimensions(method);
      const [dw, dh] = turns ? [h, w] : [w, h];
      const dst = sb.alloc(videoFrameSize(f, dw, dh));
      expect(wasm('videoflip_flip')(src, dst, w, h, f, method)).toBe(videoFrameSize(f, dw, dh));
      return [dst, dw, dh];
    };
    for (const f of FORMATS) {
      const [w, h] = [37, 21];
      const src = frame(f, w, h, (at) => random(at, videoFrameSize(f, w, h)));
      const start = visible(src, videoLayout(f, w, h));
      const chains = [
        [F.CLOCKWISE, F.CLOCKWISE, F.CLOCKWISE, F.CLOCKWISE],
        [F.VERTICAL_FLIP, F.VERTICAL_FLIP],
        [F.HORIZONTAL_FLIP, F.HORIZONTAL_FLIP],
        [F.ROTATE_180, F.ROTATE_180],
        [F.CLOCKWISE, F.COUNTERCLOCKWISE],
        [F.UPPER_LEFT_DIAGONAL, F.UPPER_LEFT_DIAGONAL],
        [F.UPPER_RIGHT_DIAGONAL, F.UPPER_RIGHT_DIAGONAL],
        [F.HORIZONTAL_FLIP, F.VERTICAL_FLIP, F.ROTATE_180],
      ];
      for (const chain of chains) {
        let [at, cw, ch] = [src.w, w, h];
        for (const m of chain) [at, cw, ch] = run(f, at, cw, ch, m);
        expect([cw, ch]).toEqual([w, h]);
        expect(visible({ w: at, j: at, bytes: 0 }, videoLayout(f, w, h)), `${name(f)} ${chain.join(',')}`).toEqual(start);
      }
    }
  });
});

describe('errors', () => {
  it('every kernel returns the same codes as its reference, in the documented order', () => {
    const size = videoFrameSize(VideoFormat.RGBA, 8, 8);
    const st = area(64);
    const a = area(size);
    const b = area(size);
    const end = mem.byteLength - 64;
    const cases: [string, (s: Side) => number[], number][] = [
      ['videotestsrc_fill', (s) => [st[s], a[s], 0, 8, 0, 0, 0, 0, 0], E.DIMENSIONS],
      ['videotestsrc_fill', (s) => [st[s], a[s], 8, 16385, 0, 0, 0, 0, 0], E.DIMENSIONS],
      ['videotestsrc_fill', (s) => [st[s], a[s], 8, 8, 4, 0, 0, 0, 0], E.FORMAT],
      ['videotestsrc_fill', (s) => [st[s], a[s], 8, 8, -1, 99, 0, 0, 0], E.FORMAT],
      ['videotestsrc_fill', (s) => [st[s], a[s], 8, 8, 0, 11, 0, 0, 0], E.MODE],
      ['videotestsrc_fill', (s) => [st[s], a[s], 8, 8, 0, 0, 2, 0, 0], E.MATRIX],
      ['videotestsrc_fill', (s) => [st[s], a[s], 8, 8, 0, 0, 2, 2, 0], E.MATRIX],
      ['videotestsrc_fill', (s) => [st[s], a[s], 8, 8, 0, 0, 0, 2, 0], E.ARGUMENT],
      ['videotestsrc_fill', (s) => [st[s], a[s], 8, 8, 0, 0, 0, 0, -1], E.ARGUMENT],
      ['videotestsrc_fill', (s) => [st[s] + 2, a[s], 8, 8, 0, 0, 0, 0, 0], E.ALIGNMENT],
      ['videotestsrc_fill', (s) => [st[s], a[s] + 1, 8, 8, 0, 0, 0, 0, 0], E.ALIGNMENT],
      ['videotestsrc_fill', (s) => [st[s], end, 8, 8, 0, 0, 0, 0, 0], E.BOUNDS],
      ['videotestsrc_fill', (s) => [a[s] + 64, a[s], 8, 8, 0, 0, 0, 0, 0], E.OVERLAP],
      ['videoconvert_rgba_to_i420', (s) => [a[s], b[s], 8, 0, 0], E.DIMENSIONS],
      ['videoconvert_rgba_to_i420', (s) => [a[s], b[s], 8, 8, 5], E.MATRIX],
      ['videoconvert_rgba_to_rgb', (s) => [a[s], b[s], 8, 8, 5], E.MATRIX],
      ['videoconvert_nv12_to_rgb', (s) => [a[s] + 4, b[s] + 2, 8, 8, 0], E.ALIGNMENT],
      ['videoconvert_i420_to_nv12', (s) => [end, b[s], 8, 8, 0], E.BOUNDS],
      ['videoconvert_i420_to_rgba', (s) => [a[s], a[s] + 8, 8, 8, 1], E.OVERLAP],
      ['videoconvert_copy', (s) => [a[s], b[s], 8, 8, 9], E.FORMAT],
      ['videoconvert_copy', (s) => [a[s], a[s], 8, 8, 0], E.OVERLAP],
      ['videoscale_scale', (s) => [a[s], b[s], 8, 8, 0, 8, 0, 0], E.DIMENSIONS],
      ['videoscale_scale', (s) => [a[s], b[s], 8, 8, 8, 8, 4, 0], E.FORMAT],
      ['videoscale_scale', (s) => [a[s], b[s], 8, 8, 8, 8, 0, 2], E.MODE],
      ['videoscale_scale', (s) => [a[s], end, 8, 8, 8, 8, 0, 0], E.BOUNDS],
      ['videoscale_scale', (s) => [a[s], a[s] + 128, 8, 8, 4, 4, 0, 0], E.OVERLAP],
      ['videoflip_flip', (s) => [a[s], b[s], -3, 8, 0, 0], E.DIMENSIONS],
      ['videoflip_flip', (s) => [a[s], b[s], 8, 8, 0, 8], E.MODE],
      ['videoflip_flip', (s) => [a[s], b[s], 8, 8, 0, -1], E.MODE],
      ['videoflip_flip', (s) => [a[s], b[s] + 3, 8, 8, 0, 1], E.ALIGNMENT],
      ['videoflip_flip', (s) => [a[s], a[s], 8, 8, 0, 0], E.OVERLAP],
    ];
    for (const [kernel, args, code] of cases) {
      expect(both(kernel, args), `${kernel}(${args('w').join(', ')})`).toBe(code);
    }
    expectSame('nothing written on error', a, b, st);
    expect(wasm('video_frame_size')(4, 8, 8)).toBe(E.FORMAT);
    expect(wasm('video_plane_stride')(0, 0, 0)).toBe(E.DIMENSIONS);
    expect(ref.video_plane_offset(2, 8, 8, 3)).toBe(E.ARGUMENT);
  });
});
