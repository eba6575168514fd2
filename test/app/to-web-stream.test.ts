import { describe, expect, it } from 'vitest';
import { launch, Pipeline, AppSink, AppSrc, ParallaxError } from '../../src/index.js';
import { patternChecker, patternWebStream, sleep } from './streams.js';

const bytes = (s: string): Uint8Array => new TextEncoder().encode(s);

describe('pipeline.toWebStream', () => {
  it('yields every byte in order and closes at EOS', async () => {
    const p = launch('appsrc name=in ! queue ! appsink name=out');
    const src = p.get('in') as AppSrc;
    for (let i = 0; i < 20; i++) src.push(bytes(`#${i}`));
    src.endOfStream();
    const stream = p.toWebStream('out');
    const done = p.run();
    let text = '';
    for await (const c of stream) text += new TextDecoder().decode(c);
    await done;
    expect(text).toBe(Array.from({ length: 20 }, (_, i) => `#${i}`).join(''));
  });

  it('pulls only below its highWaterMark: a slow reader bounds a fast 16 MB web source', async () => {
    const total = 16 * 1024 * 1024;
    const source = patternWebStream(total);
    const sink = new AppSink('out');
    sink.set('max-buffers', 4);
    const p = Pipeline.fromWebStream(source.stream, { then: [sink] });
    const reader = p.toWebStream('out', { highWaterMark: 65536 }).getReader();
    const done = p.run();
    const checker = patternChecker();
    let ahead = 0;
    let sinkLevel = 0;
    for (let n = 0; ; n++) {
      const r = await reader.read();
      if (r.done) break;
      expect(checker.check(r.value)).toBe(true);
      ahead = Math.max(ahead, source.produced() - checker.seen());
      sinkLevel = Math.max(sinkLevel, sink.get('current-level-buffers') as number);
      if (n % 4 === 0) await sleep(1);
    }
    await done;
    expect(checker.seen()).toBe(total);
    expect(sinkLevel).toBeLessThanOrEqual(4);
    // 64 KiB chunks: ~1 in the source stream, 5 at appsrc, 1 in flight, 4 in appsink, ~1 in the out stream.
    expect(ahead).toBeLessThan(16 * 65536);
    const { pools } = p.stats();
    expect(pools.freeSlots).toBe(pools.slots);
  });

  it('errors with the pipeline error, naming the element', async () => {
    const p = launch('fakesrc sizetype=fixed sizemax=16 ! identity error-after=3 ! appsink name=out');
    const stream = p.toWebStream('out');
    const done = p.run().catch((e: unknown) => e);
    const reader = stream.getReader();
    const err = await (async () => {
      for (;;) {
        const r = await reader.read();
        if (r.done) return null;
      }
    })().catch((e: unknown) => e as Error);
    expect(err?.message).toMatch(/^identity0: error-after reached/);
    await done;
  });

  it('cancel stops the pipeline with no buffer leaked; cancel with an Error fails it naming the appsink', async () => {
    const p = launch('fakesrc sizetype=fixed sizemax=512 ! queue ! appsink name=out max-buffers=2');
    const stream = p.toWebStream('out');
    const done = p.run().catch((e: unknown) => e);
    const reader = stream.getReader();
    await reader.read();
    await reader.read();
    await reader.cancel();
    const e = (await done) as ParallaxError;
    expect(e.code).toBe('ABORTED');
    const { pools } = p.stats();
    expect(pools.freeSlots).toBe(pools.slots);

    const q = launch('fakesrc sizetype=fixed sizemax=512 ! appsink name=out');
    const s2 = q.toWebStream('out');
    const done2 = q.run();
    const r2 = s2.getReader();
    await r2.read();
    await r2.cancel(new Error('client went away'));
    await expect(done2).rejects.toThrow(/^out: the stream reading from it failed: client went away/);
  });

  it('breaking out of for await with onCancel=eos ends the pipeline normally', async () => {
    const p = launch('fakesrc sizetype=fixed sizemax=512 ! queue ! appsink name=out max-buffers=2');
    const done = p.run();
    let n = 0;
    for await (const _ of p.toWebStream('out', { onCancel: 'eos' })) if (++n === 3) break;
    await expect(done).resolves.toBeUndefined();
  });

  it('made right after run() on a second run, it reads that run in full', async () => {
    const p = launch('fakesrc num-buffers=4 sizetype=fixed sizemax=16 ! appsink name=out max-buffers=1');
    for (let run = 0; run < 2; run++) {
      const done = p.run();
      let bytes = 0;
      for await (const c of p.toWebStream('out')) bytes += c.byteLength;
      await done;
      expect(bytes).toBe(64);
    }
  });
});
