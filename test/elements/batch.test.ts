import { describe, expect, it } from 'vitest';
import { Buffer, BufferFlags } from '../../src/element/buffer.js';
import { parseCaps } from '../../src/element/caps/index.js';
import { Events } from '../../src/element/event.js';
import { FlowResult } from '../../src/element/flow.js';
import { Batch } from '../../src/elements/flow/batch.js';
import { ENTRY_HEADER_BYTES } from '../../src/elements/flow/batch-format.js';
import { Unbatch } from '../../src/elements/flow/unbatch.js';
import { FakeSink } from '../../src/elements/testing/fakesink.js';
import { buildLaunch } from '../../src/graph/build.js';
import { Harness } from '../../src/harness/harness.js';
import { copyStats } from '../../src/memory/copy-counter.js';
import { createDefaultRegistry } from '../../src/registry/builtins.js';

function batch(props: Record<string, string | number> = {}): Batch {
  const b = new Batch('batch0');
  for (const [k, v] of Object.entries(props)) b.set(k, v);
  return b;
}

/** Number of entries in each batch that came out (from the framing's length words). */
function entriesPerBatch(h: Harness): number[] {
  const out: number[] = [];
  for (let b = h.pull(); b !== undefined; b = h.pull()) {
    const view = new DataView(b.data.buffer, b.data.byteOffset, b.size);
    let n = 0;
    for (let at = 0; at < b.size; n++) at += ENTRY_HEADER_BYTES + view.getUint32(at, true);
    out.push(n);
    b.release();
  }
  return out;
}

