import { describe, expect, it } from 'vitest';
import { Caps, fixateValue, parseCaps } from '../../src/element/caps/index.js';
import type { FixateTarget } from '../../src/element/caps/index.js';
import { ParallaxError } from '../../src/errors.js';
import { show, val } from './helpers.js';

describe('fixateValue', () => {
  // value, target → fixed value
  const table: [string, FixateTarget | undefined, string][] = [
    ['5', undefined, '5'], ['S16LE', undefined, 'S16LE'], ['30/1', 60, '30/1'],
    ['[8000, 96000]', undefined, '8000'], ['[8000, 96000]', 48000, '48000'], ['[8000, 96000]', 1000, '8000'],
    ['[8000, 96000]', 200000, '96000'], ['[8000, 96000]', 44100.4, '44100'],
    ['[2, 16, 4]', undefined, '2'], ['[2, 16, 4]', 8, '6'], ['[2, 16, 4]', 9, '10'], ['[2, 16, 4]', 7, '6'], ['[2, 16, 4]', 100, '14'],
    ['[0.5, 2.0]', undefined, '0.5'], ['[0.5, 2.0]', 1.25, '1.25'], ['[0.5, 2.0]', 3, '2'],
    ['[0/1, 2147483647/1]', undefined, '0/1'], ['[1/1, 60/1]', { num: 30, den: 1 }, '30/1'],
    ['[1/1, 60/1]', { num: 240, den: 2 }, '60/1'], ['[1/1, 60/1]', 29.97, '2997/100'], ['[1/1, 60/1]', 0, '1/1'],
    ['{ S16LE, F32LE }', undefined, 'S16LE'], ['{ [8000, 16000], 48000 }', undefined, '8000'],
    ['{ 44100, 48000, 96000 }', 50000, '48000'], ['{ 8000, 96000 }', 52000, '8000'],
    ['{ [8000, 16000], [32000, 48000] }', 30000, '32000'], ['{ a, b }', 5, 'a'],
    ['< [1, 5], { 2, 3 } >', undefined, '<1, 2>'],
  ];
  it.each(table)('%s towards %j → %s', (value, target, expected) => {
    expect(show(fixateValue(val(value), target))).toBe(expected);
  });

  it('cannot fixate an empty list', () => {
    expect(() => fixateValue(val('{ }'))).toThrow(ParallaxError);
  });
});

describe('Caps.fixate', () => {
  const table: [string, string][] = [
    ['audio/x-raw, format={ S16LE, F32LE }, rate=[8000, 96000], channels=[1, 8]',
      'audio/x-raw, format=(string)S16LE, rate=(int)8000, channels=(int)1'],
    ['video/x-raw, format={ I420, NV12 }, width=[1, 8192], framerate=[0/1, 2147483647/1]',
      'video/x-raw, format=(string)I420, width=(int)1, framerate=(fraction)0/1'],
    // the first structure wins
    ['audio/x-raw, rate=44100; audio/x-raw, rate=48000', 'audio/x-raw, rate=(int)44100'],
    ['video/x-raw(ANY), width=[1, 10]', 'video/x-raw, width=(int)1'],
    ['video/x-raw(memory:GLMemory), width=[1, 10]', 'video/x-raw(memory:GLMemory), width=(int)1'],
  ];
  it.each(table)('%s', (text, fixed) => {
    const out = parseCaps(text).fixate();
    expect(out.toString()).toBe(fixed);
    expect(out.isFixed()).toBe(true);
  });

  it('fixates towards targets', () => {
    const caps = parseCaps('audio/x-raw, rate=[8000, 96000], channels=[1, 8]; audio/x-raw, rate=44100');
    expect(caps.fixate({ rate: 48000, channels: 2 }).toString()).toBe('audio/x-raw, rate=(int)48000, channels=(int)2');
    const video = parseCaps('video/x-raw, framerate=[1/1, 60/1]');
    expect(video.fixate({ framerate: { num: 30000, den: 1001 } }).toString()).toBe('video/x-raw, framerate=(fraction)30000/1001');
  });

  it('returns fixed caps as they are', () => {
    const caps = parseCaps('audio/x-raw, rate=48000, channels=2');
    expect(caps.isFixed()).toBe(true);
    expect(caps.fixate()).toBe(caps);
  });

  // caps → isFixed
  const fixedTable: [string, boolean][] = [
    ['audio/x-raw', true], ['audio/x-raw, rate=48000, format=S16LE', true], ['audio/x-raw, pos=< 1, 2 >', true],
    ['audio/x-raw, rate=[1, 2]', false], ['audio/x-raw, format={ S16LE }', false], ['audio/x-raw, pos=< 1, { 2, 3 } >', false],
    ['audio/x-raw; audio/x-raw', false], ['video/x-raw(ANY)', false], ['ANY', false], ['EMPTY', false],
  ];
  it.each(fixedTable)('isFixed(%s) is %s', (text, fixed) => {
    expect(parseCaps(text).isFixed()).toBe(fixed);
  });

  it.each(['ANY', 'EMPTY'])('throws NOT_NEGOTIATED for %s', (text) => {
    const caps = parseCaps(text);
    expect(() => caps.fixate()).toThrow(`cannot fixate ${text} caps`);
    try {
      caps.fixate();
    } catch (e) {
      expect(e).toBeInstanceOf(ParallaxError);
      expect((e as ParallaxError).code).toBe('NOT_NEGOTIATED');
    }
  });

  it('throws NOT_NEGOTIATED for a field with an empty list', () => {
    expect(() => parseCaps('audio/x-raw, format={ }').fixate()).toThrow('cannot fixate audio/x-raw: field format is an empty list');
  });

  it('reads fixed fields back through the typed getters', () => {
    const s = parseCaps('video/x-raw, format=I420, width=[1, 10], framerate=30/1, scale=0.5, on=true').fixate().structures[0]!;
    expect([s.getString('format'), s.getInt('width'), s.getFraction('framerate'), s.getDouble('scale'), s.getBool('on')])
      .toEqual(['I420', 1, { num: 30, den: 1 }, 0.5, true]);
    const open = parseCaps('video/x-raw, width=[1, 10], format={ I420, NV12 }').structures[0]!;
    expect([open.getInt('width'), open.getString('format'), open.getInt('height'), open.getString('width')])
      .toEqual([undefined, undefined, undefined, undefined]);
    expect(Caps.EMPTY.structures).toEqual([]);
  });
});
