import { describe, expect, it } from 'vitest';
import { Caps, parseCaps } from '../../src/element/caps/index.js';
import { Events } from '../../src/element/event.js';
import { FlowResult } from '../../src/element/flow.js';
import { OutputSelector } from '../../src/elements/flow/output-selector.js';
import { FakeSink } from '../../src/elements/testing/fakesink.js';
import { FakeSrc } from '../../src/elements/testing/fakesrc.js';
import { Pipeline } from '../../src/exec/pipeline.js';
import { buildLaunch } from '../../src/graph/build.js';
import { linkPads } from '../../src/graph/link.js';
import { Harness } from '../../src/harness/harness.js';
import { createDefaultRegistry } from '../../src/registry/builtins.js';
import { Collector } from './support/ends.js';

/** An output-selector with the harness on src_0 and a collector on src_1. */
async function setup(props: Record<string, string> = {}): Promise<{ sel: OutputSelector; h: Harness; c: Collector }> {
  const sel = new OutputSelector('osel0');
  const h = new Harness(sel, { srcPad: 'src_0' });
  const c = Collector.linkTo(sel.requestPad('src_%u'), 'c');
  for (const [k, v] of Object.entries(props)) sel.set(k, v);
  await h.start();
  return { sel, h, c };
}

describe('output-selector', () => {
  it('has GStreamer metadata and defaults', () => {
    expect(OutputSelector.metadata.factory).toBe('output-selector');
    expect(OutputSelector.metadata.classification).toBe('Generic');
    const s = new OutputSelector('osel0');
    expect([s.get('active-pad'), s.get('pad-negotiation-mode')]).toEqual([null, 'all']);
    expect([s.requestPad('src_%u').name, s.requestPad('src').name, s.get('active-pad')]).toEqual(['src_0', 'src_1', 'src_0']);
  });

  it.each([
    // script: a buffer, or a switch to src_N → what src_0 and src_1 got
    [['1', '2'], ['1', '2'], []],
    [['1', 'src_1', '2', '3', 'src_0', '4'], ['1', '4'], ['2', '3']],
    [['src_1', '1'], [], ['1']],
  ] as const)('%j → src_0 %j, src_1 %j', async (script, on0, on1) => {
    const { sel, h, c } = await setup();
    for (const step of script) {
      if (step.startsWith('src_')) sel.set('active-pad', step);
      else expect(h.push(step)).toBe(FlowResult.OK);
    }
    expect([h.pullAllText(), c.texts]).toEqual([on0, on1]);
  });

  it('sends stream headers, EOS and flushes to every branch, other events to the active one', async () => {
    const { sel, h, c } = await setup({ 'active-pad': 'src_1' });
    h.setCaps('x/y');
    h.pushEvent({ type: 'gap', pts: 0, duration: 1 });
    h.pushEvent(Events.flushStart());
    h.pushEvent(Events.flushStop());
    h.eos();
    expect(h.events.map((e) => e.type)).toEqual(['stream-start', 'segment', 'caps', 'flush-start', 'flush-stop', 'eos']);
    expect(c.events.map((e) => e.type)).toEqual(['stream-start', 'segment', 'caps', 'gap', 'flush-start', 'flush-stop', 'eos']);
    expect(sel.get('active-pad')).toBe('src_1');
  });

  it('returns what the active branch returns; NOT_LINKED with no src pad', async () => {
    const lone = new OutputSelector('osel1');
    const h = await new Harness(lone).start();
    expect(h.push('x')).toBe(FlowResult.NOT_LINKED);
    expect(h.allocator.stats().freeSlots).toBe(h.allocator.stats().slots);
  });

  it.each([
    // pad-negotiation-mode → caps each branch asks of upstream (src_0 active, src_1 not)
    ['all', ['x/a', 'x/b']],
    ['active', ['x/a', 'ANY']],
    ['none', ['ANY', 'ANY']],
  ] as const)('pad-negotiation-mode=%s: branches ask %j', (mode, asked) => {
    const sel = new OutputSelector('osel0');
    sel.set('pad-negotiation-mode', mode);
    const pads = [sel.requestPad('src_%u'), sel.requestPad('src_%u')];
    expect([sel.transformCaps(pads[0]!, parseCaps('x/a')), sel.transformCaps(pads[1]!, parseCaps('x/b'))].map((c: Caps) => c.toString())).toEqual(asked);
  });

  it('negotiates once, at prepare: branches that cannot share one format fail there, naming both', async () => {
    const line = 'audiotestsrc num-buffers=1 ! output-selector name=s  s. ! audio/x-raw,rate=8000 ! fakesink  s. ! audio/x-raw,rate=16000 ! fakesink';
    await expect(buildLaunch(line, createDefaultRegistry()).prepare()).rejects.toThrow(/s cannot send one stream to both s:src_0 and s:src_1/);
  });

  it('refuses an active-pad that is not one of its src pads, naming element and property', async () => {
    const s = new OutputSelector('osel0');
    expect(() => s.set('active-pad', 'sink')).toThrow(/property active-pad of osel0: expected the name of one of its src pads/);
    expect(() => s.set('pad-negotiation-mode', 'some')).toThrow(/property pad-negotiation-mode of osel0/);
    s.set('active-pad', 'src_2');
    await expect(new Harness(s).start()).rejects.toThrow(/osel0: active-pad is src_2, but there is no such pad/);
  });

  it('switches while a pipeline runs; every branch ends with EOS', async () => {
    const p = new Pipeline();
    const src = new FakeSrc('src0');
    src.set('num-buffers', 100);
    const sel = new OutputSelector('osel0');
    const sinks = [new FakeSink('sink0'), new FakeSink('sink1')];
    sinks[0]!.set('signal-handoffs', true);
    sinks[0]!.on('handoff', () => {
      if (sinks[0]!.rendered === 10) sel.set('active-pad', 'src_1');
    });
    p.add(src, sel, ...sinks);
    linkPads(src.pad('src')!, sel.pad('sink')!);
    for (const s of sinks) linkPads(sel.requestPad('src_%u'), s.pad('sink')!);
    const notified: unknown[] = [];
    p.bus.on('property-notify', (m) => notified.push(m.value));
    await p.run();
    expect(sinks.map((s) => s.rendered)).toEqual([10, 90]);
    expect(notified).toEqual(['src_1']);
  });

  it('a switch on a data thread posts one property-notify, not one more from the pipeline\'s copy', async () => {
    const { launch } = await import('../../src/index.js');
    const p = launch('fakesrc is-live=true datarate=1000 sizetype=fixed sizemax=10 ! queue ! output-selector name=s  s.src_0 ! queue ! fakesink  s.src_1 ! queue ! fakesink', { scheduling: 'realtime' });
    const notified: unknown[] = [];
    p.bus.on('property-notify', (m) => m.source === 's' && notified.push(m.value));
    await p.activate();
    expect(p.plan!.placement.get(p.get('s')!)).toBeGreaterThanOrEqual(0);
    await p.setProperty('s', 'active-pad', 'src_1');
    await p.setProperty('s', 'active-pad', 'src_0');
    expect(await p.getProperty('s', 'active-pad')).toBe('src_0');
    await p.dispose();
    expect(notified).toEqual(['src_1', 'src_0']);
  });

  it('runs its example launch line', async () => {
    await buildLaunch(OutputSelector.metadata.example, createDefaultRegistry()).run();
  });
});
