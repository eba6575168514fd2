import type { Caps } from '../element/caps/index.js';
import { AUDIO_FORMATS, CapsWord, MEDIA, VIDEO_FORMATS } from './user-abi.js';

/**
 * Fixed caps as the nine words of the caps struct a kernel's `pxl_set_caps` reads
 * (doc/design/006): media, format, rate, channels, width, height, framerate, frame size. A field
 * the caps do not give is 0. Frame sizes follow GStreamer's default layouts: audio interleaved,
 * video rows padded to 4 bytes.
 */
export type CapsWords = readonly number[];

const AUDIO_SAMPLE_BYTES: Readonly<Record<string, number>> = {
  S8: 1, U8: 1, S16LE: 2, S16BE: 2, U16LE: 2, U16BE: 2, S24LE: 3, S24BE: 3, S24_32LE: 4, S24_32BE: 4,
  S32LE: 4, S32BE: 4, U32LE: 4, U32BE: 4, F32LE: 4, F32BE: 4, F64LE: 8, F64BE: 8,
};

const round4 = (n: number): number => Math.ceil(n / 4) * 4;

/** Bytes of one picture in GStreamer's default layout, or 0 for a format not listed. */
function videoFrameBytes(format: string, w: number, h: number): number {
  const cw = Math.ceil(w / 2);
  const ch = Math.ceil(h / 2);
  switch (format) {
    case 'RGBA': case 'BGRA': case 'ARGB': case 'ABGR': case 'RGBx': case 'BGRx': case 'xRGB': case 'xBGR': return w * 4 * h;
    case 'RGB': case 'BGR': return round4(w * 3) * h;
    // 4:2:0: the luma plane is padded to an even number of rows, as GStreamer's video-info.c does.
    case 'I420': case 'YV12': return round4(w) * 2 * ch + 2 * round4(cw) * ch;
    case 'NV12': case 'NV21': return round4(w) * 2 * ch + round4(cw * 2) * ch;
    case 'GRAY8': return round4(w) * h;
    default: return 0;
  }
}

export function capsWords(caps: Caps): CapsWords {
  const words = new Array<number>(9).fill(0);
  const s = caps.isAny() ? undefined : caps.structures[0];
  if (s === undefined) return words;
  const int = (field: string): number => {
    const v = s.getInt(field);
    return v !== undefined && v > 0 ? v : 0;
  };
  const format = s.getString('format') ?? '';
  const media = MEDIA[s.name] ?? 0;
  words[CapsWord.MEDIA] = media;
  if (media === 1) {
    words[CapsWord.FORMAT] = AUDIO_FORMATS[format] ?? 0;
    words[CapsWord.RATE] = int('rate');
    words[CapsWord.CHANNELS] = int('channels');
    words[CapsWord.FRAME_SIZE] = (AUDIO_SAMPLE_BYTES[format] ?? 0) * words[CapsWord.CHANNELS]!;
  } else if (media === 2) {
    words[CapsWord.FORMAT] = VIDEO_FORMATS[format] ?? 0;
    const w = int('width');
    const h = int('height');
    words[CapsWord.WIDTH] = w;
    words[CapsWord.HEIGHT] = h;
    const fps = s.getFraction('framerate');
    if (fps !== undefined && fps.num > 0 && fps.den > 0) {
      words[CapsWord.FPS_NUM] = fps.num;
      words[CapsWord.FPS_DEN] = fps.den;
    }
    words[CapsWord.FRAME_SIZE] = videoFrameBytes(format, w, h);
  }
  return words;
}
