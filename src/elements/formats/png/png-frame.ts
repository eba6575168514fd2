import type { Caps } from '../../../element/caps/index.js';

/**
 * What pngsink needs from video/x-raw caps: the size, the PNG colour type's channel count, and
 * the stride of the single plane. Strides follow GStreamer's default layout (video-info.c
 * `fill_planes`, and src/elements/video/layout.ts): RGBA w·4, RGB RU4(w·3), GRAY8 RU4(w). GRAY8 is
 * computed here rather than taken from layout.ts so that pngsink does not depend on which
 * formats the video kernels handle.
 *
 * Any thread; off the hot path (negotiation and one frame).
 */
export interface PngFrame {
  readonly format: 'RGBA' | 'RGB' | 'GRAY8';
  readonly width: number;
  readonly height: number;
  /** 4, 3 or 1: PNG colour types 6 (RGBA), 2 (RGB) and 0 (grey). */
  readonly channels: 4 | 3 | 1;
  /** Bytes from one row to the next in the buffer (at least width · channels). */
  readonly stride: number;
}

export const PNG_FORMATS = ['RGBA', 'RGB', 'GRAY8'] as const;
const CHANNELS = { RGBA: 4, RGB: 3, GRAY8: 1 } as const;
const MAX_DIMENSION = 16384;

const ru4 = (v: number): number => (v + 3) & ~3;

/** The frame layout of `caps`, or why they cannot be encoded. */
export function pngFrame(caps: Caps): PngFrame | string {
  const s = caps.structures[0];
  if (s === undefined || s.name !== 'video/x-raw') return `expected video/x-raw, got ${caps.toString()}`;
  const format = s.getString('format');
  if (format !== 'RGBA' && format !== 'RGB' && format !== 'GRAY8') return `format ${format ?? '(missing)'} is not one of ${PNG_FORMATS.join(', ')}`;
  const width = s.getInt('width');
  const height = s.getInt('height');
  if (width === undefined || width < 1 || width > MAX_DIMENSION) return `width ${width ?? '(missing)'} is not in 1..${MAX_DIMENSION}`;
  if (height === undefined || height < 1 || height > MAX_DIMENSION) return `height ${height ?? '(missing)'} is not in 1..${MAX_DIMENSION}`;
  const channels = CHANNELS[format];
  const stride = format === 'RGBA' ? width * 4 : ru4(width * channels);
  return { format, width, height, channels, stride };
}

/**
 * The frame's pixels as tightly packed rows, as a PNG encoder takes them: a view of `data` when
 * the stride has no padding (no copy), else the rows packed into a new array (one copy of the
 * frame, which the encoder's filtering would make anyway).
 */
export function packedPixels(data: Uint8Array, f: PngFrame): Uint8Array {
  const row = f.width * f.channels;
  if (f.stride === row) return data.subarray(0, row * f.height);
  const out = new Uint8Array(row * f.height);
  for (let y = 0; y < f.height; y++) out.set(data.subarray(y * f.stride, y * f.stride + row), y * row);
  return out;
}
