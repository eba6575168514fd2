import { describe, expect, it } from 'vitest';
import { Events, type Event } from '../../src/element/event.js';
import { FlowResult } from '../../src/element/flow.js';
import { Valve } from '../../src/elements/flow/valve.js';
import { FakeSink } from '../../src/elements/testing/fakesink.js';
import { FakeSrc } from '../../src/elements/testing/fakesrc.js';
import { Pipeline } from '../../src/exec/pipeline.js';
import { buildLaunch } from '../../src/graph/build.js';
import { linkPads } from '../../src/graph/link.js';
import { Harness } from '../../src/harness/harness.js';
import { createDefaultRegistry } from '../../src/registry/builtins.js';

const describeEvent = (e: Event): string => (e.type === 'gap' ? `gap:${e.pts}+${e.duration}` : e.type);

describe('valve', () => {
  it('has GStreamer metadata and defaults', () => {
    expect(Valve.metadata.factory).toBe('valve');
    expect(Valve.metadata.classification).toBe('Filter');
    const v = new Valve('valve0');
    expect([v.get('drop'), v.get('drop-mode'), v.get('dropped')]).toEqual([false, 'drop-all', 0]);
  });

  it.each([
    // drop-mode → events out while closed (the harness's stream-start and segment arrive while closed), then after opening
    ['drop-all', [], ['stream-start', 'segment', 'eos']],
    ['forward-sticky-events', ['stream-start', 'segment'], ['stream-start', 'segment', 'eos']],
    ['transform-to-gap', ['stream-start', 'segment', 'gap:10+5', 'gap:20+5'], ['stream-start', 'segment', 'gap:10+5', 'gap:20+5', 'eos']],
  ] as const)('drop-mode=%s: closed → %j, reopened → %j', async (mode, closed, reopened) => {
    const v = new Valve('valve0');
    v.set('drop', true);
    v.set('drop-mode', mode);
    const h = new Harness(v);
    await h.start();
    expect([h.push('a', { pts: 10, duration: 5 }), h.push('b', { pts: 20, duration: 5 })]).toEqual([FlowResult.OK, FlowResult.OK]);
    expect(h.pending).toBe(0);
    expect(v.get('dropped')).toBe(2);
    expect(h.events.map(describeEvent)).toEqual(closed);
    v.set('drop', false);
    expect(h.push('c', { pts: 30 })).toBe(FlowResult.OK);
    h.eos();
    expect(h.pullAllText()).toEqual(['c']);
    expect(h.events.map(describeEvent)).toEqual(reopened);
    expect(h.allocator.stats().freeSlots).toBe(h.allocator.stats().slots);
  });

  it.each([
    // drop toggles per buffer → what comes out
    [[false, true, true, false, true, false], ['0', '3', '5'], 3],
    [[false, false], ['0', '1'], 0],
  ] as const)('toggling drop %j lets %j through, dropping %i', async (toggles, out, dropped) => {
    const v = new Valve('valve0');
    const h = await new Harness(v).start();
    toggles.forEach((drop, i) => {
      v.set('drop', drop);
      h.push(String(i));
    });
    expect(h.pullAllText()).toEqual(out);
    expect(v.get('dropped')).toBe(dropped);
  });

  it('toggles while a pipeline runs (drop is mutable)', async () => {
    const p = new Pipeline();
    const src = new FakeSrc('fakesrc0');
    src.set('num-buffers', 100);
    const v = new Valve('valve0');
    const sink = new FakeSink('fakesink0');
    sink.set('signal-handoffs', true);
    sink.on('handoff', (buf) => {
      if (buf.sequence === 9) v.set('drop', true);
    });
    p.add(src, v, sink);
    linkPads(src.pad('src')!, v.pad('sink')!);
    linkPads(v.pad('src')!, sink.pad('sink')!);
    await p.run();
    expect(sink.rendered).toBe(10);
    expect(v.num('dropped')).toBe(90);
  });

  it('a closed valve still lets EOS through so the pipeline ends', async () => {
    await buildLaunch(Valve.metadata.example, createDefaultRegistry()).run();
  });

  it('forwards EOS and flushes while closed', async () => {
    const v = new Valve('valve0');
    v.set('drop', true);
    const h = await new Harness(v).start();
    h.pushEvent(Events.flushStart());
    h.pushEvent(Events.flushStop());
    h.eos();
    // The stream-start and segment dropped while closed go out before EOS, so downstream sees a whole stream.
    expect(h.events.map(describeEvent)).toEqual(['flush-start', 'flush-stop', 'stream-start', 'segment', 'eos']);
  });
});
