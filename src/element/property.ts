import { ParallaxError } from '../errors.js';
import { Caps, parseCaps } from './caps/index.js';

/**
 * Property schemas. Every element declares its properties with a type, a default, a range where
 * it has one, a description, and whether it may change while the pipeline runs. Values that come
 * from launch strings are converted and validated here, so every element gets the same errors.
 */
export interface Fraction { readonly num: number; readonly den: number }

export interface EnumValue { readonly nick: string; readonly value: number; readonly description?: string }

interface SpecBase {
  readonly description: string;
  /** May be set while the pipeline is Running. Properties can always be set before. */
  readonly mutable?: boolean;
  /** A read-out (current-level-buffers): get only. */
  readonly readonly?: boolean;
}

export type PropertySpec =
  | (SpecBase & { readonly type: 'int'; readonly default: number; readonly min?: number; readonly max?: number })
  | (SpecBase & { readonly type: 'uint64'; readonly default: number; readonly min?: number; readonly max?: number })
  | (SpecBase & { readonly type: 'double'; readonly default: number; readonly min?: number; readonly max?: number })
  | (SpecBase & { readonly type: 'bool'; readonly default: boolean })
  | (SpecBase & { readonly type: 'string'; readonly default: string | null })
  | (SpecBase & { readonly type: 'enum'; readonly default: string; readonly values: readonly EnumValue[] })
  | (SpecBase & { readonly type: 'caps'; readonly default: Caps })
  | (SpecBase & { readonly type: 'fraction'; readonly default: Fraction; readonly min?: Fraction; readonly max?: Fraction });

export type PropertyValue = number | boolean | string | null | Caps | Fraction;
export type PropertySchema = Readonly<Record<string, PropertySpec>>;

const INT32_MIN = -2147483648;
const INT32_MAX = 2147483647;

/** Where a value is being set, for error messages: "property num-buffers of fakesrc0". */
export interface PropertyTarget { readonly element: string; readonly property: string }

function fail(t: PropertyTarget, value: unknown, why: string): never {
  const shown = typeof value === 'string' ? JSON.stringify(value) : String(value);
  throw new ParallaxError('BAD_PROPERTY_VALUE', `bad value ${shown} for property ${t.property} of ${t.element}: ${why}`);
}

/** The range a numeric spec accepts, with the implied limits of its type. */
export function numericRange(spec: PropertySpec): [number, number] | undefined {
  switch (spec.type) {
    case 'int': return [spec.min ?? INT32_MIN, spec.max ?? INT32_MAX];
    case 'uint64': return [spec.min ?? 0, spec.max ?? Number.MAX_SAFE_INTEGER];
    case 'double': return [spec.min ?? -Number.MAX_VALUE, spec.max ?? Number.MAX_VALUE];
    default: return undefined;
  }
}

function checkRange(spec: PropertySpec, t: PropertyTarget, n: number, raw: unknown): number {
  const range = numericRange(spec);
  if (range && (n < range[0] || n > range[1])) fail(t, raw, `must be in [${range[0]}, ${range[1]}]`);
  return n;
}

function parseNumber(text: string): number {
  const s = text.trim();
  if (s === '') return NaN;
  if (/^[+-]?0x[0-9a-f]+$/i.test(s)) return s.startsWith('-') ? -parseInt(s.slice(1), 16) : parseInt(s.replace('+', ''), 16);
  return Number(s);
}

/** Integers as GObject reads them: decimal or hex digits only, so "1e3" and "5.0" are refused. */
function parseInteger(text: string): number {
  const s = text.trim();
  return /^[+-]?(\d+|0x[0-9a-f]+)$/i.test(s) ? parseNumber(s) : NaN;
}

function parseFraction(text: string): Fraction | undefined {
  const m = /^\s*(-?\d+)\s*\/\s*(\d+)\s*$/.exec(text) ?? /^\s*(-?\d+)\s*$/.exec(text);
  if (!m) return undefined;
  const den = m[2] === undefined ? 1 : Number(m[2]);
  return den === 0 ? undefined : { num: Number(m[1]), den };
}

/**
 * Converts `raw` (a launch-string text or a typed value from the TS API) to the property's type,
 * or throws a ParallaxError('BAD_PROPERTY_VALUE') that names the element, property and reason.
 */
