import { describe, expect, it } from 'vitest';
import { BufferFlags } from '../../src/element/buffer.js';
import { parseCaps } from '../../src/element/caps/index.js';
import { Events, type Event } from '../../src/element/event.js';
import { FlowResult } from '../../src/element/flow.js';
import { InputSelector } from '../../src/elements/flow/input-selector.js';
import { FakeSink } from '../../src/elements/testing/fakesink.js';
import { FakeSrc } from '../../src/elements/testing/fakesrc.js';
import { Pipeline } from '../../src/exec/pipeline.js';
import { buildLaunch } from '../../src/graph/build.js';
import { linkPads } from '../../src/graph/link.js';
import { Harness } from '../../src/harness/harness.js';
import { createDefaultRegistry } from '../../src/registry/builtins.js';
import { Pusher } from './support/ends.js';

const describeEvent = (e: Event): string =>
  e.type === 'caps' ? `caps:${e.caps.toString()}` : e.type === 'stream-start' ? `stream-start:${e.streamId}` : e.type === 'segment' ? `segment:${e.segment.start}` : e.type;

/** An input-selector with the harness on sink_0 ("a") and a pusher on sink_1 ("b"), both streams started. */
async function setup(props: Record<string, string> = {}): Promise<{ sel: InputSelector; h: Harness; a: Pusher; b: Pusher }> {
  const sel = new InputSelector('sel0');
  const h = new Harness(sel, { sinkPad: 'sink_0' });
  const b = Pusher.linkTo(sel, h, 'b');
  for (const [k, v] of Object.entries(props)) sel.set(k, v);
  const a = { push: (t: string, meta = {}) => h.push(t, meta), event: (ev: Event) => h.pushEvent(ev) } as unknown as Pusher;
  await h.start(); // a: stream-start "harness", segment 0
  b.event(Events.streamStart('b'));
  b.event(Events.segment({ format: 'time', rate: 1, start: 500, stop: -1, base: 0, time: 0 }));
  return { sel, h, a, b };
}

/** Texts out, with a * on DISCONT buffers. */
function out(h: Harness): string[] {
  const texts: string[] = [];
  for (let buf = h.pull(); buf !== undefined; buf = h.pull()) {
    texts.push(new TextDecoder().decode(buf.data) + (buf.hasFlag(BufferFlags.DISCONT) ? '*' : ''));
    buf.release();
  }
  return texts;
}

