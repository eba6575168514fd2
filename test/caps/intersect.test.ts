import { describe, expect, it } from 'vitest';
import { Caps, intersectValues, parseCaps } from '../../src/element/caps/index.js';
import { show, val } from './helpers.js';

describe('intersectValues', () => {
  // a, b → a ∩ b in compact style ('-' for none)
  const table: [string, string, string][] = [
    // fixed values
    ['5', '5', '5'], ['5', '6', '-'], ['S16LE', 'S16LE', 'S16LE'], ['S16LE', 'F32LE', '-'],
    ['true', 'true', 'true'], ['true', 'false', '-'], ['0.5', '0.5', '0.5'], ['30/1', '60/2', '30/1'], ['30/1', '25/1', '-'],
    // types never convert, as in gst
    ['5', '5.0', '-'], ['(int)1', '(boolean)true', '-'], ['(string)5', '5', '-'], ['5', '5/1', '-'], ['1', '[0.5, 1.5]', '-'],
    // int and int range
    ['8000', '[8000, 48000]', '8000'], ['[8000, 48000]', '48000', '48000'], ['7999', '[8000, 48000]', '-'], ['48001', '[8000, 48000]', '-'],
    ['[1, 10]', '[5, 20]', '[5, 10]'], ['[1, 10]', '[10, 20]', '10'], ['[1, 10]', '[11, 20]', '-'], ['[1, 10]', '[1, 10]', '[1, 10]'],
    // stepped ranges
    ['4', '[2, 16, 2]', '4'], ['5', '[2, 16, 2]', '-'], ['[2, 16, 2]', '[3, 15, 3]', '[6, 12, 6]'],
    ['[2, 16, 2]', '[1, 15, 2]', '-'], ['[0, 100, 4]', '[10, 50]', '[12, 48, 4]'], ['[0, 8, 4]', '[5, 7]', '-'],
    // double ranges
    ['0.5', '[0.0, 1.0]', '0.5'], ['0.5', '[0, 1]', '-'], // [0, 1] is an int range, as in gst ['[0.0, 1.0]', '[0.5, 2.0]', '[0.5, 1]'], ['[0.0, 1.0]', '[1.0, 2.0]', '1'], ['[0.0, 1.0]', '[1.5, 2.0]', '-'],
    // fractions and fraction ranges
    ['30/1', '[0/1, 2147483647/1]', '30/1'], ['30000/1001', '[30/1, 60/1]', '-'], ['[0/1, 30/1]', '[25/1, 60/1]', '[25/1, 30/1]'],
    ['[0/1, 30/1]', '[30/1, 60/1]', '30/1'], ['[0/1, 30/1]', '[31/1, 60/1]', '-'],
    ['2147483647/2147483646', '[1/1, 2147483647/2147483646]', '2147483647/2147483646'],
    // lists keep the items that intersect, and collapse to one item
    ['F64LE', '{ S16LE, F32LE }', '-'], ['F32LE', '{ S16LE, F32LE }', 'F32LE'], ['{ S16LE, F32LE }', 'F32LE', 'F32LE'],
    ['{ a, b, c }', '{ c, b, x }', '{b, c}'], ['{ a, b }', '{ c, d }', '-'], ['{ 1, 5, 50 }', '[2, 10]', '5'],
    ['{ 1, 5, 50 }', '[1, 10]', '{1, 5}'], ['[1, 10]', '{ [0, 2], [8, 20] }', '{[1, 2], [8, 10]}'], ['{ }', 'a', '-'],
    ['{ a, a }', 'a', 'a'],
    // arrays intersect item by item
    ['< 1, 2 >', '< 1, 2 >', '<1, 2>'], ['< 1, 2 >', '< 1, 3 >', '-'], ['< 1, 2 >', '< 1, 2, 3 >', '-'],
    ['< [1, 5], 2 >', '< 3, { 2, 4 } >', '<3, 2>'], ['< 1 >', '1', '-'],
  ];
  it.each(table)('%s ∩ %s', (a, b, expected) => {
    expect(show(intersectValues(val(a), val(b)))).toBe(expected);
  });

  it.each(table)('is symmetric up to order: %s ∩ %s', (a, b, expected) => {
    const ba = intersectValues(val(b), val(a));
    expect(ba === undefined).toBe(expected === '-');
  });
});

