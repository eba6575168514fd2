import { makeIntRange } from './int-range.js';
import { fromAlternatives } from './intersect.js';
import type { Structure } from './structure.js';
import { isStructureSubset } from './structure-ops.js';
import { featuresEqual } from './features.js';
import { valueEquals } from './value.js';
import type { CapsValue } from './value.js';

/**
 * Simplification, after gst_caps_simplify: the same set of formats in fewer structures.
 *
 * Unlike gst, this keeps the order of the structures, because the first structure is the
 * preferred one when caps are fixated. So a structure is only dropped when an earlier one
 * already covers it, never moved ahead of one written before it.
 */

/**
 * `list` without structures covered by an earlier one, and with structures that differ from an
 * earlier one in a single field merged into it (`rate=44100; rate=48000` → `rate={ 44100, 48000 }`,
 * `width=[1, 10]; width=[5, 20]` → `width=[ 1, 20 ]`).
 */
export function simplifyStructures(list: readonly Structure[]): Structure[] {
  const kept: Structure[] = [];
  next: for (const s of list) {
    for (let i = 0; i < kept.length; i += 1) {
      const k = kept[i] as Structure;
      if (isStructureSubset(s, k)) continue next;
      const merged = mergeOneField(k, s);
      if (merged !== undefined) {
        kept[i] = merged;
        continue next;
      }
    }
    kept.push(s);
  }
  return kept;
}

/**
 * `a` with one field widened to also hold `b`'s value, when `a` and `b` have the same media
 * type, features and field names and differ in exactly that field; else undefined.
 */
function mergeOneField(a: Structure, b: Structure): Structure | undefined {
  if (a.name !== b.name || a.fields.size !== b.fields.size || !featuresEqual(a.features, b.features)) return undefined;
  let differing: [string, CapsValue, CapsValue] | undefined;
  for (const [field, v] of a.fields) {
    const w = b.fields.get(field);
    if (w === undefined) return undefined;
    if (valueEquals(v, w)) continue;
    if (differing !== undefined) return undefined;
    differing = [field, v, w];
  }
  if (differing === undefined) return a;
  const [field, v, w] = differing;
  return a.with(field, unionValues(v, w));
}

/**
 * Both values in one: overlapping or touching int ranges (and ints next to or inside them) join
 * into one range, as gst_value_union does, so `[1, 10]` and `[5, 20]` give `[1, 20]` and
 * `[1, 10]` and `11` give `[1, 11]`. Anything else becomes a list of both.
 */
function unionValues(v: CapsValue, w: CapsValue): CapsValue {
  const [x, y] = [span(v), span(w)];
  if (x !== undefined && y !== undefined && x.kind === y.kind && x.min <= y.max + 1 && y.min <= x.max + 1) {
    return makeIntRange(Math.min(x.min, y.min), Math.max(x.max, y.max), 1, x.kind);
  }
  return fromAlternatives([v, w]) as CapsValue;
}

/** The members of an int, int64 or unstepped int range as one span, else undefined. */
function span(v: CapsValue): { kind: 'int-range' | 'int64-range'; min: number; max: number } | undefined {
  switch (v.kind) {
    case 'int': return { kind: 'int-range', min: v.value, max: v.value };
    case 'int64': return { kind: 'int64-range', min: v.value, max: v.value };
    case 'int-range': case 'int64-range': return (v.step ?? 1) === 1 ? { kind: v.kind, min: v.min, max: v.max } : undefined;
    default: return undefined;
  }
}
