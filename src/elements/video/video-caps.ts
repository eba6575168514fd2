import { Caps, CapsValue, parseCaps, type Structure } from '../../element/caps/index.js';
import { ParallaxError } from '../../errors.js';
import {
  VIDEO_FORMAT_NAMES, VIDEO_MAX_DIMENSION, VideoChromaSite, VideoFormat, VideoMatrix, defaultVideoChromaSite,
  defaultVideoMatrix, videoFormatFromName, videoFrameSize,
} from './layout.js';

/**
 * Raw video as the video elements carry it: caps text, what an element needs from fixed caps
 * (VideoInfo), and the caps edits their negotiation hooks make. Event loop (negotiation);
 * allocates caps.
 */

/**
 * The formats every video kernel handles (videotestsrc, videoconvert, videoscale, videoflip), in
 * the order elements prefer them (I420 first). The default of `videoInfo` and `videoCapsText`.
 */
export const VIDEO_FORMATS: readonly string[] = ['I420', 'NV12', 'RGBA', 'RGB'];

/**
 * Every format the layout knows (layout.ts): the above, then the planar formats that only
 * videoflip and the byte-stream elements (y4mparse, y4menc, rawvideoparse) take.
 */
export const VIDEO_LAYOUT_FORMATS: readonly string[] = [...VIDEO_FORMATS, 'Y42B', 'Y444', 'GRAY8'];

/** Raw video in one of `formats`, any size up to 16384, any frame rate. */
export function videoCapsText(formats: readonly string[]): string {
  return `video/x-raw, format=(string){ ${formats.join(', ')} }, width=(int)[ 1, ${VIDEO_MAX_DIMENSION} ], height=(int)[ 1, ${VIDEO_MAX_DIMENSION} ], framerate=(fraction)[ 0/1, 2147483647/1 ]`;
}

/** Raw video in a format every kernel handles, any size up to 16384, any frame rate. */
export const VIDEO_CAPS_TEXT = videoCapsText(VIDEO_FORMATS);
export const VIDEO_CAPS: Caps = parseCaps(VIDEO_CAPS_TEXT);

/** What a video element needs from negotiated caps. */
export interface VideoInfo {
  readonly format: VideoFormat;
  /** The caps name of the format: `I420`. */
  readonly formatName: string;
  readonly width: number;
  readonly height: number;
  /** Frame rate numerator and denominator; 0/1 (a single still frame) when the caps have none. */
  readonly fpsN: number;
  readonly fpsD: number;
  /** Bytes of one frame (layout.ts). */
  readonly size: number;
  /** I420, NV12, Y42B or Y444 (GRAY8 has no chroma, so no matrix). */
  readonly yuv: boolean;
  /** The caps' colorimetry text, or undefined. */
  readonly colorimetry: string | undefined;
  /** The colour matrix: the colorimetry's, else GStreamer's default for the height (BT.709 above 576 lines). */
  readonly matrix: VideoMatrix;
  /** Why the colorimetry cannot be used by the kernels (YUV caps only), or null. */
  readonly matrixProblem: string | null;
  /** The chroma site: the caps', else GStreamer's default for the height (mpeg2 above 576 lines). */
  readonly chromaSite: VideoChromaSite;
  /** Why the chroma-site cannot be used by the kernels (YUV caps only), or null. */
  readonly chromaProblem: string | null;
}

/**
 * The fixed video format of `caps`, or a NOT_NEGOTIATED error naming the element and the field.
 * `formats` are the ones the element takes (by default those every kernel handles), so in-band
 * caps in another format are refused here, as negotiation refuses them by the template.
 */
export function videoInfo(caps: Caps, element: string, formats: readonly string[] = VIDEO_FORMATS): VideoInfo {
  const s = caps.structures[0];
  const fail = (what: string): never => {
    throw new ParallaxError('NOT_NEGOTIATED', `${element}: ${what} in caps ${caps.toString()}`);
  };
  if (s === undefined || s.name !== 'video/x-raw') return fail('expected video/x-raw');
  const formatName = s.getString('format');
  const format = formatName === undefined || !formats.includes(formatName) ? undefined : videoFormatFromName(formatName);
  if (format === undefined) return fail(`format ${formatName ?? '(missing)'} is not one of ${formats.join(', ')}`);
  const width = s.getInt('width');
  const height = s.getInt('height');
  if (width === undefined || width < 1 || width > VIDEO_MAX_DIMENSION) return fail(`width ${width ?? '(missing)'} is not in 1..${VIDEO_MAX_DIMENSION}`);
  if (height === undefined || height < 1 || height > VIDEO_MAX_DIMENSION) return fail(`height ${height ?? '(missing)'} is not in 1..${VIDEO_MAX_DIMENSION}`);
  const rate = s.getFraction('framerate');
  if (s.has('framerate') && (rate === undefined || rate.num < 0)) return fail('framerate is not a fixed fraction of at least 0/1');
  const yuv = isYuvName(VIDEO_FORMAT_NAMES[format]!);
  const colorimetry = s.getString('colorimetry');
  const m = yuv ? matrixOf(colorimetry, height) : { matrix: defaultVideoMatrix(height), problem: null };
  const site = s.getString('chroma-site');
  const c = yuv ? chromaSiteOf(site, height) : { site: defaultVideoChromaSite(height), problem: null };
  return {
    format, formatName: VIDEO_FORMAT_NAMES[format]!, width, height,
    fpsN: rate?.num ?? 0, fpsD: rate?.den ?? 1,
    size: videoFrameSize(format, width, height),
    yuv, colorimetry, matrix: m.matrix, matrixProblem: m.problem, chromaSite: c.site, chromaProblem: c.problem,
  };
}

