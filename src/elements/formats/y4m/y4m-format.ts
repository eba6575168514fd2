import { Caps, CapsValue, Structure } from '../../../element/caps/index.js';
import { ParallaxError } from '../../../errors.js';
import { VIDEO_MAX_DIMENSION, VideoChromaSite, defaultVideoChromaSite } from '../../video/layout.js';
import { videoCapsText, videoInfo, type VideoInfo } from '../../video/video-caps.js';

/**
 * YUV4MPEG2 (Y4M), the uncompressed stream mjpegtools defined and ffmpeg reads and writes: one
 * text line of stream parameters, then per frame a `FRAME` line and the planes, tightly packed
 * (no row padding), Y then U then V. What is read from a header, how it maps to `video/x-raw`
 * caps, and the header written back. Event loop; allocates.
 *
 * Stream header: `YUV4MPEG2` then space-separated tags, a letter and a value, up to `\n`:
 * W width, H height, F frame rate `n:d`, I interlacing (p, t, b, m, ?), A pixel aspect `n:d`
 * (0:0 unknown), C colour space, X an extension (`XCOLORRANGE=FULL|LIMITED` is read; the rest,
 * ffmpeg's `XYSCSS` among them, is skipped). Tags this reader does not know are skipped, as the
 * format asks. W, H and F are required; C defaults to 420jpeg.
 *
 * | C | caps |
 * |---|---|
 * | 420jpeg, 420 | I420, chroma-site=jpeg |
 * | 420mpeg2 | I420, chroma-site=mpeg2 |
 * | 420paldv | I420, chroma-site=dv |
 * | 422 | Y42B |
 * | 444 | Y444 |
 * | mono | GRAY8 |
 *
 * The header written (`y4mHeader`) is ffmpeg 5.1's, tag for tag, so that a stream ffmpeg wrote
 * comes back byte for byte: `YUV4MPEG2 W H F I A C`, then `XYSCSS=` for the YUV spaces and
 * `XCOLORRANGE=` when the caps' colorimetry gives a range.
 */

/** The formats a Y4M stream carries, as caps names. */
export const Y4M_FORMATS: readonly string[] = ['I420', 'Y42B', 'Y444', 'GRAY8'];
/** Raw video a Y4M stream can carry. */
export const Y4M_VIDEO_CAPS_TEXT = videoCapsText(Y4M_FORMATS);
/** The byte stream, as GStreamer's y4menc names it. */
export const Y4M_CAPS_TEXT = 'application/x-yuv4mpeg, y4mversion=(int)2';

export const Y4M_MAGIC = 'YUV4MPEG2';
/** A stream header longer than this is not one (ffmpeg's writer stays under 100 bytes). */
export const Y4M_MAX_HEADER = 4096;
/** A FRAME line longer than this is not one. */
export const Y4M_MAX_FRAME_LINE = 1024;

export type Y4mRange = 'FULL' | 'LIMITED';

/** What a stream header says. */
export interface Y4mHeader {
  readonly width: number;
  readonly height: number;
  readonly fpsN: number;
  readonly fpsD: number;
  /** p (progressive), t (top field first), b (bottom field first), m (mixed); `?` reads as p. */
  readonly interlace: 'p' | 't' | 'b' | 'm';
  /** Pixel aspect ratio; 0:0 when unknown. */
  readonly parN: number;
  readonly parD: number;
  /** The colour space (C), normalised: `420` reads as 420jpeg. */
  readonly colorspace: string;
  readonly range: Y4mRange | undefined;
}

/** C values by caps: format, and for I420 the chroma-site. */
const SPACES: Readonly<Record<string, { format: string; site?: string; yscss?: string }>> = {
  '420jpeg': { format: 'I420', site: 'jpeg', yscss: '420JPEG' },
  '420mpeg2': { format: 'I420', site: 'mpeg2', yscss: '420MPEG2' },
  '420paldv': { format: 'I420', site: 'dv', yscss: '420PALDV' },
  '422': { format: 'Y42B', yscss: '422' },
  '444': { format: 'Y444', yscss: '444' },
  mono: { format: 'GRAY8' },
};

/**
 * Parses a stream header line (`line` holds it without the `\n`; it starts at byte `at` of the
 * stream). Returns the header, or a message naming the byte offset of what is wrong.
 */
