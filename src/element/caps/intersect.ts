import { compareFractions } from './fraction.js';
import { intRangeContains, intersectIntRanges } from './int-range.js';
import { valueEquals } from './value.js';
import type { CapsFraction, CapsValue } from './value.js';

/**
 * Value intersection, as gst_value_intersect: the values both sides allow, or undefined when
 * they share none. Types never convert: (int)1 and (double)1 do not intersect, nor (int)1 and
 * (uint)1, nor (double)1 and (float)1, as in GStreamer.
 * Fixed values come first in each case because negotiated caps are mostly fixed.
 */

/**
 * The intersection of two values, or undefined when it is empty. Ranges narrow to ranges and
 * collapse to a single value when one member is left; a list keeps the non-empty intersections
 * of its items, and collapses to that item when only one is left.
 */
export function intersectValues(a: CapsValue, b: CapsValue): CapsValue | undefined {
  if (a.kind === 'list') return fromAlternatives(a.items.map((item) => intersectValues(item, b)));
  if (b.kind === 'list') return fromAlternatives(b.items.map((item) => intersectValues(a, item)));
  switch (a.kind) {
    case 'int':
      if (b.kind === 'int') return a.value === b.value ? a : undefined;
      return b.kind === 'int-range' && intRangeContains(b, a.value) ? a : undefined;
    case 'int-range':
      if (b.kind === 'int') return intRangeContains(a, b.value) ? b : undefined;
      return b.kind === 'int-range' ? intersectIntRanges(a, b) : undefined;
    case 'int64':
      if (b.kind === 'int64') return a.value === b.value ? a : undefined;
      return b.kind === 'int64-range' && intRangeContains(b, a.value) ? a : undefined;
    case 'int64-range':
      if (b.kind === 'int64') return intRangeContains(a, b.value) ? b : undefined;
      return b.kind === 'int64-range' ? intersectIntRanges(a, b) : undefined;
    case 'double':
      if (b.kind === 'double') return a.value === b.value ? a : undefined;
      return b.kind === 'double-range' && a.value >= b.min && a.value <= b.max ? a : undefined;
    case 'double-range':
      if (b.kind === 'double') return b.value >= a.min && b.value <= a.max ? b : undefined;
      return b.kind === 'double-range' ? doubleRange(Math.max(a.min, b.min), Math.min(a.max, b.max)) : undefined;
    case 'fraction':
      if (b.kind === 'fraction') return compareFractions(a, b) === 0 ? a : undefined;
      return b.kind === 'fraction-range' && inFractionRange(a, b.min, b.max) ? a : undefined;
    case 'fraction-range':
      if (b.kind === 'fraction') return inFractionRange(b, a.min, a.max) ? b : undefined;
      if (b.kind !== 'fraction-range') return undefined;
      return fractionRange(
        compareFractions(a.min, b.min) >= 0 ? a.min : b.min,
        compareFractions(a.max, b.max) <= 0 ? a.max : b.max);
    // No ranges of these exist in gst; a bitmask only meets an equal mask, as gst_caps_intersect.
    case 'uint': case 'uint64': case 'float': case 'bitmask': case 'string': case 'bool':
      return b.kind === a.kind && b.value === a.value ? a : undefined;
    case 'array':
      return b.kind === 'array' ? intersectArrays(a.items, b.items) : undefined;
  }
}

/**
 * A value from the surviving alternatives: undefined when none survive, the single survivor
 * itself, or a flat list without duplicates.
 */
export function fromAlternatives(candidates: readonly (CapsValue | undefined)[]): CapsValue | undefined {
  const items: CapsValue[] = [];
  const add = (v: CapsValue): void => {
    if (v.kind === 'list') v.items.forEach(add);
    else if (!items.some((seen) => valueEquals(seen, v))) items.push(v);
  };
  for (const c of candidates) if (c !== undefined) add(c);
  if (items.length === 0) return undefined;
  return items.length === 1 ? items[0] : { kind: 'list', items };
}

/** Whether fraction `f` lies in the inclusive range `[min, max]`. */
function inFractionRange(f: CapsFraction, min: CapsFraction, max: CapsFraction): boolean {
  return compareFractions(f, min) >= 0 && compareFractions(f, max) <= 0;
}

function doubleRange(min: number, max: number): CapsValue | undefined {
  if (min > max) return undefined;
  return min === max ? { kind: 'double', value: min } : { kind: 'double-range', min, max };
}

function fractionRange(min: CapsFraction, max: CapsFraction): CapsValue | undefined {
  const order = compareFractions(min, max);
  if (order > 0) return undefined;
  return order === 0 ? { kind: 'fraction', ...min } : { kind: 'fraction-range', min, max };
}

/** Arrays intersect item by item when they have the same length. */
function intersectArrays(a: readonly CapsValue[], b: readonly CapsValue[]): CapsValue | undefined {
  if (a.length !== b.length) return undefined;
  const items: CapsValue[] = [];
  for (let i = 0; i < a.length; i += 1) {
    const v = intersectValues(a[i] as CapsValue, b[i] as CapsValue);
    if (v === undefined) return undefined;
    items.push(v);
  }
  return { kind: 'array', items };
}
