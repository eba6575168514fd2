import { describe, expect, it } from 'vitest';
import type { Buffer } from '../../src/element/buffer.js';
import { Element } from '../../src/element/element.js';
import { FlowResult } from '../../src/element/flow.js';
import type { ElementMetadata } from '../../src/element/metadata.js';
import type { Pad } from '../../src/element/pad.js';
import { Queue } from '../../src/elements/flow/queue.js';
import { Tee } from '../../src/elements/flow/tee.js';
import { FakeSink } from '../../src/elements/testing/fakesink.js';
import { FakeSrc } from '../../src/elements/testing/fakesrc.js';
import { Pipeline } from '../../src/exec/pipeline.js';
import { buildLaunch } from '../../src/graph/build.js';
import { linkPads } from '../../src/graph/link.js';
import { Harness } from '../../src/harness/harness.js';
import { createDefaultRegistry } from '../../src/registry/builtins.js';

/** A sink end that answers each buffer with a scripted FlowResult and keeps what it got. */
class ScriptedSink extends Element {
  static readonly metadata: ElementMetadata = {
    factory: 'scripted', classification: 'Testing', description: '', example: '',
    padTemplates: [{ name: 'sink', direction: 'sink', presence: 'always' }], properties: {}, affinity: 'async', rtSafe: true,
  };
  readonly got: Buffer[] = [];
  constructor(name: string, public result: FlowResult) { super(name); }
  override chain(_pad: Pad, buf: Buffer): FlowResult {
    this.got.push(buf);
    return this.result;
  }
}

/** A tee fed by a harness (made before any src pad exists, so the harness links none) and scripted branches. */
function teeWith(results: (FlowResult | null)[], allowNotLinked = false): { tee: Tee; h: Harness; sinks: ScriptedSink[] } {
  const tee = new Tee('tee0');
  tee.set('allow-not-linked', allowNotLinked);
  const h = new Harness(tee);
  const sinks = results.map((r, i) => {
    const pad = tee.requestPad('src_%u');
    const s = new ScriptedSink(`s${i}`, r ?? FlowResult.OK);
    if (r !== null) linkPads(pad, s.pad('sink')!);
    s.attach(tee.context);
    return s;
  });
  return { tee, h, sinks };
}