export function parseY4mHeader(line: string, at = 0): Y4mHeader | string {
  if (!line.startsWith(Y4M_MAGIC) || (line.length > Y4M_MAGIC.length && line[Y4M_MAGIC.length] !== ' ')) {
    return `not a YUV4MPEG2 stream: found "${printable(line.slice(0, 10))}" at byte ${at}, expected "${Y4M_MAGIC} "`;
  }
  let width: number | undefined;
  let height: number | undefined;
  let fps: [number, number] | undefined;
  let interlace: Y4mHeader['interlace'] = 'p';
  let par: [number, number] = [0, 0];
  let colorspace = '420jpeg';
  let range: Y4mRange | undefined;
  let pos = Y4M_MAGIC.length;
  while (pos < line.length) {
    if (line[pos] === ' ') {
      pos++;
      continue;
    }
    const end = line.indexOf(' ', pos) < 0 ? line.length : line.indexOf(' ', pos);
    const tag = line[pos]!;
    const value = line.slice(pos + 1, end);
    const where = `at byte ${at + pos}`;
    switch (tag) {
      case 'W':
      case 'H': {
        const n = positiveInt(value);
        if (n === undefined || n > VIDEO_MAX_DIMENSION) return `bad ${tag === 'W' ? 'width' : 'height'} ${tag}${printable(value)} ${where}: expected an integer in 1..${VIDEO_MAX_DIMENSION}`;
        if (tag === 'W') width = n;
        else height = n;
        break;
      }
      case 'F': {
        const r = ratio(value);
        if (r === undefined || r[0] === 0 || r[1] === 0) return `bad frame rate F${printable(value)} ${where}: expected n:d with both above 0`;
        fps = r;
        break;
      }
      case 'A': {
        const r = ratio(value);
        if (r === undefined || (r[0] === 0) !== (r[1] === 0)) return `bad pixel aspect A${printable(value)} ${where}: expected n:d (0:0 for unknown)`;
        par = r;
        break;
      }
      case 'I':
        if (value === '?' || value === 'p') interlace = 'p';
        else if (value === 't' || value === 'b' || value === 'm') interlace = value;
        else return `bad interlacing I${printable(value)} ${where}: expected p, t, b, m or ?`;
        break;
      case 'C': {
        const space = value === '420' ? '420jpeg' : value;
        if (SPACES[space] === undefined) return `unsupported colour space C${printable(value)} ${where}: expected one of 420jpeg, 420mpeg2, 420paldv, 420, 422, 444, mono`;
        colorspace = space;
        break;
      }
      case 'X':
        if (value === 'COLORRANGE=FULL') range = 'FULL';
        else if (value === 'COLORRANGE=LIMITED') range = 'LIMITED';
        break;
      default:
        break;
    }
    pos = end;
  }
  const missing = [width === undefined ? 'W (width)' : '', height === undefined ? 'H (height)' : '', fps === undefined ? 'F (frame rate)' : ''].filter((m) => m !== '');
  if (missing.length > 0) return `the stream header at byte ${at} has no ${missing.join(', ')}`;
  return { width: width!, height: height!, fpsN: fps![0], fpsD: fps![1], interlace, parN: par[0], parD: par[1], colorspace, range };
}

/** The caps of a stream with header `h`. */
export function y4mCaps(h: Y4mHeader): Caps {
  const space = SPACES[h.colorspace]!;
  const fields: [string, CapsValue][] = [
    ['format', CapsValue.string(space.format)],
    ['width', CapsValue.int(h.width)],
    ['height', CapsValue.int(h.height)],
    ['framerate', CapsValue.fraction(h.fpsN, h.fpsD)],
  ];
  if (h.parN > 0) fields.push(['pixel-aspect-ratio', CapsValue.fraction(h.parN, h.parD)]);
  if (h.interlace === 'm') fields.push(['interlace-mode', CapsValue.string('mixed')]);
  if (h.interlace === 't' || h.interlace === 'b') {
    fields.push(['interlace-mode', CapsValue.string('interleaved')], ['field-order', CapsValue.string(h.interlace === 't' ? 'top-field-first' : 'bottom-field-first')]);
  }
  if (space.site !== undefined) fields.push(['chroma-site', CapsValue.string(space.site)]);
  // GStreamer's "range:matrix:transfer:primaries" with only the range known (1 full, 2 limited).
  if (h.range !== undefined) fields.push(['colorimetry', CapsValue.string(h.range === 'FULL' ? '1:0:0:0' : '2:0:0:0')]);
  return Caps.of(new Structure('video/x-raw', fields));
}

