import { describe, expect, it } from 'vitest';
import { LaunchError, LaunchSyntaxError, ParallaxError, launch } from '../../src/index.js';

function failure(desc: string): ParallaxError {
  try {
    launch(desc);
  } catch (e) {
    expect(e).toBeInstanceOf(ParallaxError);
    return e as ParallaxError;
  }
  throw new Error(`expected "${desc}" to fail`);
}

// [launch string, error code, first line of the message, the caret line]
const cases: [string, string, string, string][] = [
  ['fakesrc ! fakesnk', 'UNKNOWN_ELEMENT', 'no element "fakesnk" (did you mean fakesink?) at position 11', '          ^~~~~~~'],
  ['fakesrc num-bufers=3 ! fakesink', 'UNKNOWN_PROPERTY', 'no property "num-bufers" on fakesrc0 (fakesrc) (did you mean num-buffers?) at position 9', '        ^~~~~~~~~~'],
  ['fakesrc num-buffers=lots ! fakesink', 'BAD_PROPERTY_VALUE', 'bad value "lots" for property num-buffers of fakesrc0: expected an integer at position 21', '                    ^~~~'],
  ['fakesrc num-buffers=-7 ! fakesink', 'BAD_PROPERTY_VALUE', 'bad value "-7" for property num-buffers of fakesrc0: must be in [-1, 2147483647] at position 21', '                    ^~'],
  ['fakesrc sizetype=huge ! fakesink', 'BAD_PROPERTY_VALUE', 'bad value "huge" for property sizetype of fakesrc0: expected one of empty (1), fixed (2), random (3) at position 18', '                 ^~~~'],
  ['fakesrc ! t. fakesink', 'DANGLING_REFERENCE', 'no element named "t" at position 11', '          ^'],
  ['tee name=tee0 fakesrc ! te.', 'DANGLING_REFERENCE', 'no element named "te" (did you mean tee0?) at position 25', '                        ^~'],
  ['fakesrc ! fakesink t.', 'DANGLING_REFERENCE', 'no element named "t" at position 20', '                   ^'],
  ['fakesrc ! .sink ! fakesink', 'DANGLING_REFERENCE', 'a pad reference without an element name (".sink") must stand right after an element', '          ^~~~~'],
  ['fakesrc name=a identity name=i ! fakesink a.src : i.nosuch', 'BAD_LINK', 'i (identity) has no sink pad "nosuch"', ''],
  ['fakesrc ! audio/x-raw,rate=(int)abc ! fakesink', 'CAPS_SYNTAX', 'bad caps filter: expected an int, found \'abc\' at position 33', '                                ^'],
  ['capsfilter caps="video/x-raw,width=(int)abc" ! fakesink', 'BAD_PROPERTY_VALUE', 'bad caps for property caps of capsfilter0: expected an int, found \'abc\' at position 41', '                                        ^'],
  ['file://somehost/x ! fakesink', 'LAUNCH_SYNTAX', 'cannot use file://somehost/x as a file', ''],
  ['fakesink ! fakesink', 'BAD_LINK', 'fakesink0 (fakesink) is a sink: it has no src pads at position 1', '^~~~~~~~'],
  ['fakesrc ! fakesrc', 'BAD_LINK', 'fakesrc1 (fakesrc) is a source: it has no sink pads at position 11', '          ^~~~~~~'],
  ['identity name=i fakesrc ! i.foo', 'BAD_LINK', 'i (identity) has no sink pad "foo"; its sink pads: sink at position 29', '                            ^~~'],
  ['fakesrc ! audio/x-raw,rate=[1,2 ! fakesink', 'CAPS_SYNTAX', '', ''],
  ['fakesrc name=a ! fakesink name=a', 'BAD_LINK', 'two elements are named "a"', ''],
  ['gopher://x ! fakesink', 'UNKNOWN_ELEMENT', 'no element handles gopher:// URIs at position 1', '^~~~~~~~~~'],
];

describe('launch-string build errors', () => {
  it.each(cases)('%s', (desc, code, first, caret) => {
    const err = failure(desc);
    expect(err.code).toBe(code);
    expect(err).toBeInstanceOf(LaunchError);
    const lines = err.message.split('\n');
    if (first !== '') expect(lines[0]).toContain(first);
    expect(lines[1]).toBe(desc);
    if (caret !== '') expect(lines[2]).toBe(caret);
  });

  it('reports syntax errors with a caret', () => {
    const err = failure('fakesrc ! ( fakesink');
    expect(err).toBeInstanceOf(LaunchSyntaxError);
    expect(err.code).toBe('LAUNCH_SYNTAX');
    expect(err.message).toMatch(/\^/);
  });

  it('rejects empty input', () => {
    expect(failure('   ').message).toMatch(/empty/);
  });
});
