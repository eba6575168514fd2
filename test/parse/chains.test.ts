import { describe, expect, it } from 'vitest';
import { parseLaunch } from '../../src/graph/parse/index.js';
import { project } from './project.js';

describe('several chains', () => {
  // source → all chains
  const table: [string, unknown[][]][] = [
    ['fakesrc ! fakesink fakesrc ! fakesink', [[['fakesrc'], '!', ['fakesink']], [['fakesrc'], '!', ['fakesink']]]],
    ['a b c', [[['a']], [['b']], [['c']]]],
    ['a x=1 b y=2', [[['a', { x: '1' }]], [['b', { y: '2' }]]]],
    ['a !\n  b\nc !\n  d', [[['a'], '!', ['b']], [['c'], '!', ['d']]]],
    ['audiotestsrc ! mix. videotestsrc ! mix. audiomixer name=mix ! fakesink', [
      [['audiotestsrc'], '!', 'mix.'],
      [['videotestsrc'], '!', 'mix.'],
      [['audiomixer', { name: 'mix' }], '!', ['fakesink']],
    ]],
    ['filesrc location="my file.wav" ! wavparse ! fakesink', [
      [['filesrc', { location: 'my file.wav' }], '!', ['wavparse'], '!', ['fakesink']],
    ]],
    ['filesrc location=movie.avi ! decodebin name=d d. ! queue ! fakesink d. ! queue ! fakesink', [
      [['filesrc', { location: 'movie.avi' }], '!', ['decodebin', { name: 'd' }]],
      ['d.', '!', ['queue'], '!', ['fakesink']],
      ['d.', '!', ['queue'], '!', ['fakesink']],
    ]],
    ['  \t fakesrc   ', [[['fakesrc']]]],
  ];
  it.each(table)('%j', (src, expected) => {
    expect(project(src)).toEqual(expected);
  });

  it('keeps the source and links.length == items.length - 1 in every chain', () => {
    const src = 'a ! b ! c d e : f ( g ! h )';
    const ast = parseLaunch(src);
    expect(ast.source).toBe(src);
    for (const c of ast.chains) expect(c.links).toHaveLength(c.items.length - 1);
  });
});
