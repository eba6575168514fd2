import { ParallaxError } from '../../errors.js';
import { featuresEqual, featuresMatch, isAnyFeatures } from './features.js';
import { fixateValue } from './fixate.js';
import type { FixateTarget } from './fixate.js';
import { makeIntRange } from './int-range.js';
import { intersectValues } from './intersect.js';
import { Structure } from './structure.js';
import { isValueSubset } from './subset.js';
import type { CapsValue } from './value.js';

/**
 * Structure-level negotiation: intersection, subset and fixation, field by field, as
 * gst_structure_intersect, gst_structure_is_subset and gst_structure_fixate.
 */

/** Preferred values by field name, for {@link fixateStructure}: `{ rate: 48000, framerate: { num: 30, den: 1 } }`. */
export type FixateTargets = Readonly<Record<string, FixateTarget>>;

/**
 * The formats both structures describe, or undefined. The media types must be equal and the
 * features must match; a field on only one side is kept as it is (the other side did not
 * constrain it), and a field on both sides must intersect. Fields of `a` come first, in order.
 */
export function intersectStructures(a: Structure, b: Structure): Structure | undefined {
  if (a.name !== b.name || !featuresMatch(a.features, b.features)) return undefined;
  if (a === b) return a;
  const fields = new Map<string, CapsValue>();
  for (const [field, v] of a.fields) {
    const w = b.fields.get(field);
    const both = w === undefined ? v : intersectValues(v, w);
    if (both === undefined) return undefined;
    fields.set(field, both);
  }
  for (const [field, w] of b.fields) if (!fields.has(field)) fields.set(field, w);
  return new Structure(a.name, fields, isAnyFeatures(a.features) ? b.features : a.features);
}

/**
 * The first field of `a` whose value cannot agree with `b`'s, or undefined if every shared
 * field intersects. Media types and features are not checked.
 */
export function firstConflict(a: Structure, b: Structure): string | undefined {
  for (const [field, v] of a.fields) {
    const w = b.fields.get(field);
    if (w !== undefined && intersectValues(v, w) === undefined) return field;
  }
  return undefined;
}

/** Whether the structures share a format; like intersectStructures but builds nothing. */
export function canIntersectStructures(a: Structure, b: Structure): boolean {
  return a.name === b.name && featuresMatch(a.features, b.features) && firstConflict(a, b) === undefined;
}

/**
 * Whether every format `sub` describes is also described by `sup`: same media type, features
 * equal (or `sup` has `ANY`), and every field of `sup` present in `sub` with a subset value.
 * Extra fields in `sub` only narrow it further.
 */
export function isStructureSubset(sub: Structure, sup: Structure): boolean {
  if (sub === sup) return true;
  if (sub.name !== sup.name) return false;
  if (!isAnyFeatures(sup.features) && !featuresEqual(sub.features, sup.features)) return false;
  for (const [field, w] of sup.fields) {
    const v = sub.fields.get(field);
    if (v === undefined || !isValueSubset(v, w)) return false;
  }
  return true;
}

/**
 * Whether every format of `s` is described by one of `supers`. Unlike gst_caps_is_subset, a
 * structure whose list field is split across several structures still counts as covered:
 * `format={ S16LE, F32LE }` is covered by `format=S16LE; format=F32LE`. Lists are expanded one
 * field at a time, and only when no single structure covers `s`.
 */
export function isCoveredBy(s: Structure, supers: readonly Structure[]): boolean {
  if (supers.some((sup) => isStructureSubset(s, sup))) return true;
  for (const [field, v] of s.fields) {
    if (v.kind === 'list' && v.items.length > 1) return v.items.every((item) => isCoveredBy(s.with(field, item), supers));
  }
  // Likewise an unstepped int range split across structures: `width=[1, 20]` is covered by
  // `width=[1, 10]; width=[5, 20]`. The range is cut where a structure's range starts or ends.
  for (const [field, v] of s.fields) {
    const pieces = splitRange(v, supers.map((sup) => sup.fields.get(field)));
    if (pieces !== undefined) return pieces.every((piece) => isCoveredBy(s.with(field, piece), supers));
  }
  return false;
}

/**
 * `v`, an unstepped int or int64 range, cut into pieces at the bounds of `others`' ranges and
 * values of the same kind; undefined when `v` is no such range or no bound falls inside it.
 */
function splitRange(v: CapsValue, others: readonly (CapsValue | undefined)[]): CapsValue[] | undefined {
  if ((v.kind !== 'int-range' && v.kind !== 'int64-range') || (v.step ?? 1) !== 1) return undefined;
  const single = v.kind === 'int-range' ? 'int' : 'int64';
  const cuts = new Set<number>();
  for (const o of others) {
    if (o?.kind === v.kind && (o.step ?? 1) === 1) [o.min, o.max + 1].forEach((c) => cuts.add(c));
    else if (o?.kind === single) [o.value, o.value + 1].forEach((c) => cuts.add(c));
  }
  const starts = [...cuts].filter((c) => c > v.min && c <= v.max).sort((x, y) => x - y);
  if (starts.length === 0) return undefined;
  return [v.min, ...starts].map((start, i) => makeIntRange(start, (starts[i] ?? v.max + 1) - 1, 1, v.kind));
}

/**
 * A fixed structure: every field fixated (towards `targets[field]` when given), and `ANY`
 * features replaced by the default, as gst_caps_fixate does.
 */
export function fixateStructure(s: Structure, targets?: FixateTargets): Structure {
  if (s.isFixed() && !isAnyFeatures(s.features)) return s;
  const fields = new Map<string, CapsValue>();
  for (const [field, v] of s.fields) {
    if (v.kind === 'list' && v.items.length === 0) {
      throw new ParallaxError('NOT_NEGOTIATED', `cannot fixate ${s.name}: field ${field} is an empty list`);
    }
    fields.set(field, fixateValue(v, targets?.[field]));
  }
  return new Structure(s.name, fields, isAnyFeatures(s.features) ? undefined : s.features);
}
