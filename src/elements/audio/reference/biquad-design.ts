/**
 * Biquad coefficients from Robert Bristow-Johnson's "Audio EQ Cookbook", normalized so a0 = 1,
 * for the biquad kernels (biquad_configure takes b0, b1, b2, a1, a2 as they come out of here).
 *
 *   w0 = 2π·cutoff/rate, α = sin(w0) / (2·q)
 *   lowpass   b = ((1 - cos w0)/2, 1 - cos w0, (1 - cos w0)/2)
 *   highpass  b = ((1 + cos w0)/2, -(1 + cos w0), (1 + cos w0)/2)
 *   bandpass  b = (α, 0, -α)                       (constant 0 dB peak gain, peak at cutoff)
 *   all       a = (1 + α, -2·cos w0, 1 - α), every coefficient divided by a0 = 1 + α
 *
 * Computed once per property change, with Math.cos and Math.sin: the kernels (WASM and JS)
 * receive the same doubles, so their output does not depend on either side's libm.
 *
 * Event loop; allocates one small object per call.
 */
export type BiquadType = 'lowpass' | 'highpass' | 'bandpass';

export interface BiquadCoefficients {
  readonly b0: number;
  readonly b1: number;
  readonly b2: number;
  readonly a1: number;
  readonly a2: number;
}

/**
 * The normalized coefficients of a `type` filter at `cutoff` Hz with quality `q` for `rate` Hz.
 * Throws a RangeError naming the property when cutoff is not in (0, rate/2), q is not positive
 * and finite, or rate is not a positive integer.
 *
 * @example
 * const { b0, b1, b2, a1, a2 } = designBiquad('lowpass', 1000, Math.SQRT1_2, 48000);
 */
export function designBiquad(type: BiquadType, cutoff: number, q: number, rate: number): BiquadCoefficients {
  if (!Number.isInteger(rate) || rate < 1) throw new RangeError(`biquad: rate ${rate} is not a positive integer`);
  if (!(cutoff > 0 && cutoff < rate / 2)) throw new RangeError(`biquad: cutoff ${cutoff} Hz is outside (0, ${rate / 2}) for rate ${rate}`);
  if (!(q > 0 && q < Infinity)) throw new RangeError(`biquad: q ${q} is not a positive finite number`);
  const w0 = (2 * Math.PI * cutoff) / rate;
  const cos = Math.cos(w0);
  const alpha = Math.sin(w0) / (2 * q);
  const a0 = 1 + alpha;
  let b0: number;
  let b1: number;
  let b2: number;
  switch (type) {
    case 'lowpass':
      b0 = (1 - cos) / 2;
      b1 = 1 - cos;
      b2 = b0;
      break;
    case 'highpass':
      b0 = (1 + cos) / 2;
      b1 = -(1 + cos);
      b2 = b0;
      break;
    case 'bandpass':
      b0 = alpha;
      b1 = 0;
      b2 = -alpha;
      break;
  }
  return { b0: b0 / a0, b1: b1 / a0, b2: b2 / a0, a1: (-2 * cos) / a0, a2: (1 - alpha) / a0 };
}
