import type { Buffer } from '../../element/buffer.js';
import { Sink } from '../../element/base/sink.js';
import { FlowResult } from '../../element/flow.js';
import type { ElementMetadata } from '../../element/metadata.js';
import { VALUE_CAPS_TEXT } from '../value-batch.js';

/** What a typed pipeline ends in: a function called with each value, in order. */
export type ValueConsumer<T> = (value: T) => void | Promise<void>;

/**
 * Sink/Typed. The end of a typed pipeline: calls the consumer with every value of every batch,
 * in order. A consumer that returns a promise is awaited before the next value, and the pipeline
 * waits with it (the sink blocks upstream), so a slow consumer slows the source instead of
 * queueing values. A consumer that throws or rejects fails the pipeline naming this sink.
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

  constructor(name: string, private readonly consumer: ValueConsumer<T>) {
    super(name);
  }

  protected override render(buf: Buffer): FlowResult | Promise<FlowResult> {
    const values = buf.values;
    if (values === undefined) return this.error(`expected value batches from a typed stage, got a ${buf.size}-byte buffer`);
    const consumer = this.consumer;
    for (let i = 0; i < values.length; i++) {
      const r = consumer(values[i] as T);
      if (r !== undefined && typeof (r as Promise<void>).then === 'function') return this.awaitRest(values, i, r);
    }
    return FlowResult.OK;
  }

  /** The slow path: the consumer returned a promise at item `i`; the rest go one at a time. */
  private async awaitRest(values: readonly unknown[], i: number, pending: Promise<void>): Promise<FlowResult> {
    await pending;
    for (let j = i + 1; j < values.length; j++) await this.consumer(values[j] as T);
    return FlowResult.OK;
  }
}
