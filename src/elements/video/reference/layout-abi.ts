import { VideoFormat, isVideoFormat, videoPlaneCount, videoPlaneOffset, videoPlaneStride } from '../layout.js';
import { VideoKernelError, dimensionsOk, layoutFrameSize } from './common.js';

/**
 * The layout exports of the kernel module (assembly/video/layout.ts) with their error codes, for
 * code that reads the layout through the kernel ABI. Elsewhere, use ../layout.ts directly.
 */

export function video_frame_size(format: number, width: number, height: number): number {
  if (!dimensionsOk(width | 0, height | 0)) return VideoKernelError.DIMENSIONS;
  return layoutFrameSize(format | 0, width | 0, height | 0);
}

export function video_plane_offset(format: number, width: number, height: number, plane: number): number {
  if (!dimensionsOk(width | 0, height | 0)) return VideoKernelError.DIMENSIONS;
  if (!isVideoFormat(format | 0)) return VideoKernelError.FORMAT;
  const f = (format | 0) as VideoFormat;
  if ((plane | 0) < 0 || (plane | 0) >= videoPlaneCount(f)) return VideoKernelError.ARGUMENT;
  return videoPlaneOffset(f, width | 0, height | 0, plane | 0);
}

export function video_plane_stride(format: number, width: number, plane: number): number {
  if (!dimensionsOk(width | 0, 1)) return VideoKernelError.DIMENSIONS;
  if (!isVideoFormat(format | 0)) return VideoKernelError.FORMAT;
  const f = (format | 0) as VideoFormat;
  if ((plane | 0) < 0 || (plane | 0) >= videoPlaneCount(f)) return VideoKernelError.ARGUMENT;
  return videoPlaneStride(f, width | 0, plane | 0);
}
