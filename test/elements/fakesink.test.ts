import { afterEach, describe, expect, it, vi } from 'vitest';
import { FlowResult } from '../../src/element/flow.js';
import { FakeSink } from '../../src/elements/testing/fakesink.js';
import { FakeSrc } from '../../src/elements/testing/fakesrc.js';
import { Pipeline } from '../../src/exec/pipeline.js';
import { linkPads } from '../../src/graph/link.js';
import { Harness } from '../../src/harness/harness.js';

function fakesink(props: Record<string, string | number | boolean> = {}): FakeSink {
  const sink = new FakeSink('fakesink0');
  for (const [k, v] of Object.entries(props)) sink.set(k, v);
  return sink;
}

afterEach(() => vi.restoreAllMocks());

describe('fakesink', () => {
  it('has GStreamer metadata and defaults', () => {
    expect(FakeSink.metadata.factory).toBe('fakesink');
    expect(FakeSink.metadata.classification).toBe('Sink/Testing');
    const sink = fakesink();
    expect([sink.get('sync'), sink.get('silent'), sink.get('dump'), sink.get('num-buffers'), sink.get('signal-handoffs'), sink.get('last-message')])
      .toEqual([false, true, false, -1, false, null]);
    expect(() => sink.set('last-message', 'x')).toThrow(/read-only/);
  });

  it.each([
    // num-buffers, buffers pushed → results
    [-1, 3, [FlowResult.OK, FlowResult.OK, FlowResult.OK]],
    [2, 4, [FlowResult.OK, FlowResult.EOS, FlowResult.EOS, FlowResult.EOS]],
    [1, 2, [FlowResult.EOS, FlowResult.EOS]],
    [0, 1, [FlowResult.EOS]],
  ] as const)('num-buffers=%i: %i pushes → %o', async (numBuffers, n, results) => {
    const sink = fakesink({ 'num-buffers': numBuffers });
    const h = await new Harness(sink).start();
    const got: FlowResult[] = [];
    for (let i = 0; i < n; i++) got.push(h.push('abcd'));
    expect(got).toEqual(results);
    expect(sink.rendered).toBe(Math.min(n, numBuffers < 0 ? n : numBuffers));
    expect(h.allocator.stats().freeSlots).toBe(h.allocator.stats().slots);
  });

  it('silent=false writes GStreamer-style last-message lines', async () => {
    const sink = fakesink({ silent: false });
    const h = await new Harness(sink).start();
    const buf = new Uint8Array(64);
    h.push(buf, { pts: 0 });
    expect(String(sink.get('last-message'))).toMatch(
      /^chain {3}\*{7} \(fakesink0:sink\) \(64 bytes, dts: none, pts: 0:00:00\.000000000, duration: none, offset: none, offset_end: none, flags: 00000000 \) 0x[0-9a-f]+$/);
    h.push('ab', { pts: 1_500_000_000, duration: 20_000_000 });
    expect(String(sink.get('last-message'))).toContain('(2 bytes, dts: none, pts: 0:00:01.500000000, duration: 0:00:00.020000000,');
    h.eos();
    await h.settle();
    expect(String(sink.get('last-message'))).toMatch(/^event {3}\*{7} \(fakesink0:sink\) E \(type: eos, \) $/);
    const notes = h.messages.filter((m) => m.type === 'property-notify').map((m) => (m.type === 'property-notify' ? m.property : ''));
    // stream-start, caps? (none: no caps given), segment, 2 buffers, eos
    expect(notes.every((p) => p === 'last-message')).toBe(true);
    expect(notes.length).toBe(5);
    expect(h.eosCount).toBe(1);
  });

  it('silent=true posts nothing', async () => {
    const h = await new Harness(fakesink()).start();
    h.push('x');
    expect(h.messages).toEqual([]);
  });

  it('dump=true hexdumps to stdout in gst_util_dump_mem format', async () => {
    const writes: string[] = [];
    vi.spyOn(process.stdout, 'write').mockImplementation((s: string | Uint8Array) => {
      writes.push(String(s));
      return true;
    });
    const h = await new Harness(fakesink({ dump: true })).start();
    h.push('Hello, Parallax streams!');
    vi.restoreAllMocks();
    const lines = writes.join('').split('\n').filter((l) => l !== '');
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(/^00000000 \(0x[0-9a-f]+\): 48 65 6c 6c 6f 2c 20 50 61 72 61 6c 6c 61 78 20 {2}Hello, Parallax $/);
    expect(lines[1]).toMatch(/^00000010 \(0x[0-9a-f]+\): 73 74 72 65 61 6d 73 21 {25} streams! {8}$/);
  });

  it('signal-handoffs=true emits handoff with each buffer', async () => {
    const sink = fakesink({ 'signal-handoffs': true });
    const seen: string[] = [];
    sink.on('handoff', (buf, pad) => seen.push(`${pad.name}:${new TextDecoder().decode(buf.data)}`));
    const h = await new Harness(sink).start();
    h.push('one');
    h.push('two');
    expect(seen).toEqual(['sink:one', 'sink:two']);
  });

  it('num-buffers ends a pipeline with EOS', async () => {
    const src = new FakeSrc('fakesrc0');
    const sink = fakesink({ 'num-buffers': 10 });
    const p = new Pipeline();
    p.add(src, sink);
    linkPads(src.pad('src')!, sink.pad('sink')!);
    const messages: string[] = [];
    p.bus.on('message', (m) => messages.push(m.type));
    await p.run();
    expect(sink.rendered).toBe(10);
    expect(messages).toContain('eos');
    expect(p.state).toBe('suspended');
  });

  it('sync=true renders on the clock', async () => {
    const sink = fakesink({ sync: true });
    const h = await new Harness(sink).start();
    h.push('a', { pts: 1_000 });
    expect(sink.rendered).toBe(0);
    expect(h.blocked).toBe(1);
    h.clock.advance(1_000);
    await h.settle();
    expect(sink.rendered).toBe(1);
  });
});
