import { reduceFraction } from './fraction.js';
import type { CapsValue } from './value.js';

/**
 * Reading one scalar token as a typed value, as gst_value_deserialize does per type.
 * An untyped token is tried as int, double, fraction, boolean and finally string, in that order,
 * so `48000` is an int, `0.5` a double, `30/1` a fraction and `S16LE` a string.
 */

/** The value types a `(type)` prefix can name. */
export type ScalarType = 'int' | 'uint' | 'double' | 'string' | 'bool' | 'fraction';

/** Type names and abbreviations gst accepts in `(type)` prefixes, and the GType names. */
export const TYPE_ALIASES: Readonly<Record<string, ScalarType>> = {
  int: 'int', i: 'int', gint: 'int',
  uint: 'uint', u: 'uint', guint: 'uint',
  double: 'double', d: 'double', float: 'double', f: 'double', gdouble: 'double', gfloat: 'double',
  string: 'string', s: 'string', str: 'string', gchararray: 'string',
  boolean: 'bool', bool: 'bool', b: 'bool', gboolean: 'bool',
  fraction: 'fraction', GstFraction: 'fraction',
};

const INT_MIN = -2147483648;
const INT_MAX = 2147483647;
const UINT_MAX = 4294967295;

const INT = /^([+-]?)(?:0[xX]([0-9a-fA-F]+)|(\d+))$/;
const DOUBLE = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;
const SPECIAL_DOUBLE = /^([+-]?)(inf|infinity|nan)$/i;
const FRACTION = /^([+-]?\d+)\/(\d+)$/;

/**
 * The value of `token` as `type`, or with no type the first type it reads as. Undefined when
 * it does not read as `type`, so the caller can report what was expected.
 */
export function readScalar(token: string, type: ScalarType | undefined, quoted: boolean): CapsValue | undefined {
  if (type === undefined) {
    if (quoted) return { kind: 'string', value: token };
    return readInt(token, INT_MIN, INT_MAX) ?? readDouble(token, false) ?? readFraction(token)
      ?? readBool(token, false) ?? { kind: 'string', value: token };
  }
  switch (type) {
    case 'int': return readInt(token, INT_MIN, INT_MAX) ?? readLimit(token);
    case 'uint': return readInt(token, 0, UINT_MAX);
    case 'double': return readDouble(token, true);
    case 'string': return { kind: 'string', value: token };
    case 'bool': return readBool(token, true);
    case 'fraction': return readFraction(token) ?? integerFraction(token);
  }
}

function readInt(token: string, min: number, max: number): CapsValue | undefined {
  const m = INT.exec(token);
  if (m === null) return undefined;
  const magnitude = m[2] !== undefined ? Number.parseInt(m[2], 16) : Number(m[3]);
  const value = m[1] === '-' ? -magnitude : magnitude;
  return value >= min && value <= max ? { kind: 'int', value: value + 0 } : undefined;
}

/** `(int)max` and `(int)min`, which gst accepts for the int limits: `width=(int)[ 1, max ]`. */
function readLimit(token: string): CapsValue | undefined {
  if (token === 'max') return { kind: 'int', value: INT_MAX };
  return token === 'min' ? { kind: 'int', value: INT_MIN } : undefined;
}

function readDouble(token: string, typed: boolean): CapsValue | undefined {
  if (DOUBLE.test(token)) return { kind: 'double', value: Number(token) };
  // Only a typed double reads `inf`; untyped, `inf` is more likely a string.
  const m = typed ? SPECIAL_DOUBLE.exec(token) : null;
  if (m === null) return undefined;
  const value = (m[2] as string).toLowerCase() === 'nan' ? NaN : Infinity;
  return { kind: 'double', value: m[1] === '-' ? -value : value };
}

function readFraction(token: string): CapsValue | undefined {
  const m = FRACTION.exec(token);
  if (m === null || Number(m[2]) === 0) return undefined;
  return { kind: 'fraction', ...reduceFraction(Number(m[1]), Number(m[2])) };
}

function integerFraction(token: string): CapsValue | undefined {
  const n = readInt(token, INT_MIN, INT_MAX);
  return n?.kind === 'int' ? { kind: 'fraction', num: n.value, den: 1 } : undefined;
}

/** Untyped, only the words true/false/yes/no read as booleans; typed, also t/f/1/0 as in gst. */
function readBool(token: string, typed: boolean): CapsValue | undefined {
  const word = token.toLowerCase();
  if (word === 'true' || word === 'yes' || (typed && (word === 't' || word === '1'))) return { kind: 'bool', value: true };
  if (word === 'false' || word === 'no' || (typed && (word === 'f' || word === '0'))) return { kind: 'bool', value: false };
  return undefined;
}
