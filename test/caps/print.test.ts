import { describe, expect, it } from 'vitest';
import { Caps, CapsValue, formatValue, parseCaps, Structure } from '../../src/element/caps/index.js';
import { val } from './helpers.js';

describe('Caps.toString: GStreamer syntax with types', () => {
  const table: [string, string][] = [
    ['ANY', 'ANY'],
    ['EMPTY', 'EMPTY'],
    ['NONE', 'EMPTY'],
    ['audio/x-raw', 'audio/x-raw'],
    ['audio/x-raw,rate=48000', 'audio/x-raw, rate=(int)48000'],
    ['audio/x-raw, format={ S16LE, F32LE }, rate=[16000, 48000]',
      'audio/x-raw, format=(string){ S16LE, F32LE }, rate=(int)[ 16000, 48000 ]'],
    ['video/x-raw, format={ I420, NV12 }, width=[1, 8192], framerate=[0/1, 2147483647/1]',
      'video/x-raw, format=(string){ I420, NV12 }, width=(int)[ 1, 8192 ], framerate=(fraction)[ 0/1, 2147483647/1 ]'],
    // gst leaves out the default feature.
    ['audio/x-raw(memory:SystemMemory),rate=48000', 'audio/x-raw, rate=(int)48000'],
    ['video/x-raw(memory:GLMemory,meta:Overlay),format=RGBA', 'video/x-raw(memory:GLMemory, meta:Overlay), format=(string)RGBA'],
    ['video/x-raw(ANY)', 'video/x-raw(ANY)'],
    ['video/x-raw,framerate=30/1', 'video/x-raw, framerate=(fraction)30/1'],
    ['video/x-raw,framerate=60/2', 'video/x-raw, framerate=(fraction)30/1'],
    ['a/b, x=0.5, y=(double)2, z=true, w=(boolean)no', 'a/b, x=(double)0.5, y=(double)2, z=(boolean)true, w=(boolean)false'],
    ['a/b, r=[0.5, 1], s=[2, 16, 2]', 'a/b, r=(double)[ 0.5, 1 ], s=(int)[ 2, 16, 2 ]'],
    ['a/b, pos=< front-left, front-right >', 'a/b, pos=(string)< front-left, front-right >'],
    ['a/b, mixed={ 1, a, 2.5 }', 'a/b, mixed={ (int)1, (string)a, (double)2.5 }'],
    ['a/b, nested={ [1, 2], 5 }', 'a/b, nested=(int){ [ 1, 2 ], 5 }'],
    ['a/b, empty={ }', 'a/b, empty={ }'],
    ['a/b, d=(double)[0, inf]', 'a/b, d=(double)[ 0, inf ]'],
    ['audio/x-raw, rate=44100; audio/x-raw, rate=48000', 'audio/x-raw, rate=(int)44100; audio/x-raw, rate=(int)48000'],
    // Strings with characters outside [A-Za-z0-9_+-/:.] are quoted, with escapes.
    ['text/x-raw, s="a b"', 'text/x-raw, s=(string)"a b"'],
    ['text/x-raw, s=""', 'text/x-raw, s=(string)""'],
    ['text/x-raw, s="x, y; z"', 'text/x-raw, s=(string)"x, y; z"'],
    ['text/x-raw, s="say \\"hi\\""', 'text/x-raw, s=(string)"say \\"hi\\""'],
    ['text/x-raw, s="tab\\011"', 'text/x-raw, s=(string)"tab\\011"'],
    ['text/x-raw, s=a\\ b', 'text/x-raw, s=(string)"a b"'],
  ];
  it.each(table)('%s', (text, printed) => {
    expect(parseCaps(text).toString()).toBe(printed);
  });

  it('prints caps built in code', () => {
    const s = new Structure('audio/x-raw', { format: CapsValue.string('S16LE'), rate: CapsValue.int(48000), channels: CapsValue.int(2) });
    expect(Caps.of(s).toString()).toBe('audio/x-raw, format=(string)S16LE, rate=(int)48000, channels=(int)2');
    expect(Caps.of().toString()).toBe('EMPTY');
  });
});

describe('round trips: parseCaps(c.toString()) equals c', () => {
  const table = [
    'audio/x-raw, format=S16LE, layout=interleaved, rate=48000, channels=2',
    'audio/x-raw(memory:SystemMemory),rate=48000',
    'video/x-raw(memory:GLMemory), format={ RGBA, BGRA }, texture-target=2D',
    'video/x-raw, format={ I420, NV12 }, width=[1, 8192], height=[1, 8192, 2], framerate=[0/1, 2147483647/1]',
    'video/x-raw, pixel-aspect-ratio=1/1, interlaced=false, scale=0.75, gain=(double)1',
    'a/b, s=(string)5, t=(string)true, u=(string)30/1, v="with \\"quotes\\" and \\\\", w="new\\012line"',
    'a/b, l={ (int)1, (string)a, (double)2.5, (fraction)1/2, (boolean)true }',
    'a/b, arr=< < 1, 2 >, < 3, 4 > >, e={ }, n=-5, h=0x10',
    'a/b, d=(double)[ -inf, inf ], big=(double)1e300, tiny=(double)5e-324',
    'audio/x-raw, rate=44100; audio/x-raw, rate=48000; video/x-raw(ANY)',
    'ANY',
    'EMPTY',
  ];
  it.each(table)('%s', (text) => {
    const caps = parseCaps(text);
    const again = parseCaps(caps.toString());
    expect(again.isStrictlyEqual(caps)).toBe(true);
    expect(again.toString()).toBe(caps.toString());
  });
});

describe('formatValue', () => {
  // value text → gst style, compact style
  const table: [string, string, string][] = [
    ['48000', '(int)48000', '48000'],
    ['S16LE', '(string)S16LE', 'S16LE'],
    ['"a b"', '(string)"a b"', '"a b"'],
    ['30/1', '(fraction)30/1', '30/1'],
    ['true', '(boolean)true', 'true'],
    ['0.5', '(double)0.5', '0.5'],
    ['{ S16LE, F32LE }', '(string){ S16LE, F32LE }', '{S16LE, F32LE}'],
    ['[16000, 48000]', '(int)[ 16000, 48000 ]', '[16000, 48000]'],
    ['[2, 16, 2]', '(int)[ 2, 16, 2 ]', '[2, 16, 2]'],
    ['[0/1, 30/1]', '(fraction)[ 0/1, 30/1 ]', '[0/1, 30/1]'],
    ['[0.5, 1]', '(double)[ 0.5, 1 ]', '[0.5, 1]'],
    ['< 1, 2 >', '(int)< 1, 2 >', '<1, 2>'],
    ['{ 1, a }', '{ (int)1, (string)a }', '{1, a}'],
  ];
  it.each(table)('%s', (text, gst, compact) => {
    expect(formatValue(val(text))).toBe(gst);
    expect(formatValue(val(text), 'gst')).toBe(gst);
    expect(formatValue(val(text), 'compact')).toBe(compact);
  });
});
