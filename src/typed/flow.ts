import { ParallaxError } from '../errors.js';
import type { Pipeline, PipelineOptions, RunOptions } from '../exec/pipeline.js';
import type { JoinOptions } from './elements/value-join.js';
import { DEFAULT_CHUNK, type ValueInput } from './elements/value-source.js';
import type { FlowNode } from './flow-graph.js';
import { iterate } from './iterate.js';
import { materialize } from './materialize.js';
import {
  type BatchOperator, batchOperator, filterOperator, mapOperator, skipOperator, takeOperator, tapOperator,
} from './operators.js';
import { VALUE_CODECS, type ValueCodec } from './codec.js';
import { isModuleFunction, type ModuleFunction } from './module-function.js';
import { consumerFor, type Consumer, type FlowTarget } from './targets.js';

/** Options a stage method takes: the element's name in the engine (bus messages, stats, errors). */
export interface StageOptions {
  readonly name?: string;
}

/** Options of a stage whose function is a module export (`moduleFunction`). */
export interface ModuleStageOptions extends StageOptions {
  /** Run on a data thread (default true): the flow's pipeline is then scheduled `hybrid`. */
  readonly thread?: boolean;
  /** How batches are encoded to cross to and from the thread (default `structured`). */
  readonly codec?: ValueCodec;
}

/** Options for `Pipeline.from`. */
export interface FromOptions extends StageOptions {
  /** Items per batch read from a synchronous iterable (default 1024). */
  readonly chunk?: number;
}

/** Options for running a flow: the engine pipeline's options, its name, the sink's name, and an abort signal. */
export interface FlowRunOptions extends PipelineOptions, StageOptions {
  readonly pipelineName?: string;
  readonly signal?: AbortSignal;
}

/**
 * A typed stream of `T` values: what `Pipeline.from(source)` returns and each stage method
 * extends. A flow is a description; nothing runs until it is ended with `to(target)` (then
 * `run()`), `collect()` or `for await`. Each stage becomes an element of an ordinary engine
 * pipeline (value batches, doc/design/008-typed-pipelines.md), so a typed pipeline has the
 * bus, errors naming the stage, and stats of any other.
 *
 * Types flow through the chain: `map` changes the item type, a type-guard `filter` narrows it,
 * `batch` makes arrays, `zip` and `join` make pairs, and `through`/`to` only accept a stage or
 * target of the flow's item type.
 */
export class Flow<T> {
  /** @internal */
  constructor(readonly node: FlowNode) {}

  /** Each value through `fn`: a function, or a module export that may run on a data thread. */
  map<U>(fn: (value: T, index: number) => U, options?: StageOptions): Flow<U>;
  map<U>(fn: ModuleFunction<T, U>, options?: ModuleStageOptions): Flow<U>;
  map<U>(fn: ((value: T, index: number) => U) | ModuleFunction<T, U>, options: ModuleStageOptions = {}): Flow<U> {
    if (typeof fn !== 'function') return this.moduleStage('map', fn, options);
    return this.stage('map', () => mapOperator(fn), options);
  }

  filter<S extends T>(fn: (value: T, index: number) => value is S, options?: StageOptions): Flow<S>;
  filter(fn: ((value: T, index: number) => boolean) | ModuleFunction<T, boolean>, options?: ModuleStageOptions): Flow<T>;
  filter(fn: ((value: T, index: number) => boolean) | ModuleFunction<T, boolean>, options: ModuleStageOptions = {}): Flow<T> {
    if (typeof fn !== 'function') return this.moduleStage('filter', fn, options);
    return this.stage('filter', () => filterOperator(fn), options);
  }

  /** Calls `fn` with each value and passes the values on unchanged. */
  tap(fn: ((value: T, index: number) => void) | ModuleFunction<T, unknown>, options: ModuleStageOptions = {}): Flow<T> {
    if (typeof fn !== 'function') return this.moduleStage('tap', fn, options);
    return this.stage('tap', () => tapOperator(fn), options);
  }

  /** The first `n` values; then the stream ends and the sources are stopped. */
  take(n: number, options: StageOptions = {}): Flow<T> {
    const k = count('take', n);
    return this.stage('take', () => takeOperator(k), options);
  }

  skip(n: number, options: StageOptions = {}): Flow<T> {
    const k = count('skip', n);
    return this.stage('skip', () => skipOperator(k), options);
  }

