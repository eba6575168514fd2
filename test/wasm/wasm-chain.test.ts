import { describe, expect, it } from 'vitest';
import { launch } from '../../src/index.js';

describe('a chain of WebAssembly elements on one data thread', () => {
  it('generates, scales, filters and converts in place on the shared memory: 0 bytes copied', async () => {
    const p = launch('audiotestsrc num-buffers=50 samplesperbuffer=480 ! audio/x-raw,format=S16LE,rate=48000,channels=2 ! volume volume=0.5 ! biquad cutoff=2000 ! audioconvert ! audio/x-raw,format=F32LE,channels=1 ! fakesink', { scheduling: 'hybrid' });
    await p.run();
    const threads = new Set(['audiotestsrc0', 'volume0', 'biquad0', 'audioconvert0', 'fakesink0'].map((n) => p.plan!.placement.get(p.get(n)!)));
    expect(threads.size).toBe(1);
    expect([...threads][0]).toBeGreaterThanOrEqual(0);
    const s = p.stats();
    expect(s.pads['audioconvert0:src']).toEqual({ buffers: 50, bytes: 50 * 480 * 4 });
    expect(s.bytesCopied).toBe(0);
    await p.dispose();
  });
});
