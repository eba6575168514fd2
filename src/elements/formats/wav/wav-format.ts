/**
 * The RIFF/WAVE layout that wavparse reads and wavenc writes: the sample formats, the `fmt `
 * chunk (WAVE_FORMAT_PCM, WAVE_FORMAT_IEEE_FLOAT and WAVE_FORMAT_EXTENSIBLE with its subformat
 * GUID), and the header wavenc writes. Pure helpers; any thread.
 *
 * A file is `RIFF <size> WAVE`, then chunks of `<id:4> <size:u32le> <payload>`, each padded to an
 * even length. The samples are the payload of the `data` chunk, interleaved, little-endian.
 */

/** The sample formats of a WAV file, by their GStreamer caps names (S24LE is packed, 3 bytes). */
export type WavSampleFormat = 'S16LE' | 'S24LE' | 'S32LE' | 'F32LE';

export const WAV_FORMATS: readonly WavSampleFormat[] = ['S16LE', 'S24LE', 'S32LE', 'F32LE'];

export const WAVE_FORMAT_PCM = 0x0001;
export const WAVE_FORMAT_IEEE_FLOAT = 0x0003;
export const WAVE_FORMAT_EXTENSIBLE = 0xfffe;

/** Bytes 2..15 of every KSDATAFORMAT_SUBTYPE_* GUID; bytes 0..1 hold the format tag. */
const GUID_TAIL = [0x00, 0x00, 0x00, 0x00, 0x10, 0x00, 0x80, 0x00, 0x00, 0xaa, 0x00, 0x38, 0x9b, 0x71];

/** Raw audio caps of every format a WAV file can hold here; channels as a WAV header counts them. */
export const WAV_AUDIO_CAPS_TEXT = 'audio/x-raw, format=(string){ S16LE, S24LE, S32LE, F32LE }, layout=(string)interleaved, rate=(int)[ 1, 2147483647 ], channels=(int)[ 1, 65535 ]';
export const WAV_CAPS_TEXT = 'audio/x-wav';

/** What the `fmt ` chunk says, once checked. */
export interface WavFormat {
  readonly format: WavSampleFormat;
  readonly rate: number;
  readonly channels: number;
  /** Bytes per frame (the block align). */
  readonly bpf: number;
}

export function isWavSampleFormat(value: unknown): value is WavSampleFormat {
  return value === 'S16LE' || value === 'S24LE' || value === 'S32LE' || value === 'F32LE';
}

export function bytesPerSample(format: WavSampleFormat): 2 | 3 | 4 {
  return format === 'S16LE' ? 2 : format === 'S24LE' ? 3 : 4;
}

export function wavCapsText(f: WavFormat): string {
  return `audio/x-raw, format=(string)${f.format}, layout=(string)interleaved, rate=(int)${f.rate}, channels=(int)${f.channels}`;
}

function sampleFormat(tag: number, bits: number): WavSampleFormat | null {
  if (tag === WAVE_FORMAT_PCM) return bits === 16 ? 'S16LE' : bits === 24 ? 'S24LE' : bits === 32 ? 'S32LE' : null;
  if (tag === WAVE_FORMAT_IEEE_FLOAT) return bits === 32 ? 'F32LE' : null;
  return null;
}

function tagName(tag: number): string {
  return tag === WAVE_FORMAT_PCM ? 'PCM' : tag === WAVE_FORMAT_IEEE_FLOAT ? 'IEEE float' : `0x${tag.toString(16).padStart(4, '0')}`;
}

/**
 * Checks the payload of a `fmt ` chunk that starts at byte `at` of the file. Returns the format,
 * or a message naming the field and its byte offset.
 */
