import { Source, type Produced } from '../../element/base/source.js';
import { FlowResult } from '../../element/flow.js';
import type { ElementMetadata } from '../../element/metadata.js';
import { VALUE_CAPS_TEXT, valueBatch } from '../value-batch.js';

/** What a typed pipeline can start from. */
export type ValueInput<T> = Iterable<T> | AsyncIterable<T>;

/** Items per batch from a synchronous iterable: large enough that per-buffer costs vanish, small enough to stream. */
export const DEFAULT_CHUNK = 1024;

/**
 * Source/Typed. The start of a typed pipeline (`Pipeline.from(iterable)`): pulls values from an
 * iterable or async iterable and pushes them as value batches. A synchronous iterable is read
 * `chunk` items at a time (an array is sliced); an async iterable's items go out one batch per item, as they come, so
 * a live source keeps its latency. Backpressure is the streaming task's: nothing is read while
 * downstream blocks. An iterator that throws fails the pipeline with this element's name.
 *
 * Not in the registry (its input is a JavaScript object); event-loop streaming task.
 */
export class ValueSource<T> extends Source {
  static readonly metadata: ElementMetadata = {
    factory: 'valuesrc',
    classification: 'Source/Typed',
    description: 'Push the values of an iterable or async iterable as value batches',
    example: '',
    padTemplates: [{ name: 'src', direction: 'src', presence: 'always', caps: VALUE_CAPS_TEXT }],
    properties: {},
    affinity: 'async',
    rtSafe: false,
  };

  private sync: Iterator<T> | null = null;
  private async: AsyncIterator<T> | null = null;
  /** An array input is sliced rather than iterated: a tenth of the cost per item. */
  private array: readonly T[] | null = null;
  private at = 0;

  constructor(name: string, private readonly input: ValueInput<T>, private readonly chunk = DEFAULT_CHUNK) {
    super(name);
  }

  override start(): void {
    super.start();
    const input = this.input as Partial<Iterable<T> & AsyncIterable<T>>;
    this.sync = null;
    this.async = null;
    this.array = null;
    this.at = 0;
    if (Array.isArray(input)) this.array = input as readonly T[];
    else if (typeof input[Symbol.iterator] === 'function') this.sync = input[Symbol.iterator]!();
    else if (typeof input[Symbol.asyncIterator] === 'function') this.async = input[Symbol.asyncIterator]!();
    else throw new TypeError(`${this.name}: expected an iterable or async iterable, got ${describe(this.input)}`);
  }

  override stop(): void {
    // An iterator stopped early (take, an error downstream, a cancelled run) is told so it can close what it holds.
    void this.sync?.return?.();
    void this.async?.return?.()?.catch(() => undefined);
    this.sync = this.async = null;
    this.array = null;
  }

  protected override create(): Produced | Promise<Produced> {
    if (this.array !== null) return this.fromArray(this.array);
    if (this.sync !== null) return this.fromSync(this.sync);
    if (this.async !== null) return this.fromAsync(this.async);
    return FlowResult.EOS;
  }

  private fromArray(array: readonly T[]): Produced {
    if (this.at >= array.length) return FlowResult.EOS;
    const values = array.slice(this.at, this.at + this.chunk);
    this.at += values.length;
    return valueBatch(this.context.allocator, values);
  }

  private fromSync(it: Iterator<T>): Produced {
    const values: T[] = [];
    try {
      for (let i = 0; i < this.chunk; i++) {
        const r = it.next();
        if (r.done === true) {
          this.sync = null;
          break;
        }
        values.push(r.value);
      }
    } catch (e) {
      return this.error(`the source iterable threw after ${values.length} items of this batch: ${message(e)}`, e);
    }
    return values.length === 0 ? FlowResult.EOS : valueBatch(this.context.allocator, values);
  }

  private async fromAsync(it: AsyncIterator<T>): Promise<Produced> {
    let r: IteratorResult<T>;
    try {
      r = await it.next();
    } catch (e) {
      return this.error(`the source async iterable threw: ${message(e)}`, e);
    }
    if (r.done === true) {
      this.async = null;
      return FlowResult.EOS;
    }
    return valueBatch(this.context.allocator, [r.value]);
  }
}

function message(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

function describe(v: unknown): string {
  return v === null ? 'null' : typeof v === 'object' ? (v.constructor?.name ?? 'an object') : typeof v;
}