describe('Caps.intersect', () => {
  // a, b → a ∩ b printed
  const table: [string, string, string][] = [
    ['ANY', 'ANY', 'ANY'],
    ['ANY', 'audio/x-raw, rate=48000', 'audio/x-raw, rate=(int)48000'],
    ['audio/x-raw, rate=48000', 'ANY', 'audio/x-raw, rate=(int)48000'],
    ['EMPTY', 'ANY', 'EMPTY'],
    ['audio/x-raw', 'EMPTY', 'EMPTY'],
    ['audio/x-raw', 'video/x-raw', 'EMPTY'],
    ['audio/x-raw, rate=48000', 'audio/x-raw, rate=48000', 'audio/x-raw, rate=(int)48000'],
    ['audio/x-raw, rate=48000', 'audio/x-raw, rate=44100', 'EMPTY'],
    // fields on one side only are kept; the fields of the first caps come first
    ['audio/x-raw, rate=48000', 'audio/x-raw, channels=2', 'audio/x-raw, rate=(int)48000, channels=(int)2'],
    ['audio/x-raw, channels=[1, 8], rate=[8000, 96000]', 'audio/x-raw, format=S16LE, rate=48000, channels=2',
      'audio/x-raw, channels=(int)2, rate=(int)48000, format=(string)S16LE'],
    ['audio/x-raw, format={ S16LE, F32LE }, rate=[16000, 48000]', 'audio/x-raw, format=F32LE, rate=[44100, 96000]',
      'audio/x-raw, format=(string)F32LE, rate=(int)[ 44100, 48000 ]'],
    ['video/x-raw, format={ I420, NV12 }, width=[1, 8192], framerate=[0/1, 2147483647/1]',
      'video/x-raw, format=NV12, width=1920, height=1080, framerate=30/1',
      'video/x-raw, format=(string)NV12, width=(int)1920, framerate=(fraction)30/1, height=(int)1080'],
    // features must match; ANY features take the other side's
    ['video/x-raw(memory:GLMemory)', 'video/x-raw', 'EMPTY'],
    ['video/x-raw(memory:GLMemory)', 'video/x-raw(memory:GLMemory)', 'video/x-raw(memory:GLMemory)'],
    ['video/x-raw(memory:SystemMemory)', 'video/x-raw', 'video/x-raw'],
    ['video/x-raw(ANY), format=I420', 'video/x-raw(memory:GLMemory)', 'video/x-raw(memory:GLMemory), format=(string)I420'],
    ['video/x-raw(memory:GLMemory)', 'video/x-raw(ANY)', 'video/x-raw(memory:GLMemory)'],
    ['video/x-raw(a:b, c:d)', 'video/x-raw(c:d, a:b)', 'video/x-raw(a:b, c:d)'],
    // several structures: in the order of the first caps
    ['audio/x-raw, rate=44100; audio/x-raw, rate=48000', 'audio/x-raw, rate=[8000, 96000]',
      'audio/x-raw, rate=(int)44100; audio/x-raw, rate=(int)48000'],
    ['audio/x-raw, rate=48000; audio/x-raw, rate=44100', 'audio/x-raw, rate=44100; audio/x-raw, rate=48000',
      'audio/x-raw, rate=(int)48000; audio/x-raw, rate=(int)44100'],
    ['video/x-raw; audio/x-raw', 'audio/x-raw, rate=48000; video/x-raw, width=320',
      'video/x-raw, width=(int)320; audio/x-raw, rate=(int)48000'],
    // a result structure covered by an earlier one is left out
    ['audio/x-raw', 'audio/x-raw, rate=[8000, 96000]; audio/x-raw, rate=48000', 'audio/x-raw, rate=(int)[ 8000, 96000 ]'],
  ];
  it.each(table)('%s ∩ %s', (a, b, expected) => {
    expect(parseCaps(a).intersect(parseCaps(b)).toString()).toBe(expected);
  });

  it.each(table)('canIntersect agrees: %s ∩ %s', (a, b, expected) => {
    expect(parseCaps(a).canIntersect(parseCaps(b))).toBe(expected !== 'EMPTY');
  });

  it('returns EMPTY as the singleton and keeps fixed caps as they are', () => {
    expect(parseCaps('audio/x-raw').intersect(parseCaps('video/x-raw'))).toBe(Caps.EMPTY);
    const fixed = parseCaps('audio/x-raw, rate=48000, channels=2');
    expect(fixed.intersect(parseCaps('audio/x-raw, channels=2, rate=48000'))).toBe(fixed);
    expect(fixed.intersect(Caps.ANY)).toBe(fixed);
    expect(Caps.ANY.intersect(fixed)).toBe(fixed);
  });
});
