/**
 * The JS twin of assembly/audio/common.ts: error codes, argument checks and the deterministic
 * sine shared by the audio reference kernels. Each helper evaluates the same IEEE operations in
 * the same order as its AssemblyScript counterpart, so the results match bit for bit.
 *
 * Data thread or event loop; allocation-free.
 */

/** Success; kernels that process data return a count instead (>= 0). */
export const OK = 0;
/** A count is negative, or a channel count is outside 1..MAX_CHANNELS. */
export const ERR_ARG = -1;
/** A pointer is not aligned to its element size (2 for S16, 4 for F32, 8 for a state). */
export const ERR_ALIGN = -2;
/** The state was never configured (still zeroed). */
export const ERR_STATE = -3;
/** audiotestsrc: a wave this kernel does not generate. */
export const ERR_WAVE = -4;
/** A property value is out of range or not finite. */
export const ERR_PARAM = -5;
/** An area runs past the end of memory. */
export const ERR_BOUNDS = -6;
/** Source and destination overlap in a way the kernel does not allow. */
export const ERR_OVERLAP = -7;

/** The audio kernels' error codes by name, for messages. */
export const AUDIO_KERNEL_ERRORS: Readonly<Record<number, string>> = {
  [ERR_ARG]: 'ERR_ARG',
  [ERR_ALIGN]: 'ERR_ALIGN',
  [ERR_STATE]: 'ERR_STATE',
  [ERR_WAVE]: 'ERR_WAVE',
  [ERR_PARAM]: 'ERR_PARAM',
  [ERR_BOUNDS]: 'ERR_BOUNDS',
  [ERR_OVERLAP]: 'ERR_OVERLAP',
};

/** Channel counts run 1..64, GStreamer's positioned-channel limit. */
export const MAX_CHANNELS = 64;

/** Written to a state's configured word by a successful configure call. */
export const CONFIGURED = 1;

export const PI = 3.1415926535897931;
export const TWO_PI = 6.2831853071795862;
export const HALF_PI = 1.5707963267948966;

/** The largest finite f32. */
export const F32_MAX = 3.4028234663852886e38;

/** Whether [ptr, ptr + bytes) lies inside `mem`. */
export function inMemory(mem: ArrayBufferLike, ptr: number, bytes: number): boolean {
  return ptr + bytes <= mem.byteLength;
}

/** Whether [a, a + aBytes) and [b, b + bBytes) share a byte. */
export function overlaps(a: number, aBytes: number, b: number, bBytes: number): boolean {
  return a < b + bBytes && b < a + aBytes;
}

/** sin(x) for x in [0, 2π]: the same fold and Horner polynomial as the kernel. */
export function sine(x: number): number {
  let sign = 1.0;
  if (x >= PI) {
    x = x - PI;
    sign = -1.0;
  }
  if (x > HALF_PI) x = PI - x;
  const x2 = x * x;
  let p = -8.2206352466243295e-18;
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

/** Round half to even (WebAssembly's f64.nearest / f32.nearest) for a finite x. */
export function roundHalfEven(x: number): number {
  const r = Math.round(x);
  // Math.round breaks ties toward +inf; a tie that landed on an odd integer goes one down.
  return r - x === 0.5 && (r & 1) !== 0 ? r - 1 : r;
}

/** f64 → S16 by round-half-to-even, saturating; NaN → 0 (the kernel's roundToS16). */
export function roundToS16(y: number): number {
  if (y !== y) return 0;
  if (y >= 32767) return 32767;
  if (y <= -32768) return -32768;
  return roundHalfEven(y);
}

/** Clamps an integer to the S16 range. */
export function clampS16(v: number): number {
  return v > 32767 ? 32767 : v < -32768 ? -32768 : v;
}
