/**
 * Raw audio as the audio elements carry it: interleaved frames of S16LE or F32LE samples. Pure
 * helpers for caps fields, sizes and time; the kernels in assembly/audio/ and their references in
 * ./reference/ take sample or frame counts that these compute.
 *
 * Any thread; allocation-free.
 */

/** The sample formats the audio kernels process, by their GStreamer caps names. */
export type AudioFormat = 'S16LE' | 'F32LE';

export const AUDIO_FORMATS: readonly AudioFormat[] = ['S16LE', 'F32LE'];

/** Channel counts run 1..64 (GStreamer's positioned-channel limit, and the kernels'). */
export const MAX_AUDIO_CHANNELS = 64;

/** GStreamer's default rate when caps leave it open (GST_AUDIO_DEF_RATE). */
export const DEFAULT_AUDIO_RATE = 44100;

const NS_PER_SECOND = 1_000_000_000;

export function isAudioFormat(value: unknown): value is AudioFormat {
  return value === 'S16LE' || value === 'F32LE';
}

/** Bytes in one sample: 2 for S16LE, 4 for F32LE. */
export function bytesPerSample(format: AudioFormat): 2 | 4 {
  return format === 'S16LE' ? 2 : 4;
}

/** Bytes in one frame (one sample per channel). */
export function bytesPerFrame(format: AudioFormat, channels: number): number {
  return bytesPerSample(format) * channels;
}

/** Whole frames in `bytes` (a trailing partial frame is not counted). */
export function framesInBytes(bytes: number, format: AudioFormat, channels: number): number {
  return Math.floor(bytes / bytesPerFrame(format, channels));
}

/** Whether `channels` is a channel count the kernels accept. */
export function isValidChannelCount(channels: number): boolean {
  return Number.isInteger(channels) && channels >= 1 && channels <= MAX_AUDIO_CHANNELS;
}

/** Whether `rate` is a sample rate the kernels accept (a positive 32-bit integer). */
export function isValidRate(rate: number): boolean {
  return Number.isInteger(rate) && rate >= 1 && rate <= 0x7fffffff;
}

/**
 * floor((a · b + add) / c) for non-negative integers, GStreamer's gst_util_uint64_scale* family.
 * Exact while the result and r · b + add (r < c) stay below 2^53: for audio rates below 9 MHz,
 * any timestamp up to about 104 days.
 */
function mulDivFloor(a: number, b: number, c: number, add: number): number {
  const q = Math.floor(a / c);
  const r = a - q * c;
  // a·b + add = q·b·c + (r·b + add), and r·b + add is small enough to divide exactly.
  const t = r * b + add;
  let f = Math.floor(t / c);
  if (f * c > t) f--;
  else if ((f + 1) * c <= t) f++;
  return q * b + f;
}

/** Frames that fill `ns` nanoseconds at `rate`, rounded down (gst_util_uint64_scale_int(ns, rate, GST_SECOND)). */
export function framesForDuration(ns: number, rate: number): number {
  return mulDivFloor(ns, rate, NS_PER_SECOND, 0);
}

/**
 * The frame at `ns` nanoseconds at `rate`, rounded to nearest, halves up
 * (gst_util_uint64_scale_round(ns, rate, GST_SECOND)): where a buffer's timestamp lands on a
 * frame timeline. The inverse of durationOfFrames: framesAtTime(durationOfFrames(f, r), r) = f.
 */
export function framesAtTime(ns: number, rate: number): number {
  return mulDivFloor(ns, rate, NS_PER_SECOND, NS_PER_SECOND / 2);
}

/**
 * Nanoseconds from frame 0 to frame `frames` at `rate`, rounded to nearest, halves up
 * (gst_util_uint64_scale_round(frames, GST_SECOND, rate)): a source's buffer timestamps.
 */
export function durationOfFrames(frames: number, rate: number): number {
  return mulDivFloor(frames, NS_PER_SECOND, rate, Math.floor(rate / 2));
}
