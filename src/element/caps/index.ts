/**
 * Caps: GStreamer-compatible media format descriptions, their values, parsing, printing and
 * negotiation (intersect, subset, fixate, simplify, explain).
 */
export { CapsValue, isFixedValue, valueEquals } from './value.js';
export type { CapsFraction, CapsValueKind } from './value.js';
export { intersectValues } from './intersect.js';
export { isValueSubset } from './subset.js';
export { fixateValue } from './fixate.js';
export type { FixateTarget } from './fixate.js';
export { formatValue } from './format.js';
export type { ValueStyle } from './format.js';
export { SYSTEM_MEMORY } from './features.js';
export type { CapsFeatures } from './features.js';
export { Structure } from './structure.js';
export type { StructureFields } from './structure.js';
export { intersectStructures, isStructureSubset, fixateStructure } from './structure-ops.js';
export type { FixateTargets } from './structure-ops.js';
export { Caps } from './caps.js';
export { parseCaps, parseStructure } from './parse.js';
export { CapsSyntaxError } from './syntax-error.js';
export { explainMismatch } from './explain.js';
