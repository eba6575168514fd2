import { describe, expect, it } from 'vitest';
import { launch, parseDriver, type Pipeline } from '../../src/index.js';
import type { AppSink } from '../../src/elements/app/appsink.js';

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

async function level(p: Pipeline): Promise<number> {
  return (p.get('out') as AppSink).get('current-level-buffers') as number;
}

describe('parseDriver', () => {
  it('reads a quantum at a rate, a period, or manual', () => {
    expect(parseDriver('256/48000')).toEqual({ type: 'timer', periodNs: (256 / 48000) * 1e9 });
    expect(parseDriver('20ms')).toEqual({ type: 'timer', periodNs: 20e6 });
    expect(parseDriver('5000us')).toEqual({ type: 'timer', periodNs: 5e6 });
    expect(parseDriver('manual')).toEqual({ type: 'manual' });
  });

  it('names what is wrong with a bad spec', () => {
    expect(() => parseDriver('256/0')).toThrow('bad driver "256/0": write QUANTUM/RATE (256/48000), a period of at least 10us (20ms, 5000us), or manual');
    expect(() => parseDriver('1ns')).toThrow(/bad driver "1ns"/);
    expect(() => launch('fakesrc ! fakesink', { driver: 'often' })).toThrow(/bad driver "often"/);
  });
});

for (const scheduling of ['async', 'hybrid'] as const) {
  describe(`drivers (${scheduling})`, () => {
    it('a timer driver starts one cycle per period: each source makes one buffer per cycle', async () => {
      const p = launch('fakesrc num-buffers=20 sizetype=fixed sizemax=10 ! queue ! fakesink', { scheduling, driver: '10ms' });
      await p.prepare();
      const t0 = performance.now();
      await p.run();
      // 20 cycles at 10 ms: the last starts 190 ms after the first (plus the first's 2 ms lead).
      expect(performance.now() - t0).toBeGreaterThanOrEqual(185);
      expect(p.stats().pads['fakesrc0:src']?.buffers).toBe(20);
      await p.dispose();
    });

    it('counts a cycle that misses its deadline as an xrun, and skips the cycles it overran', async () => {
      // identity holds each buffer 25 ms inside the source's own cycle of 10 ms.
      const p = launch('fakesrc num-buffers=6 sizetype=fixed sizemax=10 ! identity sleep-time=25000 ! fakesink', { scheduling, driver: '10ms' });
      await p.run();
      const { xruns } = p.stats();
      // Every cycle after the first overran: at least one xrun each, plus the skipped slots.
      expect(xruns).toBeGreaterThanOrEqual(5);
      await p.dispose();
    });

    it('a source behind a queue keeps its deadlines while a slow consumer lags', async () => {
      // The consumer takes 60 ms a buffer against a 20 ms cycle: were its time inside the
      // source's cycle, each of the 10 cycles would overrun by two slots or more.
      const p = launch('fakesrc num-buffers=10 sizetype=fixed sizemax=10 ! queue ! identity sleep-time=60000 ! fakesink', { scheduling, driver: '20ms' });
      await p.run();
      expect(p.stats().xruns).toBeLessThan(5);
      await p.dispose();
    });

    it('a manual driver runs exactly the cycles the application asks for', async () => {
      const p = launch('fakesrc sizetype=fixed sizemax=10 ! appsink name=out max-buffers=0', { scheduling: scheduling === 'async' ? 'async' : 'realtime', driver: 'manual' });
      await p.activate();
      // Signalled at once after activation: none may be lost, even if the thread starts later.
      p.cycle(5);
      await sleep(150);
      expect(await level(p)).toBe(5);
      await sleep(100);
      expect(await level(p)).toBe(5);
      p.cycle(3);
      await sleep(150);
      expect(await level(p)).toBe(8);
      if (scheduling === 'hybrid') expect(p.plan?.placement.get(p.get('fakesrc0')!)).toBe(0);
      await p.dispose();
    });
  });
}

describe('cycle()', () => {
  it('needs a manual driver and a positive count', () => {
    const p = launch('fakesrc ! fakesink');
    expect(() => p.cycle()).toThrow("pipeline0 has no manual driver; create it with { driver: 'manual' }");
    const m = launch('fakesrc ! fakesink', { driver: 'manual' });
    expect(() => m.cycle(0)).toThrow('cycle() needs a positive integer count, got 0');
  });

  it('a paused timer-driven pipeline does not count the pause as xruns', async () => {
    const p = launch('fakesrc num-buffers=30 sizetype=fixed sizemax=10 ! fakesink', { driver: '5ms' });
    await p.prepare();
    const done = p.run();
    await sleep(40);
    p.pause();
    await sleep(100);
    await p.activate();
    await done;
    // The pause lasted 20 periods of 5 ms: counted as missed deadlines they would all be xruns.
    // A loaded machine may miss a few real deadlines around it, so the bound is half of that.
    expect(p.stats().xruns).toBeLessThan(10);
    await p.dispose();
  });
});
