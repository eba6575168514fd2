import { describe, expect, it } from 'vitest';
import { ParallaxError, launch, type PipelineState } from '../../src/index.js';

describe('pipeline states', () => {
  it('moves suspended → idle → running → idle → running → suspended and posts each change', async () => {
    const p = launch('fakesrc is-live=true num-buffers=-1 datarate=6400 sizetype=fixed sizemax=64 ! fakesink');
    const seen: string[] = [];
    p.bus.on('state-changed', (m) => seen.push(`${m.from}->${m.to}`));
    await p.prepare();
    expect(p.state).toBe('idle');
    await p.activate();
    expect(p.state).toBe('running');
    p.pause();
    expect(p.state).toBe('idle');
    await p.activate();
    await p.suspend();
    expect(p.state).toBe('suspended');
    expect(seen).toEqual(['suspended->idle', 'idle->running', 'running->idle', 'idle->running', 'running->suspended']);
  });

  it.each<[string, (p: ReturnType<typeof launch>) => unknown]>([
    ['pause from suspended', (p) => p.pause()],
  ])('refuses %s with a clear error', (_label, act) => {
    const p = launch('fakesrc ! fakesink');
    let err: unknown;
    try {
      act(p);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ParallaxError);
    expect((err as ParallaxError).code).toBe('BAD_STATE_TRANSITION');
    expect((err as ParallaxError).message).toBe('cannot pause() a pipeline in state suspended; pause() is allowed from running, idle');
  });

  it('moves to error on an element error, stops everything, and only suspend() leaves it', async () => {
    const p = launch('fakesrc num-buffers=-1 ! identity error-after=5 ! queue ! fakesink');
    const states: PipelineState[] = [];
    p.bus.on('state-changed', (m) => states.push(m.to));
    await expect(p.run()).rejects.toThrow(/identity0/);
    expect(states).toContain('error');
    expect(p.state).toBe('suspended');
  });

  it('refuses activate() in error with a hint', async () => {
    const p = launch('fakesrc num-buffers=-1 ! identity error-after=1 ! fakesink');
    const errored = new Promise<void>((resolve) => p.bus.on('error', () => resolve()));
    await p.activate();
    await errored;
    expect(p.state).toBe('error');
    await expect(p.activate()).rejects.toThrow(/Call suspend\(\) to clear the error first/);
    await p.suspend();
    expect(p.state).toBe('suspended');
  });

  it('run() that cannot start posts the reason on the bus once, and nothing when run() is refused outright', async () => {
    const p = launch('appsrc name=in caps=video/x-raw ! appsink name=out caps=audio/x-raw');
    const errors: string[] = [];
    p.bus.on('error', (m) => errors.push(`${m.source}: ${m.error.message}`));
    await expect(p.run()).rejects.toThrow(/cannot link in:src to out:sink/);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(/^pipeline0: .*cannot link in:src to out:sink/);
    expect(p.state).toBe('suspended');

    const q = launch('fakesrc num-buffers=-1 ! identity error-after=1 ! fakesink');
    const errored = new Promise<void>((resolve) => q.bus.on('error', () => resolve()));
    await q.activate();
    await errored;
    let posted = 0;
    q.bus.on('error', () => posted++);
    const { EventEmitter } = await import('node:events');
    const ac = new AbortController();
    await expect(q.run({ signal: ac.signal })).rejects.toMatchObject({ code: 'BAD_STATE_TRANSITION' });
    expect(posted).toBe(0);
    // Refused: nothing changed (still in error, for the caller to suspend), nothing left listening.
    expect(q.state).toBe('error');
    expect(EventEmitter.getEventListeners(ac.signal, 'abort')).toHaveLength(0);
    await q.suspend();
  });

  it('can run again after suspend', async () => {
    const p = launch('fakesrc num-buffers=10 ! fakesink');
    await p.run();
    await p.run();
    expect(p.stats().elements['fakesrc0']!.buffersOut).toBe(20);
  });

  it('stops a never-ending pipeline on AbortSignal', async () => {
    const p = launch('fakesrc num-buffers=-1 ! queue ! fakesink');
    const ac = new AbortController();
    setTimeout(() => ac.abort(), 50);
    const err = await p.run({ signal: ac.signal }).then(() => undefined, (e: unknown) => e);
    expect((err as ParallaxError).code).toBe('ABORTED');
    expect(p.state).toBe('suspended');
    expect(p.stats().elements['fakesrc0']!.buffersOut).toBeGreaterThan(0);
  });

  it('validates links before running: an unlinked pad is named', async () => {
    const p = launch('fakesrc ! identity');
    await expect(p.prepare()).rejects.toThrow('identity0:src is not linked: link it to a sink (for example "! fakesink")');
  });
});
