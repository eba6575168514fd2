import { parseCaps } from '../element/caps/index.js';
import { KERNEL_KINDS, type KernelKind } from './user-abi.js';

/**
 * The JSON descriptor a user module returns from `pxl_describe` (doc/design/006), checked field
 * by field: every error names the field ("properties[1].max: …"), so an author can fix the
 * module without guessing.
 */
export type KernelPropertyType = 'int' | 'double' | 'bool' | 'enum';

export interface KernelProperty {
  readonly name: string;
  readonly type: KernelPropertyType;
  /** The value the kernel gets before anything is set: a number (bool 0/1, enum index). */
  readonly default: number;
  readonly min?: number;
  readonly max?: number;
  /** Enum nicks, by index. */
  readonly values?: readonly string[];
  readonly description: string;
}

export interface KernelDescriptor {
  readonly name: string;
  readonly kind: KernelKind;
  readonly description: string;
  /** A transform that may write its output over its input (`out == in`). */
  readonly inPlace: boolean;
  /** Caps text per pad direction; absent means any. */
  readonly caps: { readonly sink?: string; readonly src?: string };
  readonly properties: readonly KernelProperty[];
}

const PROPERTY_TYPES: readonly KernelPropertyType[] = ['int', 'double', 'bool', 'enum'];
const NAME = /^[A-Za-z][A-Za-z0-9-]*$/;
const INT32_MIN = -2147483648;
const INT32_MAX = 2147483647;

/** A descriptor field is wrong: `field` says which ("properties[0].min"). */
export class DescriptorError extends Error {
  constructor(readonly field: string, reason: string) {
    super(field === '' ? reason : `${field}: ${reason}`);
    this.name = 'DescriptorError';
  }
}

type Json = Record<string, unknown>;

function isObject(v: unknown): v is Json {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function optionalString(o: Json, key: string, field: string): string | undefined {
  const v = o[key];
  if (v === undefined) return undefined;
  if (typeof v !== 'string') throw new DescriptorError(field, `expected a string, got ${JSON.stringify(v)}`);
  return v;
}

function optionalNumber(o: Json, key: string, field: string): number | undefined {
  const v = o[key];
  if (v === undefined) return undefined;
  if (typeof v !== 'number' || !Number.isFinite(v)) throw new DescriptorError(field, `expected a finite number, got ${JSON.stringify(v)}`);
  return v;
}

function onlyKeys(o: Json, allowed: readonly string[], where: string): void {
  for (const k of Object.keys(o)) {
    if (!allowed.includes(k)) throw new DescriptorError(where === '' ? k : `${where}.${k}`, `unknown field (known: ${allowed.join(', ')})`);
  }
}

/** Parses and checks a descriptor's JSON text. Throws DescriptorError naming the field at fault. */
export function parseDescriptor(text: string): KernelDescriptor {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    throw new DescriptorError('', `not JSON (${e instanceof Error ? e.message : String(e)}): ${text.length > 80 ? `${text.slice(0, 80)}…` : text}`);
  }
  if (!isObject(raw)) throw new DescriptorError('', 'expected a JSON object');
  onlyKeys(raw, ['name', 'kind', 'description', 'inPlace', 'caps', 'properties'], '');
  const name = raw['name'];
  if (typeof name !== 'string' || name === '') throw new DescriptorError('name', 'expected a non-empty string');
  const kind = raw['kind'];
  if (typeof kind !== 'string' || !(KERNEL_KINDS as readonly string[]).includes(kind)) {
    throw new DescriptorError('kind', `expected one of ${KERNEL_KINDS.join(', ')}, got ${JSON.stringify(kind)}`);
  }
  const inPlace = raw['inPlace'] ?? false;
  if (typeof inPlace !== 'boolean') throw new DescriptorError('inPlace', `expected true or false, got ${JSON.stringify(inPlace)}`);
  return {
    name,
    kind: kind as KernelKind,
    description: optionalString(raw, 'description', 'description') ?? '',
    inPlace,
    caps: parseCapsField(raw['caps'], kind as KernelKind),
    properties: parseProperties(raw['properties']),
  };
}

