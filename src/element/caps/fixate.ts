import { ParallaxError } from '../../errors.js';
import { approximateFraction, compareFractions, fractionToNumber, reduceFraction } from './fraction.js';
import { nearestInIntRange } from './int-range.js';
import type { CapsFraction, CapsValue } from './value.js';

/**
 * Fixation picks one value out of a set, as gst_value_fixate: the minimum of a range, the first
 * item of a list. With a target (an element's preferred rate or framerate) it picks the member
 * nearest to it instead, as gst_structure_fixate_field_nearest_* do.
 */

/** A preferred value for fixation: a number, or a fraction for fraction fields. */
export type FixateTarget = number | CapsFraction;

/**
 * A fixed value taken from `v`: `v` itself when already fixed; otherwise the member nearest to
 * `target` if one is given, else a range's minimum or a list's first item. Throws
 * ParallaxError('NOT_NEGOTIATED') for an empty list, which has no member to pick.
 */
export function fixateValue(v: CapsValue, target?: FixateTarget): CapsValue {
  switch (v.kind) {
    case 'int-range':
      return { kind: 'int', value: target === undefined ? v.min : nearestInIntRange(v, Math.round(toNumber(target))) };
    case 'int64-range':
      return { kind: 'int64', value: target === undefined ? v.min : nearestInIntRange(v, Math.round(toNumber(target))) };
    case 'double-range':
      return { kind: 'double', value: target === undefined ? v.min : clamp(toNumber(target), v.min, v.max) };
    case 'fraction-range':
      return { kind: 'fraction', ...(target === undefined ? v.min : clampFraction(toFraction(target), v.min, v.max)) };
    case 'list':
      return fixateList(v.items, target);
    case 'array':
      return { kind: 'array', items: v.items.map((item) => fixateValue(item, target)) };
    default:
      return v;
  }
}

function fixateList(items: readonly CapsValue[], target: FixateTarget | undefined): CapsValue {
  const first = items[0];
  if (first === undefined) throw new ParallaxError('NOT_NEGOTIATED', 'cannot fixate an empty list: no value is allowed');
  if (target === undefined) return fixateValue(first);
  // Fixate each item towards the target and keep the closest; the first wins ties, so list
  // order still expresses preference.
  let best = fixateValue(first, target);
  let bestDistance = distance(best, target);
  for (const item of items.slice(1)) {
    const candidate = fixateValue(item, target);
    const d = distance(candidate, target);
    if (d < bestDistance) [best, bestDistance] = [candidate, d];
  }
  return best;
}

function distance(v: CapsValue, target: FixateTarget): number {
  const t = toNumber(target);
  switch (v.kind) {
    case 'int': case 'uint': case 'int64': case 'uint64': case 'double': case 'float':
      return Math.abs(v.value - t);
    default:
      break;
  }
  if (v.kind === 'fraction') return Math.abs(fractionToNumber(v) - t);
  return Infinity;
}

function toNumber(t: FixateTarget): number {
  return typeof t === 'number' ? t : fractionToNumber(t);
}

function toFraction(t: FixateTarget): CapsFraction {
  return typeof t === 'number' ? approximateFraction(t) : reduceFraction(t.num, t.den);
}

function clamp(x: number, min: number, max: number): number {
  return Math.min(Math.max(x, min), max);
}

function clampFraction(f: CapsFraction, min: CapsFraction, max: CapsFraction): CapsFraction {
  if (compareFractions(f, min) < 0) return min;
  return compareFractions(f, max) > 0 ? max : f;
}