describe('batch', () => {
  it('has metadata and defaults', () => {
    expect(Batch.metadata.classification).toBe('Generic');
    const b = batch();
    expect([b.get('max-buffers'), b.get('max-bytes'), b.get('max-time')]).toEqual([10, 0, 0]);
  });

  it.each([
    // properties, input (size, pts, duration) → entries per batch out (the rest at EOS)
    [{ 'max-buffers': 3 }, [[1, 0, 1], [1, 1, 1], [1, 2, 1], [1, 3, 1], [1, 4, 1]], [3, 2]],
    [{ 'max-buffers': 1 }, [[1, 0, 1], [1, 1, 1]], [1, 1]],
    // a buffer that would pass max-bytes starts the next batch; one that reaches it ends this one
    [{ 'max-buffers': 0, 'max-bytes': 10 }, [[4, -1, -1], [4, -1, -1], [4, -1, -1], [6, -1, -1], [20, -1, -1]], [2, 2, 1]],
    // max-time: span from the first pts to the end of the newest buffer
    [{ 'max-buffers': 0, 'max-time': 30 }, [[1, 0, 10], [1, 10, 10], [1, 20, 10], [1, 30, 10], [1, 40, 5]], [3, 2]],
    // untimed buffers never reach max-time; max-buffers still applies
    [{ 'max-buffers': 2, 'max-time': 30 }, [[1, -1, -1], [1, -1, -1], [1, -1, -1]], [2, 1]],
  ] as const)('%j: %j → batches of %j', async (props, input, out) => {
    const h = new Harness(batch(props));
    await h.start();
    for (const [size, pts, duration] of input) {
      expect(h.push(new Uint8Array(size), pts < 0 ? {} : { pts, duration })).toBe(FlowResult.OK);
    }
    h.eos();
    expect(entriesPerBatch(h)).toEqual(out);
    expect(h.events.map((e) => e.type)).toEqual(['stream-start', 'segment', 'eos']);
    expect(h.allocator.stats().freeSlots).toBe(h.allocator.stats().slots);
  });

  it('stamps a batch with the first pts and a duration to the end of the last buffer', async () => {
    const h = await new Harness(batch({ 'max-buffers': 2 })).start();
    h.push('a', { pts: 100, duration: 10 });
    h.push('bb', { pts: 110, duration: 15 });
    const out = h.pull()!;
    expect([out.pts, out.duration, out.size]).toEqual([100, 25, 2 * ENTRY_HEADER_BYTES + 3]);
    out.release();
  });

  it('sends what it holds before any serialized event, so events keep their place', async () => {
    const h = await new Harness(batch({ 'max-buffers': 10 })).start();
    h.push('a');
    h.push('b');
    h.pushEvent(Events.custom('marker'));
    h.push('c');
    h.eos();
    expect(entriesPerBatch(h)).toEqual([2, 1]);
    expect(h.events.map((e) => e.type)).toEqual(['stream-start', 'segment', 'custom', 'eos']);
  });

  it('drops what it holds on flush', async () => {
    const h = await new Harness(batch()).start();
    h.push('a');
    h.pushEvent(Events.flushStart());
    h.pushEvent(Events.flushStop());
    h.eos();
    expect(h.pending).toBe(0);
    expect(h.allocator.stats().freeSlots).toBe(h.allocator.stats().slots);
  });

  it('announces batch caps that name what they hold', async () => {
    const h = await new Harness(batch(), { caps: 'audio/x-raw, rate=(int)8000' }).start();
    expect(h.outputCaps?.toString()).toBe('application/x-parallax-batch, inner=(string)"audio/x-raw, rate=(int)8000"');
    expect(h.events.map((e) => (e.type === 'caps' ? e.caps.structures[0]!.name : e.type))).toEqual(['stream-start', 'application/x-parallax-batch', 'segment']);
  });

  it('refuses limits that are all off, at start, naming the element', async () => {
    const h = new Harness(batch({ 'max-buffers': 0 }));
    await expect(h.start()).rejects.toThrow(/batch0 \(batch\): max-buffers, max-bytes and max-time are all 0/);
    expect(() => batch({ 'max-bytes': -1 })).toThrow(/property max-bytes of batch0/);
  });

  it('round trip with unbatch: the same buffers, metadata and all; both copies are counted', async () => {
    const hb = await new Harness(batch({ 'max-buffers': 3 }), { caps: 'application/x-test' }).start();
    const hu = await new Harness(new Unbatch('unbatch0'), { caps: hb.outputCaps! }).start();
    const input = [['a', 0, 5, 0], ['bb', 5, 5, BufferFlags.DISCONT], ['', 10, 5, 0], ['dddd', -1, -1, BufferFlags.GAP]] as const;
    const copied = copyStats().bytesCopied;
    for (const [text, pts, duration, flags] of input) {
      const b = Buffer.fromBytes(hb.allocator, new TextEncoder().encode(text));
      if (pts >= 0) b.pts = pts;
      b.duration = duration;
      b.flags = flags;
      b.offset = text.length;
      hb.push(b);
    }
    hb.eos();
    const payload = input.reduce((n, [t]) => n + t.length, 0);
    expect(copyStats().bytesCopied - copied).toBe(2 * payload); // the pushes' fromBytes + batching
    for (let b = hb.pull(); b !== undefined; b = hb.pull()) expect(hu.push(b)).toBe(FlowResult.OK);
    expect(copyStats().bytesCopied - copied).toBe(3 * payload); // + unbatching
    const out: [string, number, number, number, number][] = [];
    for (let b = hu.pull(); b !== undefined; b = hu.pull()) {
      out.push([new TextDecoder().decode(b.data), b.pts, b.duration, b.flags, b.offset]);
      b.release();
    }
    expect(out).toEqual(input.map(([t, pts, d, f]) => [t, pts, d, f, t.length]));
    expect(hu.outputCaps?.toString()).toBe('application/x-test');
    expect(hb.allocator.stats().freeSlots).toBe(hb.allocator.stats().slots);
  });

  it('negotiates through batch ! unbatch: the caps after unbatch are the batched stream\'s', async () => {
    const p = buildLaunch('audiotestsrc num-buffers=5 ! audio/x-raw,rate=8000,channels=1 ! batch max-buffers=2 ! unbatch ! fakesink name=out', createDefaultRegistry());
    const caps: string[] = [];
    p.bus.on('caps', (m) => caps.push(`${m.pad}: ${m.caps.toString()}`));
    await p.prepare();
    const sinkCaps = (p.get('out') as FakeSink).pads[0]!.caps!;
    expect(sinkCaps.structures[0]!.name).toBe('audio/x-raw');
    expect(sinkCaps.structures[0]!.getInt('rate')).toBe(8000);
    await p.suspend();
  });

  it('runs its example launch line: 10 buffers in, 10 out', async () => {
    const p = buildLaunch(Batch.metadata.example.replace('fakesink', 'fakesink name=out'), createDefaultRegistry());
    await p.run();
    expect((p.get('out') as FakeSink).rendered).toBe(10);
  });

  it('batch caps do not go where unbatch is not', () => {
    expect(parseCaps('application/x-parallax-batch').canIntersect(parseCaps('audio/x-raw'))).toBe(false);
  });
});
