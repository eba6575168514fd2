import { pipeline as pipe } from 'node:stream/promises';
import { describe, expect, it } from 'vitest';
import { launch } from '../../src/index.js';
import { patternReadable } from './streams.js';

// Needs the built workers: run `npx rollup -c` first.
describe('streams around a pipeline with data threads', () => {
  it('a Readable in and a Readable out, with volume on a data thread', async () => {
    const total = 4 * 1024 * 1024;
    const source = patternReadable(total, 4096);
    const p = launch('appsrc name=in caps=audio/x-raw,format=S16LE,rate=48000,channels=1,layout=interleaved ! volume volume=1.0 ! appsink name=out max-buffers=4', { scheduling: 'realtime', dataThreads: 1 });
    const done = p.run();
    const writing = pipe(source.readable, p.toWritable('in'));
    let got = 0;
    let ok = true;
    let threads = -1;
    for await (const c of p.toReadable('out')) {
      if (threads < 0) threads = p.plan?.threadCount ?? 0;
      const chunk = c as Uint8Array;
      for (let i = 0; i < chunk.byteLength; i++) if (chunk[i] !== ((got + i) & 0xff)) ok = false;
      got += chunk.byteLength;
    }
    await writing;
    await done;
    expect(threads).toBe(1);
    expect(got).toBe(total);
    expect(ok).toBe(true);
  });
});