export function convertPropertyValue(spec: PropertySpec, raw: unknown, t: PropertyTarget): PropertyValue {
  switch (spec.type) {
    case 'int':
    case 'uint64': {
      // G_MAXUINT64 (GST_CLOCK_TIME_NONE) is how gst-launch lines say "no limit": the largest value here.
      if (spec.type === 'uint64' && (raw === '18446744073709551615' || raw === 18446744073709551615n || raw === '-1')) return numericRange(spec)![1];
      const n = typeof raw === 'string' ? parseInteger(raw) : typeof raw === 'bigint' ? Number(raw) : raw;
      if (typeof n !== 'number' || !Number.isInteger(n)) fail(t, raw, spec.type === 'int' ? 'expected an integer' : 'expected a non-negative integer');
      return checkRange(spec, t, n, raw);
    }
    case 'double': {
      const n = typeof raw === 'string' ? parseNumber(raw) : raw;
      if (typeof n !== 'number' || Number.isNaN(n)) fail(t, raw, 'expected a number');
      return checkRange(spec, t, n, raw);
    }
    case 'bool': {
      if (typeof raw === 'boolean') return raw;
      if (typeof raw === 'string') {
        const s = raw.trim().toLowerCase();
        if (s === 'true' || s === 'yes' || s === '1' || s === 't') return true;
        if (s === 'false' || s === 'no' || s === '0' || s === 'f') return false;
      }
      return fail(t, raw, 'expected true or false');
    }
    case 'string':
      if (raw === null || typeof raw === 'string') return raw;
      return fail(t, raw, 'expected a string');
    case 'enum': {
      const found = findEnum(spec.values, raw);
      if (found === undefined) fail(t, raw, `expected one of ${spec.values.map((v) => `${v.nick} (${v.value})`).join(', ')}`);
      return found.nick;
    }
    case 'caps':
      if (raw instanceof Caps) return raw;
      if (typeof raw === 'string') {
        try {
          return parseCaps(raw);
        } catch (e) {
          return fail(t, raw, e instanceof Error ? e.message : String(e));
        }
      }
      return fail(t, raw, 'expected caps');
    case 'fraction': {
      const f = typeof raw === 'string' ? parseFraction(raw)
        : typeof raw === 'object' && raw !== null && 'num' in raw && 'den' in raw ? raw as Fraction : undefined;
      if (f === undefined || !Number.isInteger(f.num) || !Number.isInteger(f.den) || f.den <= 0) fail(t, raw, 'expected a fraction such as 30/1');
      const v = f.num / f.den;
      if ((spec.min && v < spec.min.num / spec.min.den) || (spec.max && v > spec.max.num / spec.max.den)) {
        fail(t, raw, `must be in [${fmtFraction(spec.min)}, ${fmtFraction(spec.max)}]`);
      }
      return f;
    }
  }
}

function findEnum(values: readonly EnumValue[], raw: unknown): EnumValue | undefined {
  if (typeof raw === 'number') return values.find((v) => v.value === raw);
  if (typeof raw !== 'string') return undefined;
  const s = raw.trim();
  const byNick = values.find((v) => v.nick === s);
  if (byNick) return byNick;
  if (/^-?\d+$/.test(s)) return values.find((v) => v.value === Number(s));
  return undefined;
}

function fmtFraction(f: Fraction | undefined): string {
  return f === undefined ? '…' : `${f.num}/${f.den}`;
}

/** How a value prints in inspect output and `-v` notifications. */
export function formatPropertyValue(v: PropertyValue): string {
  if (v === null) return 'null';
  if (v instanceof Caps) return v.toString();
  if (typeof v === 'object') return `${v.num}/${v.den}`;
  if (typeof v === 'string') return JSON.stringify(v);
  return String(v);
}

/** A human name for the spec's type, with its range: "int [-1, 2147483647]". */
export function describePropertyType(spec: PropertySpec): string {
  const range = numericRange(spec);
  if (spec.type === 'double' && spec.min === undefined && spec.max === undefined) return 'double';
  if (range) return `${spec.type} [${range[0]}, ${range[1]}]`;
  if (spec.type === 'enum') return `enum {${spec.values.map((v) => `${v.nick}=${v.value}`).join(', ')}}`;
  return spec.type;
}
