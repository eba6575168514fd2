import { gcd } from './fraction.js';
import type { CapsValue } from './value.js';

/**
 * Stepped integer ranges. GStreamer's `[min, max, step]` holds min, min+step, ... up to max.
 * Every operation here counts steps from `min`, so a range whose max is not on a step simply
 * ends at the last step below it.
 */

/** The int-range and int64-range members of {@link CapsValue}. */
type IntRange = Extract<CapsValue, { kind: 'int-range' | 'int64-range' }>;

/** The largest member of the range (max rounded down onto a step). */
export function lastInRange(r: IntRange): number {
  const step = r.step ?? 1;
  return r.min + Math.floor((r.max - r.min) / step) * step;
}

/** Whether integer `n` is a member of the range. */
export function intRangeContains(r: IntRange, n: number): boolean {
  // `% step` of a negative difference is -0 or negative; either way 0 means on a step.
  return n >= r.min && n <= r.max && (n - r.min) % (r.step ?? 1) === 0;
}

/**
 * A range of `kind` from `first` to `last` by `step`, collapsed to a single int (or int64) when
 * it holds one member.
 */
export function makeIntRange(first: number, last: number, step: number, kind: IntRange['kind'] = 'int-range'): CapsValue {
  if (first === last) return { kind: kind === 'int-range' ? 'int' : 'int64', value: first };
  return step === 1 ? { kind, min: first, max: last } : { kind, min: first, max: last, step };
}

/**
 * The members common to both ranges: a range stepping by the least common multiple of the two
 * steps, starting at the first value on both grids. Undefined when there is none.
 */
export function intersectIntRanges(a: IntRange, b: IntRange): CapsValue | undefined {
  const sa = a.step ?? 1;
  const sb = b.step ?? 1;
  const lo = Math.max(a.min, b.min);
  const hi = Math.min(lastInRange(a), lastInRange(b));
  if (lo > hi) return undefined;
  const g = gcd(sa, sb);
  const step = (sa / g) * sb;
  // Walk a's grid from lo; within sb/g steps it either meets b's grid or never will.
  let x = a.min + Math.ceil((lo - a.min) / sa) * sa;
  for (let k = 0; k < sb / g && x <= hi; k += 1, x += sa) {
    if ((x - b.min) % sb === 0) return makeIntRange(x, x + Math.floor((hi - x) / step) * step, step, a.kind);
  }
  return undefined;
}

/** Whether every member of `a` is a member of `b`. */
export function isIntRangeSubset(a: IntRange, b: IntRange): boolean {
  const last = lastInRange(a);
  if (!intRangeContains(b, a.min) || !intRangeContains(b, last)) return false;
  return a.min === last || (a.step ?? 1) % (b.step ?? 1) === 0;
}

/** The member of the range nearest to `target` (ties go to the smaller member). */
export function nearestInIntRange(r: IntRange, target: number): number {
  const step = r.step ?? 1;
  const last = lastInRange(r);
  if (target <= r.min) return r.min;
  if (target >= last) return last;
  const below = r.min + Math.floor((target - r.min) / step) * step;
  const above = below + step;
  return above <= last && above - target < target - below ? above : below;
}
