import { threadId } from 'node:worker_threads';
import { describe, expect, it } from 'vitest';
import { Pipeline, copyStats, moduleFunction, stage } from '../../src/index.js';
import { LOOP, threadEligibility } from '../../src/exec/threads/placement.js';

// Module stages run on data threads, which import the element from dist/ (`npm test` builds it).

interface Reading {
  readonly id: number;
  readonly celsius: number;
}
interface Converted {
  readonly id: number;
  readonly fahrenheit: number;
  readonly thread: number;
}
const stages = new URL('../fixtures/typed/stages.mjs', import.meta.url);
const toFahrenheit = moduleFunction<Reading, Converted>(stages, 'toFahrenheit');
const isWarm = moduleFunction<Converted, boolean>(stages, 'isWarm');
const readings: Reading[] = Array.from({ length: 5000 }, (_, id) => ({ id, celsius: id % 30 }));

describe('module stages on data threads', () => {
  it('map and filter run on one data thread and give the same values as on the event loop', async () => {
    const flow = Pipeline.from(readings).map(toFahrenheit).filter(isWarm);
    const t = flow.to(() => {});
    const names = t.pipeline.elements.map((e) => e.name);
    expect(names).toEqual(['from0', 'encode0', 'map0', 'filter0', 'decode0', 'to0']);
    const onThreads = await flow.collect();
    const onLoop = await Pipeline.from(readings).map(toFahrenheit, { thread: false }).filter(isWarm, { thread: false }).collect();
    expect(onThreads.map(({ id, fahrenheit }) => [id, fahrenheit])).toEqual(onLoop.map(({ id, fahrenheit }) => [id, fahrenheit]));
    expect(onThreads.length).toBe(readings.filter((r) => r.celsius * 1.8 + 32 > 50).length);
    expect(new Set(onThreads.map((c) => c.thread)).size).toBe(1);
    expect(onThreads[0]!.thread).not.toBe(threadId);
    expect(onLoop[0]!.thread).toBe(threadId);
  });

  it('places the run on a thread in the plan, and counts the encoding copies', async () => {
    const t = Pipeline.from(readings.slice(0, 100)).map(toFahrenheit).to(() => {});
    const before = copyStats().bytesCopied;
    await t.run();
    const map = t.pipeline.get('map0')!;
    expect(t.pipeline.plan?.placement.get(map)).toBeGreaterThanOrEqual(0);
    expect(t.pipeline.plan?.placement.get(t.pipeline.get('from0')!)).toBe(-1);
    // Encoded batches are copied into slots twice (into the thread, back out): counted, not hidden.
    expect(copyStats().bytesCopied - before).toBeGreaterThan(0);
  });

  it('json codec, and a structured batch keeps Maps and Dates', async () => {
    const json = await Pipeline.from(readings.slice(0, 10)).map(toFahrenheit, { codec: 'json' }).collect();
    expect(json.map((c) => c.id)).toEqual([...Array(10).keys()]);
    const maps = await Pipeline.from(readings.slice(0, 3)).map(moduleFunction<Reading, Map<string, unknown>>(stages, 'tagged')).collect();
    expect(maps[2]).toEqual(new Map<string, unknown>([['id', 2], ['when', new Date(0)]]));
  });

  it('a module function that throws fails the run naming the stage, the export and the item', async () => {
    const run = Pipeline.from(readings.slice(0, 20)).map(moduleFunction<Reading, Reading>(stages, 'explode')).collect();
    await expect(run).rejects.toThrow(/map0: the map function explode threw at item 7: seven is bad luck/);
  });

  it('a missing module or export fails prepare naming them', async () => {
    await expect(Pipeline.from([1]).map(moduleFunction<number, number>(stages, 'nope')).collect()).rejects.toThrow(/map0.*has no function export "nope" \(found undefined\)/);
    await expect(Pipeline.from([1]).map(moduleFunction<number, number>(stages, 'notAFunction'), { thread: false }).collect()).rejects.toThrow(/has no function export "notAFunction" \(found number\)/);
    const missing = new URL('../fixtures/typed/missing.mjs', import.meta.url);
    await expect(Pipeline.from([1]).map(moduleFunction<number, number>(missing, 'f')).collect()).rejects.toThrow(/cannot import .*missing\.mjs/);
  });

  it('refuses a relative module path and a bad codec', () => {
    expect(() => moduleFunction('./stages.mjs', 'f')).toThrow(/needs a URL or an absolute path a data thread can import, got "\.\/stages\.mjs"/);
    expect(() => Pipeline.from(readings).map(toFahrenheit, { codec: 'xml' as 'json' })).toThrow(/codec must be one of structured, json, got xml/);
  });

  it('a module stage with { thread: false } stays on the event loop whatever the scheduling', async () => {
    const stamp = moduleFunction<Converted, Converted>(stages, 'stamp');
    // After a thread stage (the pipeline is then hybrid), alone under hybrid, and under realtime.
    const flows = [
      [Pipeline.from(readings).map(toFahrenheit).map(stamp, { thread: false, name: 'loop' }), {}],
      [Pipeline.from(readings).map(toFahrenheit, { thread: false, name: 'loop' }), { scheduling: 'hybrid' }],
      [Pipeline.from(readings).map(toFahrenheit, { thread: false, name: 'loop' }), { scheduling: 'realtime' }],
    ] as const;
    for (const [flow, options] of flows) {
      const out: Converted[] = [];
      const t = flow.to((c) => void out.push(c), options);
      await t.run();
      const loop = t.pipeline.get('loop')!;
      expect(threadEligibility(loop)).not.toBeNull();
      expect(loop.metadata.affinity).toBe('async');
      // No plan: nothing runs on a thread.
      expect(t.pipeline.plan?.placement.get(loop) ?? LOOP).toBe(LOOP);
      expect(out.map((c) => c.thread)).toEqual(readings.map(() => threadId));
      expect(out.map((c) => [c.id, c.fahrenheit])).toEqual(readings.map((r) => [r.id, r.celsius * 1.8 + 32]));
    }
  });

  it('an input that cannot be encoded for the thread fails the run naming the module stage', async () => {
    const run = Pipeline.from([1, 2]).map((x) => () => x).map(toFahrenheit as never, { name: 'convert' }).collect();
    await expect(run).rejects.toThrow(/^convert: cannot encode its input for the data thread, a batch of 2 values as structured: .*could not be cloned\. \(in encode0\)$/);
  });

  it('a reusable stage takes module functions for filter and tap, and runs them on a data thread', async () => {
    const evens = stage<Reading>().filter(moduleFunction<Reading, boolean>(stages, 'hasEvenId')).tap(moduleFunction<Reading, unknown>(stages, 'note'));
    const t = Pipeline.from(readings).through(evens).to(() => {});
    expect(t.pipeline.elements.map((e) => e.name)).toEqual(['from0', 'encode0', 'filter0', 'tap0', 'decode0', 'to0']);
    await t.run();
    const filter = t.pipeline.plan?.placement.get(t.pipeline.get('filter0')!);
    expect(filter).toBeGreaterThanOrEqual(0);
    expect(t.pipeline.plan?.placement.get(t.pipeline.get('tap0')!)).toBe(filter);
    expect(await Pipeline.from(readings).through(evens).collect()).toEqual(readings.filter((r) => r.id % 2 === 0));
  });

  it('the json codec changes values as codec.ts says; structured keeps them', async () => {
    const dated = moduleFunction<Reading, { id: number; when: Date; gone: undefined }>(stages, 'dated');
    const [json] = await Pipeline.from(readings.slice(0, 1)).map(dated, { codec: 'json' }).collect();
    expect(json).toEqual({ id: 0, when: '1970-01-01T00:00:00.000Z' });
    expect('gone' in json!).toBe(false);
    const [structured] = await Pipeline.from(readings.slice(0, 1)).map(dated).collect();
    expect(structured).toEqual({ id: 0, when: new Date(0), gone: undefined });
    expect('gone' in structured!).toBe(true);
  });
});
