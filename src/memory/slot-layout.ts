/**
 * Slot layout: a 64-byte header, then the payload, aligned to 64 bytes (one cache line; SIMD).
 *
 * The header lives in the region, not in the JS handle, so every thread and process that maps the
 * region sees the same metadata. Byte offsets within a slot, little endian:
 *
 *   0  i32  refcount        4  u32  payload length    8  u32  flags     12  u32  stream id
 *  16  f64  pts            24  f64  dts              32  f64  duration
 *  40  f64  offset         48  f64  sequence         56  u32  caps id  60  u32  reserved
 *
 * Times are nanoseconds held in a float64: integers are exact up to 2^53 ns (104 days), and a
 * float64 is far cheaper than a bigint on the hot path. CLOCK_TIME_NONE (-1) means "not set".
 */
export const SLOT_HEADER_BYTES = 64;
export const SLOT_ALIGN = 64;

// Indices into an Int32Array / Uint32Array view of the region (byte offset / 4).
export const H32_REFCOUNT = 0;
export const H32_LENGTH = 1;
export const H32_FLAGS = 2;
export const H32_STREAM_ID = 3;
export const H32_CAPS_ID = 14;

// Indices into a Float64Array view of the region (byte offset / 8).
export const H64_PTS = 2;
export const H64_DTS = 3;
export const H64_DURATION = 4;
export const H64_OFFSET = 5;
export const H64_SEQUENCE = 6;

/** "No time": the value of an unset pts, dts or duration. */
export const CLOCK_TIME_NONE = -1;
