import { formatValue, parseStructure } from '../../src/element/caps/index.js';
import type { CapsValue } from '../../src/element/caps/index.js';

/** The value written as a field value in caps syntax: `val('[1, 5]')`. */
export function val(text: string): CapsValue {
  const v = parseStructure(`test/x, f=${text}`).get('f');
  if (v === undefined) throw new Error(`no value in ${text}`);
  return v;
}

/** A value (or no value) in the compact style, for readable tables: `[1, 5]`, `-` for undefined. */
export function show(v: CapsValue | undefined): string {
  return v === undefined ? '-' : formatValue(v, 'compact');
}
