import type { Buffer } from '../../element/buffer.js';
import { Sink } from '../../element/base/sink.js';
import { FlowResult } from '../../element/flow.js';
import type { ElementMetadata } from '../../element/metadata.js';
import { specialize } from '../specialize.js';
import { VALUE_CAPS_TEXT } from '../value-batch.js';

/** What a typed pipeline ends in: a function called with each value, in order. */
export type ValueConsumer<T> = (value: T) => void | Promise<void>;

/**
 * Sink/Typed. The end of a typed pipeline: calls the consumer with every value of every batch,
 * in order. A consumer that returns a promise is awaited before the next value, and the pipeline
 * waits with it (the sink blocks upstream), so a slow consumer slows the source instead of
 * queueing values. A consumer that throws or rejects fails the pipeline naming this sink, and so
 * does `end` (closing a Writable or WritableStream target) failing at EOS. Once the pipeline is
 * stopping (`unblock`), the consumer is not called again: the rest of a batch is dropped.
 *
 * Not in the registry (its consumer is a JavaScript function); event loop.
 */
export class ValueSink<T> extends Sink {
  static readonly metadata: ElementMetadata = {
    factory: 'valuesink',
    classification: 'Sink/Typed',
    description: 'Hand each value of the value batches to a function',
    example: '',
    padTemplates: [{ name: 'sink', direction: 'sink', presence: 'always', caps: VALUE_CAPS_TEXT }],
    properties: {},
    affinity: 'async',
    rtSafe: false,
  };

  /** Calls the consumer from item `from` on; stops at the first that returns a promise (its index, the promise in `pending`). */
  private readonly loop: (values: readonly unknown[], pending: [Promise<void> | undefined]) => number;
  private readonly pending: [Promise<void> | undefined] = [undefined];

  /** `end` runs at EOS after the last value (a target's close); a failure fails the pipeline naming this sink. */
  constructor(name: string, private readonly consumer: ValueConsumer<T>, private readonly end?: () => Promise<void>) {
    super(name);
    // A loop of its own, so the call site sees one consumer (specialize.ts says why).
    this.loop = specialize('consumeBatch', `
      for (let i = 0; i < input.length; i++) {
        const r = fn(input[i]);
        if (r !== undefined && typeof r.then === 'function') {
          seen[0] = r;
          return i;
        }
      }
      return -1;`, consumer);
  }

  override stop(): void {
    this.unblock();
  }

  protected override onEos(): void | Promise<void> {
    return this.end?.();
  }

  protected override render(buf: Buffer): FlowResult | Promise<FlowResult> {
    if (this.stopping) return FlowResult.FLUSHING;
    const values = buf.values;
    if (values === undefined) return this.error(`expected value batches from a typed stage, got a ${buf.size}-byte buffer`);
    const at = this.loop(values, this.pending);
    if (at < 0) return FlowResult.OK;
    const p = this.pending[0]!;
    this.pending[0] = undefined;
    return this.awaitRest(values, at, p);
  }

  /**
   * The slow path: the consumer returned a promise at item `i`; the rest go one at a time. A stop
   * (`unblock`) while it waits ends it: the values left are not handed to the consumer.
   */
  private async awaitRest(values: readonly unknown[], i: number, pending: Promise<void>): Promise<FlowResult> {
    await pending;
    for (let j = i + 1; j < values.length; j++) {
      if (this.stopping) return FlowResult.FLUSHING;
      await this.consumer(values[j] as T);
    }
    return this.stopping ? FlowResult.FLUSHING : FlowResult.OK;
  }
}
