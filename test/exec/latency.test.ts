import { describe, expect, it } from 'vitest';
import { launch } from '../../src/index.js';

describe('latency query', () => {
  it.each([
    ['fakesrc ! fakesink', 0, 0],
    ['fakesrc ! identity sleep-time=2000 ! fakesink', 2_000_000, 2_000_000],
    ['fakesrc ! queue max-size-time=5000000 ! identity sleep-time=1000 ! fakesink', 1_000_000, 6_000_000],
    // Two branches: the slowest path decides.
    ['fakesrc ! tee name=t t. ! identity sleep-time=3000 ! fakesink t. ! identity sleep-time=1000 ! fakesink', 3_000_000, 3_000_000],
  ])('%s → min %d ns, max %d ns', (desc, min, max) => {
    expect(launch(desc).queryLatency()).toEqual({ min, max });
  });

  it('is posted on the bus when the pipeline starts running', async () => {
    const p = launch('fakesrc num-buffers=1 ! queue max-size-time=1000 ! fakesink');
    const seen: { min: number; max: number }[] = [];
    p.bus.on('latency', (m) => seen.push({ min: m.min, max: m.max }));
    await p.run();
    expect(seen).toEqual([{ min: 0, max: 1000 }]);
  });
});
