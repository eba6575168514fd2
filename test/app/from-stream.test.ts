import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { Pipeline, AppSink, defaultRegistry } from '../../src/index.js';
import { patternReadable, sleep } from './streams.js';

function appsink(maxBuffers = 64): AppSink {
  const sink = new AppSink('out');
  sink.set('max-buffers', maxBuffers);
  return sink;
}

describe('Pipeline.fromReadable / fromWebStream', () => {
  it('builds appsrc ! then…, with caps, and the Readable end is EOS', async () => {
    const reg = defaultRegistry();
    const sink = appsink();
    const p = Pipeline.fromReadable(Readable.from([new TextEncoder().encode('ab'), 'cd']), {
      caps: 'application/x-test', name: 'input', then: [reg.make('queue'), sink], pipeline: { name: 'fromfile' },
    });
    expect(p.name).toBe('fromfile');
    expect(p.elements.map((e) => e.metadata.factory)).toEqual(['appsrc', 'queue', 'appsink']);
    const done = p.run();
    const got: string[] = [];
    for await (const buf of sink) {
      got.push(new TextDecoder().decode(buf.data));
      buf.release();
    }
    await done;
    expect(got).toEqual(['ab', 'cd']);
    expect(p.get('input')!.srcPads[0]!.caps?.toString()).toContain('application/x-test');
  });

  it('stops reading the Readable while the pipeline does not take data', async () => {
    const source = patternReadable(64 * 1024 * 1024);
    const p = Pipeline.fromReadable(source.readable, { then: [appsink(2)] });
    const done = p.run().catch((e: unknown) => e);
    await sleep(50);
    const first = source.produced();
    await sleep(50);
    // Nobody pulls from appsink: the reading stopped at a bounded level and stays there.
    expect(source.produced()).toBe(first);
    expect(first).toBeLessThan(16 * 65536);
    expect(source.readable.isPaused() || source.readable.readableLength >= source.readable.readableHighWaterMark).toBe(true);
    await p.suspend();
    await done;
    // The pipeline stopped before the Readable ended: it is destroyed (its file would be closed).
    await sleep(1);
    expect(source.readable.destroyed).toBe(true);
  });

  it('a Readable error fails the pipeline naming the appsrc and the stream', async () => {
    const failing = new Readable({
      read(): void {
        this.destroy(new Error('EIO: i/o error'));
      },
    });
    (failing as unknown as { path: string }).path = '/tmp/input.wav';
    const p = Pipeline.fromReadable(failing, { then: [appsink()] });
    await expect(p.run()).rejects.toThrow(/^src: stream error from \/tmp\/input\.wav: EIO: i\/o error/);
  });

  it('a web stream error fails the pipeline; the stream is cancelled when the pipeline stops first', async () => {
    const failing = new ReadableStream<Uint8Array>({
      pull(controller): void {
        controller.error(new Error('network down'));
      },
    });
    const p = Pipeline.fromWebStream(failing, { then: [appsink()], label: 'the response body' });
    await expect(p.run()).rejects.toThrow(/^src: stream error from the response body: network down/);

    let cancelled: unknown = 'no';
    const endless = new ReadableStream<Uint8Array>({
      pull(controller): void {
        controller.enqueue(new Uint8Array(1024));
      },
      cancel(reason): void {
        cancelled = reason;
      },
    });
    const q = Pipeline.fromWebStream(endless, { then: [appsink(2)] });
    const done = q.run().catch(() => {});
    await sleep(20);
    await q.suspend();
    await done;
    await sleep(1);
    expect(cancelled).toBeUndefined();
  });

  it('a second run fails at once, naming the appsrc: the stream was read by the first', async () => {
    const p = Pipeline.fromReadable(Readable.from([new TextEncoder().encode('once')]), { then: [new AppSink('out')] });
    const done = p.run();
    for await (const _ of p.toReadable('out')) void _;
    await done;
    await expect(p.run()).rejects.toThrow('src: the readable stream was consumed by a previous run; a stream can be read once');
    expect(p.state).toBe('suspended');
  });
});
