import { describe, expect, it } from 'vitest';
import type { Buffer } from '../../src/element/buffer.js';
import { FlowResult } from '../../src/element/flow.js';
import { FakeSink } from '../../src/elements/testing/fakesink.js';
import { FakeSrc } from '../../src/elements/testing/fakesrc.js';
import { Pipeline } from '../../src/exec/pipeline.js';
import { linkPads } from '../../src/graph/link.js';
import { Harness } from '../../src/harness/harness.js';

function fakesrc(props: Record<string, string | number | boolean>): FakeSrc {
  const src = new FakeSrc('fakesrc0');
  for (const [k, v] of Object.entries(props)) src.set(k, v);
  return src;
}

/** Steps the source `n` times and returns what came out. */
async function run(src: FakeSrc, n: number): Promise<{ h: Harness; results: FlowResult[]; bufs: Buffer[] }> {
  const h = await new Harness(src).start();
  const results: FlowResult[] = [];
  for (let i = 0; i < n; i++) results.push(await h.step());
  const bufs: Buffer[] = [];
  for (let b = h.pull(); b !== undefined; b = h.pull()) bufs.push(b);
  return { h, results, bufs };
}

const hex = (b: Buffer): string => Array.from(b.data, (x) => x.toString(16).padStart(2, '0')).join('');

