import { describe, expect, it } from 'vitest';
import type { Buffer } from '../../src/element/buffer.js';
import { Sink } from '../../src/element/base/sink.js';
import { Events } from '../../src/element/event.js';
import { FlowResult } from '../../src/element/flow.js';
import type { ElementMetadata } from '../../src/element/metadata.js';
import { Queue } from '../../src/elements/flow/queue.js';
import { FakeSink } from '../../src/elements/testing/fakesink.js';
import { FakeSrc } from '../../src/elements/testing/fakesrc.js';
import { Pipeline } from '../../src/exec/pipeline.js';
import { linkPads } from '../../src/graph/link.js';
import { Harness } from '../../src/harness/harness.js';

function queue(props: Record<string, string | number | boolean> = {}): Queue {
  const q = new Queue('queue0');
  for (const [k, v] of Object.entries(props)) q.set(k, v);
  return q;
}

const levels = (q: Queue): number[] =>
  [q.num('current-level-buffers'), q.num('current-level-bytes'), q.num('current-level-time'), q.num('dropped')];

/**
 * One step of the queue's own task. Not `h.step()`: that also waits for every upstream blocker,
 * and a full queue's upstream blocker only clears through further steps.
 */
async function qstep(q: Queue): Promise<FlowResult> {
  const item = await q.produce();
  return typeof item === 'number' ? item : q.deliver(item);
}

/** Steps the queue's task until it has no buffer left, collecting the text of what came out. */
async function drain(h: Harness, q: Queue): Promise<string[]> {
  while (q.num('current-level-buffers') > 0) await qstep(q);
  await h.settle();
  return h.pullAllText();
}

/** A sink that takes its time: each render completes on a later macrotask (no clock sync). */
class SlowSink extends Sink {
  static readonly metadata: ElementMetadata = { ...FakeSink.metadata, factory: 'slowsink' };
  readonly seen: number[] = [];
  maxLevel = 0;
  constructor(name: string, private readonly q: Queue) { super(name); }
  protected render(buf: Buffer): Promise<FlowResult> {
    this.seen.push(buf.sequence);
    this.maxLevel = Math.max(this.maxLevel, this.q.num('current-level-buffers'));
    return new Promise((resolve) => setImmediate(() => resolve(FlowResult.OK)));
  }
}

function chain(p: Pipeline, ...els: (FakeSrc | Queue | Sink)[]): void {
  p.add(...els);
  for (let i = 0; i + 1 < els.length; i++) linkPads(els[i]!.pad('src')!, els[i + 1]!.pad('sink')!);
}

