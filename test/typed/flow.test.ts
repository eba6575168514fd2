import { Readable, Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { Pipeline, leakedBuffers, stage } from '../../src/index.js';
import { counter } from './counter.js';

const range = (n: number): number[] => Array.from({ length: n }, (_, i) => i);

describe('typed stages', () => {
  it.each([
    ['map', (f: ReturnType<typeof Pipeline.from<number>>) => f.map((x) => x * 10), [0, 10, 20, 30, 40]],
    ['filter', (f: ReturnType<typeof Pipeline.from<number>>) => f.filter((x) => x % 2 === 0), [0, 2, 4]],
    ['take', (f: ReturnType<typeof Pipeline.from<number>>) => f.take(2), [0, 1]],
    ['skip', (f: ReturnType<typeof Pipeline.from<number>>) => f.skip(3), [3, 4]],
    ['batch', (f: ReturnType<typeof Pipeline.from<number>>) => f.batch(2), [[0, 1], [2, 3], [4]]],
    ['take(0)', (f: ReturnType<typeof Pipeline.from<number>>) => f.take(0), []],
    ['skip past the end', (f: ReturnType<typeof Pipeline.from<number>>) => f.skip(9), []],
  ] as const)('%s', async (_name, apply, expected) => {
    expect(await apply(Pipeline.from(range(5))).collect()).toEqual(expected);
  });

  it('keeps order and values across batch boundaries (chunk 3)', async () => {
    const out = await Pipeline.from(range(100), { chunk: 3 }).skip(5).map((x, i) => [x, i] as const).take(7).collect();
    expect(out).toEqual(range(7).map((i) => [i + 5, i]));
  });

  it('take(0) ends at once, even on an async source that never sends a value', async () => {
    let asked = 0;
    async function* idle(): AsyncGenerator<number> {
      asked++;
      await new Promise(() => {});
      yield 0; // never reached
    }
    const started = Date.now();
    expect(await Pipeline.from(idle()).map((x) => x + 1).take(0).collect()).toEqual([]);
    expect(Date.now() - started).toBeLessThan(1000);
    expect(asked).toBeLessThanOrEqual(1);
  });

  it('merge with no others is the flow itself', async () => {
    const f = Pipeline.from([1, 2, 3]);
    expect(f.merge()).toBe(f);
    expect(await f.merge(...[]).collect()).toEqual([1, 2, 3]);
  });

  it('tap sees every value and passes them on', async () => {
    const seen: number[] = [];
    expect(await Pipeline.from([3, 1, 2]).tap((x) => seen.push(x)).collect()).toEqual([3, 1, 2]);
    expect(seen).toEqual([3, 1, 2]);
  });

  it('take stops an endless source and leaves no buffer behind', async () => {
    const src = counter();
    const out = await Pipeline.from(src, { chunk: 16 }).map((x) => x + 1).take(40).collect();
    expect(out).toEqual(range(40).map((x) => x + 1));
    // Reading stops within a batch of where take ended.
    expect(src.pulled).toBeLessThanOrEqual(48);
    expect(leakedBuffers()).toBe(0);
  });

  it('reuses a stage made with stage<In>()', async () => {
    const parse = stage<string>().map((s) => Number.parseInt(s, 16)).filter((n) => !Number.isNaN(n));
    expect(await Pipeline.from(['ff', 'zz', '10']).through(parse).collect()).toEqual([255, 16]);
  });

  it('a batch with a user-given name appears under that name in the engine pipeline', async () => {
    const t = Pipeline.from([1], { name: 'numbers' }).map((x) => x, { name: 'identity' }).to(() => {}, { name: 'out', pipelineName: 'mine' });
    expect(t.pipeline.name).toBe('mine');
    expect(t.pipeline.elements.map((e) => e.name)).toEqual(['numbers', 'identity', 'out']);
    await t.run();
  });
});

describe('sources', () => {
  it('reads an async iterable', async () => {
    async function* gen(): AsyncGenerator<string> {
      for (const s of ['a', 'b', 'c']) {
        await new Promise((r) => setTimeout(r, 1));
        yield s;
      }
    }
    expect(await Pipeline.from(gen()).map((s) => s.toUpperCase()).collect()).toEqual(['A', 'B', 'C']);
  });

  it('reads a Node Readable in object mode and a ReadableStream', async () => {
    expect(await Pipeline.from(Readable.from([{ n: 1 }, { n: 2 }])).map((o: { n: number }) => o.n).collect()).toEqual([1, 2]);
    const web = new ReadableStream<number>({
      start(c) {
        c.enqueue(7);
        c.enqueue(8);
        c.close();
      },
    });
    expect(await Pipeline.from(web as unknown as AsyncIterable<number>).collect()).toEqual([7, 8]);
  });

  it('refuses what is not iterable, and bad counts, naming them', () => {
    expect(() => Pipeline.from(42 as unknown as number[])).toThrow(/iterable or async iterable, got number/);
    expect(() => Pipeline.from([1]).take(-1)).toThrow(/take takes a whole number >= 0, got -1/);
    expect(() => Pipeline.from([1]).batch(0)).toThrow(/batch size must be at least 1/);
    expect(() => Pipeline.from([1], { chunk: 0 })).toThrow(/chunk must be an integer >= 1/);
  });
});

describe('several inputs', () => {
  it('merge interleaves and keeps each input in order', async () => {
    const out = await Pipeline.from(range(50), { chunk: 4 }).merge(Pipeline.from(range(30).map((i) => `s${i}`), { chunk: 4 })).collect();
    expect(out).toHaveLength(80);
    expect(out.filter((v) => typeof v === 'number')).toEqual(range(50));
    expect(out.filter((v) => typeof v === 'string')).toEqual(range(30).map((i) => `s${i}`));
  });

  it('zip pairs in order and ends with the shorter input', async () => {
    const out = await Pipeline.from(range(10)).zip(Pipeline.from(['a', 'b', 'c'])).collect();
    expect(out).toEqual([[0, 'a'], [1, 'b'], [2, 'c']]);
  });

  it('zip holds a bounded number of values when one side is far ahead', async () => {
    const fast = counter(100_000);
    async function* slow(): AsyncGenerator<number> {
      for (let i = 0; i < 5; i++) {
        await new Promise((r) => setTimeout(r, 2));
        yield i;
      }
    }
    const out = await Pipeline.from(fast).zip(Pipeline.from(slow())).collect();
    expect(out).toEqual(range(5).map((i) => [i, i]));
    // The fast side waits once it is more than 4096 ahead (5 batches of 1024), and reads one
    // more batch when the slow side ends and releases it: never its whole input.
    expect(fast.pulled).toBeLessThanOrEqual(4096 + 2 * 1024);
  });

  it('join pairs values within the window, by their own times, with a key', async () => {
    const clicks = [{ t: 0, user: 'a' }, { t: 100, user: 'b' }, { t: 250, user: 'a' }];
    const views = [{ t: 5, user: 'a' }, { t: 90, user: 'b' }, { t: 95, user: 'a' }, { t: 400, user: 'a' }];
    const out = await Pipeline.from(clicks)
      .join(Pipeline.from(views), { within: 20, timeOf: (c) => c.t, otherTimeOf: (v) => v.t, on: (c, v) => c.user === v.user })
      .map(([c, v]) => `${c.user}@${c.t}-${v.t}`)
      .collect();
    expect(out.sort()).toEqual(['a@0-5', 'b@100-90']);
  });

  it('join refuses a negative window', () => {
    const t = Pipeline.from([1]).join(Pipeline.from([2]), { within: -1 }).to(() => {});
    expect(() => t.pipeline).toThrow(/join window must be a number of milliseconds >= 0, got -1/);
  });

  it('a flow used twice is built once and fanned out through a tee', async () => {
    const src = counter(10);
    const shared = Pipeline.from(src).map((x) => x * 2);
    const t = shared.zip(shared.map((x) => x + 1)).to(() => {});
    expect(t.pipeline.elements.map((e) => e.name)).toEqual(['from0', 'map0', 'tee0', 'map1', 'zip0', 'to0']);
    const out = await shared.zip(shared.map((x) => x + 1)).collect();
    expect(out).toEqual(range(10).map((x) => [2 * x, 2 * x + 1]));
    expect(src.pulled).toBe(10);
    const merged = await shared.merge(shared.filter((x) => x > 14)).collect();
    expect(merged.sort((a, b) => a - b)).toEqual([...range(10).map((x) => 2 * x), 16, 18].sort((a, b) => a - b));
  });

  it('a zip of two branches of one source never hangs when one branch starves', async () => {
    const shared = Pipeline.from(range(100_000));
    const warnings: string[] = [];
    const t = shared.zip(shared.filter((x) => x % 1000 === 0)).to(() => {});
    t.pipeline.bus.on('warning', (m) => warnings.push(`${m.source}: ${m.message}`));
    await t.run();
    const pairs = await shared.zip(shared.filter((x) => x % 1000 === 0)).collect();
    expect(pairs).toEqual(range(100).map((i) => [i, i * 1000]));
    expect(warnings.join('\n')).toMatch(/zip0: input a is \d+ values ahead of the other; both come from one source/);
  });
});

describe('targets and backpressure', () => {
  it('a slow async consumer slows the source: it is read one batch ahead at most', async () => {
    const src = counter(10_000);
    let got = 0;
    const maxAhead: number[] = [];
    await Pipeline.from(src, { chunk: 64 }).take(200).to(async () => {
      got++;
      maxAhead.push(src.pulled - got);
      if (got % 50 === 0) await new Promise((r) => setTimeout(r, 1));
    }).run();
    expect(got).toBe(200);
    expect(Math.max(...maxAhead)).toBeLessThanOrEqual(2 * 64);
  });

  it('writes into a Node Writable (object mode), waiting for drain', async () => {
    const written: number[] = [];
    let drains = 0;
    const w = new Writable({
      objectMode: true,
      highWaterMark: 4,
      write(chunk: number, _enc, cb) {
        written.push(chunk);
        setImmediate(cb);
      },
    });
    w.on('drain', () => drains++);
    await Pipeline.from(range(100)).to(w).run();
    expect(written).toEqual(range(100));
    expect(drains).toBeGreaterThan(10);
    expect(w.writableFinished).toBe(true);
  });

  it('writes into a WritableStream and closes it', async () => {
    const written: string[] = [];
    let closed = false;
    const ws = new WritableStream<string>({
      write: async (s) => {
        await new Promise((r) => setTimeout(r, 0));
        written.push(s);
      },
      close: () => void (closed = true),
    }, new CountQueuingStrategy({ highWaterMark: 2 }));
    await Pipeline.from(['x', 'y', 'z']).to(ws).run();
    expect(written).toEqual(['x', 'y', 'z']);
    expect(closed).toBe(true);
  });

  it('for await yields every value; break stops the pipeline', async () => {
    const all: number[] = [];
    for await (const v of Pipeline.from(range(3000)).map((x) => x * 2)) all.push(v);
    expect(all).toEqual(range(3000).map((x) => x * 2));

    const src = counter();
    const some: number[] = [];
    for await (const v of Pipeline.from(src)) {
      some.push(v);
      if (v === 9) break;
    }
    expect(some).toEqual(range(10));
    const pulled = src.pulled;
    await new Promise((r) => setTimeout(r, 20));
    expect(src.pulled).toBe(pulled);
    expect(pulled).toBeLessThan(4 * 1024);
  });
});

describe('errors name the stage', () => {
  it('a map function that throws fails the run with the stage and the item', async () => {
    const run = Pipeline.from(range(10), { chunk: 4 }).map((x) => {
      if (x === 6) throw new Error('six is right out');
      return x;
    }).collect();
    await expect(run).rejects.toThrow(/map0: the map function threw at item 6: six is right out/);
  });

  it('an iterator that throws fails the run naming the source', async () => {
    function* bad(): Generator<number> {
      yield 1;
      throw new Error('disk on fire');
    }
    await expect(Pipeline.from(bad()).collect()).rejects.toThrow(/from0: the source iterable threw after 1 items of this batch: disk on fire/);
  });

  it('a rejecting consumer fails the run naming the sink, and a Writable target is destroyed', async () => {
    await expect(Pipeline.from([1, 2]).to(async () => { throw new Error('nope'); }).run()).rejects.toThrow(/to0: render failed: nope/);
    const w = new Writable({ objectMode: true, write: (_c, _e, cb) => cb(new Error('full disk')) });
    w.on('error', () => {});
    await expect(Pipeline.from(range(10)).to(w).run()).rejects.toThrow(/to0: render failed: full disk/);
    expect(w.destroyed).toBe(true);
  });

  it('for await rethrows a stage error', async () => {
    const loop = async (): Promise<void> => {
      for await (const _ of Pipeline.from([1, 2, 3]).filter((x) => {
        if (x === 2) throw new TypeError('bad two');
        return true;
      })) { /* consume */ }
    };
    await expect(loop()).rejects.toThrow(/filter0: the filter function threw at item 1: bad two/);
  });
});
