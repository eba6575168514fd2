import { featuresEqual, formatFeatures, normalizeFeatures } from './features.js';
import type { CapsFeatures } from './features.js';
import { formatValue } from './format.js';
import { isFixedValue, valueEquals } from './value.js';
import type { CapsFraction, CapsValue } from './value.js';

/** Field values to build a structure from: a Map, entries, or a plain record. */
export type StructureFields = ReadonlyMap<string, CapsValue> | Iterable<readonly [string, CapsValue]> | Readonly<Record<string, CapsValue>>;

/**
 * One media format description, as GstStructure in caps: a media type (`audio/x-raw`), its caps
 * features, and named fields in the order written. `audio/x-raw, rate=48000, channels=2`.
 *
 * Immutable: `with` and `without` return new structures, so caps can share structures and
 * cache what they compute about them.
 */
export class Structure {
  /** The media type, `audio/x-raw`. */
  readonly name: string;
  /** The caps features; undefined means the default, `memory:SystemMemory`. */
  readonly features: CapsFeatures | undefined;
  /** The fields, in the order written. */
  readonly fields: ReadonlyMap<string, CapsValue>;
  private fixed: boolean | undefined;

  constructor(name: string, fields: StructureFields = [], features?: CapsFeatures) {
    this.name = name;
    this.features = normalizeFeatures(features);
    this.fields = new Map(isIterable(fields) ? fields : Object.entries(fields));
  }

  /** The value of `field`, or undefined when absent. */
  get(field: string): CapsValue | undefined {
    return this.fields.get(field);
  }

  /** Whether `field` is present. */
  has(field: string): boolean {
    return this.fields.has(field);
  }

  /** The fixed int value of `field`; undefined when absent, a range or list, or not an int. */
  getInt(field: string): number | undefined {
    const v = this.fields.get(field);
    return v?.kind === 'int' ? v.value : undefined;
  }

  /** The fixed double value of `field`; undefined when absent or not a fixed double. */
  getDouble(field: string): number | undefined {
    const v = this.fields.get(field);
    return v?.kind === 'double' ? v.value : undefined;
  }

  /** The fixed string value of `field`; undefined when absent or not a fixed string. */
  getString(field: string): string | undefined {
    const v = this.fields.get(field);
    return v?.kind === 'string' ? v.value : undefined;
  }

  /** The fixed boolean value of `field`; undefined when absent or not a fixed boolean. */
  getBool(field: string): boolean | undefined {
    const v = this.fields.get(field);
    return v?.kind === 'bool' ? v.value : undefined;
  }

  /** The fixed fraction value of `field` (`framerate`); undefined when absent or not a fixed fraction. */
  getFraction(field: string): CapsFraction | undefined {
    const v = this.fields.get(field);
    return v?.kind === 'fraction' ? { num: v.num, den: v.den } : undefined;
  }

  /** Whether every field holds a single value (no ranges, no lists). Cached. */
  isFixed(): boolean {
    if (this.fixed === undefined) {
      this.fixed = true;
      for (const v of this.fields.values()) {
        if (!isFixedValue(v)) {
          this.fixed = false;
          break;
        }
      }
    }
    return this.fixed;
  }

  /** A copy with `field` set to `value` (replaced in place if present, else appended). */
  with(field: string, value: CapsValue): Structure {
    const fields = new Map(this.fields);
    fields.set(field, value);
    return new Structure(this.name, fields, this.features);
  }

  /** A copy without `field`. */
  without(field: string): Structure {
    const fields = new Map(this.fields);
    fields.delete(field);
    return new Structure(this.name, fields, this.features);
  }

  /**
   * Whether both have the same media type, features and field values. Field order does not
   * matter, as in gst_structure_is_equal.
   */
  equals(other: Structure): boolean {
    if (this === other) return true;
    if (this.name !== other.name || this.fields.size !== other.fields.size) return false;
    if (!featuresEqual(this.features, other.features)) return false;
    for (const [field, v] of this.fields) {
      const w = other.fields.get(field);
      if (w === undefined || !valueEquals(v, w)) return false;
    }
    return true;
  }

  /** GStreamer syntax with typed values: `audio/x-raw, format=(string)S16LE, rate=(int)48000`. */
  toString(): string {
    let out = this.name + formatFeatures(this.features);
    for (const [field, v] of this.fields) out += `, ${field}=${formatValue(v)}`;
    return out;
  }
}

function isIterable(x: StructureFields): x is Iterable<readonly [string, CapsValue]> {
  return typeof (x as Partial<Iterable<unknown>>)[Symbol.iterator] === 'function';
}
