import { describe, expect, it } from 'vitest';
import { Buffer } from '../../src/element/buffer.js';
import { FlowResult } from '../../src/element/flow.js';
import { ENTRY_HEADER_BYTES, writeEntry } from '../../src/elements/flow/batch-format.js';
import { Unbatch } from '../../src/elements/flow/unbatch.js';
import { buildLaunch } from '../../src/graph/build.js';
import { Harness } from '../../src/harness/harness.js';
import { launch } from '../../src/index.js';
import { createDefaultRegistry } from '../../src/registry/builtins.js';

/** A batch payload of `texts`, entry i stamped pts = 10 * i. */
function batchOf(h: Harness, texts: string[]): Buffer {
  const parts = texts.map((t, i) => {
    const b = Buffer.fromBytes(h.allocator, new TextEncoder().encode(t));
    b.pts = 10 * i;
    return b;
  });
  const out = Buffer.allocate(h.allocator, parts.reduce((n, b) => n + ENTRY_HEADER_BYTES + b.size, 0));
  let at = 0;
  for (const b of parts) {
    at = writeEntry(out.data, at, b);
    b.release();
  }
  return out;
}

describe('unbatch', () => {
  it('has metadata', () => {
    expect(Unbatch.metadata.classification).toBe('Generic');
    expect(Unbatch.metadata.padTemplates[0]!.caps).toBe('application/x-parallax-batch');
  });

  it.each([
    // entries of one batch → buffers out (text, pts)
    [['a', 'bb', 'ccc'], [['a', 0], ['bb', 10], ['ccc', 20]]],
    [['', 'x'], [['', 0], ['x', 10]]],
    [[], []],
  ] as const)('%j → %j', async (texts, out) => {
    const h = await new Harness(new Unbatch('unbatch0')).start();
    expect(h.push(batchOf(h, [...texts]))).toBe(FlowResult.OK);
    const got: [string, number][] = [];
    for (let b = h.pull(); b !== undefined; b = h.pull()) {
      got.push([new TextDecoder().decode(b.data), b.pts]);
      b.release();
    }
    expect(got).toEqual(out);
    expect(h.allocator.stats().freeSlots).toBe(h.allocator.stats().slots);
  });

  it.each([
    // a payload that is not a batch → the error
    [new Uint8Array(7), 'unbatch0: malformed batch: 7 bytes at byte 0 are too few for an entry header (40)'],
    [Uint8Array.of(100, 0, 0, 0, ...new Uint8Array(36), 1, 2), 'unbatch0: malformed batch: the entry at byte 0 claims 100 bytes, only 2 follow'],
  ])('refuses a malformed payload (%#) with an error naming itself', async (payload, error) => {
    const h = await new Harness(new Unbatch('unbatch0')).start();
    expect(h.push(payload)).toBe(FlowResult.ERROR);
    expect(h.errors()).toEqual([error]);
    expect(h.allocator.stats().freeSlots).toBe(h.allocator.stats().slots);
  });

  it('refuses to link to anything but a batch', async () => {
    await expect(launch('fakesrc ! unbatch ! fakesink', { registry: createDefaultRegistry() }).prepare()).resolves.toBeUndefined();
    expect(() => launch('audiotestsrc ! unbatch ! fakesink', { registry: createDefaultRegistry() })).toThrow(/cannot link audiotestsrc0:src to unbatch0:sink/);
  });

  it('runs its example launch line', async () => {
    await buildLaunch(Unbatch.metadata.example, createDefaultRegistry()).run();
  });
});
