import { describe, expect, it } from 'vitest';
import { Events } from '../../src/element/event.js';
import { FlowResult } from '../../src/element/flow.js';
import { FakeSink } from '../../src/elements/testing/fakesink.js';
import { FakeSrc } from '../../src/elements/testing/fakesrc.js';
import { Identity } from '../../src/elements/testing/identity.js';
import { Pipeline } from '../../src/exec/pipeline.js';
import { linkPads } from '../../src/graph/link.js';
import { Harness } from '../../src/harness/harness.js';
import { copyStats } from '../../src/memory/copy-counter.js';

function identity(props: Record<string, string | number | boolean> = {}): Identity {
  const el = new Identity('identity0');
  for (const [k, v] of Object.entries(props)) el.set(k, v);
  return el;
}

describe('identity', () => {
  it('has GStreamer metadata and defaults', () => {
    expect(Identity.metadata.factory).toBe('identity');
    expect(Identity.metadata.classification).toBe('Generic');
    expect(Identity.metadata.rtSafe).toBe(true);
    const el = identity();
    expect([el.get('silent'), el.get('sleep-time'), el.get('error-after'), el.get('eos-after'), el.get('drop-probability'), el.get('single-segment')])
      .toEqual([true, 0, -1, -1, 0, false]);
  });

  it('passes buffers through unchanged, in place, without copying', async () => {
    const h = await new Harness(identity(), { caps: 'text/plain' }).start();
    const before = copyStats().bytesCopied;
    expect([h.push('a', { pts: 0 }), h.push('bc', { pts: 10 })]).toEqual([FlowResult.OK, FlowResult.OK]);
    const bufs = [h.pull()!, h.pull()!];
    expect(bufs.map((b) => [new TextDecoder().decode(b.data), b.pts])).toEqual([['a', 0], ['bc', 10]]);
    expect(copyStats().bytesCopied - before).toBe(3); // the harness writing the 3 input bytes; identity copies none
    expect(h.events.map((e) => e.type)).toEqual(['stream-start', 'caps', 'segment']);
    expect(h.outputCaps?.toString()).toBe('text/plain');
  });

  it.each([
    // error-after, pushes → results, buffers out
    [3, 4, [FlowResult.OK, FlowResult.OK, FlowResult.ERROR, FlowResult.ERROR], 2],
    [1, 1, [FlowResult.ERROR], 0],
    [-1, 3, [FlowResult.OK, FlowResult.OK, FlowResult.OK], 3],
  ] as const)('error-after=%i: %i pushes → %o, %i out', async (errorAfter, n, results, out) => {
    const h = await new Harness(identity({ 'error-after': errorAfter })).start();
    const got: FlowResult[] = [];
    for (let i = 0; i < n; i++) got.push(h.push('x'));
    expect(got).toEqual(results);
    expect(h.pending).toBe(out);
    if (errorAfter > 0) expect(h.errors()[0]).toBe('identity0: error-after reached');
  });

  it.each([
    [2, 4, [FlowResult.OK, FlowResult.OK, FlowResult.EOS, FlowResult.EOS], 2],
    [0, 1, [FlowResult.EOS], 0],
  ] as const)('eos-after=%i: %i pushes → %o, %i out', async (eosAfter, n, results, out) => {
    const h = await new Harness(identity({ 'eos-after': eosAfter })).start();
    const got: FlowResult[] = [];
    for (let i = 0; i < n; i++) got.push(h.push('x'));
    expect(got).toEqual(results);
    expect(h.pending).toBe(out);
  });

  it.each([
    [0, 100, 100],
    [1, 100, 0],
  ] as const)('drop-probability=%d: %i in → %i out', async (p, n, out) => {
    const h = await new Harness(identity({ 'drop-probability': p })).start();
    for (let i = 0; i < n; i++) expect(h.push('x')).toBe(FlowResult.OK);
    expect(h.pending).toBe(out);
    expect(h.allocator.stats().freeSlots).toBe(h.allocator.stats().slots - out);
  });

  it('drop-probability=0.5 with a seed drops about half, repeatably', async () => {
    const counts: number[] = [];
    for (let run = 0; run < 2; run++) {
      const h = await new Harness(identity({ 'drop-probability': 0.5, seed: 7 })).start();
      for (let i = 0; i < 1000; i++) h.push('x');
      counts.push(h.pending);
    }
    expect(counts[0]).toBe(counts[1]);
    expect(counts[0]).toBeGreaterThan(400);
    expect(counts[0]).toBeLessThan(600);
  });

  it('sleep-time makes upstream wait', async () => {
    const h = await new Harness(identity({ 'sleep-time': 20_000 })).start();
    h.push('x');
    expect(h.blocked).toBe(1);
    const t0 = performance.now();
    await h.settle();
    expect(performance.now() - t0).toBeGreaterThanOrEqual(15);
    expect(h.pending).toBe(1);
  });

  it('unblock wakes a sleeping identity', async () => {
    const el = identity({ 'sleep-time': 60_000_000 });
    const h = await new Harness(el).start();
    h.push('x');
    el.unblock();
    await h.settle();
    expect(h.pending).toBe(1);
  });

  it('silent=false describes each buffer in last-message', async () => {
    const el = identity({ silent: false });
    const h = await new Harness(el).start();
    h.push('abc', { pts: 2_000_000_000 });
    expect(el.get('last-message')).toMatch(/^chain {3}\*{7} \(identity0:sink\) \(3 bytes, dts: none, pts: 0:00:02\.000000000, duration: none, offset: none, offset_end: none, flags: 00000000 \) 0x/);
    expect(h.messages.filter((m) => m.type === 'property-notify')).toHaveLength(1);
  });

  it('single-segment eats later segments and restamps buffers with running time', async () => {
    const h = await new Harness(identity({ 'single-segment': true })).start();
    h.pushEvent(Events.segment({ format: 'time', rate: 1, start: 1000, stop: -1, base: 500, time: 0 }));
    h.push('a', { pts: 1200 });
    expect(h.pull()!.pts).toBe(700);
    expect(h.events.filter((e) => e.type === 'segment')).toHaveLength(1);
  });

  it('error-after reaches the bus, moves the pipeline to error, and run() rejects naming identity0', async () => {
    const src = new FakeSrc('fakesrc0');
    const id = identity({ 'error-after': 5 });
    const sink = new FakeSink('fakesink0');
    const p = new Pipeline();
    p.add(src, id, sink);
    linkPads(src.pad('src')!, id.pad('sink')!);
    linkPads(id.pad('src')!, sink.pad('sink')!);
    const states: string[] = [];
    const errors: string[] = [];
    p.bus.on('state-changed', (m) => states.push(m.to));
    p.bus.on('error', (m) => errors.push(`${m.source}: ${m.error.message}`));
    await expect(p.run()).rejects.toThrow(/identity0: error-after reached/);
    expect(errors).toEqual(['identity0: identity0: error-after reached']);
    expect(states).toContain('error');
    expect(sink.rendered).toBe(4);
  });

  it('fakesrc num-buffers=5 ! identity silent=false ! fakesink runs to EOS', async () => {
    const src = new FakeSrc('fakesrc0');
    src.set('num-buffers', 5);
    const id = identity({ silent: false });
    const sink = new FakeSink('fakesink0');
    const p = new Pipeline();
    p.add(src, id, sink);
    linkPads(src.pad('src')!, id.pad('sink')!);
    linkPads(id.pad('src')!, sink.pad('sink')!);
    const notes: unknown[] = [];
    p.bus.on('property-notify', (m) => notes.push(m.value));
    await p.run();
    expect(sink.rendered).toBe(5);
    expect(notes).toHaveLength(5);
  });
});
