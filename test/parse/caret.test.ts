import { describe, expect, it } from 'vitest';
import { describePosition, formatCaret, formatSourceError } from '../../src/graph/parse/index.js';

describe('formatCaret', () => {
  // source, span → the two lines
  const table: [string, [number, number], string][] = [
    ['a ! b', [2, 3], 'a ! b\n  ^'],
    ['a ! b', [0, 5], 'a ! b\n^~~~~'],
    // An empty span still gets one caret, at the end of input if need be.
    ['a !', [3, 3], 'a !\n   ^'],
    ['', [0, 0], '\n^'],
    ['\nb', [0, 3], '\n^'],
    // Only the line of the fault, and the marker stops at its end.
    ['a !\nb ! c )\nd', [10, 11], 'b ! c )\n      ^'],
    ['a !\r\nb', [2, 9], 'a !\n  ^'],
    // Tabs are shown as spaces so the caret lines up.
    ['a\t!\tb', [4, 5], 'a ! b\n    ^'],
  ];
  it.each(table)('%j %j', (src, [start, end], expected) => {
    expect(formatCaret(src, { start, end })).toBe(expected);
  });

  const long = `${'a'.repeat(50)} ! ${'b'.repeat(50)} ! ${'c'.repeat(50)} )`;

  it('shows a window of about 70 characters with … on cut sides', () => {
    const at = long.indexOf('b') + 10;
    const [line, marker] = formatCaret(long, { start: at, end: at + 3 }).split('\n');
    expect(line?.startsWith('…')).toBe(true);
    expect(line?.endsWith('…')).toBe(true);
    expect(line?.length).toBe(72);
    expect(marker?.trimStart()).toBe('^~~');
    expect(line?.slice(marker?.indexOf('^'), (marker?.indexOf('^') ?? 0) + 3)).toBe('bbb');
  });

  it('cuts only the side that is too long', () => {
    const end = long.length - 1;
    const [line, marker] = formatCaret(long, { start: end, end: end + 1 }).split('\n');
    expect(line?.startsWith('…')).toBe(true);
    expect(line?.endsWith(' )')).toBe(true);
    expect(marker?.length).toBe(line?.length);
    const [head] = formatCaret(long, { start: 0, end: 1 }).split('\n');
    expect(head?.startsWith('aaa')).toBe(true);
    expect(head?.endsWith('…')).toBe(true);
  });

  it('clips a span longer than the window', () => {
    const [line, marker] = formatCaret(long, { start: 0, end: long.length }).split('\n');
    expect(marker).toBe(`^${'~'.repeat(69)}`);
    expect(line?.length).toBe(71);
  });
});

describe('describePosition', () => {
  it('is 1-based: position for one line, line and column for several', () => {
    expect(describePosition('abc', 0)).toBe('position 1');
    expect(describePosition('fakesrc ! fakesink )', 19)).toBe('position 20');
    expect(describePosition('a !\nb ! c )', 10)).toBe('line 2, column 7');
    expect(describePosition('a\nb', 1)).toBe('line 1, column 2');
  });
});

describe('formatSourceError', () => {
  it('is the layout shared by syntax and semantic errors', () => {
    expect(formatSourceError("no element 'fakesinkk'", 'a ! fakesinkk', { start: 4, end: 13 })).toBe(
      "no element 'fakesinkk' at position 5\na ! fakesinkk\n    ^~~~~~~~~",
    );
  });
});
