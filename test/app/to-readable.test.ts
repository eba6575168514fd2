import { Writable } from 'node:stream';
import { pipeline as pipe } from 'node:stream/promises';
import { describe, expect, it } from 'vitest';
import { launch, leakedBuffers, Pipeline, AppSink, AppSrc, ParallaxError } from '../../src/index.js';
import { patternChecker, patternReadable, sleep } from './streams.js';

const bytes = (s: string): Uint8Array => new TextEncoder().encode(s);

function appIo(sinkProps = ''): { p: Pipeline; src: AppSrc; sink: AppSink } {
  const p = launch(`appsrc name=in ! appsink name=out ${sinkProps}`);
  return { p, src: p.get('in') as AppSrc, sink: p.get('out') as AppSink };
}

describe('pipeline.toReadable', () => {
  it('yields every byte in order, ends at EOS, and copies each byte out once', async () => {
    const { p, src } = appIo();
    for (let i = 0; i < 50; i++) src.push(bytes(`chunk ${i};`));
    src.endOfStream();
    const readable = p.toReadable('out');
    const done = p.run();
    const chunks: Uint8Array[] = [];
    for await (const c of readable) chunks.push(c as Uint8Array);
    await done;
    const text = new TextDecoder().decode(Buffer.concat(chunks));
    expect(text).toBe(Array.from({ length: 50 }, (_, i) => `chunk ${i};`).join(''));
    // One copy in (appsrc) and one copy out (the Readable's chunks), nothing else.
    expect(p.stats().bytesCopied).toBe(2 * text.length);
    const { pools } = p.stats();
    expect(pools.freeSlots).toBe(pools.slots);
  });

  it('a slow consumer holds the producer: a fast 16 MB Readable is read at most ~1.2 MB ahead', async () => {
    const total = 16 * 1024 * 1024;
    const source = patternReadable(total);
    const sink = new AppSink('out');
    sink.set('max-buffers', 4);
    const p = Pipeline.fromReadable(source.readable, { then: [sink] });
    const out = p.toReadable('out', { highWaterMark: 65536 });
    const done = p.run();
    const checker = patternChecker();
    let ahead = 0;
    let sinkLevel = 0;
    let n = 0;
    const slow = new Writable({
      highWaterMark: 1,
      write(chunk: Uint8Array, _enc, cb): void {
        if (!checker.check(chunk)) {
          cb(new Error(`wrong byte near offset ${checker.seen()}`));
          return;
        }
        ahead = Math.max(ahead, source.produced() - checker.seen());
        sinkLevel = Math.max(sinkLevel, sink.get('current-level-buffers') as number);
        if (++n % 4 === 0) setTimeout(cb, 1);
        else cb();
      },
    });
    await pipe(out, slow);
    await done;
    expect(checker.seen()).toBe(total);
    expect(sinkLevel).toBeLessThanOrEqual(4);
    // In 64 KiB chunks: ~1 in the source Readable, 4 queued in appsrc (max-bytes 200000) + 1
    // waiting to be, 1 in the streaming task, 4 in appsink, ~2 in the out Readable, ~2 in the
    // slow Writable: about 17 (1.1 MB), whatever the total.
    expect(ahead).toBeLessThan(20 * 65536);
    const { pools } = p.stats();
    expect(pools.freeSlots).toBe(pools.slots);
  });

  it('errors with the pipeline error, naming the element', async () => {
    const p = launch('fakesrc sizetype=fixed sizemax=16 ! identity error-after=5 ! appsink name=out');
    const readable = p.toReadable('out');
    const done = p.run().catch((e: unknown) => e);
    let got = 0;
    const err = await (async () => {
      try {
        for await (const c of readable) got += (c as Uint8Array).byteLength;
      } catch (e) {
        return e as Error;
      }
      return null;
    })();
    expect(err?.message).toMatch(/^identity0: error-after reached/);
    expect(got).toBeLessThanOrEqual(5 * 16);
    expect(((await done) as Error).message).toMatch(/identity0/);
  });

  it('destroying it early stops the pipeline (run rejects ABORTED) without leaking buffers', async () => {
    const leaked = leakedBuffers();
    const p = launch('fakesrc sizetype=fixed sizemax=1024 ! queue ! appsink name=out max-buffers=4');
    const readable = p.toReadable('out');
    const done = p.run().catch((e: unknown) => e);
    let got = 0;
    for await (const c of readable) {
      got += (c as Uint8Array).byteLength;
      if (got >= 10 * 1024) break;
    }
    const e = (await done) as ParallaxError;
    expect(e).toBeInstanceOf(ParallaxError);
    expect(e.code).toBe('ABORTED');
    expect(p.state).toBe('suspended');
    const { pools } = p.stats();
    expect(pools.freeSlots).toBe(pools.slots);
    // Nothing was left for the garbage collector to reclaim (buffer-leaks.ts counts what it does).
    (globalThis as { gc?: () => void }).gc?.();
    await sleep(20);
    expect(leakedBuffers()).toBe(leaked);
  });

  it('onCancel=eos ends the pipeline as at a normal end', async () => {
    const p = launch('fakesrc sizetype=fixed sizemax=1024 ! queue ! appsink name=out max-buffers=4');
    const readable = p.toReadable('out', { onCancel: 'eos' });
    const done = p.run();
    let chunks = 0;
    for await (const _ of readable) if (++chunks === 5) break;
    await expect(done).resolves.toBeUndefined();
    const { pools } = p.stats();
    expect(pools.freeSlots).toBe(pools.slots);
  });

  it('destroying it with an error fails the pipeline with an error naming the appsink', async () => {
    const p = launch('fakesrc sizetype=fixed sizemax=64 ! appsink name=out');
    const readable = p.toReadable('out');
    const done = p.run();
    readable.once('data', () => readable.destroy(new Error('disk full')));
    readable.on('error', () => {});
    await expect(done).rejects.toThrow(/^out: the stream reading from it failed: disk full/);
  });

  it('errors with ABORTED when the pipeline stops before EOS', async () => {
    const { p } = appIo();
    const readable = p.toReadable('out');
    await p.activate();
    const failed = new Promise<Error>((resolve) => readable.on('error', resolve));
    readable.resume();
    await sleep(5);
    await p.suspend();
    const e = await failed;
    expect(e.message).toMatch(/^out: pipeline0 stopped before the stream reached EOS/);
  });

  it('names what is wrong with the element asked for', () => {
    const p = launch('fakesrc ! fakesink name=out');
    expect(() => p.toReadable('nope')).toThrow(/pipeline0 has no element named nope/);
    expect(() => p.toReadable('out')).toThrow(/out is a fakesink, not an appsink/);
  });
});

