// The frame layout as exports, so the engine and the tests can hold src/elements/video/layout.ts
// and the kernels' own arithmetic (common.ts) to the same numbers, for every format the layout
// knows (videoflip's formats, 0..3 and 8..10).
import {
  ERR_ARGUMENT, ERR_DIMENSIONS, ERR_FORMAT, dimensionsOk, layoutFormatOk, layoutFrameSize, planeCount,
  planeOffset, planeStride,
} from './common';

/** Bytes of a width x height frame of `format`, or ERR_DIMENSIONS / ERR_FORMAT. */
export function video_frame_size(format: i32, width: i32, height: i32): i32 {
  if (!dimensionsOk(width, height)) return ERR_DIMENSIONS;
  return layoutFrameSize(format, width, height);
}

/** Offset of `plane` (0..2) in the frame, or an error code (ERR_ARGUMENT for a missing plane). */
export function video_plane_offset(format: i32, width: i32, height: i32, plane: i32): i32 {
  if (!dimensionsOk(width, height)) return ERR_DIMENSIONS;
  if (!layoutFormatOk(format)) return ERR_FORMAT;
  if (plane < 0 || plane >= planeCount(format)) return ERR_ARGUMENT;
  return planeOffset(format, width, height, plane);
}

/** Stride of `plane` (0..2) for a frame `width` pixels wide, or an error code. */
export function video_plane_stride(format: i32, width: i32, plane: i32): i32 {
  if (!dimensionsOk(width, 1)) return ERR_DIMENSIONS;
  if (!layoutFormatOk(format)) return ERR_FORMAT;
  if (plane < 0 || plane >= planeCount(format)) return ERR_ARGUMENT;
  return planeStride(format, width, plane);
}
