/**
 * Raw video frame layout: where each plane of a `video/x-raw` frame starts, its stride, and the
 * frame's size, following GStreamer's default layout (gst-plugins-base video-info.c,
 * `fill_planes`) for the formats Parallax's video kernels handle:
 *
 * | format | planes | stride | offsets | size |
 * |---|---|---|---|---|
 * | RGBA | RGBA | w*4 | 0 | stride*h |
 * | RGB | RGB | RU4(w*3) | 0 | stride*h |
 * | I420 | Y, U, V | RU4(w); RU4(RU2(w)/2) for U and V | 0; RU4(w)*RU2(h); + U stride*RU2(h)/2 | V offset + V plane |
 * | NV12 | Y, UV interleaved | RU4(w) for both | 0; RU4(w)*RU2(h) | UV offset + RU4(w)*RU2(h)/2 |
 * | Y42B | Y, U, V | RU4(w); RU8(w)/2 for U and V | 0; RU4(w)*h; + U stride*h | V offset + V stride*h |
 * | Y444 | Y, U, V | RU4(w) for all | 0; RU4(w)*h; 2*RU4(w)*h | 3*RU4(w)*h |
 * | GRAY8 | Y | RU4(w) | 0 | stride*h |
 *
 * (RU2/RU4/RU8: round up to a multiple of 2/4/8.) I420 and NV12 chroma planes are RU2(w)/2
 * samples wide and RU2(h)/2 rows high, Y42B's RU2(w)/2 wide and h high, so an odd size keeps
 * its last column and row. The WebAssembly kernels (assembly/video/common.ts) use the same
 * arithmetic and export it as `video_frame_size`, `video_plane_offset` and `video_plane_stride`;
 * the kernel tests hold the two together.
 *
 * Format codes: 0..3 are the formats every video kernel handles (videotestsrc, videoconvert,
 * videoscale, videoflip); 8 and up are planar formats that only the layout and videoflip know
 * (a kernel tells the two groups apart by range, and 4..7 stay free for the first group).
 *
 * `videoLayout` allocates and is meant for negotiation; `videoFrameSize`, `videoPlaneOffset` and
 * `videoPlaneStride` are allocation-free.
 */

/** Format codes shared with the kernels. */
export const VideoFormat = { RGBA: 0, RGB: 1, I420: 2, NV12: 3, Y42B: 8, Y444: 9, GRAY8: 10 } as const;
export type VideoFormat = (typeof VideoFormat)[keyof typeof VideoFormat];

/** Caps names by code (`VIDEO_FORMAT_NAMES[VideoFormat.I420] === 'I420'`); codes 4..7 are holes. */
export const VIDEO_FORMAT_NAMES: readonly string[] = namesByCode();

function namesByCode(): string[] {
  const names: string[] = [];
  for (const [name, code] of Object.entries(VideoFormat)) names[code] = name;
  return names;
}

/** Colour matrices shared with the kernels; both limited range (Y 16..235, U/V 16..240). */
export const VideoMatrix = { BT601: 0, BT709: 1 } as const;
export type VideoMatrix = (typeof VideoMatrix)[keyof typeof VideoMatrix];

/**
 * How 4:2:0 chroma sits on the luma grid, as far as the kernels subsample it: jpeg (centred,
 * GStreamer's `none`/`jpeg`) or mpeg2 (horizontally co-sited).
 */
export const VideoChromaSite = { JPEG: 0, MPEG2: 1 } as const;
export type VideoChromaSite = (typeof VideoChromaSite)[keyof typeof VideoChromaSite];

/** The largest width or height the kernels accept, which keeps every frame size an i32. */
export const VIDEO_MAX_DIMENSION = 16384;

export interface VideoPlane {
  /** Byte offset of the plane in the frame. */
  readonly offset: number;
  /** Bytes from one row to the next. */
  readonly stride: number;
  /** Samples per row (pixels, or chroma samples, or NV12 UV pairs). */
  readonly width: number;
  /** Rows with pixels in them. */
  readonly height: number;
  /** Bytes per sample: 4 RGBA, 3 RGB, 1 Y/U/V, 2 NV12 UV pairs. */
  readonly bytesPerSample: number;
}

export interface VideoLayout {
  readonly format: VideoFormat;
  readonly width: number;
  readonly height: number;
  readonly planes: readonly VideoPlane[];
  /** Bytes of the whole frame. */
  readonly size: number;
}

export function videoFormatFromName(name: string): VideoFormat | undefined {
  return Object.hasOwn(VideoFormat, name) ? VideoFormat[name as keyof typeof VideoFormat] : undefined;
}

/** Whether `code` is a format code (of either group). */
export function isVideoFormat(code: number): code is VideoFormat {
  return VIDEO_FORMAT_NAMES[code] !== undefined;
}

/** GStreamer's default matrix for YUV caps without colorimetry: BT.709 above 576 lines. */
export function defaultVideoMatrix(height: number): VideoMatrix {
  return height > 576 ? VideoMatrix.BT709 : VideoMatrix.BT601;
}

