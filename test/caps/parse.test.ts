import { describe, expect, it } from 'vitest';
import { Caps, CapsSyntaxError, CapsValue, parseCaps } from '../../src/element/caps/index.js';
import { ParallaxError } from '../../src/errors.js';

/** Caps as plain data: [name, features, fields] per structure. */
function project(text: string): unknown {
  const caps = parseCaps(text);
  if (caps.isAny()) return 'ANY';
  if (caps.isEmpty()) return 'EMPTY';
  return caps.structures.map((s) => [s.name, s.features ?? null, Object.fromEntries(s.fields)]);
}

const { int, uint, double, float, string, bool, fraction, intRange, doubleRange, fractionRange, list, array } = CapsValue;

describe('parseCaps: special caps', () => {
  const table: [string, string][] = [
    ['ANY', 'ANY'], ['  ANY \n', 'ANY'], ['EMPTY', 'EMPTY'], ['NONE', 'EMPTY'], ['', 'EMPTY'], ['   ', 'EMPTY'],
  ];
  it.each(table)('%j → %s', (text, expected) => {
    expect(project(text)).toBe(expected);
  });

  it('returns the shared singletons', () => {
    expect(parseCaps('ANY')).toBe(Caps.ANY);
    expect(parseCaps('EMPTY')).toBe(Caps.EMPTY);
  });
});

describe('parseCaps: structures', () => {
  const table: [string, unknown][] = [
    ['audio/x-raw', [['audio/x-raw', null, {}]]],
    ['audio/x-raw,rate=48000', [['audio/x-raw', null, { rate: int(48000) }]]],
    ['  audio/x-raw ,  rate = 48000 , channels=2  ', [['audio/x-raw', null, { rate: int(48000), channels: int(2) }]]],
    ['audio/x-raw,\n  rate=48000,\n\tchannels=2', [['audio/x-raw', null, { rate: int(48000), channels: int(2) }]]],
    // memory:SystemMemory is the default and is stored as no features.
    ['audio/x-raw(memory:SystemMemory),rate=48000', [['audio/x-raw', null, { rate: int(48000) }]]],
    ['video/x-raw(memory:GLMemory), format=RGBA', [['video/x-raw', ['memory:GLMemory'], { format: string('RGBA') }]]],
    ['video/x-raw( memory:NVMM , meta:GstVideoOverlayComposition )',
      [['video/x-raw', ['memory:NVMM', 'meta:GstVideoOverlayComposition'], {}]]],
    ['video/x-raw(ANY)', [['video/x-raw', ['ANY'], {}]]],
    ['audio/x-raw; video/x-raw', [['audio/x-raw', null, {}], ['video/x-raw', null, {}]]],
    ['audio/x-raw;video/x-raw;', [['audio/x-raw', null, {}], ['video/x-raw', null, {}]]],
    ['image/svg+xml', [['image/svg+xml', null, {}]]],
    ['application/vnd.foo-1.0', [['application/vnd.foo-1.0', null, {}]]],
    ['audio/*', [['audio/*', null, {}]]],
    ['video/x-raw, format={ I420, NV12 }, width=[1, 8192], framerate=[0/1, 2147483647/1]', [['video/x-raw', null, {
      format: list(string('I420'), string('NV12')),
      width: intRange(1, 8192),
      framerate: fractionRange({ num: 0, den: 1 }, { num: 2147483647, den: 1 }),
    }]]],
    ['audio/x-raw, format=(string)S16LE, layout=(string)interleaved, rate=(int)44100, channels=(int)2', [['audio/x-raw', null, {
      format: string('S16LE'), layout: string('interleaved'), rate: int(44100), channels: int(2),
    }]]],
    // A repeated field keeps its first position and takes the last value, as gst_structure_set.
    ['a/b, x=1, y=2, x=3', [['a/b', null, { x: int(3), y: int(2) }]]],
  ];
  it.each(table)('%s', (text, expected) => {
    expect(project(text)).toEqual(expected);
  });

  it('keeps field order', () => {
    expect([...parseCaps('a/b, z=1, a=2, m=3').structures[0]!.fields.keys()]).toEqual(['z', 'a', 'm']);
  });
});

