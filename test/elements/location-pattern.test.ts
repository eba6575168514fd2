import { describe, expect, it } from 'vitest';
import { parseLocationPattern } from '../../src/elements/io/location-pattern.js';

describe('location patterns (multifilesrc, multifilesink)', () => {
  it.each([
    ['frame-%05d.raw', 7, 'frame-00007.raw'],
    ['frame-%05d.raw', 123456, 'frame-123456.raw'],
    ['frame-%d.raw', 42, 'frame-42.raw'],
    ['f%3d', 5, 'f  5'],
    ['%i', 0, '0'],
    ['%u.bin', 9, '9.bin'],
    ['100%%-%02d', 3, '100%-03'],
    ['still.png', 3, 'still.png'],
    ['50%%.png', 3, '50%.png'],
  ] as const)('%s with index %i is %s', (pattern, index, path) => {
    expect(parseLocationPattern(pattern, 'multifilesink0').format(index)).toBe(path);
  });

  it.each([
    ['a-%s.raw', 'multifilesink0: bad "location" pattern "a-%s.raw": "%s" is not an integer conversion at character 2'],
    ['%d-%d', 'bad "location" pattern "%d-%d": a second conversion at character 3'],
    ['frame-%', '"%" is not an integer conversion at character 6'],
    ['%x', '"%x" is not an integer conversion at character 0'],
    ['%099d', 'width 99 is too large at character 0'],
    ['', 'multifilesink0: the "location" property is not set'],
  ] as const)('refuses %j', (pattern, message) => {
    expect(() => parseLocationPattern(pattern, 'multifilesink0')).toThrow(message);
  });
});