function parseCapsField(v: unknown, kind: KernelKind): KernelDescriptor['caps'] {
  if (v === undefined) return {};
  if (!isObject(v)) throw new DescriptorError('caps', 'expected an object such as {"sink": "audio/x-raw", "src": "audio/x-raw"}');
  const pads = kind === 'transform' ? ['sink', 'src'] : kind === 'source' ? ['src'] : ['sink'];
  onlyKeys(v, pads, 'caps');
  const out: { sink?: string; src?: string } = {};
  for (const pad of pads) {
    const text = optionalString(v, pad, `caps.${pad}`);
    if (text === undefined) continue;
    try {
      parseCaps(text);
    } catch (e) {
      throw new DescriptorError(`caps.${pad}`, `bad caps ${JSON.stringify(text)}: ${e instanceof Error ? e.message : String(e)}`);
    }
    out[pad as 'sink' | 'src'] = text;
  }
  return out;
}

function parseProperties(v: unknown): KernelProperty[] {
  if (v === undefined) return [];
  if (!Array.isArray(v)) throw new DescriptorError('properties', 'expected an array');
  const seen = new Set<string>();
  return v.map((p: unknown, i) => {
    const prop = parseProperty(p, `properties[${i}]`);
    if (seen.has(prop.name)) throw new DescriptorError(`properties[${i}].name`, `"${prop.name}" is declared twice`);
    seen.add(prop.name);
    return prop;
  });
}

function parseProperty(p: unknown, at: string): KernelProperty {
  if (!isObject(p)) throw new DescriptorError(at, 'expected an object');
  onlyKeys(p, ['name', 'type', 'default', 'min', 'max', 'values', 'description'], at);
  const name = p['name'];
  if (typeof name !== 'string' || !NAME.test(name)) throw new DescriptorError(`${at}.name`, `expected a name of letters, digits and dashes, got ${JSON.stringify(name)}`);
  const type = p['type'];
  if (typeof type !== 'string' || !(PROPERTY_TYPES as readonly string[]).includes(type)) {
    throw new DescriptorError(`${at}.type`, `expected one of ${PROPERTY_TYPES.join(', ')}, got ${JSON.stringify(type)}`);
  }
  const description = optionalString(p, 'description', `${at}.description`) ?? '';
  const rawDefault = p['default'];
  const dflt = type === 'bool' && typeof rawDefault === 'boolean' ? (rawDefault ? 1 : 0) : optionalNumber(p, 'default', `${at}.default`) ?? 0;
  switch (type) {
    case 'bool':
      for (const k of ['min', 'max', 'values']) if (p[k] !== undefined) throw new DescriptorError(`${at}.${k}`, 'a bool property has no ' + k);
      if (dflt !== 0 && dflt !== 1) throw new DescriptorError(`${at}.default`, `a bool default is 0, 1, false or true, got ${JSON.stringify(rawDefault)}`);
      return { name, type, default: dflt, description };
    case 'enum': {
      for (const k of ['min', 'max']) if (p[k] !== undefined) throw new DescriptorError(`${at}.${k}`, 'an enum property has no ' + k);
      const values = p['values'];
      if (!Array.isArray(values) || values.length === 0 || !values.every((x) => typeof x === 'string' && NAME.test(x))) {
        throw new DescriptorError(`${at}.values`, 'expected a non-empty array of names (letters, digits, dashes)');
      }
      if (new Set(values).size !== values.length) throw new DescriptorError(`${at}.values`, 'a value is listed twice');
      if (!Number.isInteger(dflt) || dflt < 0 || dflt >= values.length) throw new DescriptorError(`${at}.default`, `expected an index 0..${values.length - 1} into values, got ${dflt}`);
      return { name, type, default: dflt, values: values as string[], description };
    }
    default: {
      if (p['values'] !== undefined) throw new DescriptorError(`${at}.values`, `a ${type} property has no values`);
      const min = optionalNumber(p, 'min', `${at}.min`);
      const max = optionalNumber(p, 'max', `${at}.max`);
      if (type === 'int') {
        for (const [k, n] of [['default', dflt], ['min', min], ['max', max]] as const) {
          if (n !== undefined && (!Number.isInteger(n) || n < INT32_MIN || n > INT32_MAX)) throw new DescriptorError(`${at}.${k}`, `an int property needs a 32-bit integer, got ${n}`);
        }
      }
      if (min !== undefined && max !== undefined && min > max) throw new DescriptorError(`${at}.min`, `min ${min} is above max ${max}`);
      if (min !== undefined && dflt < min) throw new DescriptorError(`${at}.default`, `default ${dflt} is below min ${min}`);
      if (max !== undefined && dflt > max) throw new DescriptorError(`${at}.default`, `default ${dflt} is above max ${max}`);
      return { name, type: type as 'int' | 'double', default: dflt, ...(min === undefined ? {} : { min }), ...(max === undefined ? {} : { max }), description };
    }
  }
}
