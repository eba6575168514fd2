import { parseCaps, type Caps } from '../../element/caps/index.js';
import { ParallaxError } from '../../errors.js';
import { bytesPerFrame, isAudioFormat, isValidChannelCount, isValidRate, type AudioFormat } from './format.js';

/** Raw interleaved audio in the formats the audio kernels process, any rate, 1..64 channels. */
export const AUDIO_CAPS_TEXT = 'audio/x-raw, format=(string){ S16LE, F32LE }, layout=(string)interleaved, rate=(int)[ 1, 2147483647 ], channels=(int)[ 1, 64 ]';
export const AUDIO_CAPS: Caps = parseCaps(AUDIO_CAPS_TEXT);

/** What an audio element needs from negotiated caps. */
export interface AudioInfo {
  readonly format: AudioFormat;
  readonly rate: number;
  readonly channels: number;
  /** Bytes per frame. */
  readonly bpf: number;
}

/** The fixed audio format of `caps`, or a NOT_NEGOTIATED error naming the element and the field. */
export function audioInfo(caps: Caps, element: string): AudioInfo {
  const s = caps.structures[0];
  const fail = (what: string): never => {
    throw new ParallaxError('NOT_NEGOTIATED', `${element}: ${what} in caps ${caps.toString()}`);
  };
  if (s === undefined || s.name !== 'audio/x-raw') return fail('expected audio/x-raw');
  const format = s.getString('format');
  if (!isAudioFormat(format)) return fail(`format ${format ?? '(missing)'} is not S16LE or F32LE`);
  const rate = s.getInt('rate');
  if (rate === undefined || !isValidRate(rate)) return fail(`rate ${rate ?? '(missing)'} is not a positive integer`);
  const channels = s.getInt('channels');
  if (channels === undefined || !isValidChannelCount(channels)) return fail(`channels ${channels ?? '(missing)'} is not in 1..64`);
  const layout = s.getString('layout');
  if (layout !== undefined && layout !== 'interleaved') return fail(`layout ${layout} is not interleaved`);
  return { format, rate, channels, bpf: bytesPerFrame(format, channels) };
}
