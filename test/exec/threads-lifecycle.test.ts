import { describe, expect, it } from 'vitest';
import { launch, type PipelineOptions } from '../../src/index.js';

/** run() within `ms`, or a failure that says it hung. */
async function runWithin(desc: string, options: PipelineOptions, ms = 5000): Promise<void> {
  const p = launch(desc, options);
  const hung = new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`${options.scheduling ?? 'async'}: ${desc} still running after ${ms} ms`)), ms));
  try {
    await Promise.race([p.run(), hung]);
  } finally {
    await p.dispose();
  }
}

describe('data threads: lifecycle', () => {
  it.each(['async', 'hybrid'] as const)('%s: a sink that ends the stream behind a thread link (num-buffers, eos-after) still brings the pipeline to EOS', async (scheduling) => {
    await runWithin('fakesrc ! queue ! fakesink num-buffers=1000', { scheduling });
    await runWithin('fakesrc ! queue ! identity eos-after=100 ! fakesink', { scheduling });
  });

  it('two sources on one data thread funnelled into a small thread link both run to the end (no deadlock, no starvation)', async () => {
    const n = 20_000;
    const p = launch(`funnel name=f ! queue max-size-buffers=16 ! fakesink  fakesrc num-buffers=${n} sizetype=fixed sizemax=256 ! f.  fakesrc num-buffers=${n} sizetype=fixed sizemax=256 ! f.`, { scheduling: 'hybrid' });
    const hung = new Promise<never>((_, reject) => setTimeout(() => reject(new Error('funnel into a thread link hung')), 10_000));
    await Promise.race([p.run(), hung]);
    const s = p.stats();
    expect([s.pads['fakesrc0:src']?.buffers, s.pads['fakesrc1:src']?.buffers, s.pads['f:src']?.buffers]).toEqual([n, n, 2 * n]);
    await p.dispose();
  });

  it.each(['async', 'hybrid'] as const)('%s: sendEos() on a timer-driven pipeline ends it with EOS', async (scheduling) => {
    const p = launch('fakesrc sizetype=fixed sizemax=64 ! queue ! fakesink', { scheduling, driver: '5ms' });
    let eos = false;
    p.bus.on('eos', () => (eos = true));
    const isRunning = new Promise<void>((resolve) => p.bus.on('state-changed', (m) => m.source === p.name && m.to === 'running' && resolve()));
    const running = p.run();
    await isRunning;
    await new Promise((r) => setTimeout(r, 50));
    await p.sendEos();
    const hung = new Promise<never>((_, reject) => setTimeout(() => reject(new Error('no EOS after sendEos')), 5000));
    await Promise.race([running, hung]);
    expect(eos).toBe(true);
    await p.dispose();
  });

  it.each(['async', 'hybrid'] as const)('%s: a manual-driven source makes exactly the cycles signalled, also when the pipeline then stops', async (scheduling) => {
    const p = launch('fakesrc sizetype=fixed sizemax=64 ! queue ! fakesink', { scheduling, driver: 'manual' });
    const isRunning = new Promise<void>((resolve) => p.bus.on('state-changed', (m) => m.source === p.name && m.to === 'running' && resolve()));
    const running = p.run().catch(() => {});
    await isRunning;
    p.cycle(8);
    await new Promise((r) => setTimeout(r, 300));
    await p.suspend();
    await running;
    expect(p.stats().pads['fakesrc0:src']?.buffers).toBe(8);
    await p.dispose();
  });

  it.each(['manual', '50ms'])('a data thread paced by a %s driver answers control calls while it waits for its next cycle', async (driver) => {
    const p = launch('fakesrc sizetype=fixed sizemax=64 ! queue ! identity name=id ! fakesink', { scheduling: 'hybrid', driver });
    const isRunning = new Promise<void>((resolve) => p.bus.on('state-changed', (m) => m.source === p.name && m.to === 'running' && resolve()));
    const running = p.run().catch(() => {});
    await isRunning;
    expect(p.plan!.placement.get(p.get('fakesrc0')!)).toBeGreaterThanOrEqual(0);
    for (let i = 0; i < 3; i++) {
      const t0 = performance.now();
      await p.setProperty('fakesrc0', 'silent', i % 2 === 0);
      // Well under the seconds it took when the pacer waited in place (64 periods between yields).
      expect(performance.now() - t0).toBeLessThan(1000);
    }
    await p.suspend();
    await running;
    await p.dispose();
  });

  it.each(['async', 'hybrid'] as const)('%s: a manual-driven pipeline holds a pause: cycles signalled while paused wait for resume', async (scheduling) => {
    const p = launch('fakesrc sizetype=fixed sizemax=64 ! queue ! fakesink', { scheduling, driver: 'manual' });
    const isRunning = new Promise<void>((resolve) => p.bus.on('state-changed', (m) => m.source === p.name && m.to === 'running' && resolve()));
    const running = p.run().catch(() => {});
    await isRunning;
    p.cycle(3);
    await new Promise((r) => setTimeout(r, 200));
    p.pause();
    // pause reaches a data thread as a message: it holds from the moment the thread reads it,
    // which a thread waiting for its next cycle now does within milliseconds.
    await new Promise((r) => setTimeout(r, 100));
    p.cycle(5);
    await new Promise((r) => setTimeout(r, 300));
    await p.suspend();
    await running;
    expect(p.stats().pads['fakesrc0:src']?.buffers).toBe(3);
    await p.dispose();
  });

  it('after a run, to EOS or stopped midway with buffers in flight, every slot of every pool is free again', async () => {
    const done = launch('fakesrc num-buffers=1000 sizetype=fixed sizemax=1024 ! queue ! fakesink', { scheduling: 'hybrid' });
    await done.run();
    const a = done.stats().pools;
    expect(a.slots).toBeGreaterThan(0);
    expect(a.freeSlots).toBe(a.slots);
    await done.dispose();
    // Nobody pulls from the appsink: the producer thread blocks with its pools exhausted.
    const stuck = launch('fakesrc sizetype=fixed sizemax=1024 ! queue ! appsink max-buffers=0', { scheduling: 'hybrid' });
    const running = stuck.run().catch(() => {});
    await new Promise((r) => setTimeout(r, 300));
    expect(stuck.stats().pools.freeSlots).toBeLessThan(stuck.stats().pools.slots);
    await stuck.suspend();
    await running;
    const b = stuck.stats().pools;
    expect(b.freeSlots).toBe(b.slots);
    await stuck.dispose();
  });

  it.each(['async', 'hybrid'] as const)('%s: cycles signalled between prepare() and activate() are the sources\' first cycles', async (scheduling) => {
    const p = launch('fakesrc sizetype=fixed sizemax=64 ! queue ! fakesink', { scheduling, driver: 'manual' });
    await p.prepare();
    p.cycle(3);
    await p.activate();
    await new Promise((r) => setTimeout(r, 300));
    await p.suspend();
    expect(p.stats().pads['fakesrc0:src']?.buffers).toBe(3);
    await p.dispose();
  });
});