describe('parseCaps: values', () => {
  const table: [string, CapsValue][] = [
    // untyped: int, then double, then fraction, then boolean, then string
    ['5', int(5)], ['-5', int(-5)], ['+7', int(7)], ['0x10', int(16)], ['0XfF', int(255)], ['-0x10', int(-16)],
    ['2147483647', int(2147483647)], ['-2147483648', int(-2147483648)],
    ['2147483648', double(2147483648)], ['1.5', double(1.5)], ['-0.25', double(-0.25)], ['1e3', double(1000)],
    ['.5', double(0.5)], ['5.', double(5)],
    ['30/1', fraction(30, 1)], ['60/2', fraction(30, 1)], ['-1/2', fraction(-1, 2)], ['30000/1001', fraction(30000, 1001)],
    ['true', bool(true)], ['false', bool(false)], ['yes', bool(true)], ['no', bool(false)], ['TRUE', bool(true)],
    ['S16LE', string('S16LE')], ['1/0', string('1/0')], ['a:b.c-d+e_f/g', string('a:b.c-d+e_f/g')],
    // as gst: t/f are booleans, max/min the int limits, inf/nan doubles; on and -max stay strings
    ['t', bool(true)], ['F', bool(false)], ['on', string('on')], ['max', int(2147483647)], ['MAX', int(2147483647)],
    ['min', int(-2147483648)], ['-max', string('-max')], ['inf', double(Infinity)], ['-inf', double(-Infinity)],
    ['Infinity', double(Infinity)], ['nan', double(NaN)],
    // typed
    ['(int)5', int(5)], ['(i)5', int(5)], ['(gint)5', int(5)], ['(int)0x10', int(16)], ['(int)max', int(2147483647)],
    ['(int)min', int(-2147483648)], ['(uint)4294967295', uint(4294967295)], ['(u)0', uint(0)],
    ['(double)5', double(5)], ['(float)5', float(5)], ['(d)0.5', double(0.5)], ['(f)-1', float(-1)],
    ['(double)inf', double(Infinity)], ['(double)-inf', double(-Infinity)],
    ['(string)5', string('5')], ['(s)true', string('true')], ['(str)30/1', string('30/1')], ['(string)"a b"', string('a b')],
    ['(boolean)true', bool(true)], ['(bool)1', bool(true)], ['(b)f', bool(false)], ['(boolean)no', bool(false)],
    ['(fraction)30/1', fraction(30, 1)], ['(fraction)25', fraction(25, 1)], ['( fraction )1/2', fraction(1, 2)],
    ['(int)"5"', int(5)],
    // quoted strings and escapes
    ['"S16LE"', string('S16LE')], ['"5"', string('5')], ['""', string('')], ['"a, b; c"', string('a, b; c')],
    ['"say \\"hi\\""', string('say "hi"')], ['"back\\\\slash"', string('back\\slash')], ['"tab\\011"', string('tab\t')],
    ['a\\ b', string('a b')], ['a\\,b', string('a,b')],
    // ranges
    ['[1, 2]', intRange(1, 2)], ['[ 1 , 2 ]', intRange(1, 2)], ['[1,2]', intRange(1, 2)], ['[2, 16, 2]', intRange(2, 16, 2)],
    ['[1, 2, 1]', intRange(1, 2)], ['[-10, -5]', intRange(-10, -5)], ['[1, max]', intRange(1, 2147483647)],
    ['(int)[1, max]', intRange(1, 2147483647)], ['[5, 5]', int(5)],
    ['[0.5, 1.5]', doubleRange(0.5, 1.5)], ['(double)[0, 1]', doubleRange(0, 1)], ['[0, 1.5]', doubleRange(0, 1.5)],
    ['[0/1, 30/1]', fractionRange({ num: 0, den: 1 }, { num: 30, den: 1 })], ['[0, 30/1]', fractionRange({ num: 0, den: 1 }, { num: 30, den: 1 })],
    ['(fraction)[1, 60]', fractionRange({ num: 1, den: 1 }, { num: 60, den: 1 })],
    // lists and arrays
    ['{ a, b }', list(string('a'), string('b'))], ['{a,b}', list(string('a'), string('b'))], ['{ 1, 2 }', list(int(1), int(2))],
    ['(string){ 1, 2 }', list(string('1'), string('2'))], ['(int){ 1, 0x2 }', list(int(1), int(2))],
    ['{ (int)1, (string)a }', list(int(1), string('a'))], ['{ }', list()], ['{a}', list(string('a'))],
    ['{ [1, 2], 5 }', list(intRange(1, 2), int(5))], ['{ "a b", c }', list(string('a b'), string('c'))],
    ['< 1, 2 >', array(int(1), int(2))], ['<>', array()], ['(string)< front-left, front-right >', array(string('front-left'), string('front-right'))],
    ['< { 1, 2 }, 3 >', array(list(int(1), int(2)), int(3))],
  ];
  it.each(table)('%s', (text, expected) => {
    expect(parseCaps(`test/x, f=${text}`).structures[0]!.get('f')).toEqual(expected);
  });
});

