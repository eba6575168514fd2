import { describe, expect, it } from 'vitest';
import { Caps, explainMismatch, parseCaps } from '../../src/element/caps/index.js';

describe('explainMismatch', () => {
  // a, b → reason
  const table: [string, string, string][] = [
    ['audio/x-raw, format=F64LE', 'audio/x-raw, format={ S16LE, F32LE }', 'format F64LE not in {S16LE, F32LE}'],
    ['audio/x-raw, rate=8000', 'audio/x-raw, rate=[16000, 48000]', 'rate 8000 not in [16000, 48000]'],
    ['audio/x-raw, channels=2', 'audio/x-raw, channels=1', 'channels 2 != 1'],
    ['video/x-raw', 'audio/x-raw', 'media type video/x-raw != audio/x-raw'],
    ['audio/x-raw, rate=[8000, 16000]', 'audio/x-raw, rate=[32000, 48000]', 'rate [8000, 16000] does not intersect [32000, 48000]'],
    ['EMPTY', 'audio/x-raw', 'caps are EMPTY'],
    ['audio/x-raw', 'EMPTY', 'caps are EMPTY'],
    ['EMPTY', 'ANY', 'caps are EMPTY'],
    // the fixed side is named first, whichever side it is on
    ['audio/x-raw, format={ S16LE, F32LE }', 'audio/x-raw, format=F64LE', 'format F64LE not in {S16LE, F32LE}'],
    // the first field of `a` that cannot agree; fields on one side only never conflict
    ['audio/x-raw, layout=interleaved, rate=8000, channels=2', 'audio/x-raw, channels=1, rate=48000, format=S16LE', 'rate 8000 != 48000'],
    ['video/x-raw, framerate=30/1', 'video/x-raw, framerate=[0/1, 25/1]', 'framerate 30/1 not in [0/1, 25/1]'],
    ['video/x-raw, width=5', 'video/x-raw, width=[2, 16, 2]', 'width 5 not in [2, 16, 2]'],
    ['text/x-raw, s="a b"', 'text/x-raw, s=c', 's "a b" != c'],
    ['audio/x-raw, rate=48000', 'audio/x-raw, rate=48000.0', 'rate (int)48000 and (double)48000 have different types'],
    ['audio/x-raw, rate=48000', 'audio/x-raw, rate=[0.0, 1.0]', 'rate (int)48000 and (double)[ 0, 1 ] have different types'],
    ['video/x-raw(memory:GLMemory)', 'video/x-raw', 'features (memory:GLMemory) != (memory:SystemMemory)'],
    // several structures: the first pair with the same media type (and features, if any pair has them)
    ['audio/x-raw, rate=8000; video/x-raw', 'image/png; video/x-raw, width=1; audio/x-raw, rate=48000', 'rate 8000 != 48000'],
    ['video/x-raw, width=2; audio/x-raw', 'image/png; video/x-raw, width=1', 'width 2 != 1'],
    ['video/x-raw(memory:GLMemory), format=RGBA; video/x-raw, format=I420', 'video/x-raw, format=NV12', 'format I420 != NV12'],
    ['image/png; audio/x-raw', 'video/x-raw; text/x-raw', 'media type image/png != video/x-raw'],
    // nothing to explain when the caps do intersect
    ['audio/x-raw', 'ANY', 'caps intersect'],
    ['audio/x-raw, rate=48000', 'audio/x-raw', 'caps intersect'],
  ];
  it.each(table)('%s vs %s', (a, b, reason) => {
    expect(explainMismatch(parseCaps(a), parseCaps(b))).toBe(reason);
  });

  it('accepts the singletons', () => {
    expect(explainMismatch(Caps.EMPTY, Caps.ANY)).toBe('caps are EMPTY');
    expect(explainMismatch(Caps.ANY, Caps.ANY)).toBe('caps intersect');
  });
});
