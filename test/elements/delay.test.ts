import { describe, expect, it } from 'vitest';
import { Buffer } from '../../src/element/buffer.js';
import { Events, type Event } from '../../src/element/event.js';
import { FlowResult } from '../../src/element/flow.js';
import { Delay } from '../../src/elements/timing/delay.js';
import { buildLaunch } from '../../src/graph/build.js';
import { Harness } from '../../src/harness/harness.js';
import { createDefaultRegistry } from '../../src/registry/builtins.js';
import { expectStepAt } from './support/timed.js';

function delay(props: Record<string, string | number> = {}): Delay {
  const d = new Delay('delay0');
  for (const [k, v] of Object.entries(props)) d.set(k, v);
  return d;
}

describe('delay', () => {
  it('has metadata and defaults', () => {
    expect(Delay.metadata.classification).toBe('Generic');
    const d = delay();
    expect([d.get('delay'), d.get('mode')]).toEqual([0, 'shift']);
    expect(delay({ mode: 'hold', delay: 7 }).latency()).toEqual({ min: 7, max: 7 });
    expect(delay({ delay: 7 }).latency()).toEqual({ min: 0, max: 0 });
  });

  it.each([
    // delay, input pts → output pts (shift mode: out at once)
    [0, [0, 10, -1], [0, 10, -1]],
    [5, [0, 10, -1], [5, 15, -1]],
    [1_000_000_000, [40], [1_000_000_040]],
  ] as const)('shift by %i: pts %j → %j, at once', async (ns, pts, out) => {
    const h = new Harness(delay({ delay: ns }));
    await h.start();
    for (const t of pts) h.push('x', t < 0 ? {} : { pts: t, duration: 1 });
    for (let i = 0; i < pts.length; i++) await expectStepAt(h, 0);
    const got: number[] = [];
    for (let b = h.pull(); b !== undefined; b = h.pull()) {
      got.push(b.pts);
      expect(b.duration).toBe(pts[got.length - 1]! < 0 ? -1 : 1);
      b.release();
    }
    expect(got).toEqual(out);
  });

  it('shifts gap events too', async () => {
    const h = new Harness(delay({ delay: 5 }));
    await h.start();
    h.pushEvent({ type: 'gap', pts: 10, duration: 3 });
    await h.step(); // a serialized event keeps its place in the element's task
    const gap = h.events.find((e): e is Extract<Event, { type: 'gap' }> => e.type === 'gap');
    expect(gap).toEqual({ type: 'gap', pts: 15, duration: 3 });
  });

  it('copies a shared buffer before shifting it, so other holders keep their timestamps', async () => {
    const h = new Harness(delay({ delay: 5 }));
    await h.start();
    const buf = Buffer.fromBytes(h.allocator, new Uint8Array([1]));
    buf.pts = 10;
    const other = buf.clone();
    h.push(buf);
    await h.step();
    const out = h.pull()!;
    expect([out.pts, other.pts]).toEqual([15, 10]);
    out.release();
    other.release();
  });

  it.each([
    // delay, clock times the buffers arrive → clock times they go out (timestamps unchanged)
    [100, [0, 30, 500], [100, 130, 600]],
    [0, [0, 30], [0, 30]],
  ] as const)('hold %i: arriving at %j → out at %j', async (ns, arrivals, out) => {
    const h = new Harness(delay({ delay: ns, mode: 'hold' }));
    await h.start();
    // Arrivals are spread out in time: push each when the clock is there.
    for (const t of arrivals) {
      h.clock.set(Math.max(t, h.clock.now()));
      h.push(String(t), { pts: 7 });
    }
    // The first arrival's wait is measured from 0, later ones from their arrival, so step in order.
    for (const due of out) await expectStepAt(h, Math.max(due, h.clock.now()));
    const texts: string[] = [];
    for (let b = h.pull(); b !== undefined; b = h.pull()) {
      expect(b.pts).toBe(7);
      texts.push(new TextDecoder().decode(b.data));
      b.release();
    }
    expect(texts).toEqual(arrivals.map(String));
  });

  it('a new delay applies to buffers that arrive after it', async () => {
    const d = delay({ delay: 5 });
    const h = await new Harness(d).start();
    h.push('a', { pts: 0 });
    d.set('delay', 50);
    h.push('b', { pts: 0 });
    await h.step();
    await h.step();
    expect([h.pull()!.pts, h.pull()!.pts]).toEqual([5, 50]);
    h.eos();
    expect(await h.step()).toBe(FlowResult.EOS);
  });

  it('refuses a negative delay and an unknown mode, naming the property', () => {
    expect(() => delay({ delay: -5 })).toThrow(/property delay of delay0/);
    expect(() => delay({ mode: 'later' })).toThrow(/property mode of delay0.*shift/);
  });

  it('flush drops what is held', async () => {
    const h = new Harness(delay({ delay: 100, mode: 'hold' }));
    await h.start();
    h.push('a');
    const s = h.step();
    h.pushEvent(Events.flushStart());
    expect(await s).toBe(FlowResult.FLUSHING);
    expect(h.allocator.stats().freeSlots).toBe(h.allocator.stats().slots);
  });

  it('runs its example launch line', async () => {
    await buildLaunch(Delay.metadata.example, createDefaultRegistry()).run();
  });
});