  /** Arrays of `n` values; the last may be shorter. */
  batch(n: number, options: StageOptions = {}): Flow<T[]> {
    const size = count('batch', n);
    if (size === 0) throw new ParallaxError('BAD_PROPERTY_VALUE', 'batch size must be at least 1, got 0');
    return this.stage('batch', () => batchOperator(size), options);
  }

  /** A reusable chain of stages (`stage<In>().map(...)`), applied here. */
  through<U>(stage: Stage<T, U>): Flow<U> {
    return stage.applyTo(this);
  }

  /**
   * The values of this flow and the others, interleaved as they come: a `Flow` of the union of
   * their item types. With no others it is this flow (`a.merge(...[])` is `a`).
   */
  merge<F extends readonly Flow<unknown>[]>(...others: F): Flow<T | ItemOf<F[number]>> {
    if (others.length === 0) return this as Flow<T | ItemOf<F[number]>>;
    return new Flow<T | ItemOf<F[number]>>({ kind: 'merge', from: [this.node, ...others.map((o) => o.node)] });
  }

  /** The n-th value of this flow paired with the n-th of `other`; ends with the shorter. */
  zip<U>(other: Flow<U>, options: StageOptions = {}): Flow<[T, U]> {
    return new Flow<[T, U]>({ kind: 'zip', a: this.node, b: other.node, ...named(options) });
  }

  /** Pairs of values, one from each flow, whose times are within `options.within` ms. */
  join<U>(other: Flow<U>, options: JoinOptions<T, U> & StageOptions): Flow<[T, U]> {
    return new Flow<[T, U]>({ kind: 'join', a: this.node, b: other.node, options: options as JoinOptions<unknown, unknown>, ...named(options) });
  }

  /** Ends the flow in `target`; returns the runnable pipeline. */
  to(target: FlowTarget<T>, options: FlowRunOptions = {}): TypedPipeline {
    return new TypedPipeline(this.node, target, options);
  }

  /** Runs the flow and resolves with every value. */
  async collect(options: FlowRunOptions = {}): Promise<T[]> {
    const out: T[] = [];
    await this.to((v) => void out.push(v), options).run();
    return out;
  }

  /** Runs the flow and yields its values; stopping early (`break`) stops the pipeline. */
  [Symbol.asyncIterator](): AsyncIterator<T> {
    return iterate<T>((consume, signal) => new TypedPipeline(this.node, consume, { signal }).run());
  }

  private stage<U>(op: string, operator: () => BatchOperator, options: StageOptions): Flow<U> {
    return new Flow<U>({ kind: 'stage', op, from: this.node, operator, ...named(options) });
  }

  private moduleStage<U>(op: 'map' | 'filter' | 'tap', fn: ModuleFunction<T, unknown>, options: ModuleStageOptions): Flow<U> {
    if (!isModuleFunction(fn)) throw new ParallaxError('BAD_PROPERTY_VALUE', `${op} takes a function or a moduleFunction(url, name), got ${fn === null ? 'null' : typeof fn}`);
    const codec = options.codec ?? 'structured';
    if (!VALUE_CODECS.includes(codec)) throw new ParallaxError('BAD_PROPERTY_VALUE', `codec must be one of ${VALUE_CODECS.join(', ')}, got ${String(codec)}`);
    return new Flow<U>({ kind: 'module', op, from: this.node, fn: fn as ModuleFunction<unknown, unknown>, thread: options.thread ?? true, codec, ...named(options) });
  }
}

/** The item type of a flow: `ItemOf<Flow<number>>` is `number`. */
export type ItemOf<F> = F extends Flow<infer U> ? U : never;

/**
 * A chain of stages not yet attached to a source, typed by what it takes and what it gives:
 * `const parse = stage<string>().map(JSON.parse).filter(isEvent)` is a `Stage<string, Event>`,
 * and `flow.through(parse)` compiles only on a `Flow<string>`.
 */
export class Stage<In, Out> {
  private constructor(private readonly build: (flow: Flow<In>) => Flow<Out>) {}

  /** An empty stage over `In`; extend it with the same methods as a flow. */
  static of<In>(): Stage<In, In> {
    return new Stage<In, In>((f) => f);
  }

  applyTo(flow: Flow<In>): Flow<Out> {
    return this.build(flow);
  }

