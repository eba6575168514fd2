import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { Pipeline } from '../../src/index.js';

const range = (n: number): number[] => Array.from({ length: n }, (_, i) => i);
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

describe('the sink after a stop', () => {
  it('an aborted run calls an async consumer no more, even in the middle of a batch', async () => {
    const ac = new AbortController();
    let calls = 0;
    // One batch of 1024 values: the sink is on its slow path (one awaited call per value) when the run is aborted.
    const run = Pipeline.from(range(5000)).to(async () => {
      calls++;
      await sleep(1);
    }).run({ signal: ac.signal });
    setTimeout(() => ac.abort(), 30);
    await expect(run).rejects.toThrow(/aborted/);
    const atReject = calls;
    expect(atReject).toBeLessThan(1024);
    await sleep(60);
    expect(calls).toBe(atReject);
  });
});

describe('target failures name the sink', () => {
  it('a WritableStream write that fails while values are queued fails the run at EOS', async () => {
    const seen: number[] = [];
    const ws = new WritableStream<number>({
      write(v) {
        seen.push(v);
        if (v === 3) throw new Error('ws write failed at 3');
      },
    }, new CountQueuingStrategy({ highWaterMark: 100 }));
    await expect(Pipeline.from([1, 2, 3, 4, 5]).to(ws).run()).rejects.toThrow(/^to0: finishing at EOS failed: ws write failed at 3$/);
    expect(seen).toEqual([1, 2, 3]);
  });

  it('a WritableStream write failure seen before the next value fails the render, naming a named sink', async () => {
    const ws = new WritableStream<number>({
      async write(v) {
        await sleep(0);
        if (v === 3) throw new Error('no room at 3');
      },
    }, new CountQueuingStrategy({ highWaterMark: 1 }));
    await expect(Pipeline.from(range(100)).to(ws, { name: 'out' }).run()).rejects.toThrow(/^out: render failed: no room at 3$/);
  });

  it('a WritableStream whose close fails fails the run naming the sink', async () => {
    const ws = new WritableStream<number>({
      close() {
        throw new Error('close broke');
      },
    });
    await expect(Pipeline.from([1, 2]).to(ws).run()).rejects.toThrow(/^to0: finishing at EOS failed: close broke$/);
  });

  it('a Node Writable whose end fails fails the run naming the sink', async () => {
    const w = new Writable({
      objectMode: true,
      write: (_c, _e, cb) => cb(),
      final: (cb) => cb(new Error('final broke')),
    });
    w.on('error', () => {});
    await expect(Pipeline.from([1, 2]).to(w).run()).rejects.toThrow(/^to0: finishing at EOS failed: final broke$/);
  });
});
