// Video kernels: videotestsrc, videoconvert, videoscale, videoflip (GStreamer semantics).
//
// ABI (what the engine relies on):
// - Exports are named <element>_<what>. Every argument is an i32; pointers are byte addresses
//   in the shared memory the engine owns. Frames should be 64-byte aligned and must be 4-byte
//   aligned (the JS references index u32 and u16 views).
// - Layout: kernels take no strides or offsets; they derive them from format, width and height
//   with the rules of src/elements/video/layout.ts (GStreamer's default layout): RGBA stride
//   w*4; RGB RU4(w*3); I420 Y RU4(w), U and V RU4(RU2(w)/2) each RU2(h)/2 rows, U at
//   RU4(w)*RU2(h), V after U; NV12 Y RU4(w), interleaved UV stride RU4(w) at RU4(w)*RU2(h);
//   Y42B Y RU4(w), U and V RU8(w)/2 each h rows, U at RU4(w)*h; Y444 three planes of RU4(w) x h;
//   GRAY8 one plane of RU4(w) x h.
//   video_frame_size / video_plane_offset / video_plane_stride export the same arithmetic.
// - Formats: 0 RGBA, 1 RGB, 2 I420, 3 NV12 (every kernel); 8 Y42B, 9 Y444, 10 GRAY8 (videoflip
//   and the layout exports only; the other kernels return -2 for them). Matrices: 0 BT.601, 1 BT.709 (limited range).
//   Chroma sites (videotestsrc): 0 jpeg (centred), 1 mpeg2 (h-cosited). GStreamer's defaults for
//   caps without them: BT.709 and mpeg2 above 576 lines, else BT.601 and jpeg.
// - Kernels write the visible pixels of each plane only: row padding, and the Y rows past an
//   odd height that the layout reserves, keep their bytes.
// - Nothing allocates (runtime stub, no `new`), no mutable globals or statics; the colour tables
//   are read-only data. Per-instance state is a zeroed, 64-byte aligned region of
//   <element>_state_size() bytes: only videotestsrc has one (u32 at +0: the PRNG).
// - Success returns the destination frame's size in bytes (>= 0). Errors return, in the order
//   they are checked: -1 dimensions (not 1..16384), -2 format, -3 pattern/method, -4 matrix
//   (checked wherever there is a matrix argument, used or not), -5 argument (a chroma site
//   other than 0/1, a negative frame number), -6 alignment (an address not a multiple of 4),
//   -7 bounds (a region past the memory's end), -8 overlap (source, destination or state
//   regions share bytes). Kernels never trap on purpose.
// - Determinism: integer fixed point only, so src/elements/video/reference/* gives the same bytes.
//   videoconvert: Q15 coefficients through i16x8.q15mulr_sat_s (details in convert-*.ts).
//   videotestsrc's ball uses f64 +, *, sqrt and floor only (no Math.sin). videotestsrc's output
//   is also GStreamer 1.22's, byte for byte, for these patterns and formats (checked by hand
//   against gst-launch dumps).
//
// Signatures (all i32):
//   videotestsrc_state_size() -> 64
//   videotestsrc_fill(state, dst, width, height, format, pattern, matrix, chromaSite, frame)
//     pattern: GStreamer's numbers: smpte 0, snow 1, black 2, white 3, red 4, green 5, blue 6,
//     checkers-1 7, checkers-2 8, checkers-4 9, checkers-8 10, ball 18.
//   videoconvert_<in>_to_<out>(src, dst, width, height, matrix) for in != out among rgba, rgb,
//     i420, nv12 (12 kernels); videoconvert_copy(src, dst, width, height, format)
//   videoscale_scale(src, dst, srcWidth, srcHeight, dstWidth, dstHeight, format, method)
//     method: 0 nearest-neighbour, 1 bilinear (GStreamer's numbers)
//   videoflip_flip(src, dst, width, height, format, method): width x height is the source;
//     method: GStreamer's numbers 0..7 (none, clockwise, rotate-180, counterclockwise,
//     horizontal-flip, vertical-flip, upper-left-diagonal, upper-right-diagonal); 1, 3, 6 and 7
//     write a height x width frame (Y42B: -3 for those four)
//   video_frame_size(format, width, height), video_plane_offset(format, width, height, plane),
//   video_plane_stride(format, width, plane)
export { videotestsrc_fill, videotestsrc_state_size } from './videotestsrc';
export {
  videoconvert_rgba_to_i420, videoconvert_rgba_to_nv12, videoconvert_rgb_to_i420, videoconvert_rgb_to_nv12,
} from './convert-encode';
export {
  videoconvert_i420_to_rgba, videoconvert_i420_to_rgb, videoconvert_nv12_to_rgba, videoconvert_nv12_to_rgb,
} from './convert-decode';
export {
  videoconvert_rgba_to_rgb, videoconvert_rgb_to_rgba, videoconvert_i420_to_nv12, videoconvert_nv12_to_i420,
  videoconvert_copy,
} from './convert-packed';
export { videoscale_scale } from './videoscale';
export { videoflip_flip } from './videoflip';
export { video_frame_size, video_plane_offset, video_plane_stride } from './layout';
