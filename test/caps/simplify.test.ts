import { describe, expect, it } from 'vitest';
import { parseCaps } from '../../src/element/caps/index.js';

describe('Caps.simplify', () => {
  // caps → simplified, printed
  const table: [string, string][] = [
    ['ANY', 'ANY'],
    ['EMPTY', 'EMPTY'],
    ['audio/x-raw, rate=48000', 'audio/x-raw, rate=(int)48000'],
    // exact duplicates merge
    ['audio/x-raw, rate=48000; audio/x-raw, rate=48000', 'audio/x-raw, rate=(int)48000'],
    ['audio/x-raw, rate=48000, channels=2; audio/x-raw, channels=2, rate=48000', 'audio/x-raw, rate=(int)48000, channels=(int)2'],
    // a structure covered by an earlier one goes
    ['audio/x-raw; audio/x-raw, rate=48000', 'audio/x-raw'],
    ['audio/x-raw, rate=[8000, 96000]; audio/x-raw, rate=48000, channels=2', 'audio/x-raw, rate=(int)[ 8000, 96000 ]'],
    ['audio/x-raw, format={ S16LE, F32LE }; audio/x-raw, format=F32LE', 'audio/x-raw, format=(string){ S16LE, F32LE }'],
    // a later, wider structure is kept behind the earlier one: the first is the preferred one
    ['audio/x-raw, rate=48000, channels=2; audio/x-raw', 'audio/x-raw, rate=(int)48000, channels=(int)2; audio/x-raw'],
    // structures that differ in one field merge into a list, in order
    ['audio/x-raw, rate=44100, channels=2; audio/x-raw, rate=48000, channels=2',
      'audio/x-raw, rate=(int){ 44100, 48000 }, channels=(int)2'],
    ['audio/x-raw, format=S16LE; audio/x-raw, format=F32LE; audio/x-raw, format=S16LE',
      'audio/x-raw, format=(string){ S16LE, F32LE }'],
    ['audio/x-raw, format={ S16LE, S24LE }; audio/x-raw, format={ S24LE, F32LE }',
      'audio/x-raw, format=(string){ S16LE, S24LE, F32LE }'],
    // ...but not when two fields differ, the field sets differ, or types or features differ
    ['audio/x-raw, rate=44100, channels=1; audio/x-raw, rate=48000, channels=2',
      'audio/x-raw, rate=(int)44100, channels=(int)1; audio/x-raw, rate=(int)48000, channels=(int)2'],
    ['audio/x-raw, rate=44100; audio/x-raw, channels=2', 'audio/x-raw, rate=(int)44100; audio/x-raw, channels=(int)2'],
    ['audio/x-raw; video/x-raw', 'audio/x-raw; video/x-raw'],
    ['video/x-raw(memory:GLMemory), format=RGBA; video/x-raw, format=I420',
      'video/x-raw(memory:GLMemory), format=(string)RGBA; video/x-raw, format=(string)I420'],
    ['video/x-raw, format=I420, width=[1, 8192]; video/x-raw, format=NV12, width=[1, 8192]; video/x-raw(memory:GLMemory), format=RGBA',
      'video/x-raw, format=(string){ I420, NV12 }, width=(int)[ 1, 8192 ]; video/x-raw(memory:GLMemory), format=(string)RGBA'],
    // overlapping or touching int ranges join into one range, as gst_caps_simplify
    ['a/b, width=[1,10]; a/b, width=[5,20]', 'a/b, width=(int)[ 1, 20 ]'],
    ['a/b, width=[5,20]; a/b, width=[1,10]', 'a/b, width=(int)[ 1, 20 ]'],
    ['a/b, width=[1,10]; a/b, width=[11,20]', 'a/b, width=(int)[ 1, 20 ]'],
    ['a/b, width=[1,10]; a/b, width=11', 'a/b, width=(int)[ 1, 11 ]'],
    ['a/b, width=0; a/b, width=[1,10]', 'a/b, width=(int)[ 0, 10 ]'],
    ['a/b, w=[1,10], h=2; a/b, w=[5,20], h=2', 'a/b, w=(int)[ 1, 20 ], h=(int)2'],
    ['a/b, w=[1,10]; a/b, w=[5,20]; a/b, w=[15,40]', 'a/b, w=(int)[ 1, 40 ]'],
    ['a/b, w=(gint64)[1,10]; a/b, w=(gint64)[5,20]', 'a/b, w=(gint64)[ 1, 20 ]'],
    // ranges that neither overlap nor touch, stepped ranges, or int with gint64 stay apart (as a list)
    ['a/b, width=[1,10]; a/b, width=[12,20]', 'a/b, width=(int){ [ 1, 10 ], [ 12, 20 ] }'],
    ['a/b, w=[2,10,2]; a/b, w=[6,20,2]', 'a/b, w=(int){ [ 2, 10, 2 ], [ 6, 20, 2 ] }'],
    ['a/b, w=[1,10]; a/b, w=(gint64)[5,20]', 'a/b, w={ (int)[ 1, 10 ], (gint64)[ 5, 20 ] }'],
  ];
  it.each(table)('%s', (text, simplified) => {
    const caps = parseCaps(text);
    const out = caps.simplify();
    expect(out.toString()).toBe(simplified);
    // Simplifying never changes the set of formats.
    expect(out.equals(caps)).toBe(true);
  });

  it('returns caps that are already simple as they are', () => {
    const caps = parseCaps('audio/x-raw, rate=48000; video/x-raw');
    expect(caps.simplify()).toBe(caps);
  });
});
