/**
 * The video kernels' JS references, by the WebAssembly exports' names: what a runtime without
 * WebAssembly calls instead, and what the kernel tests compare the WASM kernels with. Each kernel
 * that touches memory takes the memory's buffer first, then the kernel's arguments; the state
 * size and the layout functions take the kernel's arguments only.
 */
export { VideoKernelError } from './common.js';
export { VIDEOTESTSRC_STATE_SIZE, VideoTestPattern, videotestsrc_fill, videotestsrc_state_size } from './videotestsrc.js';
export {
  videoconvert_copy, videoconvert_i420_to_nv12, videoconvert_i420_to_rgb, videoconvert_i420_to_rgba,
  videoconvert_nv12_to_i420, videoconvert_nv12_to_rgb, videoconvert_nv12_to_rgba, videoconvert_rgb_to_i420,
  videoconvert_rgb_to_nv12, videoconvert_rgb_to_rgba, videoconvert_rgba_to_i420, videoconvert_rgba_to_nv12,
  videoconvert_rgba_to_rgb,
} from './videoconvert.js';
export { VideoScaleMethod, videoscale_scale } from './videoscale.js';
export { VideoFlipMethod, flipCanTurn, flipSwapsDimensions, videoflip_flip } from './videoflip.js';
export { video_frame_size, video_plane_offset, video_plane_stride } from './layout-abi.js';