/** GStreamer's default chroma site for YUV caps without one: mpeg2 (h-cosited) above 576 lines. */
export function defaultVideoChromaSite(height: number): VideoChromaSite {
  return height > 576 ? VideoChromaSite.MPEG2 : VideoChromaSite.JPEG;
}

const ru2 = (v: number): number => (v + 1) & ~1;
const ru4 = (v: number): number => (v + 3) & ~3;
const ru8 = (v: number): number => (v + 7) & ~7;
const half = (v: number): number => (v + 1) >> 1;

function check(format: number, width: number, height: number): void {
  if (!isVideoFormat(format)) throw new RangeError(`video layout: unknown format code ${format}`);
  if (!isDimension(width)) throw new RangeError(`video layout: width ${width} is not an integer in 1..${VIDEO_MAX_DIMENSION}`);
  if (!isDimension(height)) throw new RangeError(`video layout: height ${height} is not an integer in 1..${VIDEO_MAX_DIMENSION}`);
}

function isDimension(v: number): boolean {
  return Number.isInteger(v) && v >= 1 && v <= VIDEO_MAX_DIMENSION;
}

/** Number of planes: 1 for RGBA, RGB and GRAY8, 2 for NV12, 3 for I420, Y42B and Y444. */
export function videoPlaneCount(format: VideoFormat): number {
  switch (format) {
    case VideoFormat.I420:
    case VideoFormat.Y42B:
    case VideoFormat.Y444:
      return 3;
    case VideoFormat.NV12:
      return 2;
    default:
      return 1;
  }
}

/** Stride of `plane` for a frame `width` pixels wide. */
export function videoPlaneStride(format: VideoFormat, width: number, plane: number): number {
  if (plane < 0 || plane >= videoPlaneCount(format)) throw new RangeError(`video layout: no plane ${plane} in ${VIDEO_FORMAT_NAMES[format]}`);
  if (format === VideoFormat.RGBA) return width * 4;
  if (format === VideoFormat.RGB) return ru4(width * 3);
  if (plane === 0 || format === VideoFormat.NV12 || format === VideoFormat.Y444) return ru4(width);
  if (format === VideoFormat.Y42B) return ru8(width) / 2;
  return ru4(half(width));
}

/** Rows of `plane` in a frame `height` rows high (the rows with pixels, not the spare ones). */
export function videoPlaneHeight(format: VideoFormat, height: number, plane: number): number {
  return plane > 0 && (format === VideoFormat.I420 || format === VideoFormat.NV12) ? half(height) : height;
}

/** Samples per row of `plane` (NV12's UV pairs count as one) in a frame `width` pixels wide. */
export function videoPlaneWidth(format: VideoFormat, width: number, plane: number): number {
  return plane > 0 && format !== VideoFormat.Y444 ? half(width) : width;
}

/** Byte offset of `plane` in a width x height frame. */
export function videoPlaneOffset(format: VideoFormat, width: number, height: number, plane: number): number {
  if (plane < 0 || plane >= videoPlaneCount(format)) throw new RangeError(`video layout: no plane ${plane} in ${VIDEO_FORMAT_NAMES[format]}`);
  if (plane === 0) return 0;
  // I420 and NV12 reserve RU2(h) luma rows; the 4:2:2 and 4:4:4 formats h.
  const lumaRows = format === VideoFormat.I420 || format === VideoFormat.NV12 ? ru2(height) : height;
  const uOffset = ru4(width) * lumaRows;
  return plane === 1 ? uOffset : uOffset + videoPlaneStride(format, width, 1) * videoPlaneHeight(format, height, 1);
}

/** Bytes of a width x height frame; throws a RangeError for a bad format or size. */
export function videoFrameSize(format: VideoFormat, width: number, height: number): number {
  check(format, width, height);
  const last = videoPlaneCount(format) - 1;
  return videoPlaneOffset(format, width, height, last) + videoPlaneStride(format, width, last) * videoPlaneHeight(format, height, last);
}

/** Bytes per sample of `plane`: 4 RGBA, 3 RGB, 2 NV12's UV pairs, else 1. */
export function videoPlaneBytesPerSample(format: VideoFormat, plane: number): number {
  return format === VideoFormat.RGBA ? 4 : format === VideoFormat.RGB ? 3 : format === VideoFormat.NV12 && plane > 0 ? 2 : 1;
}

/** The whole layout of a width x height frame; throws a RangeError for a bad format or size. */
export function videoLayout(format: VideoFormat, width: number, height: number): VideoLayout {
  const size = videoFrameSize(format, width, height);
  const planes: VideoPlane[] = [];
  for (let p = 0; p < videoPlaneCount(format); p++) {
    planes.push({
      offset: videoPlaneOffset(format, width, height, p),
      stride: videoPlaneStride(format, width, p),
      width: videoPlaneWidth(format, width, p),
      height: videoPlaneHeight(format, height, p),
      bytesPerSample: videoPlaneBytesPerSample(format, p),
    });
  }
  return { format, width, height, planes, size };
}
