// The frame layout as exports, so the engine and the tests can hold src/elements/video/layout.ts
// and the kernels' own arithmetic (common.ts) to the same numbers.
import {
  ERR_ARGUMENT, ERR_DIMENSIONS, ERR_FORMAT, FORMAT_I420, FORMAT_NV12, chromaStride,
  dimensionsOk, frameSize, mainStride, plane1Offset, plane2Offset,
} from './common';

@inline function planes(format: i32): i32 {
  return format == FORMAT_I420 ? 3 : format == FORMAT_NV12 ? 2 : 1;
}

/** Bytes of a width x height frame of `format`, or ERR_DIMENSIONS / ERR_FORMAT. */
export function video_frame_size(format: i32, width: i32, height: i32): i32 {
  if (!dimensionsOk(width, height)) return ERR_DIMENSIONS;
  return frameSize(format, width, height);
}

/** Offset of `plane` (0..2) in the frame, or an error code (ERR_ARGUMENT for a missing plane). */
export function video_plane_offset(format: i32, width: i32, height: i32, plane: i32): i32 {
  if (!dimensionsOk(width, height)) return ERR_DIMENSIONS;
  if (format < 0 || format > FORMAT_NV12) return ERR_FORMAT;
  if (plane < 0 || plane >= planes(format)) return ERR_ARGUMENT;
  if (plane == 0) return 0;
  return plane == 1 ? plane1Offset(width, height) : plane2Offset(width, height);
}

/** Stride of `plane` (0..2) for a frame `width` pixels wide, or an error code. */
export function video_plane_stride(format: i32, width: i32, plane: i32): i32 {
  if (!dimensionsOk(width, 1)) return ERR_DIMENSIONS;
  if (format < 0 || format > FORMAT_NV12) return ERR_FORMAT;
  if (plane < 0 || plane >= planes(format)) return ERR_ARGUMENT;
  return plane == 0 ? mainStride(format, width) : chromaStride(format, width);
}
