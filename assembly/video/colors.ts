// videotestsrc's colours, after gst-plugins-base videotestsrc.c (vts_colors_bt601_ycbcr_100,
// vts_colors_bt709_ycbcr_100): 4 bytes per colour, read-only constant data.

export const COLOR_WHITE: i32 = 0;
export const COLOR_YELLOW: i32 = 1;
export const COLOR_CYAN: i32 = 2;
export const COLOR_GREEN: i32 = 3;
export const COLOR_MAGENTA: i32 = 4;
export const COLOR_RED: i32 = 5;
export const COLOR_BLUE: i32 = 6;
export const COLOR_BLACK: i32 = 7;
export const COLOR_NEG_I: i32 = 8;
export const COLOR_POS_Q: i32 = 9;
export const COLOR_SUPER_BLACK: i32 = 10;
export const COLOR_DARK_GREY: i32 = 11;
/** The chroma of the noise in the SMPTE pattern's corner (U = V = 128); its Y is per pixel. */
export const COLOR_NOISE: i32 = 12;

/** R, G, B, 255: an RGBA pixel as a little-endian u32. */
export const RGB_COLORS: usize = memory.data<u8>([
  255, 255, 255, 255,
  255, 255, 0, 255,
  0, 255, 255, 255,
  0, 255, 0, 255,
  255, 0, 255, 255,
  255, 0, 0, 255,
  0, 0, 255, 255,
  0, 0, 0, 255,
  0, 0, 128, 255,
  0, 128, 255, 255,
  0, 0, 0, 255,
  19, 19, 19, 255,
  0, 0, 0, 255,
]);

/** Y, U, V, 0 for BT.601. */
export const YUV601_COLORS: usize = memory.data<u8>([
  235, 128, 128, 0,
  210, 16, 146, 0,
  170, 166, 16, 0,
  145, 54, 34, 0,
  106, 202, 222, 0,
  81, 90, 240, 0,
  41, 240, 110, 0,
  16, 128, 128, 0,
  16, 198, 21, 0,
  16, 235, 198, 0,
  0, 128, 128, 0,
  32, 128, 128, 0,
  16, 128, 128, 0,
]);

/** Y, U, V, 0 for BT.709. */
export const YUV709_COLORS: usize = memory.data<u8>([
  235, 128, 128, 0,
  219, 16, 138, 0,
  188, 154, 16, 0,
  173, 42, 26, 0,
  78, 214, 230, 0,
  63, 102, 240, 0,
  32, 240, 118, 0,
  16, 128, 128, 0,
  16, 198, 21, 0,
  16, 235, 198, 0,
  0, 128, 128, 0,
  32, 128, 128, 0,
  16, 128, 128, 0,
]);
