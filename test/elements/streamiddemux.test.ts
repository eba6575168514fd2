import { describe, expect, it } from 'vitest';
import { parseCaps } from '../../src/element/caps/index.js';
import { Events } from '../../src/element/event.js';
import { FlowResult } from '../../src/element/flow.js';
import type { Pad } from '../../src/element/pad.js';
import { StreamIdDemux } from '../../src/elements/flow/streamiddemux.js';
import { FakeSink } from '../../src/elements/testing/fakesink.js';
import { buildLaunch } from '../../src/graph/build.js';
import { Harness } from '../../src/harness/harness.js';
import { createDefaultRegistry } from '../../src/registry/builtins.js';
import { Collector } from './support/ends.js';

/** A demux whose new pads are linked to collectors in `pad-added`, as an application would. */
function setup(): { d: StreamIdDemux; h: Harness; outs: Map<string, Collector>; added: string[] } {
  const d = new StreamIdDemux('demux0');
  const h = new Harness(d);
  const outs = new Map<string, Collector>();
  const added: string[] = [];
  d.on('pad-added', (pad: Pad, streamId: string) => {
    added.push(`${pad.name}=${streamId}`);
    outs.set(pad.name, Collector.linkTo(pad, `c-${pad.name}`));
  });
  return { d, h, outs, added };
}

describe('streamiddemux', () => {
  it('has GStreamer metadata', () => {
    expect(StreamIdDemux.metadata.factory).toBe('streamiddemux');
    expect(StreamIdDemux.metadata.classification).toBe('Generic');
    expect(StreamIdDemux.metadata.padTemplates[1]).toMatchObject({ name: 'src_%u', presence: 'sometimes' });
    expect(new StreamIdDemux('d').srcPads).toEqual([]);
  });

  it.each([
    // script: stream-start:<id> or a buffer's text → what each src pad got, pads in order of appearance
    [['x1', 'x2'], { src_0: ['x1', 'x2'] }, ['src_0=harness']],
    [['ss:a', 'a1', 'a2'], { src_1: ['a1', 'a2'] }, ['src_0=harness', 'src_1=a']],
    [['ss:a', 'a1', 'ss:b', 'b1', 'ss:a', 'a2', 'ss:c', 'c1'], { src_1: ['a1', 'a2'], src_2: ['b1'], src_3: ['c1'] }, ['src_0=harness', 'src_1=a', 'src_2=b', 'src_3=c']],
  ] as const)('%j → %j', async (script, expected, added) => {
    const { h, outs, added: seen } = setup();
    await h.start(); // stream-start "harness" → src_0
    for (const step of script) {
      if (step.startsWith('ss:')) h.pushEvent(Events.streamStart(step.slice(3)));
      else expect(h.push(step)).toBe(FlowResult.OK);
    }
    const got = Object.fromEntries([...outs].filter(([, c]) => c.texts.length > 0).map(([name, c]) => [name, c.texts]));
    expect(got).toEqual(expected);
    expect(seen).toEqual(added);
  });

  it('sends each stream its own headers; EOS and flushes go to every pad', async () => {
    const { d, h, outs } = setup();
    await h.start();
    h.pushEvent(Events.streamStart('a'));
    h.setCaps('x/a');
    h.pushEvent(Events.streamStart('b'));
    h.setCaps(parseCaps('x/b'));
    h.pushEvent(Events.flushStart());
    h.pushEvent(Events.flushStop());
    h.eos();
    const types = (name: string): string[] => outs.get(name)!.events.map((e) => (e.type === 'caps' ? `caps:${e.caps.toString()}` : e.type));
    expect(types('src_0')).toEqual(['stream-start', 'segment', 'flush-start', 'flush-stop', 'eos']);
    expect(types('src_1')).toEqual(['stream-start', 'caps:x/a', 'flush-start', 'flush-stop', 'eos']);
    expect(types('src_2')).toEqual(['stream-start', 'caps:x/b', 'flush-start', 'flush-stop', 'eos']);
    expect([d.get('active-pad'), d.padFor('a')?.name]).toEqual(['src_2', 'src_1']);
  });

  it('refuses a buffer before any stream-start with an error naming itself', async () => {
    const d = new StreamIdDemux('demux0');
    const h = new Harness(d);
    d.start();
    expect(h.push('x')).toBe(FlowResult.ERROR);
    expect(h.errors()).toEqual(['demux0: got a buffer before any stream-start: no stream-id to route it by']);
    expect(h.allocator.stats().freeSlots).toBe(h.allocator.stats().slots);
  });

  it('a launch line links a pad by name before it exists, and data reaches it', async () => {
    const p = buildLaunch('fakesrc num-buffers=3 ! streamiddemux name=d  d.src_0 ! fakesink name=out', createDefaultRegistry());
    const added: unknown[] = [];
    p.bus.on('element', (m) => {
      if (m.name === 'pad-added') added.push(m.data);
    });
    await p.run();
    expect((p.get('out') as FakeSink).rendered).toBe(3);
    expect(added).toEqual([{ pad: 'd:src_0', peer: 'out:sink' }]);
  });

  it('run again, sends the new run\'s streams to the same pads in order, without a second pad-added', async () => {
    const p = buildLaunch('testsrc num-buffers=2 blocksize=8 ! streamiddemux name=d  d.src_0 ! fakesink name=out', createDefaultRegistry());
    const d = p.get('d') as StreamIdDemux;
    const added: string[] = [];
    d.on('pad-added', (pad) => added.push(pad.name));
    await p.run();
    await p.run();
    expect((p.get('out') as FakeSink).rendered).toBe(2);
    expect(d.srcPads.map((pad) => pad.name)).toEqual(['src_0']);
    expect(added).toEqual(['src_0']);
    await p.dispose();
  });

  it('runs its example launch line', async () => {
    await buildLaunch(StreamIdDemux.metadata.example, createDefaultRegistry()).run();
  });
});
