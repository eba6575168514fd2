import { describe, expect, it } from 'vitest';
import { Events, type Event } from '../../src/element/event.js';
import { FlowResult } from '../../src/element/flow.js';
import { Concat } from '../../src/elements/flow/concat.js';
import { FakeSink } from '../../src/elements/testing/fakesink.js';
import { FakeSrc } from '../../src/elements/testing/fakesrc.js';
import { Pipeline } from '../../src/exec/pipeline.js';
import { buildLaunch } from '../../src/graph/build.js';
import { linkPads } from '../../src/graph/link.js';
import { Harness } from '../../src/harness/harness.js';
import { createDefaultRegistry } from '../../src/registry/builtins.js';
import { Pusher } from './support/ends.js';

const describeEvent = (e: Event): string => (e.type === 'segment' ? `segment:base=${e.segment.base}` : e.type === 'stream-start' ? `stream-start:${e.streamId}` : e.type);

/** A concat with the harness on sink_0 (a: stream started) and a pusher on sink_1 (b). */
async function setup(props: Record<string, boolean> = {}): Promise<{ c: Concat; h: Harness; b: Pusher }> {
  const c = new Concat('concat0');
  for (const [k, v] of Object.entries(props)) c.set(k, v);
  const h = new Harness(c, { sinkPad: 'sink_0' });
  const b = Pusher.linkTo(c, h, 'b');
  await h.start();
  return { c, h, b };
}

describe('concat', () => {
  it('has GStreamer metadata and defaults', () => {
    expect(Concat.metadata.factory).toBe('concat');
    expect(Concat.metadata.classification).toBe('Generic');
    const c = new Concat('concat0');
    expect([c.get('adjust-base'), c.get('active-pad')]).toEqual([true, null]);
  });

  it('plays the second pad after the first one\'s EOS; what came early waits, upstream blocked', async () => {
    const { c, h, b } = await setup();
    b.event(Events.streamStart('b'));
    b.event(Events.segment());
    expect(b.push('b1')).toBe(FlowResult.OK);
    expect(h.blocked).toBe(1); // b's upstream waits for its turn
    h.push('a1');
    h.push('a2');
    expect([h.pullAllText(), c.get('active-pad')]).toEqual([['a1', 'a2'], 'sink_0']);
    h.eos();
    expect(c.get('active-pad')).toBe('sink_1');
    await h.settle(); // b's turn came: its upstream goes on
    b.push('b2');
    expect(h.pullAllText()).toEqual(['b1', 'b2']);
    expect(h.events.map(describeEvent)).toEqual(['stream-start:harness', 'segment:base=0', 'stream-start:b', 'segment:base=0']);
    b.event(Events.eos());
    expect(h.events.map((e) => e.type).filter((t) => t === 'eos')).toEqual(['eos']);
    // Both inputs hear EOS from now on.
    expect([h.push('late'), b.push('late')]).toEqual([FlowResult.EOS, FlowResult.EOS]);
    expect(h.allocator.stats().freeSlots).toBe(h.allocator.stats().slots);
  });

  it.each([
    // adjust-base, a's buffers (pts, duration) → base of b's segment out, b's first buffer's running time
    [true, [[0, 10], [10, 10]], 20],
    [true, [[0, 10], [30, 5]], 35],
    [true, [], 0],
    [false, [[0, 10], [10, 10]], 0],
  ] as const)('adjust-base=%s, a plays %j → b\'s segment base %i', async (adjust, bufs, base) => {
    const { h, b } = await setup({ 'adjust-base': adjust });
    for (const [pts, duration] of bufs) h.push('a', { pts, duration });
    h.eos();
    b.event(Events.streamStart('b'));
    b.event(Events.segment({ format: 'time', rate: 1, start: 0, stop: -1, base: 0, time: 0 }));
    b.push('b', { pts: 0 });
    const segs = h.events.filter((e) => e.type === 'segment').map(describeEvent);
    expect(segs).toEqual(['segment:base=0', `segment:base=${base}`]);
  });

  it('a pad with no data at all is played through to the next one', async () => {
    const c = new Concat('concat0');
    const h = new Harness(c, { sinkPad: 'sink_0' });
    const b = Pusher.linkTo(c, h, 'b');
    const d = Pusher.linkTo(c, h, 'd');
    await h.start();
    b.event(Events.streamStart('b'));
    b.event(Events.eos()); // b: an empty stream, ended before its turn
    d.push('d1');
    h.push('a1');
    h.eos();
    expect(c.get('active-pad')).toBe('sink_2');
    d.event(Events.eos());
    expect(h.pullAllText()).toEqual(['a1', 'd1']);
    // b's stream-start went out when its (empty) turn came; d sent none.
    expect(h.events.map(describeEvent)).toEqual(['stream-start:harness', 'segment:base=0', 'stream-start:b', 'eos']);
  });

  it('a stop releases what waits and wakes its upstream', async () => {
    const { h, b } = await setup();
    b.push('b1');
    await h.stop();
    await h.settle();
    expect(h.allocator.stats().freeSlots).toBe(h.allocator.stats().slots);
  });

  it('plays two sources one after the other in a pipeline, in order', async () => {
    const p = new Pipeline();
    const c = new Concat('concat0');
    const srcs = [new FakeSrc('src0'), new FakeSrc('src1')];
    srcs.forEach((s, i) => {
      s.set('num-buffers', 50);
      s.set('sizetype', 'fixed');
      s.set('sizemax', i + 1);
    });
    const sink = new FakeSink('sink0');
    sink.set('signal-handoffs', true);
    const sizes: number[] = [];
    sink.on('handoff', (buf) => sizes.push(buf.size));
    p.add(...srcs, c, sink);
    for (const s of srcs) linkPads(s.pad('src')!, c.requestPad('sink_%u'));
    linkPads(c.pad('src')!, sink.pad('sink')!);
    await p.run();
    expect(sizes).toEqual([...Array<number>(50).fill(1), ...Array<number>(50).fill(2)]);
  });

  it('runs its example launch line', async () => {
    await buildLaunch(Concat.metadata.example, createDefaultRegistry()).run();
  });
});
