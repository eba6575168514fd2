import { compareFractions } from './fraction.js';
import { formatValue, typeName } from './format.js';
import type { Scanner } from './scanner.js';
import type { CapsValue } from './value.js';

/**
 * Turning parsed range bounds into a range value. gst requires both bounds to have one type; we
 * also accept an int next to a double or a fraction (`[ 0, 1.5 ]`, `[ 0, 30/1 ]`) and widen it,
 * since nobody means anything else by that.
 */

/** A parsed bound and the offset where it started, for errors. */
type Bound = readonly [CapsValue, number];

type Numeric = Extract<CapsValue, { kind: 'int' | 'int64' | 'double' | 'fraction' }>;

/**
 * The range `[min, max]` or `[min, max, step]` from its bounds, or the single value when
 * min equals max. Fails at the offending bound when a bound is not a number, the types cannot
 * be combined, a step is given for a non-int range or is not positive, or min exceeds max.
 */
export function makeRange(sc: Scanner, bounds: readonly Bound[], open: number): CapsValue {
  const [lo, loAt] = bounds[0] as Bound;
  const [hi, hiAt] = bounds[1] as Bound;
  const [min, max] = unify(sc, numeric(sc, lo, loAt), numeric(sc, hi, hiAt), hiAt);
  const step = bounds[2] === undefined ? 1 : readStep(sc, bounds[2], min.kind);
  const order = compare(min, max);
  if (order > 0) sc.error(`range minimum ${formatValue(min, 'compact')} is greater than maximum ${formatValue(max, 'compact')}`, open);
  if (order === 0) return min;
  if (min.kind === 'fraction' && max.kind === 'fraction') {
    return { kind: 'fraction-range', min: { num: min.num, den: min.den }, max: { num: max.num, den: max.den } };
  }
  if (min.kind === 'double' && max.kind === 'double') return { kind: 'double-range', min: min.value, max: max.value };
  if (min.kind === 'int' && max.kind === 'int') {
    return step === 1 ? { kind: 'int-range', min: min.value, max: max.value } : { kind: 'int-range', min: min.value, max: max.value, step };
  }
  if (min.kind === 'int64' && max.kind === 'int64') {
    return step === 1 ? { kind: 'int64-range', min: min.value, max: max.value } : { kind: 'int64-range', min: min.value, max: max.value, step };
  }
  throw new Error('unreachable: unify returned bounds of different kinds');
}

function numeric(sc: Scanner, v: CapsValue, at: number): Numeric {
  if (v.kind === 'int' || v.kind === 'int64' || v.kind === 'double' || v.kind === 'fraction') return v;
  // gst has no uint, guint64, float or bitmask ranges.
  if (v.kind === 'uint' || v.kind === 'uint64' || v.kind === 'float' || v.kind === 'bitmask') {
    return sc.error(`there are no ${typeName(v) ?? v.kind} ranges, only int, gint64, double and fraction ones`, at);
  }
  return sc.error(`range bound must be a number, found ${formatValue(v, 'compact')}`, at);
}

/** Both bounds in one kind: an int widens to the other bound's double or fraction. */
function unify(sc: Scanner, min: Numeric, max: Numeric, at: number): [Numeric, Numeric] {
  if (min.kind === max.kind) return [min, max];
  const kind = min.kind === 'int' ? max.kind : max.kind === 'int' ? min.kind : undefined;
  if (kind === undefined || kind === 'int' || kind === 'int64') return sc.error(`range bounds have different types (${min.kind} and ${max.kind})`, at);
  return [widen(min, kind), widen(max, kind)];
}

function widen(v: Numeric, kind: 'double' | 'fraction'): Numeric {
  if (v.kind !== 'int') return v;
  return kind === 'double' ? { kind: 'double', value: v.value } : { kind: 'fraction', num: v.value, den: 1 };
}

function readStep(sc: Scanner, [step, at]: Bound, kind: Numeric['kind']): number {
  if (kind !== 'int' && kind !== 'int64') sc.error(`only int ranges take a step, this range is ${kind}`, at);
  if ((step.kind !== 'int' && step.kind !== 'int64') || step.value <= 0) sc.error(`range step must be a positive int, found ${formatValue(step, 'compact')}`, at);
  return step.value;
}

function compare(a: Numeric, b: Numeric): number {
  if (a.kind === 'fraction' && b.kind === 'fraction') return compareFractions(a, b);
  const [x, y] = [a.kind === 'fraction' ? a.num / a.den : a.value, b.kind === 'fraction' ? b.num / b.den : b.value];
  return x < y ? -1 : x > y ? 1 : 0;
}
