import { describe, expect, it } from 'vitest';
import { Buffer } from '../../src/element/buffer.js';
import { Events, type Event } from '../../src/element/event.js';
import { FlowResult } from '../../src/element/flow.js';
import { Delay } from '../../src/elements/timing/delay.js';
import { buildLaunch } from '../../src/graph/build.js';
import { Harness } from '../../src/harness/harness.js';
import { createDefaultRegistry } from '../../src/registry/builtins.js';
import { expectStepAt, tick } from './support/timed.js';

function delay(props: Record<string, string | number> = {}): Delay {
  const d = new Delay('delay0');
  for (const [k, v] of Object.entries(props)) d.set(k, v);
  return d;
}

describe('delay', () => {
  it('has metadata and defaults', () => {
    expect(Delay.metadata.classification).toBe('Generic');
    const d = delay();
    expect([d.get('delay'), d.get('mode'), d.get('max-size-buffers'), d.get('max-size-bytes')]).toEqual([0, 'shift', 1000, 67108864]);
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

  it('hold keeps upstream flowing: everything within the delay is held, each out at its due time', async () => {
    // A live source every 10 ns with a delay of 100: ten buffers are held at once.
    const h = new Harness(delay({ delay: 100, mode: 'hold' }));
    await h.start();
    const arrivals = [0, 10, 20, 30, 40, 50, 60, 70, 80, 90, 100, 110];
    let next = 0;
    const due: number[] = [];
    const pushUntil = (t: number): void => {
      for (; next < arrivals.length && arrivals[next]! <= t; next++) {
        h.clock.set(Math.max(arrivals[next]!, h.clock.now()));
        h.push(String(arrivals[next]));
      }
    };
    pushUntil(99);
    expect(h.blocked).toBe(0);
    for (const t of arrivals) {
      await expectStepAt(h, t + 100);
      due.push(h.clock.now());
      pushUntil(h.clock.now());
      expect(h.blocked).toBe(0);
    }
    expect(due).toEqual(arrivals.map((t) => t + 100));
    expect(h.pullAllText()).toEqual(arrivals.map(String));
  });

  it.each([
    // limit property, value, sizes pushed at 0 → how many get in before upstream waits
    ['max-size-buffers', 3, [1, 1, 1, 1], 3],
    ['max-size-bytes', 10, [4, 4, 4, 4], 3],
    ['max-size-bytes', 4, [9, 1], 1],
  ] as const)('hold: upstream waits once %s=%i is held, and goes on when the oldest goes out', async (prop, limit, sizes, fit) => {
    const h = new Harness(delay({ delay: 100, mode: 'hold', [prop]: limit }));
    await h.start();
    // Upstream pushes while it is let.
    let pushed = 0;
    for (const n of sizes) {
      if (h.blocked > 0) break;
      h.push(new Uint8Array(n));
      pushed++;
    }
    expect([pushed, h.blocked]).toEqual([fit, 1]);
    let freed = false;
    void h.settle().then(() => (freed = true));
    const first = h.step();
    h.clock.set(99);
    await tick();
    expect(freed).toBe(false);
    h.clock.set(100);
    expect(await first).toBe(FlowResult.OK);
    await tick();
    expect(freed).toBe(true);
    h.pull()!.release();
    await h.stop();
    // What was still held is released at stop.
    expect(h.allocator.stats().freeSlots).toBe(h.allocator.stats().slots);
  });

  it('hold: a raised limit lets a waiting upstream go on at once', async () => {
    const d = delay({ delay: 100, mode: 'hold', 'max-size-buffers': 1 });
    const h = await new Harness(d).start();
    h.push('a');
    let freed = false;
    void h.settle().then(() => (freed = true));
    d.set('max-size-buffers', 5);
    await tick();
    expect(freed).toBe(true);
    await h.stop();
  });

  it('shift mode after a hold run holds two buffers again, not the hold limit', async () => {
    const d = delay({ delay: 100, mode: 'hold' });
    const h = new Harness(d);
    await h.start();
    await h.stop();
    d.set('mode', 'shift');
    await h.start();
    let pushed = 0;
    for (let i = 0; i < 10 && h.blocked === 0; i++) {
      h.push(new Uint8Array(1));
      pushed++;
    }
    expect([pushed, h.blocked]).toEqual([2, 1]);
    await h.stop();
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
