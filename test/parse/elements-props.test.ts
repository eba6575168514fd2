import { describe, expect, it } from 'vitest';
import { parseLaunch } from '../../src/graph/parse/index.js';
import { cut, project } from './project.js';

describe('elements and properties', () => {
  // source → its single chain
  const table: [string, unknown[]][] = [
    ['fakesrc', [['fakesrc']]],
    ['fakesrc num-buffers=5', [['fakesrc', { 'num-buffers': '5' }]]],
    ['fakesrc num-buffers = 5 sizetype=fixed', [['fakesrc', { 'num-buffers': '5', sizetype: 'fixed' }]]],
    ['fakesrc\n  num-buffers=\t5', [['fakesrc', { 'num-buffers': '5' }]]],
    ['x264enc tune=zerolatency', [['x264enc', { tune: 'zerolatency' }]]],
    ['gl_sink _private=1', [['gl_sink', { _private: '1' }]]],
    ['a c++-thing=yes', [['a', { 'c++-thing': 'yes' }]]],
    ['filesrc location="my file.wav"', [['filesrc', { location: 'my file.wav' }]]],
    ["filesrc location='my file.wav'", [['filesrc', { location: 'my file.wav' }]]],
    ['filesrc location=my\\ file.txt', [['filesrc', { location: 'my file.txt' }]]],
    ['identity label="say \\"hi\\" \\\\o/"', [['identity', { label: 'say "hi" \\o/' }]]],
    ["identity label='no \\escapes'", [['identity', { label: 'no \\escapes' }]]],
    ['identity label=""', [['identity', { label: '' }]]],
    ['identity label=a"b', [['identity', { label: 'a"b' }]]],
    ['souphttpsrc location=http://h:8080/p?q=1', [['souphttpsrc', { location: 'http://h:8080/p?q=1' }]]],
    ['capsfilter caps=audio/x-raw,rate=[1, 2]', [['capsfilter', { caps: 'audio/x-raw,rate=[1, 2]' }]]],
    ['capsfilter caps=video/x-raw,format=(string)I420', [['capsfilter', { caps: 'video/x-raw,format=(string)I420' }]]],
    ['capsfilter caps=a/b,f={ x, y },g=< 1, 2 >', [['capsfilter', { caps: 'a/b,f={ x, y },g=< 1, 2 >' }]]],
    ['capsfilter caps="video/x-raw, width=320"', [['capsfilter', { caps: 'video/x-raw, width=320' }]]],
    // An unclosed bracket does not swallow the rest of the line: whitespace ends the value again.
    ['textoverlay text=a<b c=d', [['textoverlay', { text: 'a<b', c: 'd' }]]],
    ['mux sink_0::xpos=10 sink_0::ypos=20', [['mux', { 'sink_0::xpos': '10', 'sink_0::ypos': '20' }]]],
    ['b child::grandchild::prop=1', [['b', { 'child::grandchild::prop': '1' }]]],
    ['x264enc @preset=fast', [['x264enc', { '@preset': 'fast' }]]],
    ['a x=1!b', [['a', { x: '1' }], '!', ['b']]],
    // gst reads the value right after `=` even if it looks like another assignment.
    ['a x= y=3', [['a', { x: 'y=3' }]]],
  ];
  it.each(table)('%j', (src, expected) => {
    expect(project(src)).toEqual([expected]);
  });

  it('records exact spans for factory, names and values (quotes included)', () => {
    const src = 'filesrc  location = "a b"  blocksize=4 ! fakesink';
    const el = parseLaunch(src).chains[0]?.items[0];
    if (el?.kind !== 'element') throw new Error('expected an element');
    expect(cut(src, el.factorySpan)).toBe('filesrc');
    expect(cut(src, el.span)).toBe('filesrc  location = "a b"  blocksize=4');
    const [loc, bs] = el.props;
    expect(loc).toEqual({ name: 'location', nameSpan: { start: 9, end: 17 }, value: 'a b', valueSpan: { start: 20, end: 25 }, quoted: true });
    expect(bs && cut(src, bs.nameSpan)).toBe('blocksize');
    expect(bs && cut(src, bs.valueSpan)).toBe('4');
    expect(bs?.quoted).toBe(false);
  });

  it('ends a bare value at an unbalanced ) but not at a balanced one', () => {
    expect(project('( a x=(int)1)')).toEqual([[{ bin: '', props: {}, body: [[['a', { x: '(int)1' }]]] }]]);
  });
});
