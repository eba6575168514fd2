import { describe, expect, it } from 'vitest';
import { Buffer, leakedBuffers } from '../../src/index.js';
import { Allocator } from '../../src/memory/index.js';

const gc = (globalThis as { gc?: () => void }).gc;

describe('buffers handed to application code', () => {
  it('come back to the pool when the handle is collected without release()', async () => {
    const a = new Allocator();
    const pool = a.acquire(64);
    pool.release(a.lastSlot);
    const free = pool.freeCount;
    (() => {
      Buffer.allocate(a, 64).handOver();
    })();
    expect(pool.freeCount).toBe(free - 1);
    const before = leakedBuffers();
    for (let i = 0; i < 50 && pool.freeCount !== free; i++) {
      if (gc) gc();
      else new Array(1e6).fill(0); // Pressure, where --expose-gc is not available.
      await new Promise((r) => setTimeout(r, 10));
    }
    expect(pool.freeCount).toBe(free);
    expect(leakedBuffers()).toBe(before + 1);
  });

  it('a released handle is not released again by the collector', () => {
    const a = new Allocator();
    const b = Buffer.allocate(a, 8).handOver();
    const c = b.clone();
    b.release();
    expect(c.refcount).toBe(1);
    c.release();
  });
});
