import { describe, expect, it } from 'vitest';
import { zeroFill } from '../../src/memory/zero-fill.js';

describe('zeroFill', () => {
  it.each([
    ['shared', () => new SharedArrayBuffer(300_000)],
    ['plain', () => new ArrayBuffer(300_000)],
  ])('zeroes exactly [start, end) of %s memory, across chunk boundaries and in short ranges', (_kind, make) => {
    const bytes = new Uint8Array(make());
    for (const [start, end] of [[7, 200_007], [64, 64 + 65_536], [1000, 1100], [5, 5]] as const) {
      bytes.fill(0xaa);
      zeroFill(bytes, start, end);
      expect(bytes[start - 1]).toBe(0xaa);
      expect(bytes[end]).toBe(0xaa);
      expect(bytes.subarray(start, end).every((b) => b === 0)).toBe(true);
    }
  });
});
