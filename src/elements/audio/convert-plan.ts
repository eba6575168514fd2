import type { AudioInfo } from './audio-caps.js';

/**
 * What audioconvert does to each buffer between two negotiated formats, decided once at
 * negotiation: which kernels, in which order, and where each step writes.
 *
 * - Equal formats: pass the buffer through untouched.
 * - Format only: audioconvert_s16_to_f32 / audioconvert_f32_to_s16.
 * - Channels only: audioconvert_mono_to_stereo_*, audioconvert_stereo_to_mono_*, or
 *   audioconvert_mix_* through the channel matrix (./channel-matrix.ts).
 * - Both: the channel step runs in F32, whichever side is F32, so a down-mix is never rounded
 *   to S16 twice.
 *   S16 → F32: S16 → F32 into a temporary buffer, then the channel step into the output.
 *   F32 → S16: the channel step into the output buffer (sized for F32 frames), then F32 → S16
 *   in place there; no temporary buffer.
 *
 * F32 → S16 and stereo → mono may write over their input, so a plan of only those steps runs
 * in place on a writable input buffer: no new buffer at all.
 *
 * Any thread; pure.
 */
export type FormatStep = 'none' | 's16-to-f32' | 'f32-to-s16';
export type ChannelStep = 'none' | 'mono-to-stereo' | 'stereo-to-mono' | 'matrix';

export interface ConvertPlan {
  readonly from: AudioInfo;
  readonly to: AudioInfo;
  readonly format: FormatStep;
  readonly channels: ChannelStep;
  /** Equal formats: buffers pass through untouched. */
  readonly passthrough: boolean;
  /** Every step may overwrite its input: a writable input buffer becomes the output. */
  readonly inPlace: boolean;
  /** Bytes per frame of the output buffer while converting (F32 frames before a final F32 → S16). */
  readonly workBpf: number;
  /** Bytes per frame of the temporary buffer (S16 → F32 before a channel step); 0 when none. */
  readonly tempBpf: number;
}

/** The plan from `from` to `to`; both must have the same rate (audioconvert does not resample). */
export function planConversion(from: AudioInfo, to: AudioInfo): ConvertPlan {
  const format: FormatStep = from.format === to.format ? 'none' : from.format === 'S16LE' ? 's16-to-f32' : 'f32-to-s16';
  const channels: ChannelStep = from.channels === to.channels ? 'none'
    : from.channels === 1 && to.channels === 2 ? 'mono-to-stereo'
      : from.channels === 2 && to.channels === 1 ? 'stereo-to-mono' : 'matrix';
  const passthrough = format === 'none' && channels === 'none';
  const inPlace = !passthrough && (format === 'none' || format === 'f32-to-s16') && (channels === 'none' || channels === 'stereo-to-mono');
  const both = format !== 'none' && channels !== 'none';
  return {
    from,
    to,
    format,
    channels,
    passthrough,
    inPlace,
    workBpf: both && format === 'f32-to-s16' ? 4 * to.channels : to.bpf,
    tempBpf: both && format === 's16-to-f32' ? 4 * from.channels : 0,
  };
}
