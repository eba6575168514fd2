/**
 * Caps features: which memory or meta a structure needs, written after the media type as
 * `video/x-raw(memory:GLMemory)`. Two structures only intersect when their features match.
 *
 * `memory:SystemMemory` is the default, so it is stored as `undefined` (no features): parsing
 * `audio/x-raw(memory:SystemMemory)` and `audio/x-raw` gives equal structures, and printing
 * leaves it out, as gst_caps_to_string does. `ANY` features match any features.
 */

/** A set of feature names, in the order written: `['memory:GLMemory', 'meta:Overlay']`. */
export type CapsFeatures = readonly string[];

/** The default feature, implied when a structure has none. */
export const SYSTEM_MEMORY = 'memory:SystemMemory';

/** Features as stored: undefined for the default (`memory:SystemMemory`, or none given). */
export function normalizeFeatures(f: CapsFeatures | undefined): CapsFeatures | undefined {
  if (f === undefined || f.length === 0 || (f.length === 1 && f[0] === SYSTEM_MEMORY)) return undefined;
  return f;
}

/** Whether `f` is the wildcard `(ANY)`. */
export function isAnyFeatures(f: CapsFeatures | undefined): boolean {
  return f !== undefined && f.length === 1 && f[0] === 'ANY';
}

/** Whether two normalized feature sets hold the same names, in any order. `ANY` only equals `ANY`. */
export function featuresEqual(a: CapsFeatures | undefined, b: CapsFeatures | undefined): boolean {
  if (a === b) return true;
  if (a === undefined || b === undefined || a.length !== b.length) return false;
  return a.every((name) => b.includes(name));
}

/** Whether structures with these features may intersect: equal features, or `ANY` on either side. */
export function featuresMatch(a: CapsFeatures | undefined, b: CapsFeatures | undefined): boolean {
  return isAnyFeatures(a) || isAnyFeatures(b) || featuresEqual(a, b);
}

/** The features as printed after the media type: `(memory:GLMemory)`, or '' for the default. */
export function formatFeatures(f: CapsFeatures | undefined): string {
  return f === undefined ? '' : `(${f.join(', ')})`;
}
