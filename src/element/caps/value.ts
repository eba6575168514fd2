/**
 * The values a caps field can hold, as in GStreamer's GValue types for caps.
 *
 * A value is either fixed (one int, uint, int64, uint64, double, float, bitmask, string, bool,
 * fraction, or an array of fixed values)
 * or a set of possibilities (a range, or a list of alternatives). Negotiation narrows sets by
 * intersection until every field is fixed. Values are plain immutable data so they can cross a
 * worker boundary with structured clone.
 */
import { compareFractions, reduceFraction } from './fraction.js';

/** A rational number, always stored reduced with a positive denominator. */
export interface CapsFraction {
  readonly num: number;
  readonly den: number;
}

/** A caps field value: one of GStreamer's caps value types. */
export type CapsValue =
  | { readonly kind: 'int'; readonly value: number }
  /** `(uint)`, 0 to 2^32-1; never intersects an `int`, as in gst. */
  | { readonly kind: 'uint'; readonly value: number }
  /** `(gint64)`, kept only while it is a safe integer. */
  | { readonly kind: 'int64'; readonly value: number }
  /** `(guint64)`, kept only while it is a safe integer. */
  | { readonly kind: 'uint64'; readonly value: number }
  | { readonly kind: 'double'; readonly value: number }
  /** `(float)`, stored rounded to single precision; never intersects a `double`. */
  | { readonly kind: 'float'; readonly value: number }
  /** `(bitmask)`, an unsigned 64-bit mask such as an audio channel-mask. */
  | { readonly kind: 'bitmask'; readonly value: bigint }
  | { readonly kind: 'string'; readonly value: string }
  | { readonly kind: 'bool'; readonly value: boolean }
  | { readonly kind: 'fraction'; readonly num: number; readonly den: number }
  /** Inclusive; `step` (absent means 1) counts from `min`. */
  | { readonly kind: 'int-range'; readonly min: number; readonly max: number; readonly step?: number }
  /** `(gint64)[ min, max ]`; like int-range, bounds are safe integers. */
  | { readonly kind: 'int64-range'; readonly min: number; readonly max: number; readonly step?: number }
  | { readonly kind: 'double-range'; readonly min: number; readonly max: number }
  | { readonly kind: 'fraction-range'; readonly min: CapsFraction; readonly max: CapsFraction }
  /** A set of alternatives, `{ a, b }`. Order is preference order, not identity. */
  | { readonly kind: 'list'; readonly items: readonly CapsValue[] }
  /** An ordered, fixed-length tuple, `< a, b >`, such as channel positions. */
  | { readonly kind: 'array'; readonly items: readonly CapsValue[] };

/** The kind names of {@link CapsValue}. */
export type CapsValueKind = CapsValue['kind'];

/** Constructors for {@link CapsValue}s, so callers need not spell out the object shapes. */
export const CapsValue = {
  int: (value: number): CapsValue => ({ kind: 'int', value }),
  uint: (value: number): CapsValue => ({ kind: 'uint', value }),
  int64: (value: number): CapsValue => ({ kind: 'int64', value }),
  uint64: (value: number): CapsValue => ({ kind: 'uint64', value }),
  double: (value: number): CapsValue => ({ kind: 'double', value }),
  float: (value: number): CapsValue => ({ kind: 'float', value: Math.fround(value) }),
  bitmask: (value: bigint | number): CapsValue => ({ kind: 'bitmask', value: BigInt.asUintN(64, BigInt(value)) }),
  string: (value: string): CapsValue => ({ kind: 'string', value }),
  bool: (value: boolean): CapsValue => ({ kind: 'bool', value }),
  fraction: (num: number, den = 1): CapsValue => ({ kind: 'fraction', ...reduceFraction(num, den) }),
  intRange: (min: number, max: number, step = 1): CapsValue =>
    step === 1 ? { kind: 'int-range', min, max } : { kind: 'int-range', min, max, step },
  int64Range: (min: number, max: number, step = 1): CapsValue =>
    step === 1 ? { kind: 'int64-range', min, max } : { kind: 'int64-range', min, max, step },
  doubleRange: (min: number, max: number): CapsValue => ({ kind: 'double-range', min, max }),
  fractionRange: (min: CapsFraction, max: CapsFraction): CapsValue =>
    ({ kind: 'fraction-range', min: reduceFraction(min.num, min.den), max: reduceFraction(max.num, max.den) }),
  list: (...items: CapsValue[]): CapsValue => ({ kind: 'list', items }),
  array: (...items: CapsValue[]): CapsValue => ({ kind: 'array', items }),
} as const;

/** Whether `v` is a single value (no range, no list); arrays are fixed when all items are. */
export function isFixedValue(v: CapsValue): boolean {
  switch (v.kind) {
    case 'int': case 'uint': case 'int64': case 'uint64': case 'double': case 'float': case 'bitmask':
    case 'string': case 'bool': case 'fraction':
      return true;
    case 'array':
      return v.items.every(isFixedValue);
    default:
      return false;
  }
}

/**
 * Whether two values are the same set. Lists compare as sets (order ignored), fractions by
 * value, ranges by bounds and step. Different kinds are never equal: (int)1 is not (double)1.
 */
export function valueEquals(a: CapsValue, b: CapsValue): boolean {
  if (a === b) return true;
  switch (a.kind) {
    case 'int': case 'uint': case 'int64': case 'uint64': case 'double': case 'float': case 'bitmask':
    case 'string': case 'bool':
      return b.kind === a.kind && b.value === a.value;
    case 'fraction':
      return b.kind === 'fraction' && compareFractions(a, b) === 0;
    case 'int-range': case 'int64-range':
      return b.kind === a.kind && a.min === b.min && a.max === b.max && (a.step ?? 1) === (b.step ?? 1);
    case 'double-range':
      return b.kind === 'double-range' && a.min === b.min && a.max === b.max;
    case 'fraction-range':
      return b.kind === 'fraction-range' && compareFractions(a.min, b.min) === 0 && compareFractions(a.max, b.max) === 0;
    case 'array':
      return b.kind === 'array' && a.items.length === b.items.length
        && a.items.every((item, i) => valueEquals(item, b.items[i] as CapsValue));
    case 'list':
      return b.kind === 'list' && a.items.length === b.items.length
        && a.items.every((item) => b.items.some((other) => valueEquals(item, other)))
        && b.items.every((item) => a.items.some((other) => valueEquals(item, other)));
  }
}
