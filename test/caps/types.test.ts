import { describe, expect, it } from 'vitest';
import {
  CapsSyntaxError, CapsValue, explainMismatch, fixateValue, formatValue, intersectValues, isValueSubset, parseCaps, valueEquals,
} from '../../src/element/caps/index.js';
import { show, val } from './helpers.js';

/**
 * The value types beyond int/double/string/boolean/fraction: uint, float, gint64, guint64 and
 * bitmask. Expected outputs are what GStreamer 1.22 gives for the same input.
 */

const { int, uint, int64, uint64, double, float, bitmask, int64Range } = CapsValue;

describe('parsing the extra types', () => {
  const table: [string, CapsValue][] = [
    ['(bitmask)0x3', bitmask(3)], ['(bitmask)3', bitmask(3)], ['(GstBitmask)0x10', bitmask(16)],
    ['(bitmask)0xffffffffffffffff', { kind: 'bitmask', value: 2n ** 64n - 1n }],
    ['(gint64)5', int64(5)], ['(int64)-5', int64(-5)], ['(gint64)9007199254740991', int64(9007199254740991)],
    ['(gint64)-9007199254740991', int64(-9007199254740991)], ['(gint64)0x10', int64(16)],
    ['(guint64)5', uint64(5)], ['(uint64)9007199254740991', uint64(9007199254740991)],
    ['(uint)4294967295', uint(4294967295)], ['(uint)max', uint(4294967295)], ['(guint)0', uint(0)],
    ['(float)1', float(1)], ['(gfloat)0.5', float(0.5)], ['(float)0.1', float(0.1)], ['(float)inf', float(Infinity)],
    ['(float)max', float(3.4028234663852886e38)],
    ['(double)max', double(Number.MAX_VALUE)], ['(double)min', double(-Number.MAX_VALUE)],
    ['(gint64)[1, 5]', int64Range(1, 5)], ['(gint64)[2, 10, 2]', int64Range(2, 10, 2)], ['(gint64)[3, 3]', int64(3)],
    ['(double)[0, max]', CapsValue.doubleRange(0, Number.MAX_VALUE)],
    ['(double)[min, max]', CapsValue.doubleRange(-Number.MAX_VALUE, Number.MAX_VALUE)],
    ['[min, max]', CapsValue.intRange(-2147483648, 2147483647)],
  ];
  it.each(table)('%s', (text, expected) => {
    expect(val(text)).toEqual(expected);
  });

  it('stores floats at single precision', () => {
    expect(val('(float)0.1')).toEqual({ kind: 'float', value: Math.fround(0.1) });
  });

  // text → message, position
  const errors: [string, string, number][] = [
    ['a/b, x=(gint64)9007199254740993', "gint64 value '9007199254740993' is beyond ±2^53-1, the largest integer held exactly at 15", 15],
    ['a/b, x=(gint64)max', "gint64 value 'max' is beyond ±2^53-1, the largest integer held exactly at 15", 15],
    ['a/b, x=(guint64)18446744073709551615', "guint64 value '18446744073709551615' is beyond ±2^53-1, the largest integer held exactly at 16", 16],
    ['a/b, x=(guint64)-1', "expected a guint64, found '-1' at 16", 16],
    ['a/b, x=(gint64)9223372036854775808', "expected a gint64, found '9223372036854775808' at 15", 15],
    ['a/b, x=(gint64)1.5', "expected a gint64, found '1.5' at 15", 15],
    ['a/b, x=(bitmask)max', "expected a bitmask, found 'max' at 16", 16],
    ['a/b, x=(bitmask)0x10000000000000000', "expected a bitmask, found '0x10000000000000000' at 16", 16],
    ['a/b, x=(bitmask)-1', "expected a bitmask, found '-1' at 16", 16],
    ['a/b, x=(float)1e40', "expected a float, found '1e40' at 14", 14],
    // gst has no ranges of these
    ['a/b, x=(uint)[1, 5]', 'there are no uint ranges, only int, gint64, double and fraction ones at 14', 14],
    ['a/b, x=(float)[1, 5]', 'there are no float ranges, only int, gint64, double and fraction ones at 15', 15],
    ['a/b, x=(guint64)[1, 5]', 'there are no guint64 ranges, only int, gint64, double and fraction ones at 17', 17],
    ['a/b, x=[(gint64)1, 5]', 'range bounds have different types (int64 and int) at 19', 19],
  ];
  it.each(errors)('%s fails', (text, message, position) => {
    let caught: unknown;
    try {
      parseCaps(text);
    } catch (e) {
      caught = e;
    }
    expect(caught).toBeInstanceOf(CapsSyntaxError);
    expect((caught as CapsSyntaxError).message).toBe(message);
    expect((caught as CapsSyntaxError).position).toBe(position);
  });
});