export function parseFmt(b: Uint8Array, at: number): WavFormat | string {
  if (b.byteLength < 16) return `truncated fmt chunk at byte ${at}: ${b.byteLength} bytes, at least 16 needed`;
  const v = new DataView(b.buffer, b.byteOffset, b.byteLength);
  let tag = v.getUint16(0, true);
  const channels = v.getUint16(2, true);
  const rate = v.getUint32(4, true);
  const blockAlign = v.getUint16(12, true);
  const bits = v.getUint16(14, true);
  if (tag === WAVE_FORMAT_EXTENSIBLE) {
    if (b.byteLength < 40) return `truncated WAVE_FORMAT_EXTENSIBLE fmt chunk at byte ${at}: ${b.byteLength} bytes, 40 needed`;
    const valid = v.getUint16(18, true);
    if (valid !== 0 && valid !== bits) return `unsupported sample layout at byte ${at + 18}: ${valid} valid bits in a ${bits}-bit container`;
    for (let i = 0; i < GUID_TAIL.length; i++) {
      if (b[26 + i] !== GUID_TAIL[i]) return `unsupported WAVE_FORMAT_EXTENSIBLE subformat GUID at byte ${at + 24}`;
    }
    tag = v.getUint16(24, true);
  }
  const format = sampleFormat(tag, bits);
  if (format === null) {
    return tag === WAVE_FORMAT_PCM || tag === WAVE_FORMAT_IEEE_FLOAT
      ? `unsupported ${bits}-bit ${tagName(tag)} at byte ${at + 14} (supported: 16, 24, 32-bit PCM and 32-bit float)`
      : `unsupported format tag ${tagName(tag)} at byte ${at} (supported: PCM, IEEE float, WAVE_FORMAT_EXTENSIBLE of those)`;
  }
  if (channels === 0) return `0 channels at byte ${at + 2}`;
  if (rate === 0 || rate > 0x7fffffff) return `bad sample rate ${rate} at byte ${at + 4}`;
  const bpf = channels * bytesPerSample(format);
  if (blockAlign !== bpf) return `bad block align ${blockAlign} at byte ${at + 12}: ${channels} channels of ${bits}-bit samples take ${bpf}`;
  return { format, rate, channels, bpf };
}

/** Speaker positions for 1..8 channels (dwChannelMask); 0 (unassigned) beyond. */
const CHANNEL_MASKS = [0, 0x4, 0x3, 0x7, 0x33, 0x37, 0x3f, 0x13f, 0x63f];

/**
 * The header wavenc writes before `dataBytes` bytes of samples: RIFF, `fmt ` and the `data`
 * chunk's header. Plain PCM or IEEE float for 16-bit mono and stereo; WAVE_FORMAT_EXTENSIBLE
 * (with the subformat GUID and a channel mask) for more channels or wider samples, as Microsoft
 * asks and sox writes. `dataBytes` of -1 writes 0xFFFFFFFF sizes: "until the end of the stream".
 */
export function wavHeader(f: WavFormat, dataBytes: number): Uint8Array {
  const bits = bytesPerSample(f.format) * 8;
  const tag = f.format === 'F32LE' ? WAVE_FORMAT_IEEE_FLOAT : WAVE_FORMAT_PCM;
  const extensible = f.channels > 2 || bits > 16;
  const fmtSize = extensible ? 40 : 16;
  const size = 12 + 8 + fmtSize + 8;
  const out = new Uint8Array(size);
  const v = new DataView(out.buffer);
  const ascii = (at: number, s: string): void => {
    for (let i = 0; i < 4; i++) out[at + i] = s.charCodeAt(i);
  };
  const padded = dataBytes + (dataBytes & 1);
  const riffSize = dataBytes < 0 || size - 8 + padded > 0xffffffff ? 0xffffffff : size - 8 + padded;
  ascii(0, 'RIFF');
  v.setUint32(4, riffSize, true);
  ascii(8, 'WAVE');
  ascii(12, 'fmt ');
  v.setUint32(16, fmtSize, true);
  v.setUint16(20, extensible ? WAVE_FORMAT_EXTENSIBLE : tag, true);
  v.setUint16(22, f.channels, true);
  v.setUint32(24, f.rate, true);
  v.setUint32(28, f.rate * f.bpf, true);
  v.setUint16(32, f.bpf, true);
  v.setUint16(34, bits, true);
  if (extensible) {
    v.setUint16(36, 22, true);
    v.setUint16(38, bits, true);
    v.setUint32(40, CHANNEL_MASKS[f.channels] ?? 0, true);
    v.setUint16(44, tag, true);
    out.set(GUID_TAIL, 46);
  }
  ascii(size - 8, 'data');
  v.setUint32(size - 4, dataBytes < 0 || dataBytes > 0xffffffff ? 0xffffffff : dataBytes, true);
  return out;
}