describe('parseCaps: syntax errors', () => {
  // text → message (which ends with the position), position
  const table: [string, string, number][] = [
    ['5', "expected a media type, found '5' at 0", 0],
    ['audio/x-raw,', "expected a field name, found end of input at 12", 12],
    ['audio/x-raw, =5', "expected a field name, found '=' at 13", 13],
    ['audio/x-raw, 1a=5', "expected a field name, found '1' at 13", 13],
    ['audio/x-raw, rate', "expected '=' after field name 'rate', found end of input at 17", 17],
    ['audio/x-raw, rate 5', "expected '=' after field name 'rate', found '5' at 18", 18],
    ['audio/x-raw, rate=', 'expected a value, found end of input at 18', 18],
    ['audio/x-raw, rate=,', "expected a value, found ',' at 18", 18],
    ['audio/x-raw, rate=5 channels=2', "expected ',' between fields or ';' between structures, found 'c' at 20", 20],
    ['audio/x-raw rate=5', "expected ',' between fields or ';' between structures, found 'r' at 12", 12],
    ['audio/x-raw; ; video/x-raw', "expected a media type, found ';' at 13", 13],
    ['audio/x-raw, rate=[8000, 48000', "expected ']' to close range, found end of input at 30", 30],
    ['audio/x-raw, rate=[8000, 48000; video/x-raw', "expected ']' to close range, found ';' at 30", 30],
    ['audio/x-raw, rate=[8000]', "expected ',' between range bounds, found ']' at 23", 23],
    ['audio/x-raw, rate=[1, 2, 3, 4]', "expected ']' to close range, found ',' at 26", 26],
    ['audio/x-raw, rate=[]', "expected a value, found ']' at 19", 19],
    ['audio/x-raw, rate=[ 48000, 8000 ]', 'range minimum 48000 is greater than maximum 8000 at 18', 18],
    ['audio/x-raw, rate=[a, b]', 'range bound must be a number, found a at 19', 19],
    ['audio/x-raw, rate=[1, {2, 3}]', 'range bound must be a number, found {2, 3} at 22', 22],
    ['audio/x-raw, rate=[0.5, 1/2]', 'range bounds have different types (double and fraction) at 24', 24],
    ['audio/x-raw, rate=[0.5, 2.5, 1]', 'only int ranges take a step, this range is double at 29', 29],
    ['audio/x-raw, rate=[1, 9, 0]', 'range step must be a positive int, found 0 at 25', 25],
    ['audio/x-raw, rate=[1, 9, -2]', 'range step must be a positive int, found -2 at 25', 25],
    ['audio/x-raw, format={ S16LE, F32LE', "expected '}' to close list, found end of input at 34", 34],
    ['audio/x-raw, format={ S16LE F32LE }', "expected '}' to close list, found 'F' at 28", 28],
    ['audio/x-raw, format={ S16LE, }', "expected a value, found '}' at 29", 29],
    ['audio/x-raw, m=< 1, 2', "expected '>' to close array, found end of input at 21", 21],
    ['audio/x-raw, rate=(int', "expected ')' to close type, found end of input at 22", 22],
    ['audio/x-raw, rate=()5', "expected a type name, found ')' at 19", 19],
    ['audio/x-raw, rate=(integer)5', "unknown type 'integer' at 19", 19],
    ['audio/x-raw, mask=(flagset)0x3', "unknown type 'flagset' at 19", 19],
    ['audio/x-raw, rate=(int)abc', "expected an int, found 'abc' at 23", 23],
    ['audio/x-raw, rate=(int)1.5', "expected an int, found '1.5' at 23", 23],
    ['audio/x-raw, rate=(int)2147483648', "expected an int, found '2147483648' at 23", 23],
    ['audio/x-raw, rate=(uint)-1', "expected a uint, found '-1' at 24", 24],
    ['audio/x-raw, rate=(double)x', "expected a double, found 'x' at 26", 26],
    ['audio/x-raw, on=(boolean)maybe', "expected a boolean, found 'maybe' at 25", 25],
    ['video/x-raw, framerate=(fraction)30/0', "expected a fraction, found '30/0' at 33", 33],
    ['video/x-raw, framerate=(fraction)abc', "expected a fraction, found 'abc' at 33", 33],
    ['text/x-raw, s="never closed', 'unterminated quoted string at 14', 14],
    ['text/x-raw, s="trailing\\', 'unterminated quoted string at 14', 14],
    ['text/x-raw, s="a"b', "expected ',' between fields or ';' between structures, found 'b' at 17", 17],
    ['text/x-raw, s=a*b', "expected ',' between fields or ';' between structures, found '*' at 15", 15],
    ['video/x-raw(memory:GLMemory', "expected ')' to close caps features, found end of input at 27", 27],
    ['video/x-raw()', "expected a caps feature, found ')' at 12", 12],
    ['video/x-raw(memory:GLMemory,)', "expected a caps feature, found ')' at 28", 28],
  ];
  it.each(table)('%s', (text, message, position) => {
    let caught: unknown;
    try {
      parseCaps(text);
    } catch (e) {
      caught = e;
    }
    expect(caught).toBeInstanceOf(CapsSyntaxError);
    expect(caught).toBeInstanceOf(ParallaxError);
    const err = caught as CapsSyntaxError;
    expect(err.code).toBe('CAPS_SYNTAX');
    expect(err.message).toBe(message);
    expect(err.position).toBe(position);
    // The launch parser reads the offset back out of the message.
    expect(Number(/at (\d+)/.exec(err.message)?.[1])).toBe(position);
  });
});