describe('printing the extra types as gst does', () => {
  const table: [string, string][] = [
    ['audio/x-raw, channel-mask=(bitmask)0x3, layout=interleaved',
      'audio/x-raw, channel-mask=(bitmask)0x0000000000000003, layout=(string)interleaved'],
    ['a/b, m=(bitmask)0xffffffffffffffff', 'a/b, m=(bitmask)0xffffffffffffffff'],
    ['a/b, x=(gint64)5', 'a/b, x=(gint64)5'],
    ['a/b, x=(int64)-5', 'a/b, x=(gint64)-5'],
    ['a/b, x=(guint64)5', 'a/b, x=(guint64)5'],
    ['a/b, x=(gint64)[1, 5]', 'a/b, x=(gint64)[ 1, 5 ]'],
    ['a/b, x=(uint)4294967295', 'a/b, x=(uint)4294967295'],
    ['a/b, x=(uint)max', 'a/b, x=(uint)4294967295'],
    ['a/b, b=(float)1', 'a/b, b=(float)1'],
    ['a/b, x=(float)0.1', 'a/b, x=(float)0.10000000149011612'],
    ['a/b, x=(float)max', 'a/b, x=(float)3.4028234663852886e+38'],
    ['a/b, x=(float)< 1, 2.5 >', 'a/b, x=(float)< 1, 2.5 >'],
    ['a/b, x=(uint){ 1, 2 }', 'a/b, x=(uint){ 1, 2 }'],
    ['a/b, x=t, y=f', 'a/b, x=(boolean)true, y=(boolean)false'],
    ['a/b, x=T, y=TRUE, z=on, w=yes, v=F, u=No',
      'a/b, x=(boolean)true, y=(boolean)true, z=(string)on, w=(boolean)true, v=(boolean)false, u=(boolean)false'],
    ['a/b, x=max, y=inf, z=nan, w=min', 'a/b, x=(int)2147483647, y=(double)inf, z=(double)nan, w=(int)-2147483648'],
    ['a/b, x=inf, y=-inf, z=Infinity, w=NaN, v=MAX, u=-max',
      'a/b, x=(double)inf, y=(double)-inf, z=(double)inf, w=(double)nan, v=(int)2147483647, u=(string)-max'],
    ['a/b, x=(double)[0, max], y=(double)[min, max]',
      'a/b, x=(double)[ 0, 1.7976931348623157e+308 ], y=(double)[ -1.7976931348623157e+308, 1.7976931348623157e+308 ]'],
    ['a/b, x=(double)max', 'a/b, x=(double)1.7976931348623157e+308'],
    ['a/b, x=[1, max]', 'a/b, x=(int)[ 1, 2147483647 ]'],
  ];
  it.each(table)('%s', (text, printed) => {
    expect(parseCaps(text).toString()).toBe(printed);
  });

  // value → compact style
  const compact: [string, string][] = [
    ['(bitmask)0x3', '0x0000000000000003'], ['(uint)7', '7'], ['(float)1.5', '1.5'], ['(gint64)[1, 5]', '[1, 5]'],
  ];
  it.each(compact)('compact %s', (text, out) => {
    expect(formatValue(val(text), 'compact')).toBe(out);
  });
});

