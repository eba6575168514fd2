/**
 * The PCM sample formats rawaudioparse can frame, by GStreamer's `pcm-format` nick (lowercase, as
 * GstAudioFormat's enum nicks are), GstAudioFormat number and caps name (uppercase). Only the
 * width matters to framing; the name goes into the caps so that downstream elements know how to
 * read the samples.
 *
 * Any thread; constant data.
 */
export interface PcmFormat {
  readonly nick: string;
  /** GStreamer's GstAudioFormat value, so that `pcm-format=4` means s16le as in gst-launch. */
  readonly value: number;
  /** The caps `format` field. */
  readonly name: string;
  /** Bytes per sample (24-bit formats are packed: 3 bytes). */
  readonly width: number;
}

export const PCM_FORMATS: readonly PcmFormat[] = [
  { nick: 's8', value: 2, name: 'S8', width: 1 },
  { nick: 'u8', value: 3, name: 'U8', width: 1 },
  { nick: 's16le', value: 4, name: 'S16LE', width: 2 },
  { nick: 's16be', value: 5, name: 'S16BE', width: 2 },
  { nick: 'u16le', value: 6, name: 'U16LE', width: 2 },
  { nick: 'u16be', value: 7, name: 'U16BE', width: 2 },
  { nick: 's24le', value: 16, name: 'S24LE', width: 3 },
  { nick: 's24be', value: 17, name: 'S24BE', width: 3 },
  { nick: 's32le', value: 12, name: 'S32LE', width: 4 },
  { nick: 's32be', value: 13, name: 'S32BE', width: 4 },
  { nick: 'u32le', value: 14, name: 'U32LE', width: 4 },
  { nick: 'u32be', value: 15, name: 'U32BE', width: 4 },
  { nick: 'f32le', value: 28, name: 'F32LE', width: 4 },
  { nick: 'f32be', value: 29, name: 'F32BE', width: 4 },
  { nick: 'f64le', value: 30, name: 'F64LE', width: 8 },
  { nick: 'f64be', value: 31, name: 'F64BE', width: 8 },
];

/** The format with this nick (`s16le`) or caps name (`S16LE`). */
export function pcmFormat(nickOrName: string): PcmFormat | undefined {
  return PCM_FORMATS.find((f) => f.nick === nickOrName || f.name === nickOrName);
}

/** The src pad template of rawaudioparse: any of these formats, interleaved. */
export const RAW_AUDIO_CAPS_TEXT = `audio/x-raw, format=(string){ ${PCM_FORMATS.map((f) => f.name).join(', ')} }, layout=(string)interleaved, rate=(int)[ 1, 2147483647 ], channels=(int)[ 1, 64 ]`;