describe('queue', () => {
  it('has GStreamer metadata and defaults', () => {
    expect(Queue.metadata.factory).toBe('queue');
    expect(Queue.metadata.classification).toBe('Generic');
    const q = queue();
    expect([q.get('max-size-buffers'), q.get('max-size-bytes'), q.get('max-size-time'), q.get('leaky'), q.get('flush-on-eos'),
      q.get('min-threshold-buffers'), q.get('min-threshold-bytes'), q.get('min-threshold-time')])
      .toEqual([200, 10485760, 1_000_000_000, 'no', false, 0, 0, 0]);
    expect(levels(q)).toEqual([0, 0, 0, 0]);
    expect(() => q.set('current-level-buffers', 3)).toThrow(/read-only/);
  });

  it.each([
    // props, inputs → levels after pushing [buffers, bytes, time, dropped], upstream waits (one per held buffer), output
    ['buffers limit, leaky=no', { 'max-size-buffers': 3 }, ['a', 'b', 'c', 'd', 'e'], [3, 3, 0, 0], 2, ['a', 'b', 'c', 'd', 'e']],
    ['bytes limit, leaky=no', { 'max-size-bytes': 10 }, ['aaaa', 'bbbb', 'cccc'], [2, 8, 0, 0], 1, ['aaaa', 'bbbb', 'cccc']],
    ['buffers limit, leaky=upstream', { 'max-size-buffers': 2, leaky: 'upstream' }, ['a', 'b', 'c', 'd'], [2, 2, 0, 2], 0, ['a', 'b']],
    ['buffers limit, leaky=downstream', { 'max-size-buffers': 2, leaky: 'downstream' }, ['a', 'b', 'c', 'd'], [2, 2, 0, 2], 0, ['c', 'd']],
    ['bytes limit, leaky=downstream', { 'max-size-bytes': 5, leaky: 'downstream' }, ['aa', 'bb', 'cc', 'ddd'], [2, 5, 0, 2], 0, ['cc', 'ddd']],
    ['one big buffer always fits an empty queue', { 'max-size-bytes': 2 }, ['toolong'], [1, 7, 0, 0], 0, ['toolong']],
    ['0 disables a limit', { 'max-size-buffers': 0 }, ['a', 'b', 'c', 'd', 'e', 'f'], [6, 6, 0, 0], 0, ['a', 'b', 'c', 'd', 'e', 'f']],
  ] as const)('%s', async (_name, props, inputs, lv, blocked, out) => {
    const q = queue(props);
    const h = await new Harness(q).start();
    for (const s of inputs) expect(h.push(s)).toBe(FlowResult.OK);
    expect(levels(q)).toEqual(lv);
    expect(h.blocked).toBe(blocked);
    expect(await drain(h, q)).toEqual(out);
    expect(h.blocked).toBe(0);
  });

  it.each([
    // max-size-time, leaky, (pts, duration) in ms → level time ms, dropped, output
    [30, 'upstream', [[0, 10], [10, 10], [20, 10], [30, 10], [40, 10]], 30, 2, ['0', '10', '20']],
    [25, 'downstream', [[0, 10], [10, 10], [20, 10], [30, 10]], 20, 2, ['20', '30']],
    [0, 'no', [[0, 10], [10, 10], [20, 10], [30, 10]], 40, 0, ['0', '10', '20', '30']],
  ] as const)('max-size-time=%i ms leaky=%s', async (maxMs, leaky, input, levelMs, dropped, out) => {
    const ms = 1_000_000;
    const q = queue({ 'max-size-time': maxMs * ms, leaky, 'max-size-buffers': 0, 'max-size-bytes': 0 });
    const h = await new Harness(q).start();
    for (const [pts, dur] of input) h.push(String(pts), { pts: pts * ms, duration: dur * ms });
    expect(q.num('current-level-time')).toBe(levelMs * ms);
    expect(q.num('dropped')).toBe(dropped);
    expect(q.num('current-level-time')).toBeLessThanOrEqual(maxMs === 0 ? Infinity : maxMs * ms);
    expect(await drain(h, q)).toEqual(out);
    expect(q.num('current-level-time')).toBe(0);
  });

  it('a blocked upstream resumes once space frees, and levels never exceed the limits', async () => {
    const q = queue({ 'max-size-buffers': 2 });
    const h = await new Harness(q).start();
    h.push('a');
    h.push('b');
    h.push('c');
    expect(h.blocked).toBe(1);
    expect(levels(q)).toEqual([2, 2, 0, 0]);
    let resumed = false;
    const waiting = h.settle().then(() => (resumed = true));
    await Promise.resolve();
    expect(resumed).toBe(false);
    await qstep(q); // a out, c in
    await waiting;
    expect(resumed).toBe(true);
    expect(levels(q)).toEqual([2, 2, 0, 0]);
    expect(await drain(h, q)).toEqual(['a', 'b', 'c']);
  });

  it('keeps serialized events in order with buffers; EOS ends the task', async () => {
    const q = queue();
    const h = await new Harness(q).start();
    h.push('a');
    h.pushEvent(Events.custom('marker', 1));
    h.push('b');
    h.eos();
    // stream-start and segment went straight through the idle queue; then a, marker, b, eos
    const results: FlowResult[] = [];
    for (let i = 0; i < 4; i++) results.push(await h.step());
    expect(results).toEqual([0, 0, 0, FlowResult.EOS]);
    expect(h.events.map((e) => (e.type === 'custom' ? `custom:${e.name}` : e.type))).toEqual(['stream-start', 'segment', 'custom:marker', 'eos']);
    expect(h.pullAllText()).toEqual(['a', 'b']);
    expect(h.push('late')).toBe(FlowResult.EOS);
  });

  it('sticky events wait behind queued buffers, and pass an idle queue at once', async () => {
    const q = queue();
    const h = await new Harness(q).start();
    expect(h.events.map((e) => e.type)).toEqual(['stream-start', 'segment']);
    h.push('a');
    h.pushEvent(Events.segment());
    expect(h.events).toHaveLength(2);
    await h.step();
    expect(h.events).toHaveLength(2);
    await h.step();
    expect(h.events.map((e) => e.type)).toEqual(['stream-start', 'segment', 'segment']);
  });

  it('flush-on-eos drops queued buffers when EOS comes', async () => {
    const q = queue({ 'flush-on-eos': true });
    const h = await new Harness(q).start();
    h.push('a');
    h.push('b');
    h.eos();
    expect(levels(q)).toEqual([0, 0, 0, 0]);
    const results: FlowResult[] = [];
    for (let r = await h.step(); ; r = await h.step()) {
      results.push(r);
      if (r !== FlowResult.OK) break;
    }
    expect(results.at(-1)).toBe(FlowResult.EOS);
    expect(h.pending).toBe(0);
  });

  it('flush-start empties the queue and wakes upstream; flush-stop resumes', async () => {
    const q = queue({ 'max-size-buffers': 1 });
    const h = await new Harness(q).start();
    h.push('a');
    h.push('b');
    expect(h.blocked).toBe(1);
    h.pushEvent(Events.flushStart());
    await h.settle();
    expect(levels(q)).toEqual([0, 0, 0, 0]);
    expect(h.push('c')).toBe(FlowResult.FLUSHING);
    h.pushEvent(Events.flushStop());
    expect(h.push('d')).toBe(FlowResult.OK);
    expect(h.allocator.stats().freeSlots).toBe(h.allocator.stats().slots - 1);
    expect(h.events.map((e) => e.type)).toEqual(['stream-start', 'segment', 'flush-start', 'flush-stop']);
  });

  it('produce waits for data, and unblock() ends the wait with FLUSHING', async () => {
    const q = queue();
    const h = await new Harness(q).start();
    const next = h.step();
    h.push('x');
    expect(await next).toBe(FlowResult.OK);
    expect(h.pullAllText()).toEqual(['x']);
    const waiting = h.step();
    q.unblock();
    expect(await waiting).toBe(FlowResult.FLUSHING);
  });

  it('min-threshold-buffers holds data until enough is queued', async () => {
    const q = queue({ 'min-threshold-buffers': 2 });
    const h = await new Harness(q).start();
    let got = false;
    const next = h.step().then(() => (got = true));
    h.push('a');
    await new Promise((r) => setTimeout(r, 1));
    expect(got).toBe(false);
    h.push('b');
    await next;
    expect(h.pullAllText()).toEqual(['a']);
  });

  it('silent=false posts overrun and underrun element messages', async () => {
    const q = queue({ silent: false, 'max-size-buffers': 1, leaky: 'upstream' });
    const h = await new Harness(q).start();
    h.push('a');
    h.push('b');
    await h.step();
    const pending = h.step();
    const names = h.messages.flatMap((m) => (m.type === 'element' ? [m.name] : []));
    expect(names).toEqual(['overrun', 'underrun']);
    q.unblock();
    await pending;
  });

  it('loses nothing between a fast source and a slow async consumer', async () => {
    const p = new Pipeline();
    const src = new FakeSrc('fakesrc0');
    src.set('num-buffers', 300);
    src.set('sizetype', 'fixed');
    src.set('sizemax', 16);
    const q = queue({ 'max-size-buffers': 5 });
    const sink = new SlowSink('slowsink0', q);
    chain(p, src, q, sink);
    await p.run();
    expect(sink.seen).toEqual(Array.from({ length: 300 }, (_, i) => i));
    expect(sink.maxLevel).toBeLessThanOrEqual(5);
    expect(q.num('dropped')).toBe(0);
    expect(p.stats().pools.freeSlots).toBe(p.stats().pools.slots);
  });

  it('leaky=downstream with a slow consumer drops and counts, never blocks', async () => {
    const p = new Pipeline();
    const src = new FakeSrc('fakesrc0');
    src.set('num-buffers', 300);
    const q = queue({ 'max-size-buffers': 5, leaky: 'downstream' });
    const sink = new SlowSink('slowsink0', q);
    chain(p, src, q, sink);
    await p.run();
    expect(sink.seen.length + q.num('dropped')).toBe(300);
    expect(q.num('dropped')).toBeGreaterThan(0);
    expect(sink.seen.at(-1)).toBe(299);
    expect([...sink.seen].sort((a, b) => a - b)).toEqual(sink.seen);
  });

  it('fakesrc ! queue ! fakesink num-buffers=10 ends with EOS from downstream', async () => {
    const p = new Pipeline();
    const src = new FakeSrc('fakesrc0');
    const q = queue();
    const sink = new FakeSink('fakesink0');
    sink.set('num-buffers', 10);
    chain(p, src, q, sink);
    await p.run();
    expect(sink.rendered).toBe(10);
  });

  it('fakesrc num-buffers=100000 ! queue ! fakesink runs to EOS', async () => {
    const p = new Pipeline();
    const src = new FakeSrc('fakesrc0');
    src.set('num-buffers', 100_000);
    const q = queue();
    const sink = new FakeSink('fakesink0');
    chain(p, src, q, sink);
    await p.run();
    expect(sink.rendered).toBe(100_000);
    expect(p.stats().pools.freeSlots).toBe(p.stats().pools.slots);
  });
});
