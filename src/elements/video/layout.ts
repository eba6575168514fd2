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
 *
 * (RU2/RU4: round up to a multiple of 2/4.) Chroma planes are RU2(w)/2 samples wide and RU2(h)/2
 * rows high, so an odd size keeps its last column and row. The WebAssembly kernels
 * (assembly/video/common.ts) use the same arithmetic and export it as `video_frame_size`,
 * `video_plane_offset` and `video_plane_stride`; the kernel tests hold the two together.
 *
 * `videoLayout` allocates and is meant for negotiation; `videoFrameSize`, `videoPlaneOffset` and
 * `videoPlaneStride` are allocation-free.
 */

/** Format codes shared with the kernels. */
export const VideoFormat = { RGBA: 0, RGB: 1, I420: 2, NV12: 3 } as const;
export type VideoFormat = (typeof VideoFormat)[keyof typeof VideoFormat];

/** Caps names by code (`VIDEO_FORMAT_NAMES[VideoFormat.I420] === 'I420'`). */
export const VIDEO_FORMAT_NAMES: readonly string[] = ['RGBA', 'RGB', 'I420', 'NV12'];

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
  const i = VIDEO_FORMAT_NAMES.indexOf(name);
  return i < 0 ? undefined : (i as VideoFormat);
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
const half = (v: number): number => (v + 1) >> 1;

function check(format: number, width: number, height: number): void {
  if (!(format === 0 || format === 1 || format === 2 || format === 3)) {
    throw new RangeError(`video layout: unknown format code ${format}`);
  }
  if (!isDimension(width)) throw new RangeError(`video layout: width ${width} is not an integer in 1..${VIDEO_MAX_DIMENSION}`);
  if (!isDimension(height)) throw new RangeError(`video layout: height ${height} is not an integer in 1..${VIDEO_MAX_DIMENSION}`);
}

function isDimension(v: number): boolean {
  return Number.isInteger(v) && v >= 1 && v <= VIDEO_MAX_DIMENSION;
}

/** Number of planes: 1 for RGBA and RGB, 3 for I420, 2 for NV12. */
export function videoPlaneCount(format: VideoFormat): number {
  return format === VideoFormat.I420 ? 3 : format === VideoFormat.NV12 ? 2 : 1;
}

/** Stride of `plane` for a frame `width` pixels wide. */
export function videoPlaneStride(format: VideoFormat, width: number, plane: number): number {
  if (plane < 0 || plane >= videoPlaneCount(format)) throw new RangeError(`video layout: no plane ${plane} in ${VIDEO_FORMAT_NAMES[format]}`);
  if (format === VideoFormat.RGBA) return width * 4;
  if (format === VideoFormat.RGB) return ru4(width * 3);
  if (plane === 0 || format === VideoFormat.NV12) return ru4(width);
  return ru4(half(width));
}

/** Byte offset of `plane` in a width x height frame. */
export function videoPlaneOffset(format: VideoFormat, width: number, height: number, plane: number): number {
  if (plane < 0 || plane >= videoPlaneCount(format)) throw new RangeError(`video layout: no plane ${plane} in ${VIDEO_FORMAT_NAMES[format]}`);
  if (plane === 0) return 0;
  const uOffset = ru4(width) * ru2(height);
  return plane === 1 ? uOffset : uOffset + ru4(half(width)) * half(height);
}

/** Bytes of a width x height frame; throws a RangeError for a bad format or size. */
export function videoFrameSize(format: VideoFormat, width: number, height: number): number {
  check(format, width, height);
  switch (format) {
    case VideoFormat.RGBA:
    case VideoFormat.RGB:
      return videoPlaneStride(format, width, 0) * height;
    case VideoFormat.I420:
      return videoPlaneOffset(format, width, height, 2) + ru4(half(width)) * half(height);
    case VideoFormat.NV12:
      return videoPlaneOffset(format, width, height, 1) + ru4(width) * half(height);
  }
}

/** The whole layout of a width x height frame; throws a RangeError for a bad format or size. */
export function videoLayout(format: VideoFormat, width: number, height: number): VideoLayout {
  const size = videoFrameSize(format, width, height);
  const planes: VideoPlane[] = [];
  for (let p = 0; p < videoPlaneCount(format); p++) {
    const chroma = p > 0;
    planes.push({
      offset: videoPlaneOffset(format, width, height, p),
      stride: videoPlaneStride(format, width, p),
      width: chroma ? half(width) : width,
      height: chroma ? half(height) : height,
      bytesPerSample: format === VideoFormat.RGBA ? 4 : format === VideoFormat.RGB ? 3 : format === VideoFormat.NV12 && chroma ? 2 : 1,
    });
  }
  return { format, width, height, planes, size };
}
