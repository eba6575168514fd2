import { compareFractions } from './fraction.js';
import { isIntRangeSubset, lastInRange } from './int-range.js';
import { intersectValues } from './intersect.js';
import { isFixedValue } from './value.js';
import type { CapsValue } from './value.js';

/**
 * Value subsets: whether every possibility of `a` is also a possibility of `b`.
 * A fixed value is a subset exactly when it survives intersection; sets are compared by bounds.
 */

/**
 * Whether `a` is a subset of `b`. A range is checked against each item of a list on its own,
 * so a range covered only by the union of several list items (`[1, 4]` against
 * `{ [1, 2], [3, 4] }`) is reported as not a subset.
 */
export function isValueSubset(a: CapsValue, b: CapsValue): boolean {
  if (a.kind === 'list') return a.items.every((item) => isValueSubset(item, b));
  if (isFixedValue(a) && a.kind !== 'array') return intersectValues(a, b) !== undefined;
  if (b.kind === 'list') return b.items.some((item) => isValueSubset(a, item));
  switch (a.kind) {
    case 'int-range':
      if (b.kind === 'int') return a.min === b.value && lastInRange(a) === b.value;
      return b.kind === 'int-range' && isIntRangeSubset(a, b);
    case 'int64-range':
      if (b.kind === 'int64') return a.min === b.value && lastInRange(a) === b.value;
      return b.kind === 'int64-range' && isIntRangeSubset(a, b);
    case 'double-range':
      return b.kind === 'double-range' && a.min >= b.min && a.max <= b.max;
    case 'fraction-range':
      return b.kind === 'fraction-range' && compareFractions(a.min, b.min) >= 0 && compareFractions(a.max, b.max) <= 0;
    case 'array':
      return b.kind === 'array' && a.items.length === b.items.length
        && a.items.every((item, i) => isValueSubset(item, b.items[i] as CapsValue));
    default:
      return false;
  }
}