describe('fakesrc', () => {
  it('has GStreamer metadata and defaults', () => {
    expect(FakeSrc.metadata.factory).toBe('fakesrc');
    expect(FakeSrc.metadata.classification).toBe('Source/Testing');
    const src = new FakeSrc('fakesrc0');
    expect([src.get('num-buffers'), src.get('sizetype'), src.get('sizemin'), src.get('sizemax'), src.get('filltype'),
      src.get('datarate'), src.get('is-live'), src.get('format'), src.get('silent')])
      .toEqual([-1, 'empty', 0, 4096, 'nothing', 0, false, 'bytes', true]);
  });

  it.each([
    // props, steps, results, sizes
    [{ 'num-buffers': 2 }, 3, [FlowResult.OK, FlowResult.OK, FlowResult.EOS], [0, 0]],
    [{ 'num-buffers': 0 }, 1, [FlowResult.EOS], []],
    [{ 'num-buffers': 3, sizetype: 'fixed', sizemax: 64 }, 3, [0, 0, 0], [64, 64, 64]],
    [{ 'num-buffers': 2, sizetype: 'fixed', sizemax: 100 }, 2, [0, 0], [100, 100]],
  ] as const)('%o: %i steps → %o, sizes %o', async (props, n, results, sizes) => {
    const { results: r, bufs, h } = await run(fakesrc(props), n);
    expect(r).toEqual(results);
    expect(bufs.map((b) => b.size)).toEqual(sizes);
    expect(bufs.map((b) => b.sequence)).toEqual(sizes.map((_, i) => i));
    expect(bufs.map((b) => b.offset)).toEqual(sizes.map((s, i) => s * i));
    if (r.includes(FlowResult.EOS)) expect(h.events.map((e) => e.type).filter((t) => t !== 'caps')).toEqual(['stream-start', 'segment', 'eos']);
  });

  it.each([
    ['zero', 4, ['00000000', '00000000']],
    ['pattern', 4, ['00010203', '00010203']],
    ['pattern-span', 4, ['00010203', '04050607']],
    ['pattern-span', 3, ['000102', '030405']],
  ] as const)('filltype=%s sizemax=%i fills %o', async (filltype, sizemax, out) => {
    const { bufs } = await run(fakesrc({ 'num-buffers': 2, sizetype: 'fixed', sizemax, filltype }), 2);
    expect(bufs.map(hex)).toEqual(out);
  });

  it('random sizes and fill are repeatable with a seed and stay in range', async () => {
    const props = { 'num-buffers': 50, sizetype: 'random', sizemin: 10, sizemax: 20, filltype: 'random', seed: 42 };
    const a = await run(fakesrc(props), 50);
    const b = await run(fakesrc(props), 50);
    const sizes = a.bufs.map((x) => x.size);
    expect(sizes.every((s) => s >= 10 && s <= 20)).toBe(true);
    expect(new Set(sizes).size).toBeGreaterThan(3);
    expect(b.bufs.map((x) => x.size)).toEqual(sizes);
    expect(b.bufs.map(hex)).toEqual(a.bufs.map(hex));
  });

  it.each([
    // datarate (bytes/s), size → pts, duration of the first three buffers
    [1000, 100, [0, 100_000_000, 200_000_000], [100_000_000, 100_000_000, 100_000_000]],
    [64_000, 64, [0, 1_000_000, 2_000_000], [1_000_000, 1_000_000, 1_000_000]],
    [0, 64, [-1, -1, -1], [-1, -1, -1]],
  ] as const)('datarate=%i size=%i stamps pts %o duration %o', async (datarate, size, pts, dur) => {
    const { bufs } = await run(fakesrc({ 'num-buffers': 3, sizetype: 'fixed', sizemax: size, datarate }), 3);
    expect(bufs.map((b) => b.pts)).toEqual(pts);
    expect(bufs.map((b) => b.duration)).toEqual(dur);
  });

  it('format=time stamps buffers with the running time', async () => {
    const src = fakesrc({ 'num-buffers': 2, format: 'time' });
    const h = await new Harness(src).start();
    await h.step();
    h.clock.advance(5_000);
    await h.step();
    expect([h.pull()?.pts, h.pull()?.pts]).toEqual([0, 5_000]);
  });

  it('is-live with a datarate waits for each buffer’s running time on the clock', async () => {
    const src = fakesrc({ 'num-buffers': 3, sizetype: 'fixed', sizemax: 10, datarate: 1000, 'is-live': true });
    const h = await new Harness(src).start();
    expect(await h.step()).toBe(FlowResult.OK); // pts 0: due now
    let done = false;
    const second = h.step().then((r) => { done = true; return r; });
    await new Promise((r) => setTimeout(r, 5));
    expect(done).toBe(false);
    expect(h.pending).toBe(1);
    h.clock.advance(10_000_000); // 10 ms = 10 bytes at 1000 B/s
    expect(await second).toBe(FlowResult.OK);
    expect([h.pull()?.pts, h.pull()?.pts]).toEqual([0, 10_000_000]);
  });

  it('silent=false notifies last-message per buffer', async () => {
    const src = fakesrc({ 'num-buffers': 1, sizetype: 'fixed', sizemax: 8, silent: false });
    const { h } = await run(src, 1);
    const notes = h.messages.filter((m) => m.type === 'property-notify');
    expect(notes).toHaveLength(1);
    expect(String(src.get('last-message'))).toMatch(/^create {2}\*{7} \(fakesrc0:src\) \(8 bytes, dts: none, pts: none, duration: none, offset: 0, offset_end: 8, flags: 00000000 \) 0x[0-9a-f]+$/);
  });

  it('runs in a pipeline to EOS, without growing pools', async () => {
    const src = fakesrc({ 'num-buffers': 1000, sizetype: 'fixed', sizemax: 64 });
    const sink = new FakeSink('fakesink0');
    const p = new Pipeline();
    p.add(src, sink);
    linkPads(src.pad('src')!, sink.pad('sink')!);
    await p.run();
    expect(sink.rendered).toBe(1000);
    expect(p.stats().elements['fakesrc0']).toEqual({ buffersOut: 1000, bytesOut: 64_000 });
    expect(p.stats().pools.poolsAdded).toBe(0);
    expect(p.stats().pools.freeSlots).toBe(p.stats().pools.slots);
  });

  it('fakesrc num-buffers=200000 sizetype=fixed sizemax=64 ! fakesink runs near 1 µs a buffer', async () => {
    const src = fakesrc({ 'num-buffers': 200_000, sizetype: 'fixed', sizemax: 64 });
    const sink = new FakeSink('fakesink0');
    const p = new Pipeline();
    p.add(src, sink);
    linkPads(src.pad('src')!, sink.pad('sink')!);
    const t0 = performance.now();
    await p.run();
    const usPerBuffer = ((performance.now() - t0) * 1000) / 200_000;
    expect(sink.rendered).toBe(200_000);
    // Generous bound for CI under vitest's transform; `npm run bench` measures ≈0.3 µs in plain node.
    expect(usPerBuffer).toBeLessThan(5);
  });
});
