import { describe, expect, it } from 'vitest';
import { Allocator, Pool, SLOT_HEADER_BYTES, sizeClass } from '../../src/memory/index.js';

describe('pool', () => {
  it('lays slots out with a 64-byte header and 64-byte aligned payloads', () => {
    const pool = new Pool(100, 4);
    expect(pool.stride).toBe(SLOT_HEADER_BYTES + 128);
    for (let s = 0; s < 4; s++) {
      expect(pool.payloadOffset(s) % 64).toBe(0);
      expect(pool.headerOffset(s)).toBe(s * pool.stride);
    }
  });

  it('hands out every slot once, then -1, and takes them back', () => {
    const pool = new Pool(64, 3);
    const got = [pool.acquire(), pool.acquire(), pool.acquire()];
    expect(new Set(got).size).toBe(3);
    expect(pool.acquire()).toBe(-1);
    pool.release(got[1]!);
    expect(pool.acquire()).toBe(got[1]);
  });

  it('rejects nonsense sizes', () => {
    expect(() => new Pool(-1, 1)).toThrow(/capacity/);
    expect(() => new Pool(8, 0)).toThrow(/slot count/);
  });
});

describe('allocator', () => {
  it('uses power-of-two size classes from 64 bytes', () => {
    expect([1, 64, 65, 1000, 4096, 4097].map(sizeClass)).toEqual([64, 64, 128, 1024, 4096, 8192]);
  });

  it('does not add pools when reserved slots suffice, and counts pools it had to add', () => {
    const a = new Allocator(2);
    a.reserve(64, 2);
    const p1 = a.acquire(10);
    const p2 = a.acquire(64);
    expect(a.stats().poolsAdded).toBe(0);
    a.acquire(64);
    expect(a.stats().poolsAdded).toBe(1);
    expect(p1).toBe(p2);
  });
});
