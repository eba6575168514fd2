import { describe, expect, it } from 'vitest';
import { Identity } from '../../src/elements/testing/identity.js';
import { Parallel } from '../../src/elements/compute/parallel.js';
import { Harness } from '../../src/harness/harness.js';
import { SharedAllocator } from '../../src/memory/shared-allocator.js';

describe('Harness and shared memory', () => {
  it('gives an element that asks for shared memory an arena with WebAssembly kernels, as a pipeline would', () => {
    const h = new Harness(new Parallel('parallel0'));
    expect(h.arena).not.toBeNull();
    expect(h.allocator).toBeInstanceOf(SharedAllocator);
    expect(h.arena!.kernelMemory).not.toBeNull();
  });

  it('with kernels: false, an arena without WebAssembly (the JS reference path)', () => {
    const h = new Harness(new Parallel('parallel0'), { kernels: false });
    expect(h.arena).not.toBeNull();
    expect(h.arena!.kernelMemory).toBeNull();
  });

  it('keeps a heap allocator for every other element', () => {
    const h = new Harness(new Identity('identity0'));
    expect(h.arena).toBeNull();
    expect(h.allocator).not.toBeInstanceOf(SharedAllocator);
  });
});