describe('round trips of the extra types', () => {
  const table = [
    'audio/x-raw, channel-mask=(bitmask)0x3, layout=interleaved',
    'a/b, m=(bitmask)0xffffffffffffffff, z=(bitmask)0',
    'a/b, u=(uint)4294967295, f=(float)1, g=(float)0.1, h=(float)-inf',
    'a/b, i=(gint64)-9007199254740991, j=(guint64)9007199254740991, k=(gint64)[ -5, 5 ], l=(gint64)[ 0, 100, 4 ]',
    'a/b, l={ (uint)1, (int)1, (float)1, (double)1, (gint64)1, (guint64)1, (bitmask)1 }',
    'a/b, d=(double)[ 0, max ], t=t, n=nan',
  ];
  it.each(table)('%s', (text) => {
    const caps = parseCaps(text);
    const again = parseCaps(caps.toString());
    expect(again.toString()).toBe(caps.toString());
    expect(again.isStrictlyEqual(caps) || caps.toString().includes('nan')).toBe(true);
  });
});

describe('intersecting the extra types', () => {
  // a, b → a ∩ b in compact style ('-' for none), as gst_caps_intersect
  const table: [string, string, string][] = [
    ['(bitmask)0x3', '(bitmask)0x3', '0x0000000000000003'],
    ['(bitmask)0x3', '(bitmask)0x1', '-'],
    ['(bitmask)0x3', '(bitmask)0x4', '-'],
    ['(bitmask)0x3', '3', '-'],
    ['(uint)5', '(int)5', '-'], ['(uint)5', '(uint)5', '5'], ['(uint)5', '(uint)6', '-'], ['(uint)5', '[1, 10]', '-'],
    ['(float)1', '(double)1', '-'], ['(float)1', '(float)1', '1'], ['(float)1', '[0.5, 2.0]', '-'],
    ['(gint64)5', '(int)5', '-'], ['(gint64)5', '(guint64)5', '-'], ['(gint64)5', '(gint64)5', '5'],
    ['(gint64)5', '(gint64)[1, 10]', '5'], ['(gint64)11', '(gint64)[1, 10]', '-'], ['(gint64)5', '[1, 10]', '-'],
    ['(gint64)[1, 10]', '(gint64)[5, 20]', '[5, 10]'], ['(gint64)[1, 10]', '(gint64)[10, 20]', '10'],
    ['(gint64)[1, 10]', '[1, 10]', '-'], ['(guint64)7', '(guint64)7', '7'],
    ['(uint){ 1, 2 }', '(uint)2', '2'],
  ];
  it.each(table)('%s ∩ %s', (a, b, expected) => {
    expect(show(intersectValues(val(a), val(b)))).toBe(expected);
    expect(show(intersectValues(val(b), val(a)))).toBe(expected);
  });

  it('keeps the kind of what survives', () => {
    expect(intersectValues(val('(gint64)[1, 10]'), val('(gint64)[10, 20]'))).toEqual(int64(10));
    expect(intersectValues(val('(uint)5'), val('(uint)5'))).toEqual(uint(5));
    expect(parseCaps('a/b, m=(bitmask)0x3').intersect(parseCaps('a/b, m=(bitmask)0x3')).toString())
      .toBe('a/b, m=(bitmask)0x0000000000000003');
  });

  it('explains type mismatches', () => {
    expect(explainMismatch(parseCaps('a/b, x=(uint)5'), parseCaps('a/b, x=(int)5'))).toBe('x (uint)5 and (int)5 have different types');
    expect(explainMismatch(parseCaps('a/b, m=(bitmask)0x3'), parseCaps('a/b, m=(bitmask)0x1')))
      .toBe('m 0x0000000000000003 != 0x0000000000000001');
    expect(explainMismatch(parseCaps('a/b, x=(gint64)0'), parseCaps('a/b, x=(gint64)[1, 5]'))).toBe('x 0 not in [1, 5]');
  });
});