/** What y4menc needs from fixed caps: the video info and the header to write. */
export interface Y4mStream {
  readonly info: VideoInfo;
  readonly header: Y4mHeader;
}

/** The stream fixed `caps` describe, or a NOT_NEGOTIATED error naming the element and the field. */
export function y4mStreamOf(caps: Caps, element: string): Y4mStream {
  const info = videoInfo(caps, element, Y4M_FORMATS);
  const s = caps.structures[0]!;
  const fail = (what: string): never => {
    throw new ParallaxError('NOT_NEGOTIATED', `${element}: ${what} in caps ${caps.toString()}`);
  };
  if (info.fpsN <= 0 || info.fpsD <= 0) fail('a Y4M stream needs a frame rate above 0 (framerate)');
  let colorspace = info.formatName === 'Y42B' ? '422' : info.formatName === 'Y444' ? '444' : info.formatName === 'GRAY8' ? 'mono' : '';
  if (info.formatName === 'I420') {
    // Caps without a chroma-site mean GStreamer's default for the height (mpeg2 above 576 lines).
    const site = s.getString('chroma-site') ?? (defaultVideoChromaSite(info.height) === VideoChromaSite.MPEG2 ? 'mpeg2' : 'jpeg');
    const found = Object.entries(SPACES).find(([, v]) => v.site === site);
    if (found === undefined) fail(`chroma-site ${site} has no Y4M colour space (jpeg, mpeg2 or dv)`);
    colorspace = found![0];
  }
  const par = s.getFraction('pixel-aspect-ratio');
  const mode = s.getString('interlace-mode');
  const order = s.getString('field-order');
  const interlace = mode === 'mixed' ? 'm' : mode === 'interleaved' ? (order === 'bottom-field-first' ? 'b' : 't') : 'p';
  return {
    info,
    header: {
      width: info.width, height: info.height, fpsN: info.fpsN, fpsD: info.fpsD, interlace,
      parN: par !== undefined && par.num > 0 ? par.num : 0, parD: par !== undefined && par.num > 0 ? par.den : 0,
      colorspace, range: rangeOf(s.getString('colorimetry')),
    },
  };
}

/** The header line, `\n` included, as ffmpeg 5.1 writes it. */
export function y4mHeader(h: Y4mHeader): string {
  const yscss = SPACES[h.colorspace]?.yscss;
  return `${Y4M_MAGIC} W${h.width} H${h.height} F${h.fpsN}:${h.fpsD} I${h.interlace} A${h.parN}:${h.parD} C${h.colorspace}` +
    `${yscss !== undefined ? ` XYSCSS=${yscss}` : ''}${h.range !== undefined ? ` XCOLORRANGE=${h.range}` : ''}\n`;
}

/** The range a colorimetry names: its first number, or the range of a named one. */
function rangeOf(colorimetry: string | undefined): Y4mRange | undefined {
  if (colorimetry === undefined) return undefined;
  const numbers = /^(\d+):\d+:\d+:\d+$/.exec(colorimetry);
  if (numbers !== null) return numbers[1] === '1' ? 'FULL' : numbers[1] === '2' ? 'LIMITED' : undefined;
  if (colorimetry === 'sRGB') return 'FULL';
  return /^bt(601|709|2020|2100)/.test(colorimetry) ? 'LIMITED' : undefined;
}

function positiveInt(v: string): number | undefined {
  if (!/^\d{1,9}$/.test(v)) return undefined;
  const n = Number(v);
  return n > 0 ? n : undefined;
}

function ratio(v: string): [number, number] | undefined {
  const m = /^(\d{1,10}):(\d{1,10})$/.exec(v);
  if (m === null) return undefined;
  const [n, d] = [Number(m[1]), Number(m[2])];
  return n <= 0x7fffffff && d <= 0x7fffffff ? [n, d] : undefined;
}

/** Text for messages, with anything unprintable shown as "?". */
export function printable(s: string): string {
  return s.replace(/[^\x20-\x7e]/g, '?');
}
