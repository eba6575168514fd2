/**
 * The PCM sample formats rawaudioparse can frame, by GStreamer's `pcm-format` nick (lowercase, as
 * GstAudioFormat's enum nicks are) and caps name (uppercase). Only the width matters to framing;
 * the name goes into the caps so that downstream elements know how to read the samples.
 *
 * Any thread; constant data.
 */
export interface PcmFormat {
  readonly nick: string;
  /** The caps `format` field. */
  readonly name: string;
  /** Bytes per sample (24-bit formats are packed: 3 bytes). */
  readonly width: number;
}

export const PCM_FORMATS: readonly PcmFormat[] = [
  { nick: 's8', name: 'S8', width: 1 },
  { nick: 'u8', name: 'U8', width: 1 },
  { nick: 's16le', name: 'S16LE', width: 2 },
  { nick: 's16be', name: 'S16BE', width: 2 },
  { nick: 'u16le', name: 'U16LE', width: 2 },
  { nick: 'u16be', name: 'U16BE', width: 2 },
  { nick: 's24le', name: 'S24LE', width: 3 },
  { nick: 's24be', name: 'S24BE', width: 3 },
  { nick: 's32le', name: 'S32LE', width: 4 },
  { nick: 's32be', name: 'S32BE', width: 4 },
  { nick: 'u32le', name: 'U32LE', width: 4 },
  { nick: 'u32be', name: 'U32BE', width: 4 },
  { nick: 'f32le', name: 'F32LE', width: 4 },
  { nick: 'f32be', name: 'F32BE', width: 4 },
  { nick: 'f64le', name: 'F64LE', width: 8 },
  { nick: 'f64be', name: 'F64BE', width: 8 },
];

/** The format with this nick (`s16le`) or caps name (`S16LE`). */
export function pcmFormat(nickOrName: string): PcmFormat | undefined {
  return PCM_FORMATS.find((f) => f.nick === nickOrName || f.name === nickOrName);
}

/** The src pad template of rawaudioparse: any of these formats, interleaved. */
export const RAW_AUDIO_CAPS_TEXT = `audio/x-raw, format=(string){ ${PCM_FORMATS.map((f) => f.name).join(', ')} }, layout=(string)interleaved, rate=(int)[ 1, 2147483647 ], channels=(int)[ 1, 64 ]`;
