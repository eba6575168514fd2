import { describe, expect, it } from 'vitest';
import { Events } from '../../src/element/event.js';
import { FlowResult } from '../../src/element/flow.js';
import { AppSrc } from '../../src/elements/app/appsrc.js';
import { Timeout } from '../../src/elements/timing/timeout.js';
import { FakeSink } from '../../src/elements/testing/fakesink.js';
import { Pipeline } from '../../src/exec/pipeline.js';
import { buildLaunch } from '../../src/graph/build.js';
import { Harness } from '../../src/harness/harness.js';
import { createDefaultRegistry } from '../../src/registry/builtins.js';
import { tick } from './support/timed.js';

const MS = 1_000_000;

function timeout(props: Record<string, string | number> = {}): Timeout {
  const t = new Timeout('timeout0');
  for (const [k, v] of Object.entries(props)) t.set(k, v);
  return t;
}

/** Moves the fake clock to `ms` and lets the element's clock callbacks run. */
async function at(h: Harness, ms: number): Promise<void> {
  h.clock.set(ms * MS);
  await tick();
}

describe('timeout', () => {
  it('has metadata and defaults', () => {
    expect(Timeout.metadata.classification).toBe('Generic');
    const t = timeout();
    expect([t.get('timeout'), t.get('action'), t.get('timed-out')]).toEqual([5000, 'error', false]);
  });

  it.each([
    // action, clock times (ms) a buffer arrives → time the timeout fires (timeout=100 ms), or -1
    ['error', [0, 50, 120], 220],
    ['error', [0], 100],
    ['eos', [0, 99, 198], 298],
    ['eos', [10], 110],
  ] as const)('action=%s, buffers at %j ms: fires at %i ms', async (action, arrivals, fires) => {
    const t = timeout({ timeout: 100, action });
    const h = new Harness(t);
    await h.start();
    for (const ms of arrivals) {
      await at(h, ms);
      expect(h.push('x')).toBe(FlowResult.OK);
    }
    await at(h, fires - 1);
    expect([t.get('timed-out'), h.errors()]).toEqual([false, []]);
    await at(h, fires);
    expect(t.get('timed-out')).toBe(true);
    expect(h.pending).toBe(arrivals.length);
    if (action === 'error') {
      expect(h.errors()).toEqual(['timeout0: no data for 100 ms (timeout=100)']);
      expect(h.push('late')).toBe(FlowResult.ERROR);
    } else {
      expect(h.errors()).toEqual([]);
      expect(h.events.map((e) => e.type)).toEqual(['stream-start', 'segment', 'eos']);
      expect(h.messages.some((m) => m.type === 'warning' && m.message.includes('ending the stream'))).toBe(true);
      // Upstream hears EOS; its own EOS later is not sent twice.
      expect(h.push('late')).toBe(FlowResult.EOS);
      h.eos();
      expect(h.events.filter((e) => e.type === 'eos')).toHaveLength(1);
    }
    expect(h.allocator.stats().freeSlots).toBe(h.allocator.stats().slots - h.pending);
  });

  it('counts from the first event when no buffer comes at all', async () => {
    const h = new Harness(timeout({ timeout: 100 }));
    await at(h, 40);
    await h.start(); // stream-start arrives at 40 ms
    await at(h, 139);
    expect(h.errors()).toEqual([]);
    await at(h, 140);
    expect(h.errors()).toHaveLength(1);
  });

  it('stops watching at EOS and after a stop', async () => {
    const h = new Harness(timeout({ timeout: 100 }));
    await h.start();
    h.push('a');
    h.eos();
    await at(h, 1000);
    expect(h.errors()).toEqual([]);
    const h2 = new Harness(timeout({ timeout: 100 }));
    await h2.start();
    await h2.stop();
    await at(h2, 1000);
    expect(h2.errors()).toEqual([]);
  });

  it('restarts the watch after a flush', async () => {
    const t = timeout({ timeout: 100, action: 'eos' });
    const h = await new Harness(t).start();
    await at(h, 100);
    expect(t.get('timed-out')).toBe(true);
    h.pushEvent(Events.flushStart());
    h.pushEvent(Events.flushStop());
    expect(t.get('timed-out')).toBe(false);
    await at(h, 150);
    expect(h.push('a')).toBe(FlowResult.OK);
    await at(h, 249);
    expect(t.get('timed-out')).toBe(false);
    await at(h, 250);
    expect(t.get('timed-out')).toBe(true);
  });

  it.each([
    // pause at, resume at (ms) → fires at (timeout=100 ms, one buffer at 0): a whole timeout
    // from the resume, whether the deadline passed during the pause or not
    [50, 700, 800],
    [50, 80, 180],
    [99, 100, 200],
  ] as const)('paused at %i ms and resumed at %i ms: fires at %i ms', async (pauseAt, resumeAt, fires) => {
    const t = timeout({ timeout: 100 });
    const h = await new Harness(t).start();
    h.push('a');
    await at(h, pauseAt);
    t.state = 'idle';
    await at(h, resumeAt);
    expect(h.errors()).toEqual([]);
    t.state = 'running';
    await at(h, fires - 1);
    expect(h.errors()).toEqual([]);
    await at(h, fires);
    expect(h.errors()).toHaveLength(1);
  });

  it('keeps reporting timed-out after the pipeline stops, until the next start', async () => {
    const t = timeout({ timeout: 100, action: 'eos' });
    const h = await new Harness(t).start();
    await at(h, 100);
    await h.stop();
    expect(t.get('timed-out')).toBe(true);
    await h.start();
    expect(t.get('timed-out')).toBe(false);
  });

  it('a shorter timeout set while running applies at once', async () => {
    const t = timeout({ timeout: 1000 });
    const h = await new Harness(t).start();
    h.push('a');
    t.set('timeout', 10);
    await at(h, 10);
    expect(h.errors()).toHaveLength(1);
  });

  it('refuses a zero timeout and an unknown action, naming the property', () => {
    expect(() => timeout({ timeout: 0 })).toThrow(/property timeout of timeout0/);
    expect(() => timeout({ action: 'panic' })).toThrow(/property action of timeout0.*error.*eos/);
  });

  it('ends a pipeline whose source stalls (action=eos), with the data it had', async () => {
    // Real time, kept short: appsrc sends two buffers and then nothing, never EOS.
    const src = new AppSrc('appsrc0');
    const t = timeout({ timeout: 30, action: 'eos' });
    const sink = new FakeSink('fakesink0');
    const p = new Pipeline().chain(src, t, sink);
    src.push(new Uint8Array([1]));
    src.push(new Uint8Array([2]));
    const warnings: string[] = [];
    p.bus.on('warning', (m) => warnings.push(m.message));
    await p.run();
    expect(sink.rendered).toBe(2);
    expect(warnings).toEqual(['no data for 30 ms (timeout=30): ending the stream']);
  });

  it('stops a stalled pipeline with an error naming itself (action=error)', async () => {
    const src = new AppSrc('appsrc0');
    const p = new Pipeline().chain(src, timeout({ timeout: 30 }), new FakeSink('fakesink0'));
    src.push(new Uint8Array([1]));
    await expect(p.run()).rejects.toThrow(/timeout0: no data for 30 ms/);
  });

  it('runs its example launch line', async () => {
    await buildLaunch(Timeout.metadata.example, createDefaultRegistry()).run();
  });

  it.skipIf(process.platform !== 'linux')('in an element host process too, a pause is not a stall: it fires a whole timeout after the resume', async () => {
    const { launch } = await import('../../src/index.js');
    const p = launch('appsrc name=in ! timeout name=t timeout=150 ! fakesink', { isolation: { mode: 'grouped', isolate: ['t'] } });
    const src = p.get('in') as AppSrc;
    const errors: number[] = [];
    let resumedAt = 0;
    p.bus.on('error', () => errors.push(performance.now() - resumedAt));
    const ran = p.run().catch((e: unknown) => e as Error);
    for (let i = 0; i < 1000 && p.state !== 'running'; i++) await new Promise((r) => setTimeout(r, 10));
    src.push(new Uint8Array(8));
    await new Promise((r) => setTimeout(r, 30));
    await p.pause();
    await new Promise((r) => setTimeout(r, 400));
    expect(errors).toEqual([]);
    resumedAt = performance.now();
    await p.activate();
    const e = await ran;
    expect(e).toBeInstanceOf(Error);
    expect((e as Error).message).toMatch(/^t: no data for 150 ms/);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toBeGreaterThanOrEqual(140);
  }, 20_000);
});
