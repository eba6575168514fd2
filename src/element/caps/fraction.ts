import type { CapsFraction } from './value.js';

/**
 * Fraction arithmetic for caps values (framerates, pixel aspect ratios). Numerators and
 * denominators are 32-bit in GStreamer, so cross products can pass 2^53; comparisons fall back
 * to BigInt only then, keeping the common small-number case cheap.
 */

/** Greatest common divisor of two integers (non-negative result). */
export function gcd(a: number, b: number): number {
  a = Math.abs(a);
  b = Math.abs(b);
  while (b !== 0) [a, b] = [b, a % b];
  return a;
}

/**
 * A fraction reduced to lowest terms with the sign on the numerator, as gst_value_set_fraction
 * stores it, so that 60/2 and 30/1 are the same value. The denominator must not be 0.
 */
export function reduceFraction(num: number, den: number): CapsFraction {
  const g = gcd(num, den) || 1;
  const sign = den < 0 ? -1 : 1;
  // `+ 0` turns -0 into 0 so printing never shows "-0/1".
  return { num: (sign * num) / g + 0, den: (sign * den) / g };
}

/** -1, 0 or 1 as `a` is less than, equal to or greater than `b`. Denominators must be positive. */
export function compareFractions(a: CapsFraction, b: CapsFraction): -1 | 0 | 1 {
  const left = a.num * b.den;
  const right = b.num * a.den;
  if (Number.isSafeInteger(left) && Number.isSafeInteger(right)) {
    return left < right ? -1 : left > right ? 1 : 0;
  }
  const l = BigInt(a.num) * BigInt(b.den);
  const r = BigInt(b.num) * BigInt(a.den);
  return l < r ? -1 : l > r ? 1 : 0;
}

/** The fraction as a floating-point number, for distances when fixating towards a target. */
export function fractionToNumber(f: CapsFraction): number {
  return f.num / f.den;
}

/**
 * The closest fraction to `x` with a denominator up to `maxDen`, by continued fractions, as
 * gst_util_double_to_fraction does for targets such as 29.97 (→ 2997/100).
 */
export function approximateFraction(x: number, maxDen = 1_000_000): CapsFraction {
  if (Number.isInteger(x)) return { num: x, den: 1 };
  let [h0, h1, k0, k1] = [0, 1, 1, 0];
  let rest = x;
  for (let i = 0; i < 32; i += 1) {
    const a = Math.floor(rest);
    const [h2, k2] = [a * h1 + h0, a * k1 + k0];
    if (k2 > maxDen) break;
    [h0, h1, k0, k1] = [h1, h2, k1, k2];
    const frac = rest - a;
    if (Math.abs(x - h1 / k1) < 1e-12 || frac < 1e-12) break;
    rest = 1 / frac;
  }
  return reduceFraction(h1, k1);
}