describe('input-selector', () => {
  it('has GStreamer metadata and defaults', () => {
    expect(InputSelector.metadata.factory).toBe('input-selector');
    expect(InputSelector.metadata.classification).toBe('Generic');
    const s = new InputSelector('sel0');
    expect([s.get('active-pad'), s.get('n-pads')]).toEqual([null, 0]);
    expect([s.requestPad('sink_%u').name, s.requestPad('sink').name, s.get('n-pads')]).toEqual(['sink_0', 'sink_1', 2]);
  });

  it.each([
    // script: push from a/b, or switch to sink_N → buffers out (* = DISCONT), dropped
    [['a1', 'b1', 'a2', 'b2'], ['a1', 'a2'], 2],
    [['a1', 'sink_1', 'a2', 'b1', 'b2', 'sink_0', 'a3', 'b3'], ['a1', 'b1*', 'b2', 'a3*'], 2],
    // switching to the active pad is no switch
    [['a1', 'sink_0', 'a2'], ['a1', 'a2'], 0],
  ] as const)('%j → %j, %i dropped', async (script, expected, dropped) => {
    const { sel, h, a, b } = await setup();
    for (const step of script) {
      if (step.startsWith('sink_')) sel.set('active-pad', step);
      else expect((step.startsWith('a') ? a : b).push(step)).toBe(FlowResult.OK);
    }
    expect(out(h)).toEqual(expected);
    expect(sel.get('dropped')).toBe(dropped);
  });

  it.each([
    // sync-streams → buffers out (* = DISCONT), dropped. b's segment starts at 500: b@520 is running time 20.
    [true, ['a@0', 'a@10', 'b@530*', 'b@540'], 3],
    [false, ['a@0', 'a@10', 'b@540*'], 4],
  ] as const)('sync-streams=%s: an inactive pad ahead of the active one waits for it', async (sync, expected, dropped) => {
    const { sel, h, a, b } = await setup({ 'sync-streams': String(sync) });
    const send = (who: Pusher, t: number): FlowResult => who.push(`${who === b ? 'b' : 'a'}@${t}`, { pts: t, duration: 10 });
    send(a, 0); // running time 0..10
    send(b, 500); // running time 0: behind, dropped
    send(b, 520); // running time 20: ahead, held (sync) and b's upstream waits
    expect(h.blocked).toBe(sync ? 1 : 0);
    let woken = false;
    void h.settle().then(() => (woken = true));
    send(a, 10); // the active stream reaches 20: b@520 is dropped, b goes on
    await new Promise((r) => setImmediate(r));
    expect(woken).toBe(true);
    send(b, 530); // ahead again: held
    sel.set('active-pad', 'sink_1'); // b@530 is b's next buffer, and goes out first
    send(b, 540);
    send(a, 20); // now inactive and behind: dropped
    expect(out(h).map((t) => t)).toEqual(expected);
    expect(sel.get('dropped')).toBe(dropped);
    await h.stop();
    expect(h.allocator.stats().freeSlots).toBe(h.allocator.stats().slots);
  });

  it('a held inactive buffer is dropped and its upstream woken when the active pad ends or the element stops', async () => {
    for (const end of ['eos', 'stop'] as const) {
      const { h, a, b } = await setup();
      a.push('a', { pts: 0, duration: 10 });
      b.push('b', { pts: 600, duration: 10 }); // running time 100: held
      expect(h.blocked).toBe(1);
      if (end === 'eos') a.event(Events.eos());
      else await h.stop();
      await h.settle();
      expect(h.allocator.stats().freeSlots).toBe(h.allocator.stats().slots - h.pending);
    }
  });

  it('sends the new pad\'s stream-start, caps and segment before its first buffer after a switch', async () => {
    const { sel, h, a, b } = await setup();
    h.setCaps('x/a');
    b.event(Events.caps(parseCaps('x/b')));
    a.push('a1');
    sel.set('active-pad', 'sink_1');
    b.push('b1');
    sel.set('active-pad', 'sink_0');
    a.push('a2');
    expect(h.events.map(describeEvent)).toEqual([
      'stream-start:harness', 'segment:0', 'caps:x/a',
      'stream-start:b', 'caps:x/b', 'segment:500',
      'stream-start:harness', 'caps:x/a', 'segment:0',
    ]);
    expect(out(h)).toEqual(['a1', 'b1*', 'a2*']);
  });

  it('the first pad with activity (an event or a buffer) becomes active when active-pad is unset', async () => {
    const sel = new InputSelector('sel0');
    const h = new Harness(sel, { sinkPad: 'sink_0' });
    const b = Pusher.linkTo(sel, h, 'b');
    sel.start();
    sel.state = 'running';
    b.event(Events.streamStart('b'));
    h.push('a1');
    b.push('b1');
    expect([out(h), sel.get('active-pad'), h.events.map(describeEvent)]).toEqual([['b1'], 'sink_1', ['stream-start:b']]);
  });

  it.each([
    // EOS on which pads (in order), switches between → EOS out after which step (-1 = never)
    [['eos:b'], -1],
    [['eos:a'], 0],
    [['eos:b', 'sink_1'], 1],
    [['sink_1', 'eos:a', 'eos:b'], 2],
  ] as const)('EOS: %j → EOS out after step %i', async (script, at) => {
    const { sel, h, a, b } = await setup({ 'active-pad': 'sink_0' });
    let eosAt = -1;
    script.forEach((step, i) => {
      if (step === 'eos:a') a.event(Events.eos());
      else if (step === 'eos:b') b.event(Events.eos());
      else sel.set('active-pad', step);
      if (eosAt < 0 && h.events.some((e) => e.type === 'eos')) eosAt = i;
    });
    expect(eosAt).toBe(at);
    expect(h.events.filter((e) => e.type === 'eos').length).toBe(at < 0 ? 0 : 1);
    // Once EOS is out, every input hears EOS.
    if (at >= 0) expect([a.push('x'), b.push('y')]).toEqual([FlowResult.EOS, FlowResult.EOS]);
  });

  it('refuses an active-pad that is not one of its sink pads, naming element and property', async () => {
    const s = new InputSelector('sel0');
    expect(() => s.set('active-pad', 'src')).toThrow(/property active-pad of sel0: expected the name of one of its sink pads/);
    s.set('active-pad', 'sink_3'); // may be requested later, checked at start
    s.requestPad('sink_%u');
    await expect(new Harness(s).start()).rejects.toThrow(/sel0: active-pad is sink_3, but there is no such pad \(it has sink_0\)/);
    const { sel } = await setup();
    expect(() => sel.set('active-pad', 'sink_7')).toThrow(/it has sink_0, sink_1/);
  });

  it('switches while a pipeline runs: the new input comes out from then on, flagged DISCONT', async () => {
    const p = new Pipeline();
    const sel = new InputSelector('sel0');
    const src0 = new FakeSrc('src0');
    const src1 = new FakeSrc('src1');
    // Inputs told apart by size: 1 byte from src0, 2 from src1.
    for (const [s, n] of [[src0, 1], [src1, 2]] as const) {
      s.set('sizetype', 'fixed');
      s.set('sizemax', n);
      s.set('num-buffers', 2000);
    }
    const sink = new FakeSink('sink0');
    sink.set('signal-handoffs', true);
    const seen: string[] = [];
    sink.on('handoff', (buf) => {
      seen.push(`${buf.size}${buf.hasFlag(BufferFlags.DISCONT) ? '*' : ''}`);
      if (seen.length === 10) sel.set('active-pad', 'sink_1');
    });
    p.add(src0, src1, sel, sink);
    linkPads(src0.pad('src')!, sel.requestPad('sink_%u'));
    linkPads(src1.pad('src')!, sel.requestPad('sink_%u'));
    linkPads(sel.pad('src')!, sink.pad('sink')!);
    sel.set('active-pad', 'sink_0');
    await p.run();
    expect(seen.slice(0, 10)).toEqual(Array(10).fill('1'));
    // After the switch: only src1's buffers, the first flagged; the stream ends with src1's EOS.
    const after = seen.slice(10);
    expect(after.length).toBeGreaterThan(0);
    expect(after[0]).toBe('2*');
    expect(after.slice(1).every((s) => s === '2')).toBe(true);
    expect(seen.length).toBeLessThanOrEqual(10 + 2000);
  });

  it('sync-streams paces an inactive timed source by the active one in a pipeline', async () => {
    const p = new Pipeline();
    const sel = new InputSelector('sel0');
    const srcs = [new FakeSrc('src0'), new FakeSrc('src1')];
    srcs.forEach((s, i) => {
      s.set('sizetype', 'fixed');
      s.set('sizemax', 10);
      s.set('datarate', 100_000); // 0.1 ms of stream per buffer
      s.set('num-buffers', i === 0 ? 100 : 100_000);
    });
    // The active source plays in real time (10 ms in all); the other would run free.
    srcs[0]!.set('is-live', true);
    const sink = new FakeSink('sink0');
    p.add(...srcs, sel, sink);
    for (const s of srcs) linkPads(s.pad('src')!, sel.requestPad('sink_%u'));
    linkPads(sel.pad('src')!, sink.pad('sink')!);
    sel.set('active-pad', 'sink_0');
    await p.run();
    expect(sink.rendered).toBe(100);
    // src1 never got more than a buffer ahead of src0's 100.
    expect(srcs[1]!.pad('src')!.buffers).toBeLessThanOrEqual(102);
  });

  it('a switch in an element host process posts one property-notify, not one more from the pipeline\'s copy', async () => {
    const { launch } = await import('../../src/index.js');
    const live = 'is-live=true datarate=1000 sizetype=fixed sizemax=10';
    const p = launch(`input-selector name=s active-pad=sink_0 ! fakesink  fakesrc ${live} ! s.sink_0  fakesrc ${live} ! s.sink_1`, { isolation: { mode: 'grouped', isolate: ['s'] } });
    const notified: unknown[] = [];
    p.bus.on('property-notify', (m) => m.source === 's' && notified.push(m.value));
    await p.activate();
    expect(p.hostPid('s')).not.toBeNull();
    await p.setProperty('s', 'active-pad', 'sink_1');
    await p.setProperty('s', 'active-pad', 'sink_0');
    expect(await p.getProperty('s', 'active-pad')).toBe('sink_0');
    await p.dispose();
    expect(notified).toEqual(['sink_1', 'sink_0']);
  });

  it('runs its example launch line', async () => {
    await buildLaunch(InputSelector.metadata.example, createDefaultRegistry()).run();
  });
});
