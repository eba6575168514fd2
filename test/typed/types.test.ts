import { Writable } from 'node:stream';
import { describe, expectTypeOf, it } from 'vitest';
import { Pipeline, moduleFunction, stage, type Flow, type Stage } from '../../src/index.js';

// Checked by the compiler (`npm run typecheck` covers test/): each `@ts-expect-error` line must
// fail to compile, or the type-check fails. The runtime part only builds flows.

interface Reading {
  readonly sensor: string;
  readonly celsius: number;
}
const readings: Reading[] = [{ sensor: 'a', celsius: 21.5 }];

describe('types flow through a typed pipeline', () => {
  it('map changes the item type; filter with a guard narrows it; batch makes arrays', () => {
    const f = Pipeline.from(readings);
    expectTypeOf(f).toEqualTypeOf<Flow<Reading>>();
    expectTypeOf(f.map((r) => r.celsius)).toEqualTypeOf<Flow<number>>();
    expectTypeOf(f.map((r) => r.celsius).batch(10)).toEqualTypeOf<Flow<number[]>>();
    const mixed = Pipeline.from<string | number>(['a', 1]);
    expectTypeOf(mixed.filter((v): v is string => typeof v === 'string')).toEqualTypeOf<Flow<string>>();
    expectTypeOf(mixed.filter((v) => v !== 0)).toEqualTypeOf<Flow<string | number>>();
    expectTypeOf(f.take(1).skip(1).tap(() => {})).toEqualTypeOf<Flow<Reading>>();
  });

  it('merge, zip and join give unions and pairs', () => {
    const a = Pipeline.from([1, 2]);
    const b = Pipeline.from(['x']);
    expectTypeOf(a.merge(b)).toEqualTypeOf<Flow<number | string>>();
    // With no others, the flow's own type (not Flow<unknown>); others of several types make a union.
    expectTypeOf(a.merge()).toEqualTypeOf<Flow<number>>();
    expectTypeOf(a.merge(b, Pipeline.from([true]))).toEqualTypeOf<Flow<number | string | boolean>>();
    const many: Flow<string>[] = [];
    expectTypeOf(a.merge(...many)).toEqualTypeOf<Flow<number | string>>();
    // @ts-expect-error a merge of strings is not a Flow<number>
    const _notNumbers: Flow<number> = a.merge(b);
    expectTypeOf(a.zip(b)).toEqualTypeOf<Flow<[number, string]>>();
    expectTypeOf(a.join(b, { within: 10, on: (n, s) => s.length === n })).toEqualTypeOf<Flow<[number, string]>>();
    // @ts-expect-error the join predicate's second argument is a string, not a number
    a.join(b, { within: 10, on: (_n: number, s: number) => s > 0 });
  });

  it('a stage or target of another item type does not compile', () => {
    const celsius = Pipeline.from(readings).map((r) => r.celsius);
    // @ts-expect-error a number has no `sensor`
    celsius.map((c) => c.sensor);
    // @ts-expect-error the target takes strings, the flow gives numbers
    celsius.to((s: string) => void s.toUpperCase());
    const toFahrenheit: Stage<number, number> = stage<number>().map((c) => c * 1.8 + 32);
    const label: Stage<string, string> = stage<string>().map((s) => `[${s}]`);
    expectTypeOf(celsius.through(toFahrenheit)).toEqualTypeOf<Flow<number>>();
    // @ts-expect-error a Stage<string, string> cannot follow a Flow<number>
    celsius.through(label);
    // A Writable takes anything, so it always fits; a WritableStream is typed.
    celsius.to(new Writable({ objectMode: true }));
    // @ts-expect-error a WritableStream<string> cannot take numbers
    celsius.to(new WritableStream<string>());
  });

  it('a module function is held to the types it declares', () => {
    const url = new URL('../fixtures/typed/stages.mjs', import.meta.url);
    const toF = moduleFunction<Reading, { fahrenheit: number }>(url, 'toFahrenheit');
    expectTypeOf(Pipeline.from(readings).map(toF)).toEqualTypeOf<Flow<{ fahrenheit: number }>>();
    // @ts-expect-error the module function takes Readings, the flow gives numbers
    Pipeline.from([1, 2]).map(toF);
    // @ts-expect-error a filter's module function must return boolean
    Pipeline.from(readings).filter(toF);
    // A reusable stage takes module functions for filter and tap too, held to the same types.
    const warm = moduleFunction<Reading, boolean>(url, 'isWarm');
    expectTypeOf(stage<Reading>().filter(warm).tap(moduleFunction<Reading, unknown>(url, 'note'))).toEqualTypeOf<Stage<Reading, Reading>>();
    // @ts-expect-error a filter's module function must return boolean
    stage<Reading>().filter(toF);
    // @ts-expect-error the module function takes Readings, the stage gives numbers
    stage<number>().tap(moduleFunction<Reading, unknown>(url, 'note'));
  });

  it('collect and for await give the item type', async () => {
    const f = Pipeline.from(readings).map((r) => r.sensor);
    expectTypeOf(f.collect()).toEqualTypeOf<Promise<string[]>>();
    for await (const v of Pipeline.from([1]).zip(f.take(0))) expectTypeOf(v).toEqualTypeOf<[number, string]>();
  });
});
