// The caps struct that `pxl_set_caps(state, caps)` receives: 64 bytes, little-endian u32 words.
// Copy what you need into your state: the struct is rewritten when caps change.
//
//   word 0 media      (Media)            word 5 height (video)
//   word 1 format     (AudioFormat or VideoFormat; 0 for other)
//   word 2 rate (audio)                  word 6 framerate numerator (video)
//   word 3 channels (audio)              word 7 framerate denominator (video)
//   word 4 width (video)                 word 8 frame size in bytes: one sample of every
//                                               channel (audio), one picture (video); 0 unknown
// A field the caps do not give is 0.

/** Bytes of the caps struct. */
export const CAPS_BYTES: i32 = 64;

export enum Media {
  Other = 0,
  Audio = 1,
  Video = 2,
}

export enum AudioFormat {
  Other = 0,
  S16LE = 1,
  F32LE = 2,
}

export enum VideoFormat {
  Other = 0,
  RGBA = 1,
  RGB = 2,
  I420 = 3,
  NV12 = 4,
}

@inline export function capsMedia(caps: usize): u32 { return load<u32>(caps, 0); }
@inline export function capsFormat(caps: usize): u32 { return load<u32>(caps, 4); }
@inline export function capsRate(caps: usize): u32 { return load<u32>(caps, 8); }
@inline export function capsChannels(caps: usize): u32 { return load<u32>(caps, 12); }
@inline export function capsWidth(caps: usize): u32 { return load<u32>(caps, 16); }
@inline export function capsHeight(caps: usize): u32 { return load<u32>(caps, 20); }
@inline export function capsFramerateNum(caps: usize): u32 { return load<u32>(caps, 24); }
@inline export function capsFramerateDen(caps: usize): u32 { return load<u32>(caps, 28); }
@inline export function capsFrameSize(caps: usize): u32 { return load<u32>(caps, 32); }
