import { Readable } from 'node:stream';
import { pipeline as pipe } from 'node:stream/promises';
import { describe, expect, it } from 'vitest';
import { launch, AppSink } from '../../src/index.js';
import { patternChecker, patternReadable, sleep } from './streams.js';

describe('pipeline.toWritable', () => {
  it('carries a fast 16 MB Readable into a slow pipeline consumer with bounded buffering', async () => {
    const total = 16 * 1024 * 1024;
    const source = patternReadable(total);
    const p = launch('appsrc name=in ! appsink name=out max-buffers=2');
    const sink = p.get('out') as AppSink;
    const done = p.run();
    const writing = pipe(source.readable, p.toWritable('in'));
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
    // 64 KiB chunks: ~1 in the Readable, 1 in the Writable, 4-5 at appsrc, 1 in flight, 2 in appsink.
    expect(ahead).toBeLessThan(14 * 65536);
    expect(p.stats().bytesCopied).toBe(total);
  });

  it('a source stream error fails the pipeline naming the appsrc and the stream', async () => {
    const p = launch('appsrc name=in ! fakesink');
    const done = p.run();
    const failing = new Readable({
      read(): void {
        this.destroy(new Error('ENOENT: no such file'));
      },
    });
    await expect(pipe(failing, p.toWritable('in', { label: 'input.wav' }))).rejects.toThrow(/ENOENT/);
    await expect(done).rejects.toThrow(/^in: stream error from input\.wav: ENOENT: no such file/);
  });

  it('a pipeline error destroys the Writable with it', async () => {
    const p = launch('appsrc name=in ! identity error-after=2 ! fakesink');
    const done = p.run().catch(() => {});
    const { readable } = patternReadable(1024 * 1024, 1024);
    await expect(pipe(readable, p.toWritable('in'))).rejects.toThrow(/^identity0: error-after reached/);
    await done;
    expect(readable.destroyed).toBe(true);
  });

  it('writing after the pipeline stopped fails, naming the appsrc', async () => {
    const p = launch('appsrc name=in ! fakesink');
    await p.activate();
    await p.suspend();
    const w = p.toWritable('in');
    const err = await new Promise<Error>((resolve) => {
      w.on('error', resolve);
      w.write(new Uint8Array(4));
    });
    expect(err.message).toMatch(/^in: pipeline0 is not running/);
  });

  it('a Writable destroyed before end() fails the pipeline', async () => {
    const p = launch('appsrc name=in ! fakesink');
    const done = p.run();
    const w = p.toWritable('in');
    w.write(new Uint8Array(4));
    w.destroy();
    await expect(done).rejects.toThrow(/^in: stream error from the stream writing into it: it was destroyed before its end/);
  });
});