describe('tee', () => {
  it('has GStreamer metadata and defaults; src pads are made on request', () => {
    expect(Tee.metadata.factory).toBe('tee');
    expect(Tee.metadata.classification).toBe('Generic');
    const tee = new Tee('tee0');
    expect([tee.get('allow-not-linked'), tee.get('silent'), tee.get('num-src-pads')]).toEqual([false, true, 0]);
    expect([tee.requestPad('src_%u').name, tee.requestPad('src_%u').name, tee.requestPad('src').name]).toEqual(['src_0', 'src_1', 'src_2']);
    expect(tee.get('num-src-pads')).toBe(3);
  });

  it.each([
    // per-branch results (null = pad not linked), allow-not-linked → tee result
    [[FlowResult.OK, FlowResult.OK, FlowResult.OK], false, FlowResult.OK],
    [[FlowResult.EOS, FlowResult.OK], false, FlowResult.OK],
    [[FlowResult.EOS, FlowResult.EOS], false, FlowResult.EOS],
    [[FlowResult.EOS, null], false, FlowResult.EOS],
    [[FlowResult.OK, FlowResult.ERROR, FlowResult.OK], false, FlowResult.ERROR],
    [[FlowResult.FLUSHING, FlowResult.OK], false, FlowResult.FLUSHING],
    [[FlowResult.NOT_NEGOTIATED, FlowResult.EOS], false, FlowResult.NOT_NEGOTIATED],
    [[null, FlowResult.OK], false, FlowResult.OK],
    [[null, null], false, FlowResult.NOT_LINKED],
    [[null, null], true, FlowResult.OK],
    [[], false, FlowResult.NOT_LINKED],
    [[], true, FlowResult.OK],
  ] as const)('branches %o, allow-not-linked=%s → %i', async (results, allow, expected) => {
    const { h, sinks } = teeWith([...results], allow);
    await h.start();
    expect(h.push('abc')).toBe(expected);
    const linked = sinks.filter((_, i) => results[i] !== null);
    expect(linked.map((s) => s.got.length)).toEqual(linked.map(() => 1));
    for (const s of linked) for (const b of s.got) b.release();
    expect(h.allocator.stats().freeSlots).toBe(h.allocator.stats().slots);
  });

  it('gives every branch the same slot, refcounted, with no copy', async () => {
    const { h, sinks } = teeWith([FlowResult.OK, FlowResult.OK, FlowResult.OK]);
    await h.start();
    h.push('zero-copy', { pts: 42 });
    const [a, b, c] = sinks.map((s) => s.got[0]!);
    expect([a!.slot, b!.slot, a!.pool === c!.pool]).toEqual([c!.slot, c!.slot, true]);
    expect(a!.refcount).toBe(3);
    expect([a, b, c].map((x) => new TextDecoder().decode(x!.data))).toEqual(['zero-copy', 'zero-copy', 'zero-copy']);
    expect([a, b, c].map((x) => x!.pts)).toEqual([42, 42, 42]);
    for (const x of [a, b, c]) x!.release();
    expect(h.allocator.stats().freeSlots).toBe(h.allocator.stats().slots);
  });

  it('sends events to every branch', async () => {
    const tee = new Tee('tee0');
    const out = new Harness(tee, { srcPad: 'src_0' });
    await out.start();
    tee.requestPad('src_%u');
    out.eos();
    expect(out.events.map((e) => e.type)).toEqual(['stream-start', 'segment', 'eos']);
  });

  it('3 branches through queues receive identical buffers, zero bytes copied', async () => {
    const p = new Pipeline();
    const src = new FakeSrc('fakesrc0');
    src.set('num-buffers', 50);
    src.set('sizetype', 'fixed');
    src.set('sizemax', 32);
    src.set('filltype', 'pattern-span');
    const tee = new Tee('tee0');
    p.add(src, tee);
    linkPads(src.pad('src')!, tee.pad('sink')!);
    const received: string[][] = [];
    for (let i = 0; i < 3; i++) {
      const q = new Queue(`queue${i}`);
      const sink = new FakeSink(`fakesink${i}`);
      sink.set('signal-handoffs', true);
      const seen: string[] = [];
      received.push(seen);
      sink.on('handoff', (buf) => seen.push(`${buf.sequence}:${Buffer_hex(buf)}`));
      p.add(q, sink);
      linkPads(tee.requestPad('src_%u'), q.pad('sink')!);
      linkPads(q.pad('src')!, sink.pad('sink')!);
    }
    await p.run();
    expect(received[0]).toHaveLength(50);
    expect(received[1]).toEqual(received[0]);
    expect(received[2]).toEqual(received[0]);
    expect(received[0]![1]).toBe('1:202122232425262728292a2b2c2d2e2f303132333435363738393a3b3c3d3e3f');
    expect(p.stats().bytesCopied).toBe(0);
    expect(p.stats().pools.freeSlots).toBe(p.stats().pools.slots);
  });

  it('ends with EOS only once every branch is done', async () => {
    const p = new Pipeline();
    const src = new FakeSrc('fakesrc0');
    const tee = new Tee('tee0');
    const a = new FakeSink('fakesink0');
    const b = new FakeSink('fakesink1');
    a.set('num-buffers', 5);
    b.set('num-buffers', 20);
    p.add(src, tee, a, b);
    linkPads(src.pad('src')!, tee.pad('sink')!);
    linkPads(tee.requestPad('src_%u'), a.pad('sink')!);
    linkPads(tee.requestPad('src_%u'), b.pad('sink')!);
    await p.run();
    expect([a.rendered, b.rendered]).toEqual([5, 20]);
  });

  it('runs its example launch line', async () => {
    await buildLaunch(Tee.metadata.example, createDefaultRegistry()).run();
  });
});

function Buffer_hex(b: Buffer): string {
  return Array.from(b.data, (x) => x.toString(16).padStart(2, '0')).join('');
}
