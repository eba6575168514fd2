import { describe, expect, it } from 'vitest';
import { Pipeline } from '../../src/index.js';

async function* slow(n: number): AsyncGenerator<number> {
  for (let i = 0; i < n; i++) {
    await new Promise((r) => setTimeout(r, 5));
    yield i;
  }
}

describe('the async iterator of a flow', () => {
  it('next() called again before the last settled: each call gets its own value, in order', async () => {
    const it = Pipeline.from(slow(3))[Symbol.asyncIterator]();
    const got = await Promise.all([it.next(), it.next(), it.next(), it.next(), it.next()]);
    expect(got).toEqual([
      { done: false, value: 0 },
      { done: false, value: 1 },
      { done: false, value: 2 },
      { done: true, value: undefined },
      { done: true, value: undefined },
    ]);
  });

  it('return() settles every waiting next() with done and stops the run', async () => {
    let pulled = 0;
    async function* idle(): AsyncGenerator<number> {
      pulled++;
      yield 1;
      await new Promise(() => {});
    }
    const it = Pipeline.from(idle())[Symbol.asyncIterator]();
    expect(await it.next()).toEqual({ done: false, value: 1 });
    const waiting = [it.next(), it.next()];
    await new Promise((r) => setTimeout(r, 10));
    expect(await it.return!()).toEqual({ done: true, value: undefined });
    expect(await Promise.all(waiting)).toEqual([{ done: true, value: undefined }, { done: true, value: undefined }]);
    expect(await it.next()).toEqual({ done: true, value: undefined });
    expect(pulled).toBe(1);
  });

  it('a stage error goes to the first waiting next(), the others get done', async () => {
    const it = Pipeline.from(slow(3)).map((x) => {
      if (x === 1) throw new Error('one');
      return x;
    })[Symbol.asyncIterator]();
    const got = await Promise.allSettled([it.next(), it.next(), it.next()]);
    expect(got[0]).toEqual({ status: 'fulfilled', value: { done: false, value: 0 } });
    expect(got[1]).toMatchObject({ status: 'rejected', reason: { message: expect.stringMatching(/^map0: the map function threw at item 1: one$/) } });
    expect(got[2]).toEqual({ status: 'fulfilled', value: { done: true, value: undefined } });
  });
});
