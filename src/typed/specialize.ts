import { ItemError } from './item-error.js';

/**
 * A per-item loop compiled for one stage: `body` runs as `function name(input, seen)` with `fn`
 * and `ItemError` in scope (`seen` is the stage's count of items before this batch, or any
 * second argument the caller needs). V8 keeps type feedback per function, so one loop shared by
 * every map stage in the process would see every stage's function and value shapes and go
 * megamorphic (measured: 2.3x slower per item once a second, different pipeline had run;
 * bench/typed-map.mjs). A loop of its own per stage stays monomorphic. The bodies are constant
 * strings in operators.ts and value-sink.ts; only `fn`, a closure, varies, so nothing
 * user-supplied is compiled.
 */
export function specialize<F>(name: string, body: string, fn: unknown): F {
  return new Function('fn', 'ItemError', `return function ${name}(input, seen) {${body}\n};`)(fn, ItemError) as F;
}
