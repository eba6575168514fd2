import { describe, expect, it } from 'vitest';
import { ParallaxError } from '../../src/errors.js';
import { LaunchSyntaxError } from '../../src/graph/parse/index.js';
import { syntaxError } from './project.js';

describe('syntax errors', () => {
  // source → reason, exact span of the fault
  const table: [string, string, { start: number; end: number }][] = [
    ['', 'empty pipeline', { start: 0, end: 0 }],
    ['  \n ', 'empty pipeline', { start: 0, end: 4 }],
    ['! fakesink', "link '!' has nothing before it", { start: 0, end: 1 }],
    ['a ! ( ! b )', "link '!' has nothing before it", { start: 6, end: 7 }],
    ['fakesrc !', "link '!' has nothing after it", { start: 8, end: 9 }],
    ['fakesrc :  ', "link ':' has nothing after it", { start: 8, end: 9 }],
    ['( a ! )', "link '!' has nothing after it", { start: 4, end: 5 }],
    ['a ! ! b', 'two link operators in a row', { start: 4, end: 5 }],
    ['a : ! b', 'two link operators in a row', { start: 4, end: 5 }],
    ['( a ! b', "unbalanced '('", { start: 0, end: 1 }],
    ['x ! bin.( a ! ( b )', "unbalanced '('", { start: 8, end: 9 }],
    ['fakesrc ! fakesink )', "unbalanced ')'", { start: 19, end: 20 }],
    ['( a ) )', "unbalanced ')'", { start: 6, end: 7 }],
    ['filesrc location="my file ! b', 'unterminated quoted string', { start: 17, end: 18 }],
    ["a x='oops", 'unterminated quoted string', { start: 4, end: 5 }],
    ['a ! "video/x-raw ! b', 'unterminated quoted string', { start: 4, end: 5 }],
    ['a ! video/x-raw,s="x ! b', 'unterminated quoted string', { start: 18, end: 19 }],
    ['a x="1"y', "unexpected 'y' after quoted value", { start: 7, end: 8 }],
    ['=5 ! b', "'=' with no property name", { start: 0, end: 1 }],
    ['a ! ( = b )', "'=' with no property name", { start: 6, end: 7 }],
    // As in gst, whitespace may surround '=', so `a =5` is the assignment a=5.
    ['a =5 ! b', "property 'a' must follow an element", { start: 0, end: 4 }],
    ['a num-buffers= ! b', "property 'num-buffers' has no value", { start: 2, end: 14 }],
    ['a x =', "property 'x' has no value", { start: 2, end: 5 }],
    ['( a x=)', "property 'x' has no value", { start: 4, end: 6 }],
    ['a b::c ! d', "expected '=' after property name 'b::c'", { start: 2, end: 6 }],
    ['a ; b', "unexpected character ';'", { start: 2, end: 3 }],
    ['a ! 5', "unexpected character '5'", { start: 4, end: 5 }],
    ['a ! "just text" ! b', `unexpected character '"'`, { start: 4, end: 5 }],
    ['a ! b }', "unexpected character '}'", { start: 6, end: 7 }],
    ['name=x ! b', "property 'name' must follow an element", { start: 0, end: 6 }],
    ['@preset=fast ! b', "property '@preset' must follow an element", { start: 0, end: 12 }],
    ['a ! name=x', "property 'name' must follow an element", { start: 4, end: 10 }],
    ['t. name=x', "property 'name' must follow an element", { start: 3, end: 9 }],
    ['( a ) name=x', "property 'name' must follow an element", { start: 6, end: 12 }],
    ['video/x-raw ! fakesink', "caps filter must be preceded by an element and '!'", { start: 0, end: 11 }],
    ['a "video/x-raw,width=2" ! b', "caps filter must be preceded by an element and '!'", { start: 3, end: 22 }],
    ['a ! audio/x-raw', "caps filter must be followed by '!' and an element", { start: 4, end: 15 }],
    ['a ! audio/x-raw !', "caps filter must be followed by '!' and an element", { start: 4, end: 15 }],
    ['( a ! audio/x-raw ! )', "caps filter must be followed by '!' and an element", { start: 6, end: 17 }],
    ['( a ! audio/x-raw )', "caps filter must be followed by '!' and an element", { start: 6, end: 17 }],
    ['a : audio/x-raw ! b', "caps filter must be followed by ':' and an element", { start: 4, end: 19 }],
    ['. ! b', "'.' reference with neither element name nor pad name", { start: 0, end: 1 }],
    ['a ! . ! b', "'.' reference with neither element name nor pad name", { start: 4, end: 5 }],
    ['.( a )', "'.' reference with neither element name nor pad name", { start: 0, end: 1 }],
    ['a ! t.src, ! b', "expected a pad name after ','", { start: 9, end: 10 }],
  ];
  it.each(table)('%j', (src, reason, span) => {
    const e = syntaxError(src);
    expect(e.reason).toBe(reason);
    expect(e.span).toEqual(span);
    expect(e.message.startsWith(`${reason} at position`) || e.message.startsWith(`${reason} at line`)).toBe(true);
  });

  it('is a ParallaxError with code LAUNCH_SYNTAX, the source, and a caret block', () => {
    const e = syntaxError('fakesrc ! fakesink )');
    expect(e).toBeInstanceOf(ParallaxError);
    expect(e).toBeInstanceOf(LaunchSyntaxError);
    expect(e.code).toBe('LAUNCH_SYNTAX');
    expect(e.name).toBe('LaunchSyntaxError');
    expect(e.source).toBe('fakesrc ! fakesink )');
    expect(e.message).toBe("unbalanced ')' at position 20\nfakesrc ! fakesink )\n                   ^");
  });

  it('underlines the whole faulty span', () => {
    expect(syntaxError('a num-buffers= ! b').message).toBe(
      "property 'num-buffers' has no value at position 3\na num-buffers= ! b\n  ^~~~~~~~~~~~",
    );
  });

  it('reports the first fault in source order', () => {
    expect(syntaxError('! fakesink "unterminated').reason).toBe("link '!' has nothing before it");
    expect(syntaxError('a ; b "unterminated').reason).toBe("unexpected character ';'");
  });
});