  map<U>(fn: ((value: Out, index: number) => U) | ModuleFunction<Out, U>, options?: ModuleStageOptions): Stage<In, U> {
    return new Stage((f) => this.build(f).map(fn as ModuleFunction<Out, U>, options));
  }
  /** As `Flow.filter`: a function, a type guard, or a module export that may run on a data thread. */
  filter<S extends Out>(fn: (value: Out, index: number) => value is S, options?: StageOptions): Stage<In, S>;
  filter(fn: ((value: Out, index: number) => boolean) | ModuleFunction<Out, boolean>, options?: ModuleStageOptions): Stage<In, Out>;
  filter(fn: ((value: Out, index: number) => boolean) | ModuleFunction<Out, boolean>, options?: ModuleStageOptions): Stage<In, Out> {
    return new Stage((f) => this.build(f).filter(fn, options));
  }
  /** As `Flow.tap`: a function or a module export that may run on a data thread. */
  tap(fn: ((value: Out, index: number) => void) | ModuleFunction<Out, unknown>, options?: ModuleStageOptions): Stage<In, Out> {
    return new Stage((f) => this.build(f).tap(fn, options));
  }
  take(n: number, options?: StageOptions): Stage<In, Out> {
    return new Stage((f) => this.build(f).take(n, options));
  }
  skip(n: number, options?: StageOptions): Stage<In, Out> {
    return new Stage((f) => this.build(f).skip(n, options));
  }
  batch(n: number, options?: StageOptions): Stage<In, Out[]> {
    return new Stage((f) => this.build(f).batch(n, options));
  }
}

/** `stage<In>()`: an empty reusable stage over `In`. */
export function stage<In>(): Stage<In, In> {
  return Stage.of<In>();
}

/** A flow ended in a target: `run()` builds the engine pipeline and runs it to the end. */
export class TypedPipeline {
  private built: Pipeline | null = null;
  private readonly consumer: Consumer<unknown>;

  /** @internal */
  constructor(private readonly node: FlowNode, target: FlowTarget<never>, private readonly options: FlowRunOptions) {
    this.consumer = consumerFor<unknown>(target as FlowTarget<unknown>);
  }

  /** The engine pipeline (built on first use): its bus, stats and elements. */
  get pipeline(): Pipeline {
    return this.built ??= this.materialize();
  }

  private materialize(): Pipeline {
    const { name, pipelineName, signal: _signal, ...engine } = this.options;
    return materialize(this.node, this.consumer, { ...engine, ...(pipelineName === undefined ? {} : { name: pipelineName }), ...(name === undefined ? {} : { sinkName: name }) });
  }

  /**
   * Runs to the end; rejects with the first error (naming the stage) or ABORTED. The target is
   * closed by the sink at EOS, inside the run, so a failed close or a failed write fails the run
   * naming the sink (`to0: finishing at EOS failed: …`).
   */
  async run(options: RunOptions = {}): Promise<void> {
    const signal = options.signal ?? this.options.signal;
    try {
      await this.pipeline.run({ ...options, ...(signal === undefined ? {} : { signal }) });
    } catch (e) {
      this.consumer.abort(e);
      throw e;
    }
  }
}

/** `Pipeline.from(input)`: a typed flow over the values of an iterable or async iterable (a Node Readable in object mode, a ReadableStream). */
export function from<T>(input: ValueInput<T>, options: FromOptions = {}): Flow<T> {
  const chunk = options.chunk ?? DEFAULT_CHUNK;
  if (!Number.isInteger(chunk) || chunk < 1) throw new ParallaxError('BAD_PROPERTY_VALUE', `chunk must be an integer >= 1, got ${String(chunk)}`);
  const isIterable = input !== null && typeof input === 'object' && (Symbol.iterator in input || Symbol.asyncIterator in input);
  if (!isIterable && typeof input !== 'string') throw new ParallaxError('BAD_PROPERTY_VALUE', `Pipeline.from takes an iterable or async iterable, got ${input === null ? 'null' : typeof input}`);
  return new Flow<T>({ kind: 'source', input, chunk, ...named(options) });
}

function count(op: string, n: number): number {
  if (!Number.isInteger(n) || n < 0) throw new ParallaxError('BAD_PROPERTY_VALUE', `${op} takes a whole number >= 0, got ${String(n)}`);
  return n;
}

function named(options: StageOptions): { name?: string } {
  return options.name === undefined ? {} : { name: options.name };
}
