import { describe, expect, it } from 'vitest';
import { Buffer, BufferFlags, copyStats } from '../../src/index.js';
import { Allocator } from '../../src/memory/index.js';

describe('buffer', () => {
  it('keeps metadata in the slot header, not in the handle', () => {
    const a = new Allocator();
    const b = Buffer.allocate(a, 10);
    b.pts = 1_000_000_000;
    b.dts = 5;
    b.duration = 20_000_000;
    b.offset = 4096;
    b.sequence = 7;
    b.flags = BufferFlags.DISCONT | BufferFlags.MARKER;
    b.streamId = 3;
    const other = new Buffer(b.pool, b.slot);
    expect([other.pts, other.dts, other.duration, other.offset, other.sequence, other.flags, other.streamId, other.size])
      .toEqual([1_000_000_000, 5, 20_000_000, 4096, 7, BufferFlags.DISCONT | BufferFlags.MARKER, 3, 10]);
    expect(other.hasFlag(BufferFlags.MARKER)).toBe(true);
  });

  it('starts with unset times (-1)', () => {
    const b = Buffer.allocate(new Allocator(), 1);
    expect([b.pts, b.dts, b.duration, b.offset]).toEqual([-1, -1, -1, -1]);
  });

  it('clones in O(1) without copying, and the last release frees the slot', () => {
    const a = new Allocator();
    const before = copyStats().bytesCopied;
    const b = Buffer.allocate(a, 32);
    const c = b.clone();
    expect(b.refcount).toBe(2);
    expect(c.data.buffer).toBe(b.data.buffer);
    expect(copyStats().bytesCopied).toBe(before);
    const free = b.pool.freeCount;
    b.release();
    expect(b.pool.freeCount).toBe(free);
    c.release();
    expect(c.pool.freeCount).toBe(free + 1);
  });

  it('release is idempotent per handle', () => {
    const b = Buffer.allocate(new Allocator(), 8);
    const c = b.clone();
    b.release();
    b.release();
    expect(c.refcount).toBe(1);
  });

  it('makeWritable copies only a shared buffer, and counts that copy', () => {
    const a = new Allocator();
    const b = Buffer.fromBytes(a, new Uint8Array([1, 2, 3]));
    expect(b.makeWritable(a)).toBe(b);
    const c = b.clone();
    c.pts = 42;
    const before = copyStats().bytesCopied;
    const w = c.makeWritable(a);
    expect(w).not.toBe(c);
    expect([...w.data]).toEqual([1, 2, 3]);
    expect(w.pts).toBe(42);
    expect(copyStats().bytesCopied - before).toBe(3);
    expect(b.refcount).toBe(1);
  });

  it('refuses a size beyond the slot', () => {
    const b = Buffer.allocate(new Allocator(), 8);
    expect(() => (b.size = 65)).toThrow(/capacity/);
  });
});
