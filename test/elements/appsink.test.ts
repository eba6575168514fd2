import { describe, expect, it } from 'vitest';
import type { Buffer } from '../../src/element/buffer.js';
import { parseCaps } from '../../src/element/caps/index.js';
import { FlowResult } from '../../src/element/flow.js';
import { AppSink } from '../../src/elements/app/appsink.js';
import { AppSrc } from '../../src/elements/app/appsrc.js';
import { Pipeline } from '../../src/exec/pipeline.js';
import { linkPads } from '../../src/graph/link.js';
import { Harness } from '../../src/harness/harness.js';

const text = (b: Buffer | null): string | null => (b === null ? null : new TextDecoder().decode(b.data));
const bytes = (s: string): Uint8Array => new TextEncoder().encode(s);
const tick = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 0));

/** Takes the buffer's text and releases it, as a consumer must. */
function consume(b: Buffer | null): string | null {
  const t = text(b);
  b?.release();
  return t;
}

describe('appsink', () => {
  it('has GStreamer-style metadata, bounded by default', () => {
    expect(AppSink.metadata.factory).toBe('appsink');
    expect(AppSink.metadata.classification).toBe('Sink/Generic');
    const sink = new AppSink('appsink0');
    expect(sink.get('max-buffers')).toBe(64);
    expect(sink.get('max-bytes')).toBe(0);
    expect(sink.get('drop')).toBe(false);
    expect(sink.get('sync')).toBe(false);
    expect(sink.get('ts-offset')).toBe(0);
    expect(sink.get('eos')).toBe(false);
    expect(() => sink.set('dropped', 1)).toThrow(/read-only/);
  });

  it('hands out what was pushed, zero copy, and emits new-sample', async () => {
    const sink = new AppSink('appsink0');
    let samples = 0;
    sink.on('new-sample', () => samples++);
    const h = await new Harness(sink).start();
    expect(h.push('hello', { pts: 42 })).toBe(FlowResult.OK);
    expect(h.push('world')).toBe(FlowResult.OK);
    expect(samples).toBe(2);
    expect(sink.get('current-level-buffers')).toBe(2);
    expect(sink.get('current-level-bytes')).toBe(10);
    const first = await sink.pull();
    expect(first?.pts).toBe(42);
    expect(first?.isWritable).toBe(true);
    expect(consume(first)).toBe('hello');
    expect(consume(sink.tryPullSync())).toBe('world');
    expect(sink.tryPullSync()).toBeNull();
    expect(h.allocator.stats().freeSlots).toBe(h.allocator.stats().slots);
    await h.stop();
  });

  it('a pending pull() gets the next buffer', async () => {
    const sink = new AppSink('appsink0');
    const h = await new Harness(sink).start();
    const pending = sink.pull();
    await tick();
    h.push('late');
    expect(consume(await pending)).toBe('late');
    await h.stop();
  });

  it('drop=true keeps the newest buffers and counts the dropped ones', async () => {
    const sink = new AppSink('appsink0');
    sink.set('max-buffers', 3);
    sink.set('drop', true);
    const h = await new Harness(sink).start();
    for (let i = 0; i < 10; i++) expect(h.push(String(i))).toBe(FlowResult.OK);
    expect(h.blocked).toBe(0);
    expect(sink.get('dropped')).toBe(7);
    expect(sink.get('current-level-buffers')).toBe(3);
    expect([consume(sink.tryPullSync()), consume(sink.tryPullSync()), consume(sink.tryPullSync())]).toEqual(['7', '8', '9']);
    expect(h.allocator.stats().freeSlots).toBe(h.allocator.stats().slots);
    await h.stop();
  });

  it('drop=true also bounds by max-bytes', async () => {
    const sink = new AppSink('appsink0');
    sink.set('max-buffers', 0);
    sink.set('max-bytes', 10);
    sink.set('drop', true);
    const h = await new Harness(sink).start();
    for (const s of ['aaaa', 'bbbb', 'cccc', 'dddd']) h.push(s);
    // Like GStreamer, the limit is checked before queuing: 12 bytes >= 10 drops the oldest.
    expect(sink.get('current-level-bytes')).toBe(12);
    expect(sink.get('dropped')).toBe(1);
    expect(consume(sink.tryPullSync())).toBe('bbbb');
    await h.stop();
  });

  it('drop=false makes upstream wait while full, until the application pulls', async () => {
    const sink = new AppSink('appsink0');
    sink.set('max-buffers', 2);
    const h = await new Harness(sink).start();
    h.push('1');
    h.push('2');
    expect(h.blocked).toBe(0);
    h.push('3');
    expect(h.blocked).toBe(1);
    let settled = false;
    const settling = h.settle().then(() => (settled = true));
    await tick();
    expect(settled).toBe(false);
    expect(sink.get('current-level-buffers')).toBe(2);
    expect(consume(await sink.pull())).toBe('1');
    await settling;
    expect(settled).toBe(true);
    expect(sink.get('dropped')).toBe(0);
    expect([consume(await sink.pull()), consume(await sink.pull())]).toEqual(['2', '3']);
    await h.stop();
  });

  it('drop=false keeps order when many pushes wait for room', async () => {
    const sink = new AppSink('appsink0');
    sink.set('max-buffers', 2);
    const h = await new Harness(sink).start();
    // The harness does not wait between pushes: renders pile up behind the first waiting one.
    for (let i = 0; i < 20; i++) expect(h.push(String(i))).toBe(FlowResult.OK);
    const got: (string | null)[] = [];
    for (let i = 0; i < 20; i++) got.push(consume(await sink.pull()));
    await h.settle();
    expect(got).toEqual(Array.from({ length: 20 }, (_, i) => String(i)));
    expect(sink.get('current-level-buffers')).toBe(0);
    expect(h.allocator.stats().freeSlots).toBe(h.allocator.stats().slots);
    await h.stop();
  });

  it('pull() resolves null after EOS once drained; EOS completes only when drained', async () => {
    const sink = new AppSink('appsink0');
    const eos: number[] = [];
    sink.on('eos', () => eos.push(1));
    const h = await new Harness(sink).start();
    h.push('a');
    h.push('b');
    h.eos();
    await tick();
    expect(h.eosCount).toBe(0);
    expect(sink.get('eos')).toBe(false);
    expect(consume(await sink.pull())).toBe('a');
    expect(consume(await sink.pull())).toBe('b');
    await h.settle();
    expect(h.eosCount).toBe(1);
    expect(eos).toHaveLength(1);
    expect(sink.get('eos')).toBe(true);
    expect(await sink.pull()).toBeNull();
    expect(await sink.tryPull(50)).toBeNull();
    await h.stop();
  });

  it('EOS waits behind renders that wait for room', async () => {
    const sink = new AppSink('appsink0');
    sink.set('max-buffers', 2);
    const h = await new Harness(sink).start();
    for (let i = 0; i < 6; i++) h.push(String(i));
    h.eos();
    const got: (string | null)[] = [];
    for await (const buf of sink) got.push(consume(buf));
    await h.settle();
    expect(got).toEqual(['0', '1', '2', '3', '4', '5']);
    expect(h.eosCount).toBe(1);
    await h.stop();
  });

  it('wakes a waiting pull() with null at EOS', async () => {
    const sink = new AppSink('appsink0');
    const h = await new Harness(sink).start();
    const pending = sink.pull();
    h.eos();
    await h.settle();
    expect(await pending).toBeNull();
    expect(h.eosCount).toBe(1);
    await h.stop();
  });

  it('wait-on-eos=false finishes EOS at once', async () => {
    const sink = new AppSink('appsink0');
    sink.set('wait-on-eos', false);
    const h = await new Harness(sink).start();
    h.push('a');
    h.eos();
    await h.settle();
    expect(h.eosCount).toBe(1);
    expect(sink.get('eos')).toBe(false);
    expect(consume(await sink.pull())).toBe('a');
    expect(sink.get('eos')).toBe(true);
    expect(await sink.pull()).toBeNull();
    await h.stop();
  });

  it('tryPull times out with null, or returns a buffer that arrives in time', async () => {
    const sink = new AppSink('appsink0');
    const h = await new Harness(sink).start();
    expect(await sink.tryPull()).toBeNull();
    expect(await sink.tryPull(10)).toBeNull();
    const waiting = sink.tryPull(5000);
    await tick();
    h.push('in time');
    expect(consume(await waiting)).toBe('in time');
    await h.stop();
  });

  it('stop() releases held buffers and wakes pullers with null', async () => {
    const sink = new AppSink('appsink0');
    sink.set('max-buffers', 1);
    const h = await new Harness(sink).start();
    h.push('held');
    h.push('blocked');
    expect(h.blocked).toBe(1);
    const sink2 = new AppSink('appsink1');
    const h2 = await new Harness(sink2).start();
    const pending = sink2.pull();
    await h.stop();
    await h2.stop();
    await h.settle();
    expect(await pending).toBeNull();
    expect(sink.get('current-level-buffers')).toBe(0);
    expect(h.allocator.stats().freeSlots).toBe(h.allocator.stats().slots);
    expect(await sink.pull()).toBeNull();
  });

  it('refuses caps outside its caps property', () => {
    const sink = new AppSink('appsink0');
    sink.set('caps', 'audio/x-raw');
    const pad = sink.pad('sink')!;
    expect(sink.setCaps(pad, parseCaps('video/x-raw'))).toBe(false);
    expect(sink.setCaps(pad, parseCaps('audio/x-raw, rate=(int)48000'))).toBe(true);
  });

  describe('in a pipeline', () => {
    function build(configure?: (src: AppSrc, sink: AppSink) => void): { p: Pipeline; src: AppSrc; sink: AppSink } {
      const src = new AppSrc('src');
      const sink = new AppSink('sink');
      configure?.(src, sink);
      const p = new Pipeline();
      p.add(src, sink);
      linkPads(src.pad('src')!, sink.pad('sink')!);
      return { p, src, sink };
    }

    it('the async iterator yields everything and ends at EOS', async () => {
      const { p, src, sink } = build();
      for (let i = 0; i < 100; i++) src.push(bytes(`#${i}`));
      src.endOfStream();
      const done = p.run();
      const got: (string | null)[] = [];
      for await (const buf of sink) got.push(consume(buf));
      await done;
      expect(got).toEqual(Array.from({ length: 100 }, (_, i) => `#${i}`));
      expect(await sink.pull()).toBeNull();
      const stats = p.stats();
      expect(stats.pools.freeSlots).toBe(stats.pools.slots);
    });

    it('breaking out of for await leaves the rest to the pipeline: stopping it releases every slot', async () => {
      const { p, src, sink } = build((_s, k) => k.set('max-buffers', 4));
      for (let i = 0; i < 40; i++) src.push(bytes(String(i)));
      src.endOfStream();
      const done = p.run().catch((e: unknown) => e);
      const got: (string | null)[] = [];
      for await (const buf of sink) {
        got.push(consume(buf));
        if (got.length === 3) break;
      }
      expect(sink.get('current-level-buffers')).toBe(4);
      await p.suspend();
      expect(((await done) as Error).message).toMatch(/suspended before it reached EOS/);
      expect(got).toEqual(['0', '1', '2']);
      const stats = p.stats();
      expect(stats.pools.freeSlots).toBe(stats.pools.slots);
    });

    it('with drop=false a slow consumer blocks upstream and loses nothing', async () => {
      const { p, src, sink } = build((_s, k) => k.set('max-buffers', 3));
      for (let i = 0; i < 50; i++) src.push(bytes(String(i)));
      src.endOfStream();
      const done = p.run();
      let maxLevel = 0;
      const got: (string | null)[] = [];
      for (let b = await sink.pull(); b !== null; b = await sink.pull()) {
        maxLevel = Math.max(maxLevel, sink.get('current-level-buffers') as number);
        got.push(consume(b));
        if (got.length % 10 === 0) await new Promise((r) => setTimeout(r, 2));
      }
      await done;
      expect(got).toEqual(Array.from({ length: 50 }, (_, i) => String(i)));
      expect(maxLevel).toBeLessThanOrEqual(3);
      expect(sink.get('dropped')).toBe(0);
    });

    it('with drop=true a consumer that reads at the end gets the newest buffers', async () => {
      const { p, src, sink } = build((_s, k) => {
        k.set('max-buffers', 5);
        k.set('drop', true);
      });
      for (let i = 0; i < 50; i++) src.push(bytes(String(i)));
      src.endOfStream();
      let dropped = -1;
      const done = p.run();
      // Nothing is pulled until EOS arrived (wait-on-eos holds the pipeline's eos until drained).
      await new Promise<void>((resolve) => {
        const poll = (): void => {
          if ((src.get('current-level-buffers') as number) === 0 && sink.get('current-level-buffers') === 5) resolve();
          else setTimeout(poll, 1);
        };
        poll();
      });
      await tick();
      dropped = sink.get('dropped') as number;
      const got: (string | null)[] = [];
      for await (const buf of sink) got.push(consume(buf));
      await done;
      expect(dropped).toBe(45);
      expect(got).toEqual(['45', '46', '47', '48', '49']);
    });
  });
});
