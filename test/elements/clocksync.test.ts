import { describe, expect, it } from 'vitest';
import { Events } from '../../src/element/event.js';
import { FlowResult } from '../../src/element/flow.js';
import { ClockSync } from '../../src/elements/timing/clocksync.js';
import { buildLaunch } from '../../src/graph/build.js';
import { Harness } from '../../src/harness/harness.js';
import { createDefaultRegistry } from '../../src/registry/builtins.js';
import { expectStepAt, tick } from './support/timed.js';

function clocksync(props: Record<string, string | number | boolean> = {}): ClockSync {
  const c = new ClockSync('clocksync0');
  for (const [k, v] of Object.entries(props)) c.set(k, v);
  return c;
}

describe('clocksync', () => {
  it('has GStreamer metadata and defaults', () => {
    expect(ClockSync.metadata.factory).toBe('clocksync');
    expect(ClockSync.metadata.classification).toBe('Generic');
    const c = clocksync();
    expect([c.get('sync'), c.get('ts-offset'), c.get('sync-to-first')]).toEqual([true, 0, false]);
  });

  it.each([
    // properties, clock time when the buffers arrive, their pts → clock time each comes out
    [{}, 0, [0, 100, 250], [0, 100, 250]],
    [{ 'ts-offset': 50 }, 0, [0, 100, 250], [50, 150, 300]],
    [{ 'ts-offset': -100 }, 0, [0, 100, 250], [0, 0, 150]],
    [{ sync: false }, 0, [0, 100, 250], [0, 0, 0]],
    [{ 'sync-to-first': true }, 1000, [0, 100, 250], [1000, 1100, 1250]],
    [{ 'sync-to-first': true }, 1000, [500, 600], [1000, 1100]],
    // untimed buffers are not synced
    [{}, 0, [-1, 300, -1], [0, 300, 300]],
  ] as const)('%j, arriving at %i: pts %j go out at %j', async (props, arrival, pts, out) => {
    const h = new Harness(clocksync(props));
    await h.start();
    h.clock.set(arrival);
    for (const t of pts) expect(h.push('x', t < 0 ? {} : { pts: t })).toBe(FlowResult.OK);
    for (const due of out) expect(await expectStepAt(h, due)).toBe(FlowResult.OK);
    expect(h.pending).toBe(pts.length);
    await h.stop();
  });

  it('syncs running time: a segment that starts at 1000 makes pts 1000 due at 0', async () => {
    const h = new Harness(clocksync());
    await h.start();
    h.pushEvent(Events.segment({ format: 'time', rate: 1, start: 1000, stop: -1, base: 40, time: 0 }));
    h.push('a', { pts: 1000 });
    h.push('b', { pts: 1100 });
    await expectStepAt(h, 40);
    await expectStepAt(h, 140);
    expect(h.pullAllText()).toEqual(['a', 'b']);
  });

  it('keeps events in their place behind a held buffer, and ends with EOS', async () => {
    const h = new Harness(clocksync());
    await h.start();
    h.push('a', { pts: 100 });
    h.eos();
    expect(h.events.map((e) => e.type)).toEqual(['stream-start', 'segment']);
    await expectStepAt(h, 100);
    expect(await h.step()).toBe(FlowResult.EOS);
    expect(h.pullAllText()).toEqual(['a']);
    expect(h.events.map((e) => e.type)).toEqual(['stream-start', 'segment', 'eos']);
  });

  it('makes upstream wait while two buffers are held, until the one on the clock goes out', async () => {
    const h = new Harness(clocksync());
    await h.start();
    h.push('a', { pts: 100 });
    expect(h.blocked).toBe(0);
    h.push('b', { pts: 200 });
    expect(h.blocked).toBe(1);
    let freed = false;
    void h.settle().then(() => (freed = true));
    const a = h.step();
    h.clock.set(99);
    await tick();
    expect(freed).toBe(false); // a is on the clock, b behind it
    h.clock.set(100);
    await a;
    await tick();
    expect(freed).toBe(true);
    await expectStepAt(h, 200);
    expect(h.pullAllText()).toEqual(['a', 'b']);
  });

  it('a flush or a stop drops held buffers and ends the wait, losing no slot', async () => {
    const h = new Harness(clocksync());
    await h.start();
    h.push('a', { pts: 100 });
    h.push('b', { pts: 200 });
    const waiting = h.step();
    await tick();
    h.pushEvent(Events.flushStart());
    expect(await waiting).toBe(FlowResult.FLUSHING);
    h.pushEvent(Events.flushStop());
    h.push('c', { pts: 300 });
    const again = h.step();
    await tick();
    await h.stop();
    expect(await again).toBe(FlowResult.FLUSHING);
    expect(h.pending).toBe(0);
    expect(h.allocator.stats().freeSlots).toBe(h.allocator.stats().slots);
  });

  it('refuses a ts-offset that is not an integer, naming the property', () => {
    expect(() => clocksync().set('ts-offset', '1.5')).toThrow(/ts-offset of clocksync0/);
  });

  it('runs its example launch line, pacing by the pipeline clock', async () => {
    // 3 buffers of 10 bytes at 1 MB/s: the last is due 20 µs after the start.
    const p = buildLaunch('fakesrc num-buffers=3 datarate=1000 sizetype=fixed sizemax=10 ! clocksync ! fakesink', createDefaultRegistry());
    const t0 = performance.now();
    await p.run();
    expect(performance.now() - t0).toBeGreaterThanOrEqual(19);
    await buildLaunch(ClockSync.metadata.example, createDefaultRegistry()).run();
  });
});
