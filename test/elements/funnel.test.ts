import { describe, expect, it } from 'vitest';
import { Buffer } from '../../src/element/buffer.js';
import { parseCaps } from '../../src/element/caps/index.js';
import { Element } from '../../src/element/element.js';
import { Events, type Event } from '../../src/element/event.js';
import { FlowResult } from '../../src/element/flow.js';
import type { ElementMetadata } from '../../src/element/metadata.js';
import { Funnel } from '../../src/elements/flow/funnel.js';
import { FakeSink } from '../../src/elements/testing/fakesink.js';
import { FakeSrc } from '../../src/elements/testing/fakesrc.js';
import { Pipeline } from '../../src/exec/pipeline.js';
import { buildLaunch } from '../../src/graph/build.js';
import { linkPads } from '../../src/graph/link.js';
import { Harness } from '../../src/harness/harness.js';
import { createDefaultRegistry } from '../../src/registry/builtins.js';

/** A hand-driven upstream: pushes what the test says into the pad it is linked to. */
class Pusher extends Element {
  static readonly metadata: ElementMetadata = {
    factory: 'pusher', classification: 'Testing', description: '', example: '',
    padTemplates: [{ name: 'src', direction: 'src', presence: 'always' }], properties: {}, affinity: 'async', rtSafe: true,
  };
  constructor(name: string, private readonly h: Harness) { super(name); }
  push(text: string): FlowResult {
    return this.pad('src')!.push(Buffer.fromBytes(this.h.allocator, new TextEncoder().encode(text)));
  }
  event(ev: Event): boolean {
    return this.pad('src')!.pushEvent(ev);
  }
  static linkTo(funnel: Funnel, h: Harness, name: string): Pusher {
    const p = new Pusher(name, h);
    linkPads(p.pad('src')!, funnel.requestPad('sink_%u'));
    return p;
  }
}

const types = (evs: readonly Event[]): string[] => evs.map((e) => (e.type === 'caps' ? `caps:${e.caps.toString()}` : e.type));

describe('funnel', () => {
  it('has GStreamer metadata and defaults', () => {
    expect(Funnel.metadata.factory).toBe('funnel');
    expect(Funnel.metadata.classification).toBe('Generic');
    const f = new Funnel('funnel0');
    expect(f.get('forward-sticky-events')).toBe(true);
    expect([f.requestPad('sink_%u').name, f.requestPad('sink').name]).toEqual(['sink_0', 'sink_1']);
  });

  it('forwards buffers from every input in arrival order; headers once; EOS after all inputs', async () => {
    const f = new Funnel('funnel0');
    const h = new Harness(f, { sinkPad: 'sink_0' });
    const b = Pusher.linkTo(f, h, 'b');
    await h.start();
    b.event(Events.streamStart('b'));
    b.event(Events.segment());
    const results = [h.push('a1'), b.push('b1'), h.push('a2'), b.push('b2')];
    expect(results).toEqual([0, 0, 0, 0]);
    expect(h.pullAllText()).toEqual(['a1', 'b1', 'a2', 'b2']);
    h.eos();
    expect(types(h.events)).toEqual(['stream-start', 'segment']);
    b.event(Events.eos());
    expect(types(h.events)).toEqual(['stream-start', 'segment', 'eos']);
  });

  it.each([
    // forward-sticky-events, sequence of (input, action) → events out
    [true, [['a', 'caps:x/a'], ['b', 'caps:x/b'], ['a', 'buf'], ['b', 'buf'], ['a', 'buf']], ['caps:x/a', 'caps:x/b', 'caps:x/a']],
    [true, [['a', 'caps:x/a'], ['b', 'caps:x/a'], ['a', 'buf'], ['b', 'buf']], ['caps:x/a']],
    [false, [['a', 'caps:x/a'], ['b', 'caps:x/b'], ['a', 'buf'], ['b', 'buf']], ['caps:x/a']],
  ] as const)('forward-sticky-events=%s: %j → %j', async (forward, script, out) => {
    const f = new Funnel('funnel0');
    f.set('forward-sticky-events', forward);
    const h = new Harness(f, { sinkPad: 'sink_0' });
    const a = Pusher.linkTo(f, h, 'a');
    const b = Pusher.linkTo(f, h, 'b');
    await h.start();
    for (const [who, action] of script) {
      const p = who === 'a' ? a : b;
      if (action === 'buf') expect(p.push('x')).toBe(FlowResult.OK);
      else p.event(Events.caps(parseCaps(action.slice(5))));
    }
    expect(types(h.events).filter((t) => t.startsWith('caps'))).toEqual(out);
  });

  it('two sources into a funnel: every buffer arrives, EOS after both', async () => {
    const p = new Pipeline();
    const f = new Funnel('funnel0');
    const sink = new FakeSink('fakesink0');
    const s1 = new FakeSrc('fakesrc0');
    const s2 = new FakeSrc('fakesrc1');
    s1.set('num-buffers', 30);
    s2.set('num-buffers', 70);
    p.add(s1, s2, f, sink);
    linkPads(s1.pad('src')!, f.requestPad('sink_%u'));
    linkPads(s2.pad('src')!, f.requestPad('sink_%u'));
    linkPads(f.pad('src')!, sink.pad('sink')!);
    let eos = 0;
    p.bus.on('eos', () => eos++);
    await p.run();
    expect(sink.rendered).toBe(100);
    expect(eos).toBe(1);
  });

  it('runs its example launch line', async () => {
    await buildLaunch(Funnel.metadata.example, createDefaultRegistry()).run();
  });
});

