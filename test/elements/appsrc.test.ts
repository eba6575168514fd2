import { describe, expect, it } from 'vitest';
import { Buffer } from '../../src/element/buffer.js';
import { FlowResult } from '../../src/element/flow.js';
import { AppSink } from '../../src/elements/app/appsink.js';
import { AppSrc } from '../../src/elements/app/appsrc.js';
import { Pipeline } from '../../src/exec/pipeline.js';
import { linkPads } from '../../src/graph/link.js';
import { Harness } from '../../src/harness/harness.js';
import { copyStats } from '../../src/memory/copy-counter.js';

const text = (b: Buffer): string => new TextDecoder().decode(b.data);
const bytes = (s: string): Uint8Array => new TextEncoder().encode(s);
const tick = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 0));

describe('appsrc', () => {
  it('has GStreamer-style metadata and defaults', () => {
    expect(AppSrc.metadata.factory).toBe('appsrc');
    expect(AppSrc.metadata.classification).toBe('Source/Generic');
    const src = new AppSrc('appsrc0');
    expect(src.get('max-bytes')).toBe(200000);
    expect(src.get('max-buffers')).toBe(0);
    expect(src.get('block')).toBe(false);
    expect(src.get('is-live')).toBe(false);
    expect(src.get('format')).toBe('bytes');
    expect(() => src.set('current-level-bytes', 5)).toThrow(/read-only/);
  });

  it('pushes bytes with their timestamps, in order, then EOS', async () => {
    const src = new AppSrc('appsrc0');
    const h = await new Harness(src).start();
    expect(src.push(bytes('a'), { pts: 1000, duration: 500 })).toBe(FlowResult.OK);
    expect(src.push(bytes('bc'))).toBe(FlowResult.OK);
    expect(src.get('current-level-buffers')).toBe(2);
    expect(src.get('current-level-bytes')).toBe(3);
    expect(src.endOfStream()).toBe(FlowResult.OK);
    expect(src.push(bytes('late'))).toBe(FlowResult.EOS);
    expect(await h.step()).toBe(FlowResult.OK);
    expect(await h.step()).toBe(FlowResult.OK);
    expect(await h.step()).toBe(FlowResult.EOS);
    const a = h.pull()!;
    expect(text(a)).toBe('a');
    expect(a.pts).toBe(1000);
    expect(a.duration).toBe(500);
    a.release();
    expect(h.pullAllText()).toEqual(['bc']);
    expect(src.get('current-level-buffers')).toBe(0);
    expect(h.events.map((e) => e.type)).toEqual(['stream-start', 'segment', 'eos']);
    await h.stop();
  });

  it('copies pushed bytes exactly once and takes a Buffer with no copy', async () => {
    const src = new AppSrc('appsrc0');
    const h = await new Harness(src).start();
    const before = copyStats().bytesCopied;
    src.push(new Uint8Array(1234));
    expect(copyStats().bytesCopied - before).toBe(1234);
    const own = Buffer.fromBytes(h.allocator, bytes('mine'));
    const mid = copyStats().bytesCopied;
    src.push(own);
    expect(await h.step()).toBe(FlowResult.OK);
    expect(await h.step()).toBe(FlowResult.OK);
    expect(copyStats().bytesCopied).toBe(mid);
    h.pull()!.release();
    const out = h.pull()!;
    expect(out.slot).toBe(own.slot);
    expect(out.pool).toBe(own.pool);
    out.release();
    await h.stop();
  });

  it('waits in create() for data and emits need-data', async () => {
    const src = new AppSrc('appsrc0');
    const hints: number[] = [];
    const off = src.on('need-data', (length) => hints.push(length));
    const h = await new Harness(src).start();
    let done = false;
    const step = h.step().then((r) => {
      done = true;
      return r;
    });
    await tick();
    expect(done).toBe(false);
    expect(hints).toEqual([4096]);
    src.push(bytes('now'));
    expect(await step).toBe(FlowResult.OK);
    expect(h.pullAllText()).toEqual(['now']);
    off();
    const second = h.step();
    await tick();
    expect(hints).toHaveLength(1);
    src.endOfStream();
    expect(await second).toBe(FlowResult.EOS);
    await h.stop();
  });

  it('lets a need-data listener push synchronously', async () => {
    const src = new AppSrc('appsrc0');
    let n = 0;
    src.on('need-data', () => {
      if (n < 3) src.push(bytes(`chunk${n++}`));
      else src.endOfStream();
    });
    const h = await new Harness(src).start();
    const results: FlowResult[] = [];
    for (let r = await h.step(); ; r = await h.step()) {
      results.push(r);
      if (r !== FlowResult.OK) break;
    }
    expect(results).toEqual([FlowResult.OK, FlowResult.OK, FlowResult.OK, FlowResult.EOS]);
    expect(h.pullAllText()).toEqual(['chunk0', 'chunk1', 'chunk2']);
    await h.stop();
  });

  it('still queues a sync push into a full queue and emits enough-data', async () => {
    const src = new AppSrc('appsrc0');
    src.set('max-buffers', 2);
    let enough = 0;
    src.on('enough-data', () => enough++);
    const h = await new Harness(src).start();
    src.push(bytes('1'));
    expect(enough).toBe(0);
    src.push(bytes('2'));
    expect(enough).toBe(1);
    expect(src.push(bytes('3'))).toBe(FlowResult.OK);
    expect(enough).toBe(2);
    expect(src.get('current-level-buffers')).toBe(3);
    src.set('max-buffers', 0);
    src.set('max-bytes', 2);
    expect(src.get('current-level-bytes')).toBe(3);
    await h.stop();
  });

  it('pushAsync with block=true waits while the queue is full, in order', async () => {
    const src = new AppSrc('appsrc0');
    src.set('block', true);
    src.set('max-buffers', 2);
    const h = await new Harness(src).start();
    const settled: string[] = [];
    const pushes = ['a', 'b', 'c', 'd'].map((s) => src.pushAsync(bytes(s)).then((r) => {
      settled.push(s);
      return r;
    }));
    await tick();
    expect(settled).toEqual(['a', 'b']);
    expect(src.get('current-level-buffers')).toBe(2);
    expect(await h.step()).toBe(FlowResult.OK);
    await tick();
    expect(settled).toEqual(['a', 'b', 'c']);
    expect(src.get('current-level-buffers')).toBe(2);
    // endOfStream waits for the pending pushAsync.
    src.endOfStream();
    const results: FlowResult[] = [];
    for (let r = await h.step(); ; r = await h.step()) {
      results.push(r);
      if (r !== FlowResult.OK) break;
    }
    expect(results).toEqual([FlowResult.OK, FlowResult.OK, FlowResult.OK, FlowResult.EOS]);
    expect(await Promise.all(pushes)).toEqual([FlowResult.OK, FlowResult.OK, FlowResult.OK, FlowResult.OK]);
    expect(h.pullAllText()).toEqual(['a', 'b', 'c', 'd']);
    await h.stop();
  });

  it('pushAsync with block=false does not wait', async () => {
    const src = new AppSrc('appsrc0');
    src.set('max-buffers', 1);
    const h = await new Harness(src).start();
    expect(await src.pushAsync(bytes('a'))).toBe(FlowResult.OK);
    expect(await src.pushAsync(bytes('b'))).toBe(FlowResult.OK);
    expect(src.get('current-level-buffers')).toBe(2);
    await h.stop();
  });

  it('unblock() wakes a waiting create() and waiting pushAsync calls with FLUSHING', async () => {
    const src = new AppSrc('appsrc0');
    const h = await new Harness(src).start();
    const step = h.step();
    await tick();
    src.unblock();
    expect(await step).toBe(FlowResult.FLUSHING);

    const src2 = new AppSrc('appsrc1');
    src2.set('block', true);
    src2.set('max-buffers', 1);
    const h2 = await new Harness(src2).start();
    src2.push(bytes('x'));
    const waiting = src2.pushAsync(bytes('y'));
    await tick();
    await h2.stop();
    expect(await waiting).toBe(FlowResult.FLUSHING);
    expect(src2.get('current-level-buffers')).toBe(0);
    expect(src2.push(bytes('z'))).toBe(FlowResult.FLUSHING);
    await h.stop();
  });

  it('write() waits for room whatever block says, in order with pushAsync', async () => {
    const src = new AppSrc('appsrc0');
    src.set('max-buffers', 2);
    expect(src.get('block')).toBe(false);
    const h = await new Harness(src).start();
    const settled: string[] = [];
    const writes = ['a', 'b', 'c'].map((s) => src.write(bytes(s)).then((r) => {
      settled.push(s);
      return r;
    }));
    await tick();
    expect(settled).toEqual(['a', 'b']);
    expect(await h.step()).toBe(FlowResult.OK);
    await tick();
    expect(settled).toEqual(['a', 'b', 'c']);
    expect(await Promise.all(writes)).toEqual([FlowResult.OK, FlowResult.OK, FlowResult.OK]);
    src.endOfStream();
    expect(await src.write(bytes('late'))).toBe(FlowResult.EOS);
    await h.step();
    await h.step();
    expect(h.pullAllText()).toEqual(['a', 'b', 'c']);
    await h.stop();
  });

  it('pipeFrom() reads its source only as the queue drains, then ends the stream', async () => {
    const src = new AppSrc('appsrc0');
    src.set('max-buffers', 2);
    const h = await new Harness(src).start();
    let produced = 0;
    async function* chunks(): AsyncGenerator<Uint8Array | string> {
      for (let i = 0; i < 6; i++) {
        produced++;
        yield i % 2 === 0 ? bytes(`c${i}`) : `c${i}`;
      }
    }
    const piping = src.pipeFrom(chunks());
    await tick();
    // Two queued, the third read and waiting for room: nothing more is read.
    expect(produced).toBe(3);
    const results: FlowResult[] = [];
    for (let r = await h.step(); ; r = await h.step()) {
      results.push(r);
      if (r !== FlowResult.OK) break;
    }
    expect(await piping).toBe(FlowResult.OK);
    expect(results).toEqual([...Array<FlowResult>(6).fill(FlowResult.OK), FlowResult.EOS]);
    expect(h.pullAllText()).toEqual(['c0', 'c1', 'c2', 'c3', 'c4', 'c5']);
    await h.stop();
  });

  it('pipeFrom() closes its source when the pipeline refuses data, and names a failing source', async () => {
    const src = new AppSrc('appsrc0');
    src.set('max-buffers', 1);
    const h = await new Harness(src).start();
    let closed = false;
    async function* endless(): AsyncGenerator<Uint8Array> {
      try {
        for (;;) yield bytes('x');
      } finally {
        closed = true;
      }
    }
    const piping = src.pipeFrom(endless());
    await tick();
    await h.stop();
    expect(await piping).toBe(FlowResult.FLUSHING);
    expect(closed).toBe(true);

    const p = new Pipeline();
    const src2 = new AppSrc('in');
    p.chain(src2, new AppSink('out'));
    const errors: string[] = [];
    p.bus.on('error', (m) => errors.push(m.error.message));
    async function* failing(): AsyncGenerator<Uint8Array> {
      yield bytes('ok');
      throw new Error('socket hang up');
    }
    expect(await src2.pipeFrom(failing(), { label: 'the upload' })).toBe(FlowResult.ERROR);
    expect(errors).toEqual(['in: stream error from the upload: socket hang up']);
  });

  it('announces its caps property on the src pad', async () => {
    const src = new AppSrc('appsrc0');
    src.set('caps', 'application/x-test, rate=(int)8000');
    const h = await new Harness(src).start();
    src.push(bytes('x'));
    await h.step();
    expect(h.outputCaps?.toString()).toContain('application/x-test');
    expect(h.events.map((e) => e.type)).toEqual(['stream-start', 'caps', 'segment']);
    h.pull()!.release();
    await h.stop();
  });

  describe('appsrc ! appsink', () => {
    function build(configure?: (src: AppSrc, sink: AppSink) => void): { p: Pipeline; src: AppSrc; sink: AppSink } {
      const src = new AppSrc('src');
      const sink = new AppSink('sink');
      configure?.(src, sink);
      const p = new Pipeline();
      p.add(src, sink);
      linkPads(src.pad('src')!, sink.pad('sink')!);
      return { p, src, sink };
    }

    it('delivers 1000 buffers in order with their content, copying exactly the pushed bytes', async () => {
      const { p, src, sink } = build();
      const done = p.run();
      let total = 0;
      const producer = (async () => {
        for (let i = 0; i < 1000; i++) {
          const payload = bytes(`buffer ${i}`);
          total += payload.byteLength;
          src.push(payload, { pts: i * 1000 });
          if (i % 100 === 0) await tick();
        }
        src.endOfStream();
      })();
      const got: string[] = [];
      const pts: number[] = [];
      for await (const buf of sink) {
        got.push(text(buf));
        pts.push(buf.pts);
        buf.release();
      }
      await producer;
      await done;
      expect(got).toHaveLength(1000);
      expect(got).toEqual(Array.from({ length: 1000 }, (_, i) => `buffer ${i}`));
      expect(pts).toEqual(Array.from({ length: 1000 }, (_, i) => i * 1000));
      const stats = p.stats();
      expect(stats.bytesCopied).toBe(total);
      expect(stats.pools.freeSlots).toBe(stats.pools.slots);
    });

    it('feeds losslessly with block=true and pushAsync under backpressure', async () => {
      const { p, src, sink } = build((s, k) => {
        s.set('block', true);
        s.set('max-buffers', 4);
        k.set('max-buffers', 2);
      });
      const done = p.run();
      let maxLevel = 0;
      const producer = (async () => {
        for (let i = 0; i < 500; i++) {
          expect(await src.pushAsync(bytes(String(i)))).toBe(FlowResult.OK);
          maxLevel = Math.max(maxLevel, src.get('current-level-buffers') as number);
        }
        src.endOfStream();
      })();
      const got: string[] = [];
      for await (const buf of sink) {
        got.push(text(buf));
        buf.release();
        if (got.length % 50 === 0) await new Promise((r) => setTimeout(r, 1));
      }
      await producer;
      await done;
      expect(got).toEqual(Array.from({ length: 500 }, (_, i) => String(i)));
      expect(maxLevel).toBeLessThanOrEqual(4);
    });

    it('keeps buffers pushed before the pipeline starts', async () => {
      const { p, src, sink } = build();
      src.push(bytes('early'));
      src.endOfStream();
      const done = p.run();
      const got: string[] = [];
      for await (const buf of sink) {
        got.push(text(buf));
        buf.release();
      }
      await done;
      expect(got).toEqual(['early']);
    });
  });
});
