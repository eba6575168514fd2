import { describe, expect, it } from 'vitest';
import { Caps, ParallaxError } from '../../src/index.js';
import { convertPropertyValue, describePropertyType, type PropertySpec } from '../../src/element/property.js';

const t = { element: 'e0', property: 'p' };
const conv = (spec: PropertySpec, raw: unknown): unknown => convertPropertyValue(spec, raw, t);
function err(spec: PropertySpec, raw: unknown): string {
  try {
    conv(spec, raw);
  } catch (e) {
    expect((e as ParallaxError).code).toBe('BAD_PROPERTY_VALUE');
    return (e as Error).message;
  }
  throw new Error('expected a failure');
}

const int: PropertySpec = { type: 'int', default: 0, min: -1, max: 10, description: '' };
const u64: PropertySpec = { type: 'uint64', default: 0, description: '' };
const dbl: PropertySpec = { type: 'double', default: 0, min: 0, max: 1, description: '' };
const bool: PropertySpec = { type: 'bool', default: false, description: '' };
const en: PropertySpec = { type: 'enum', default: 'no', values: [{ nick: 'no', value: 0 }, { nick: 'upstream', value: 1 }, { nick: 'downstream', value: 2 }], description: '' };
const frac: PropertySpec = { type: 'fraction', default: { num: 30, den: 1 }, description: '' };
const caps: PropertySpec = { type: 'caps', default: Caps.ANY, description: '' };
const str: PropertySpec = { type: 'string', default: null, description: '' };

describe('property conversion', () => {
  it.each<[PropertySpec, unknown, unknown]>([
    [int, '5', 5], [int, ' -1 ', -1], [int, '0x0a', 10], [int, 7, 7],
    [u64, '10485760', 10485760], [u64, '18446744073709551615', Number.MAX_SAFE_INTEGER], [u64, '-1', Number.MAX_SAFE_INTEGER], [u64, 9007199254740991n, 9007199254740991],
    [dbl, '0.25', 0.25], [dbl, '1e-1', 0.1],
    [bool, 'true', true], [bool, 'yes', true], [bool, '0', false], [bool, false, false],
    [en, 'downstream', 'downstream'], [en, '1', 'upstream'], [en, 2, 'downstream'],
    [frac, '30000/1001', { num: 30000, den: 1001 }], [frac, '25', { num: 25, den: 1 }],
    [str, 'a b', 'a b'],
  ])('%o from %o', (spec, raw, expected) => {
    expect(conv(spec, raw)).toEqual(expected);
  });

  it('parses caps values', () => {
    expect((conv(caps, 'audio/x-raw,rate=48000') as Caps).toString()).toBe('audio/x-raw, rate=(int)48000');
  });

  it.each<[PropertySpec, unknown, string]>([
    [int, 'x', 'bad value "x" for property p of e0: expected an integer'],
    [int, '1.5', 'expected an integer'],
    [int, '1e3', 'expected an integer'],
    [int, '5.0', 'expected an integer'],
    [int, '11', 'must be in [-1, 10]'],
    [u64, '-2', 'must be in [0, 9007199254740991]'],
    [dbl, '2', 'must be in [0, 1]'],
    [dbl, 'abc', 'expected a number'],
    [bool, 'maybe', 'expected true or false'],
    [en, 'sideways', 'expected one of no (0), upstream (1), downstream (2)'],
    [frac, '1/0', 'expected a fraction such as 30/1'],
    [caps, 'audio/x-raw,rate=[1', 'bad value "audio/x-raw,rate=[1" for property p of e0'],
  ])('%o rejects %o', (spec, raw, message) => {
    expect(err(spec, raw)).toContain(message);
  });

  it('describes types with their ranges', () => {
    expect(describePropertyType(int)).toBe('int [-1, 10]');
    expect(describePropertyType(en)).toBe('enum {no=0, upstream=1, downstream=2}');
  });
});
