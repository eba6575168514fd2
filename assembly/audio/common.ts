// Shared by the audio kernels: error codes, argument checks and the deterministic sine.
// Nothing here is re-exported by ./index.ts, so none of it becomes a module export.
// src/elements/audio/reference/common.ts is the JS twin of this file, line for line.

/** Success; kernels that process data return a count instead (>= 0). */
export const OK: i32 = 0;
/** A count is negative, or a channel count is outside 1..MAX_CHANNELS. */
export const ERR_ARG: i32 = -1;
/** A pointer is not aligned to its element size (2 for S16, 4 for F32, 8 for a state). */
export const ERR_ALIGN: i32 = -2;
/** The state was never configured (still zeroed), or holds an unknown layout. */
export const ERR_STATE: i32 = -3;
/** audiotestsrc: a wave this kernel does not generate. */
export const ERR_WAVE: i32 = -4;
/** A property value is out of range or not finite (volume, freq, rate, coefficients …). */
export const ERR_PARAM: i32 = -5;
/** An area runs past the end of memory. */
export const ERR_BOUNDS: i32 = -6;
/** Source and destination overlap in a way the kernel does not allow. */
export const ERR_OVERLAP: i32 = -7;

/** Channel counts run 1..64, GStreamer's positioned-channel limit. */
export const MAX_CHANNELS: i32 = 64;

/** Written to a state's configured word by a successful configure call. */
export const CONFIGURED: i32 = 1;

// Decimal literals with 17 significant digits: AssemblyScript and JS parse them to the same double.
export const PI: f64 = 3.1415926535897931;
export const TWO_PI: f64 = 6.2831853071795862;
export const HALF_PI: f64 = 1.5707963267948966;

/** Whether [ptr, ptr + bytes) lies inside the memory. */
@inline
export function inMemory(ptr: usize, bytes: u64): bool {
  return <u64>ptr + bytes <= (<u64>memory.size() << 16);
}

/** Whether [a, a + aBytes) and [b, b + bBytes) share a byte. */
@inline
export function overlaps(a: usize, aBytes: u64, b: usize, bBytes: u64): bool {
  return <u64>a < <u64>b + bBytes && <u64>b < <u64>a + aBytes;
}

/**
 * sin(x) for x in [0, 2π], from IEEE + - * only: fold to [0, π/2], then the Taylor series to
 * x^19 by Horner (within 4e-16 of sin over the range). The JS reference evaluates the same
 * expression in the same order, so both give the same double.
 */
@inline
export function sine(x: f64): f64 {
  let sign: f64 = 1.0;
  if (x >= PI) {
    x = x - PI;
    sign = -1.0;
  }
  if (x > HALF_PI) x = PI - x;
  const x2 = x * x;
  let p: f64 = -8.2206352466243295e-18;
  p = p * x2 + 2.8114572543455206e-15;
  p = p * x2 + -7.6471637318198164e-13;
  p = p * x2 + 1.6059043836821613e-10;
  p = p * x2 + -2.505210838544172e-8;
  p = p * x2 + 0.0000027557319223985893;
  p = p * x2 + -0.00019841269841269841;
  p = p * x2 + 0.0083333333333333332;
  p = p * x2 + -0.16666666666666666;
  return sign * (x + x * x2 * p);
}

/** f64 → S16 by round-half-to-even, saturating; NaN → 0. */
@inline
export function roundToS16(y: f64): i32 {
  if (y != y) return 0;
  const r = nearest<f64>(y);
  if (r >= 32767.0) return 32767;
  if (r <= -32768.0) return -32768;
  return <i32>r;
}

/** f32 → S16 by round-half-to-even, saturating; NaN → 0. Same as roundToS16 on the widened value. */
@inline
export function roundF32ToS16(y: f32): i32 {
  if (y != y) return 0;
  const r = nearest<f32>(y);
  if (r >= <f32>32767.0) return 32767;
  if (r <= <f32>-32768.0) return -32768;
  return <i32>r;
}

/** Clamps an i32 to the S16 range. */
@inline
export function clampS16(v: i32): i32 {
  return v > 32767 ? 32767 : v < -32768 ? -32768 : v;
}
