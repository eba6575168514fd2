// Return codes. Calls return 0 (or a byte count) on success and a negative code on failure; the
// engine turns a negative code into an element error that names the element, the code and the
// text `pxl_error(state)` returns. `pxl_fill` returns END_OF_STREAM to end the stream.

export const OK: i32 = 0;
/** `pxl_fill` only: no more data; the source sends EOS. Not an error. */
export const END_OF_STREAM: i32 = -1;
/** Something went wrong; `pxl_error` says what. */
export const ERR_FAILED: i32 = -2;
/** The caps are not ones this kernel handles (from `pxl_set_caps`). */
export const ERR_CAPS: i32 = -3;
/** A property index or value the kernel refuses (from `pxl_set_property`). */
export const ERR_PROPERTY: i32 = -4;
/** The output area is too small for what the kernel has to write. */
export const ERR_OUTPUT_TOO_SMALL: i32 = -5;
/** The input is malformed (a length that is not a whole number of frames, …). */
export const ERR_INPUT: i32 = -6;
/** Data arrived before `pxl_set_caps` gave caps the kernel needs. */
export const ERR_NOT_NEGOTIATED: i32 = -7;
