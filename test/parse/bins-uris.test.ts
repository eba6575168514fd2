import { describe, expect, it } from 'vitest';
import { parseLaunch } from '../../src/graph/parse/index.js';
import { cut, project } from './project.js';

describe('bins', () => {
  // source → all chains
  const table: [string, unknown[][]][] = [
    ['bin.( name=b1 fakesrc ! identity ) ! fakesink', [
      [{ bin: 'bin', props: { name: 'b1' }, body: [[['fakesrc'], '!', ['identity']]] }, '!', ['fakesink']],
    ]],
    ['( fakesrc ! fakesink )', [[{ bin: '', props: {}, body: [[['fakesrc'], '!', ['fakesink']]] }]]],
    ['(fakesrc!fakesink)', [[{ bin: '', props: {}, body: [[['fakesrc'], '!', ['fakesink']]] }]]],
    ['a ! ( b ! c ) ! d', [[['a'], '!', { bin: '', props: {}, body: [[['b'], '!', ['c']]] }, '!', ['d']]]],
    ['bin . ( x )', [[{ bin: 'bin', props: {}, body: [[['x']]] }]]],
    // As in gst, whitespace may surround the '.', so `t. (` opens a bin of type t, not a ref.
    ['t. ( x )', [[{ bin: 't', props: {}, body: [[['x']]] }]]],
    ['mybintype.( name=b async-handling=true a b )', [
      [{ bin: 'mybintype', props: { name: 'b', 'async-handling': 'true' }, body: [[['a']], [['b']]] }],
    ]],
    ['( a ! b c ! d )', [[{ bin: '', props: {}, body: [[['a'], '!', ['b']], [['c'], '!', ['d']]] }]]],
    ['( ( ( x ) ) )', [[{ bin: '', props: {}, body: [[{ bin: '', props: {}, body: [[{ bin: '', props: {}, body: [[['x']]] }]] }]] }]]],
    ['( a ! t. )', [[{ bin: '', props: {}, body: [[['a'], '!', 't.']] }]]],
    ['( a ! audio/x-raw ! b )', [[{ bin: '', props: {}, body: [[['a'], ['!', 'audio/x-raw'], ['b']]] }]]],
    ['( )', [[{ bin: '', props: {}, body: [] }]]],
    ['bin.( name=empty )', [[{ bin: 'bin', props: { name: 'empty' }, body: [] }]]],
    ['a ( b )', [[['a']], [{ bin: '', props: {}, body: [[['b']]] }]]],
  ];
  it.each(table)('%j', (src, expected) => {
    expect(project(src)).toEqual(expected);
  });

  it('records the bin type span and a span from the type to the )', () => {
    const src = 'x ! bin.( y ) ! z';
    const bin = parseLaunch(src).chains[0]?.items[1];
    if (bin?.kind !== 'bin') throw new Error('expected a bin');
    expect(bin.binTypeSpan).toEqual({ start: 4, end: 7 });
    expect(cut(src, bin.span)).toBe('bin.( y )');
  });

  it('leaves binTypeSpan out for an untyped bin', () => {
    const bin = parseLaunch('( y )').chains[0]?.items[0];
    expect(bin).toEqual({ kind: 'bin', binType: undefined, props: [], body: [expect.anything()], span: { start: 0, end: 5 } });
    expect(bin !== undefined && 'binTypeSpan' in bin).toBe(false);
  });
});

describe('URIs', () => {
  const table: [string, unknown[][]][] = [
    ['file:///tmp/x ! fakesink', [[{ uri: 'file:///tmp/x' }, '!', ['fakesink']]]],
    ['http://h/p ! decodebin', [[{ uri: 'http://h/p' }, '!', ['decodebin']]]],
    ['fakesrc ! file:///tmp/out.raw', [[['fakesrc'], '!', { uri: 'file:///tmp/out.raw' }]]],
    ['cdda://5 ! fakesink', [[{ uri: 'cdda://5' }, '!', ['fakesink']]]],
    ['svn+ssh://h/x?a=1&b=(2) ! q', [[{ uri: 'svn+ssh://h/x?a=1&b=(2)' }, '!', ['q']]]],
    ['rtsp://[::1]:554/s ! q', [[{ uri: 'rtsp://[::1]:554/s' }, '!', ['q']]]],
    ['file:///my\\ file.wav ! q', [[{ uri: 'file:///my file.wav' }, '!', ['q']]]],
    ['a : file:///x', [[['a'], ':', { uri: 'file:///x' }]]],
    ['( file:///x )', [[{ bin: '', props: {}, body: [[{ uri: 'file:///x' }]] }]]],
  ];
  it.each(table)('%j', (src, expected) => {
    expect(project(src)).toEqual(expected);
  });

  it('spans the URI as written', () => {
    const src = 'a ! file:///my\\ x ! b';
    const uri = parseLaunch(src).chains[0]?.items[1];
    expect(uri).toEqual({ kind: 'uri', uri: 'file:///my x', span: { start: 4, end: 17 } });
  });
});
