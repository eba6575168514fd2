import { describe, expect, it } from 'vitest';
import { frameTime } from '../../../src/elements/video/frame-time.js';

describe('frameTime', () => {
  it('is n x fpsD / fpsN seconds in ns, rounded down, as gst_util_uint64_scale', () => {
    expect([0, 1, 2, 3].map((n) => frameTime(n, 30, 1))).toEqual([0, 33_333_333, 66_666_666, 100_000_000]);
    expect(frameTime(1, 30000, 1001)).toBe(33_366_666);
    expect(frameTime(30000, 30000, 1001)).toBe(1_001_000_000_000);
  });

  it('stays exact past 2^53 through BigInt', () => {
    // 10^9 frames at 30000/1001: 10^9 x 1001 x 10^9 / 30000, rounded down.
    expect(frameTime(1e9, 30000, 1001)).toBe(Number((10n ** 9n * 1001n * 10n ** 9n) / 30000n));
    expect(frameTime(2 ** 31, 7, 3)).toBe(Number((2n ** 31n * 3n * 10n ** 9n) / 7n));
  });
});
