import { describe, expect, it } from 'vitest';
import { parseLaunch } from '../../src/graph/parse/index.js';
import { cut, project } from './project.js';

describe('links and caps filters', () => {
  // source → its single chain
  const table: [string, unknown[]][] = [
    ['fakesrc ! fakesink', [['fakesrc'], '!', ['fakesink']]],
    ['fakesrc!fakesink', [['fakesrc'], '!', ['fakesink']]],
    ['fakesrc : fakesink', [['fakesrc'], ':', ['fakesink']]],
    ['fakesrc num-buffers=5 ! fakesink', [['fakesrc', { 'num-buffers': '5' }], '!', ['fakesink']]],
    ['videotestsrc ! video/x-raw,format=I420,width=320 ! queue ! fakesink',
      [['videotestsrc'], ['!', 'video/x-raw,format=I420,width=320'], ['queue'], '!', ['fakesink']]],
    ['a ! audio/x-raw,rate=48000 ! b', [['a'], ['!', 'audio/x-raw,rate=48000'], ['b']]],
    ['a !   audio/x-raw  !b', [['a'], ['!', 'audio/x-raw'], ['b']]],
    ['a ! audio/x-raw, rate=(int)48000, channels=2 ! b', [['a'], ['!', 'audio/x-raw, rate=(int)48000, channels=2'], ['b']]],
    ['a ! audio/x-raw,rate=[32000,64000],format={S16LE,S24LE} ! b',
      [['a'], ['!', 'audio/x-raw,rate=[32000,64000],format={S16LE,S24LE}'], ['b']]],
    ['a ! video/x-raw,framerate=30/1 ! b', [['a'], ['!', 'video/x-raw,framerate=30/1'], ['b']]],
    ['a ! video/x-raw(memory:NVMM),format=NV12 ! b', [['a'], ['!', 'video/x-raw(memory:NVMM),format=NV12'], ['b']]],
    ['a ! image/svg+xml ! b', [['a'], ['!', 'image/svg+xml'], ['b']]],
    ['a ! audio/* ! b', [['a'], ['!', 'audio/*'], ['b']]],
    ['a ! application/vnd.foo-1.0 ! b', [['a'], ['!', 'application/vnd.foo-1.0'], ['b']]],
    ['a ! ANY ! b', [['a'], ['!', 'ANY'], ['b']]],
    ['a ! EMPTY ! b', [['a'], ['!', 'EMPTY'], ['b']]],
    ['a ! "video/x-raw, format=I420" ! b', [['a'], ['!', 'video/x-raw, format=I420'], ['b']]],
    ["a ! 'video/x-raw,format=YUY2;video/x-raw,format=YV12' ! b", [['a'], ['!', 'video/x-raw,format=YUY2;video/x-raw,format=YV12'], ['b']]],
    ['a ! video/x-raw,format="I420" ! b', [['a'], ['!', 'video/x-raw,format="I420"'], ['b']]],
    ['a ! text/x-raw,s="x ! y" ! b', [['a'], ['!', 'text/x-raw,s="x ! y"'], ['b']]],
    ['a : audio/x-raw : b', [['a'], [':', 'audio/x-raw'], ['b']]],
    // Only the opening operator closes a filter, so a ':' in caps text is just text.
    ['a ! text/x-uri,u=a:b ! b', [['a'], ['!', 'text/x-uri,u=a:b'], ['b']]],
    // An unclosed bracket in caps does not hide the closing '!'; the caps parser will object.
    ['a ! audio/x-raw,rate=[1,2 ! b', [['a'], ['!', 'audio/x-raw,rate=[1,2'], ['b']]],
    // ANY only counts as caps before an operator; otherwise it is a factory name.
    ['a ! ANY', [['a'], '!', ['ANY']]],
    ['a ! b ! c ! d', [['a'], '!', ['b'], '!', ['c'], '!', ['d']]],
  ];
  it.each(table)('%j', (src, expected) => {
    expect(project(src)).toEqual([expected]);
  });

  it('gives the operator span, or the whole filtered link, and the caps span as written', () => {
    const src = 'a ! b ! "video/x-raw, width=1" ! c : d';
    const { links } = parseLaunch(src).chains[0] ?? { links: [] };
    expect(links[0]).toEqual({ op: '!', span: { start: 2, end: 3 } });
    expect(links[1] && cut(src, links[1].span)).toBe('! "video/x-raw, width=1" !');
    expect(links[1]?.caps).toEqual({ text: 'video/x-raw, width=1', span: { start: 9, end: 29 } });
    expect(links[2]).toEqual({ op: ':', span: { start: 35, end: 36 } });
  });

  it('keeps caps text equal to the source slice it came from', () => {
    const src = "a ! 'x/y,s=\"q\\\" r\"' ! b ! audio/x-raw,rate=[ 1, 2 ]   ! c";
    for (const l of parseLaunch(src).chains[0]?.links ?? []) {
      if (l.caps !== undefined) expect(cut(src, l.caps.span)).toBe(l.caps.text);
    }
    expect(project(src)).toEqual([[['a'], ['!', 'x/y,s="q\\" r"'], ['b'], ['!', 'audio/x-raw,rate=[ 1, 2 ]'], ['c']]]);
  });
});
