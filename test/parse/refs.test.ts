import { describe, expect, it } from 'vitest';
import { parseLaunch } from '../../src/graph/parse/index.js';
import type { RefNode } from '../../src/graph/parse/index.js';
import { cut, project } from './project.js';

describe('references', () => {
  // source → all chains
  const table: [string, unknown[][]][] = [
    ['tee name=t t. ! queue ! fakesink t. ! queue ! fakesink', [
      [['tee', { name: 't' }]],
      ['t.', '!', ['queue'], '!', ['fakesink']],
      ['t.', '!', ['queue'], '!', ['fakesink']],
    ]],
    ['fakesrc ! t.sink_0 tee name=t', [[['fakesrc'], '!', 't.sink_0'], [['tee', { name: 't' }]]]],
    ['a. : b.', [['a.', ':', 'b.']]],
    ['a.:b.', [['a.', ':', 'b.']]],
    ['t.!queue', [['t.', '!', ['queue']]]],
    ['t.src_%u ! fakesink', [['t.src_%u', '!', ['fakesink']]]],
    ['demux.video_00 ! queue', [['demux.video_00', '!', ['queue']]]],
    ['my-mux.sink_3', [['my-mux.sink_3']]],
    ['t.src_1,src_2 ! m.sink_1,sink_2', [['t.src_1,src_2', '!', 'm.sink_1,sink_2']]],
    ['t.src_1, src_2 ! m.', [['t.src_1,src_2', '!', 'm.']]],
    ['.src ! fakesink', [['.src', '!', ['fakesink']]]],
    ['fakesrc ! .sink', [[['fakesrc'], '!', '.sink']]],
    ['a ! t.sink t.src ! b', [[['a'], '!', 't.sink'], ['t.src', '!', ['b']]]],
    ['a ! e.sink ! b', [[['a'], '!', 'e.sink', '!', ['b']]]],
    ['textoverlay name=ov ! fakesink filesrc ! ov.text_sink', [
      [['textoverlay', { name: 'ov' }], '!', ['fakesink']],
      [['filesrc'], '!', 'ov.text_sink'],
    ]],
  ];
  it.each(table)('%j', (src, expected) => {
    expect(project(src)).toEqual(expected);
  });

  const refAt = (src: string, chain: number, item: number): RefNode => {
    const it = parseLaunch(src).chains[chain]?.items[item];
    if (it?.kind !== 'ref') throw new Error('expected a ref');
    return it;
  };

  it('records name and pad spans', () => {
    const src = 'x ! mux.sink_1,sink_2';
    const ref = refAt(src, 0, 1);
    expect(ref).toEqual({
      kind: 'ref', name: 'mux', nameSpan: { start: 4, end: 7 },
      pads: [{ name: 'sink_1', span: { start: 8, end: 14 } }, { name: 'sink_2', span: { start: 15, end: 21 } }],
      span: { start: 4, end: 21 },
    });
  });

  it('gives a name-only ref no pads and a span ending after the dot', () => {
    const src = 't. ! q';
    const ref = refAt(src, 0, 0);
    expect(ref.pads).toEqual([]);
    expect(cut(src, ref.span)).toBe('t.');
  });

  it('gives an anonymous ref an undefined name and an empty name span at the dot', () => {
    const src = 'a ! .sink';
    const ref = refAt(src, 0, 1);
    expect(ref.name).toBeUndefined();
    expect(ref.nameSpan).toEqual({ start: 4, end: 4 });
    expect(cut(src, ref.span)).toBe('.sink');
  });
});