/** `I420 320x240` for messages. */
export function describeVideo(info: VideoInfo): string {
  return `${info.formatName} ${info.width}x${info.height}`;
}

// GstVideoColorMatrix values in the "range:matrix:transfer:primaries" form of colorimetry.
const MATRIX_BT709 = 3;
const MATRIX_BT601 = 4;
const RANGE_FULL = 1;

/**
 * The kernels' matrix for YUV `colorimetry` (GStreamer's names `bt601`, `bt709`, or the
 * `range:matrix:transfer:primaries` numbers). The kernels are limited-range BT.601 and BT.709
 * only: anything else comes back with the default and a problem to report where it matters.
 */
function matrixOf(colorimetry: string | undefined, height: number): { matrix: VideoMatrix; problem: string | null } {
  const fallback = defaultVideoMatrix(height);
  if (colorimetry === undefined) return { matrix: fallback, problem: null };
  if (colorimetry === 'bt601') return { matrix: VideoMatrix.BT601, problem: null };
  if (colorimetry === 'bt709') return { matrix: VideoMatrix.BT709, problem: null };
  const parts = /^(\d+):(\d+):(\d+):(\d+)$/.exec(colorimetry);
  if (parts === null) return { matrix: fallback, problem: `colorimetry ${colorimetry} is not BT.601 or BT.709, the matrices the kernels have` };
  if (Number(parts[1]) === RANGE_FULL) return { matrix: fallback, problem: `colorimetry ${colorimetry} is full range; the kernels are limited range (16..235)` };
  const code = Number(parts[2]);
  if (code === MATRIX_BT709) return { matrix: VideoMatrix.BT709, problem: null };
  if (code === MATRIX_BT601) return { matrix: VideoMatrix.BT601, problem: null };
  if (code === 0) return { matrix: fallback, problem: null };
  return { matrix: fallback, problem: `colorimetry ${colorimetry} has matrix ${code}, not BT.601 (4) or BT.709 (3), the matrices the kernels have` };
}

function chromaSiteOf(site: string | undefined, height: number): { site: VideoChromaSite; problem: string | null } {
  if (site === undefined) return { site: defaultVideoChromaSite(height), problem: null };
  if (site === 'jpeg') return { site: VideoChromaSite.JPEG, problem: null };
  if (site === 'mpeg2') return { site: VideoChromaSite.MPEG2, problem: null };
  return { site: defaultVideoChromaSite(height), problem: `chroma-site ${site} is not jpeg or mpeg2, the sitings the kernels subsample to` };
}

// --- caps edits for transformCaps and fixateCaps -----------------------------------------------

/** `caps` with `edit` applied to each video/x-raw structure; ANY and EMPTY as they are. */
export function mapVideoStructures(caps: Caps, edit: (s: Structure) => Structure): Caps {
  if (caps.isAny() || caps.isEmpty()) return caps;
  return Caps.of(...caps.structures.map((s) => (s.name === 'video/x-raw' ? edit(s) : s))).simplify();
}

/** The strings of a string or list-of-strings value, in order. */
export function stringsOf(v: CapsValue | undefined): string[] {
  if (v === undefined) return [];
  if (v.kind === 'string') return [v.value];
  if (v.kind === 'list') return v.items.flatMap(stringsOf);
  return [];
}

/** `s` with `field` set to `value` when the field is a list that holds it (a preference, as gst_structure_fixate_field_string). */
export function preferString(s: Structure, field: string, value: string): Structure {
  const v = s.get(field);
  return v !== undefined && v.kind === 'list' && stringsOf(v).includes(value) ? s.with(field, CapsValue.string(value)) : s;
}

/** Whether a format name is YUV with chroma (I420, NV12, Y42B, Y444). */
export function isYuvName(name: string): boolean {
  return name === 'I420' || name === 'NV12' || name === 'Y42B' || name === 'Y444';
}