describe('subsets, equality and fixation of the extra types', () => {
  // a, b → a ⊆ b, as gst_caps_is_subset
  const subsets: [string, string, boolean][] = [
    ['(bitmask)0x3', '(bitmask)0x3', true], ['(bitmask)0x1', '(bitmask)0x3', false], ['(bitmask)0x3', '(bitmask)0x1', false],
    ['(gint64)5', '(gint64)[1, 10]', true], ['(gint64)[2, 5]', '(gint64)[1, 10]', true], ['(gint64)[2, 5]', '[1, 10]', false],
    ['(gint64)[1, 10]', '(gint64)[2, 5]', false], ['(uint)5', '5', false], ['(float)1', '(float)1', true], ['(float)1', '1.0', false],
  ];
  it.each(subsets)('%s ⊆ %s is %s', (a, b, expected) => {
    expect(isValueSubset(val(a), val(b))).toBe(expected);
  });

  // a, b → equal
  const equal: [string, string, boolean][] = [
    ['(bitmask)0x3', '(bitmask)3', true], ['(bitmask)0x3', '(bitmask)0x1', false], ['(uint)1', '(int)1', false],
    ['(float)1', '(double)1', false], ['(gint64)1', '(int)1', false], ['(gint64)1', '(guint64)1', false],
    ['(gint64)[1, 5]', '(gint64)[1, 5]', true], ['(gint64)[1, 5]', '[1, 5]', false], ['(float)0.1', '(float)0.1', true],
  ];
  it.each(equal)('%s = %s is %s', (a, b, expected) => {
    expect(valueEquals(val(a), val(b))).toBe(expected);
  });

  // value, target → fixated, in gst style
  const fixate: [string, number | undefined, string][] = [
    ['(bitmask)0x3', undefined, '(bitmask)0x0000000000000003'], ['(uint)5', undefined, '(uint)5'], ['(float)1', 7, '(float)1'],
    ['(gint64)[3, 10]', undefined, '(gint64)3'], ['(gint64)[3, 10]', 8, '(gint64)8'], ['(gint64)[0, 100, 10]', 34, '(gint64)30'],
    ['{ (uint)5, (uint)9 }', 8, '(uint)9'], ['{ (gint64)[1, 3], (gint64)[10, 20] }', 8, '(gint64)10'],
  ];
  it.each(fixate)('fixate %s towards %s', (text, target, expected) => {
    expect(formatValue(fixateValue(val(text), target))).toBe(expected);
  });

  it('fixates caps with a bitmask as gst does', () => {
    expect(parseCaps('a/b, m=(bitmask)0x3, r=[1, 5]').fixate().toString()).toBe('a/b, m=(bitmask)0x0000000000000003, r=(int)1');
  });

  it('builds values in code', () => {
    expect(formatValue(bitmask(-1))).toBe('(bitmask)0xffffffffffffffff');
    expect(formatValue(float(0.1))).toBe('(float)0.10000000149011612');
    expect(formatValue(int(1))).toBe('(int)1');
    expect(formatValue(double(1))).toBe('(double)1');
    expect(formatValue(int64Range(0, 10, 2))).toBe('(gint64)[ 0, 10, 2 ]');
  });
});

describe('an int range split across structures', () => {
  // a, b → a ⊆ b
  const table: [string, string, boolean][] = [
    ['a/b, w=[1, 20]', 'a/b, w=[1, 10]; a/b, w=[5, 20]', true],
    ['a/b, w=[1, 20]', 'a/b, w=[1, 10]; a/b, w=[11, 20]', true],
    ['a/b, w=[1, 20]', 'a/b, w=[1, 10]; a/b, w=11; a/b, w=[12, 20]', true],
    ['a/b, w=[1, 20]', 'a/b, w=[1, 10]; a/b, w=[12, 20]', false],
    ['a/b, w=[1, 20], h=[1, 4]', 'a/b, w=[1, 10], h=[1, 4]; a/b, w=[5, 20], h=[1, 2]; a/b, w=[5, 20], h=[3, 4]', true],
    ['a/b, w=[1, 20], h=[1, 4]', 'a/b, w=[1, 10], h=[1, 4]; a/b, w=[5, 20], h=[1, 2]', false],
  ];
  it.each(table)('%s ⊆ %s is %s', (a, b, expected) => {
    expect(parseCaps(a).isSubsetOf(parseCaps(b))).toBe(expected);
  });
});
