import { describe, expect, it } from 'vitest';
import { launch, AppSink } from '../../src/index.js';
import { patternChecker, patternWebStream, sleep } from './streams.js';

describe('pipeline.toWritableStream', () => {
  it('pipeTo from a fast 8 MB web stream waits for a slow pipeline consumer', async () => {
    const total = 8 * 1024 * 1024;
    const source = patternWebStream(total);
    const p = launch('appsrc name=in ! appsink name=out max-buffers=2');
    const sink = p.get('out') as AppSink;
    const done = p.run();
    const writing = source.stream.pipeTo(p.toWritableStream('in'));
    const checker = patternChecker();
    let ahead = 0;
    let n = 0;
    for await (const buf of sink) {
      const ok = checker.check(buf.data);
      buf.release();
      expect(ok).toBe(true);
      ahead = Math.max(ahead, source.produced() - checker.seen());
      if (++n % 4 === 0) await sleep(1);
    }
    await writing;
    await done;
    expect(checker.seen()).toBe(total);
    expect(ahead).toBeLessThan(14 * 65536);
  });

  it('abort(reason) fails the pipeline naming the appsrc and the stream', async () => {
    const p = launch('appsrc name=in ! fakesink');
    const done = p.run();
    const writer = p.toWritableStream('in', { label: 'the upload' }).getWriter();
    await writer.write(new Uint8Array(8));
    await writer.abort(new Error('connection reset'));
    await expect(done).rejects.toThrow(/^in: stream error from the upload: connection reset/);
  });

  it('a pipeline error errors the stream', async () => {
    const p = launch('appsrc name=in ! identity error-after=1 ! fakesink');
    const done = p.run().catch(() => {});
    const writer = p.toWritableStream('in').getWriter();
    const err = await (async () => {
      for (let i = 0; i < 1000; i++) await writer.write(new Uint8Array(64));
      return null;
    })().catch((e: unknown) => e as Error);
    expect(err?.message).toMatch(/^identity0: error-after reached/);
    await done;
  });

  it('close() ends the pipeline stream', async () => {
    const p = launch('appsrc name=in ! appsink name=out');
    const done = p.run();
    const writer = p.toWritableStream('in').getWriter();
    await writer.write(new TextEncoder().encode('a'));
    await writer.write(new TextEncoder().encode('b'));
    await writer.close();
    const got: string[] = [];
    for await (const buf of p.get('out') as AppSink) {
      got.push(new TextDecoder().decode(buf.data));
      buf.release();
    }
    await done;
    expect(got).toEqual(['a', 'b']);
  });
});