describe('pipeline.toReadable when the pipeline cannot start', () => {
  it('errors with the reason instead of waiting for ever', async () => {
    const p = launch('appsrc name=in caps=video/x-raw ! appsink name=out caps=audio/x-raw');
    const readable = p.toReadable('out');
    const failed = new Promise<Error>((resolve) => readable.on('error', resolve));
    readable.resume();
    await expect(p.run()).rejects.toThrow(/video\/x-raw|audio\/x-raw|negotiat/i);
    expect((await failed).message).toMatch(/^pipeline0: cannot link in:src to out:sink/);
  });

  it('made between runs, it follows the next run, not what the previous run left in the appsink', async () => {
    const p = launch('fakesrc num-buffers=3 sizetype=fixed sizemax=8 ! appsink name=out max-buffers=1');
    for (let run = 0; run < 3; run++) {
      // run() activates later: the appsink still says EOS from the run before when the stream first pulls.
      const done = p.run();
      let bytes = 0;
      for await (const c of p.toReadable('out')) bytes += (c as Uint8Array).byteLength;
      await done;
      expect(bytes).toBe(24);
    }
  });

  it('leaves the appsink as it found it once the stream ends', async () => {
    const p = launch('fakesrc num-buffers=2 ! appsink name=out');
    const sink = p.get('out') as AppSink;
    const done = p.run();
    for await (const _ of p.toReadable('out')) void _;
    await done;
    expect(sink.get('rewrites')).toBe('deliver');
  });

  it('made after a run ended, or after dispose(), it ends at once instead of waiting for a run', async () => {
    const p = launch('fakesrc num-buffers=2 sizetype=fixed sizemax=8 ! appsink name=out wait-on-eos=false');
    await p.run();
    const chunks: unknown[] = [];
    for await (const c of p.toReadable('out')) chunks.push(c);
    expect(chunks).toEqual([]);
    await p.dispose();
    await expect((async () => {
      for await (const c of p.toReadable('out')) chunks.push(c);
    })()).resolves.toBeUndefined();
    expect(chunks).toEqual([]);
  });
});
