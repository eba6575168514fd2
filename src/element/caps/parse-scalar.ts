import { reduceFraction } from './fraction.js';
import type { CapsValue } from './value.js';

/**
 * Reading one scalar token as a typed value, as gst_value_deserialize does per type.
 * An untyped token is tried as int, double, fraction, boolean and finally string, in that order,
 * so `48000` and `max` are ints, `0.5` and `inf` doubles, `30/1` a fraction, `t` a boolean and
 * `S16LE` a string.
 */

/** The value types a `(type)` prefix can name. */
export type ScalarType = 'int' | 'uint' | 'int64' | 'uint64' | 'double' | 'float' | 'bitmask' | 'string' | 'bool' | 'fraction';

/**
 * Type names and abbreviations gst accepts in `(type)` prefixes, and the GType names. `int64`
 * and `uint64` are not gst's (it only knows `gint64`/`guint64`), but nobody means anything else.
 */
export const TYPE_ALIASES: Readonly<Record<string, ScalarType>> = {
  int: 'int', i: 'int', gint: 'int',
  uint: 'uint', u: 'uint', guint: 'uint',
  gint64: 'int64', int64: 'int64', guint64: 'uint64', uint64: 'uint64',
  double: 'double', d: 'double', gdouble: 'double',
  float: 'float', f: 'float', gfloat: 'float',
  bitmask: 'bitmask', GstBitmask: 'bitmask',
  string: 'string', s: 'string', str: 'string', gchararray: 'string',
  boolean: 'bool', bool: 'bool', b: 'bool', gboolean: 'bool',
  fraction: 'fraction', GstFraction: 'fraction',
};

const INT_MIN = -2147483648;
const INT_MAX = 2147483647;
const UINT_MAX = 4294967295;
const FLOAT_MAX = 3.4028234663852886e38;

const INT = /^([+-]?)(?:0[xX]([0-9a-fA-F]+)|(\d+))$/;
const DOUBLE = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;
const SPECIAL_DOUBLE = /^([+-]?)(inf|infinity|nan)$/i;
const FRACTION = /^([+-]?\d+)\/(\d+)$/;

/**
 * The value of `token` as `type`, or with no type the first type it reads as. Undefined when
 * it does not read as `type`, so the caller can report what was expected; a string when it
 * reads but cannot be held (a 64-bit value beyond 2^53), saying why.
 */
export function readScalar(token: string, type: ScalarType | undefined, quoted: boolean): CapsValue | string | undefined {
  if (type === undefined) {
    if (quoted) return { kind: 'string', value: token };
    // As gst: `max`/`min` read as the int limits, `inf`/`nan` as doubles, `t`/`f` as booleans.
    return readInt(token, INT_MIN, INT_MAX) ?? readLimit(token, 'int', INT_MIN, INT_MAX) ?? readDouble(token)
      ?? readFraction(token) ?? readBool(token, false) ?? { kind: 'string', value: token };
  }
  switch (type) {
    case 'int': return readInt(token, INT_MIN, INT_MAX) ?? readLimit(token, 'int', INT_MIN, INT_MAX);
    case 'uint': return readUint(token);
    case 'int64': return readBig(token, 'int64', -(2n ** 63n), 2n ** 63n - 1n);
    case 'uint64': return readBig(token, 'uint64', 0n, 2n ** 64n - 1n);
    case 'bitmask': return readBitmask(token);
    case 'double': return readDouble(token) ?? readLimit(token, 'double', -Number.MAX_VALUE, Number.MAX_VALUE);
    case 'float': return readFloat(token);
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

function readUint(token: string): CapsValue | undefined {
  const v = readInt(token, 0, UINT_MAX) ?? readLimit(token, 'int', 0, UINT_MAX);
  return v?.kind === 'int' ? { kind: 'uint', value: v.value } : undefined;
}

/**
 * `max` and `min` (any case), which gst reads as a type's limits: `width=(int)[ 1, max ]`,
 * `(double)[ 0, max ]`. gst's double `min` is -DBL_MAX, not DBL_MIN.
 */
function readLimit(token: string, kind: 'int' | 'double', min: number, max: number): CapsValue | undefined {
  const word = token.toLowerCase();
  if (word === 'max') return { kind, value: max };
  return word === 'min' ? { kind, value: min } : undefined;
}

/** An integer token as a BigInt, or undefined when it is not one. */
function bigIntOf(token: string): bigint | undefined {
  const m = INT.exec(token);
  if (m === null) return undefined;
  const magnitude = m[2] !== undefined ? BigInt(`0x${m[2]}`) : BigInt(m[3] as string);
  return m[1] === '-' ? -magnitude : magnitude;
}

/** A 64-bit integer, which must also be a safe integer since values hold plain numbers. */
function readBig(token: string, kind: 'int64' | 'uint64', min: bigint, max: bigint): CapsValue | string | undefined {
  const word = token.toLowerCase();
  const n = word === 'max' ? max : word === 'min' ? min : bigIntOf(token);
  if (n === undefined || n < min || n > max) return undefined;
  if (n > BigInt(Number.MAX_SAFE_INTEGER) || n < BigInt(Number.MIN_SAFE_INTEGER)) {
    return `${kind === 'int64' ? 'gint64' : 'guint64'} value '${token}' is beyond ±2^53-1, the largest integer held exactly`;
  }
  return { kind, value: Number(n) };
}

/** `(bitmask)0x3` or `(bitmask)3`: an unsigned 64-bit mask. */
function readBitmask(token: string): CapsValue | undefined {
  const n = bigIntOf(token);
  return n === undefined || n < 0n || n >= 2n ** 64n ? undefined : { kind: 'bitmask', value: n };
}

function readDouble(token: string): CapsValue | undefined {
  if (DOUBLE.test(token)) return { kind: 'double', value: Number(token) };
  const m = SPECIAL_DOUBLE.exec(token);
  if (m === null) return undefined;
  const value = (m[2] as string).toLowerCase() === 'nan' ? NaN : Infinity;
  return { kind: 'double', value: m[1] === '-' ? -value : value };
}

/** A float: read as a double, rejected beyond FLT_MAX as gst does, then rounded to single precision. */
function readFloat(token: string): CapsValue | undefined {
  const v = readDouble(token) ?? readLimit(token, 'double', -FLOAT_MAX, FLOAT_MAX);
  if (v?.kind !== 'double' || (Math.abs(v.value) > FLOAT_MAX && Number.isFinite(v.value))) return undefined;
  return { kind: 'float', value: Math.fround(v.value) };
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

/**
 * true/yes/t and false/no/f in any case, as gst reads booleans; typed, also 1 and 0 (untyped,
 * those read as ints first).
 */
function readBool(token: string, typed: boolean): CapsValue | undefined {
  const word = token.toLowerCase();
  if (word === 'true' || word === 'yes' || word === 't' || (typed && word === '1')) return { kind: 'bool', value: true };
  if (word === 'false' || word === 'no' || word === 'f' || (typed && word === '0')) return { kind: 'bool', value: false };
  return undefined;
}
