import { describe, expect, it } from 'vitest';
import { isValueSubset, parseCaps } from '../../src/element/caps/index.js';
import { val } from './helpers.js';

describe('isValueSubset', () => {
  // a, b → a ⊆ b
  const table: [string, string, boolean][] = [
    ['5', '5', true], ['5', '6', false], ['5', '[1, 10]', true], ['11', '[1, 10]', false], ['5', '{ 1, 5 }', true],
    ['5', '5.0', false], ['S16LE', '{ S16LE, F32LE }', true], ['F64LE', '{ S16LE, F32LE }', false],
    ['[2, 5]', '[1, 10]', true], ['[1, 10]', '[2, 5]', false], ['[1, 10]', '[1, 10]', true], ['[0, 11]', '[1, 10]', false],
    ['[1, 10]', '5', false], ['[4, 8, 4]', '[0, 16, 2]', true], ['[4, 8, 2]', '[0, 16, 4]', false], ['[3, 9, 2]', '[0, 16, 2]', false],
    ['[0.5, 0.75]', '[0.0, 1.0]', true], ['[0.5, 1.5]', '[0.0, 1.0]', false], ['[2, 5]', '[0.0, 10.0]', false],
    ['[25/1, 30/1]', '[0/1, 60/1]', true], ['[25/1, 90/1]', '[0/1, 60/1]', false], ['30/1', '[0/1, 60/1]', true],
    ['{ 1, 2 }', '[1, 10]', true], ['{ 1, 20 }', '[1, 10]', false], ['{ a, b }', '{ b, c, a }', true], ['{ }', 'a', true],
    ['[2, 3]', '{ [1, 5], 9 }', true],
    // A range covered only by several list items together is not recognized (see isValueSubset).
    ['[1, 4]', '{ [1, 2], [3, 4] }', false],
    ['< 1, 2 >', '< [0, 5], { 2, 3 } >', true], ['< 1, 9 >', '< [0, 5], { 2, 3 } >', false], ['< 1 >', '< 1, 2 >', false],
  ];
  it.each(table)('%s ⊆ %s is %s', (a, b, expected) => {
    expect(isValueSubset(val(a), val(b))).toBe(expected);
  });
});

describe('Caps.isSubsetOf', () => {
  // a, b → a ⊆ b
  const table: [string, string, boolean][] = [
    ['EMPTY', 'EMPTY', true], ['EMPTY', 'audio/x-raw', true], ['EMPTY', 'ANY', true],
    ['audio/x-raw', 'ANY', true], ['ANY', 'ANY', true], ['ANY', 'audio/x-raw', false], ['audio/x-raw', 'EMPTY', false],
    ['audio/x-raw, rate=48000', 'audio/x-raw', true],
    ['audio/x-raw', 'audio/x-raw, rate=48000', false],
    ['audio/x-raw, rate=48000', 'audio/x-raw, rate=[8000, 96000]', true],
    ['audio/x-raw, rate=48000, channels=2', 'audio/x-raw, rate=[8000, 96000]', true],
    ['audio/x-raw, rate=[8000, 96000]', 'audio/x-raw, rate=48000', false],
    ['audio/x-raw, format=S16LE', 'audio/x-raw, format={ S16LE, F32LE }', true],
    ['audio/x-raw', 'video/x-raw', false],
    ['audio/x-raw, rate=44100; audio/x-raw, rate=48000', 'audio/x-raw, rate=[8000, 96000]', true],
    ['audio/x-raw, rate=44100; audio/x-raw, rate=192000', 'audio/x-raw, rate=[8000, 96000]', false],
    ['audio/x-raw, rate=48000', 'video/x-raw; audio/x-raw, rate={ 44100, 48000 }', true],
    ['video/x-raw(memory:GLMemory)', 'video/x-raw', false],
    ['video/x-raw', 'video/x-raw(memory:GLMemory)', false],
    ['video/x-raw(memory:GLMemory)', 'video/x-raw(ANY)', true],
    ['video/x-raw(ANY)', 'video/x-raw(memory:GLMemory)', false],
    ['video/x-raw(memory:SystemMemory)', 'video/x-raw', true],
  ];
  it.each(table)('%s ⊆ %s is %s', (a, b, expected) => {
    expect(parseCaps(a).isSubsetOf(parseCaps(b))).toBe(expected);
  });
});

describe('Caps.equals', () => {
  // a, b → same set of formats
  const table: [string, string, boolean][] = [
    ['ANY', 'ANY', true], ['EMPTY', 'NONE', true], ['ANY', 'EMPTY', false], ['ANY', 'audio/x-raw', false],
    ['audio/x-raw, rate=48000, channels=2', 'audio/x-raw, channels=2, rate=48000', true],
    ['audio/x-raw, rate=48000', 'audio/x-raw, rate=(int)48000', true],
    ['audio/x-raw, rate=48000', 'audio/x-raw, rate=44100', false],
    ['audio/x-raw, rate=48000', 'audio/x-raw, rate=48000.0', false],
    ['video/x-raw, framerate=30/1', 'video/x-raw, framerate=60/2', true],
    ['audio/x-raw, format={ S16LE, F32LE }', 'audio/x-raw, format={ F32LE, S16LE }', true],
    ['audio/x-raw, format={ S16LE, F32LE }', 'audio/x-raw, format=S16LE; audio/x-raw, format=F32LE', true],
    ['audio/x-raw; audio/x-raw, rate=48000', 'audio/x-raw', true],
    ['audio/x-raw(memory:SystemMemory)', 'audio/x-raw', true],
  ];
  it.each(table)('%s = %s is %s', (a, b, expected) => {
    expect(parseCaps(a).equals(parseCaps(b))).toBe(expected);
    expect(parseCaps(b).equals(parseCaps(a))).toBe(expected);
  });

  it('isStrictlyEqual also compares how the caps are written', () => {
    const a = parseCaps('audio/x-raw, format=S16LE; audio/x-raw, format=F32LE');
    expect(a.isStrictlyEqual(parseCaps('audio/x-raw,format=S16LE;audio/x-raw,format=F32LE'))).toBe(true);
    expect(a.isStrictlyEqual(parseCaps('audio/x-raw, format=F32LE; audio/x-raw, format=S16LE'))).toBe(false);
    expect(a.isStrictlyEqual(parseCaps('audio/x-raw, format={ S16LE, F32LE }'))).toBe(false);
  });
});
