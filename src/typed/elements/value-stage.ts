import type { Buffer } from '../../element/buffer.js';
import { Element } from '../../element/element.js';
import { Events, type Event } from '../../element/event.js';
import { FlowResult } from '../../element/flow.js';
import type { ElementMetadata } from '../../element/metadata.js';
import type { Pad } from '../../element/pad.js';
import { ItemError, type BatchOperator } from '../operators.js';
import { VALUE_CAPS_TEXT, valueBatch } from '../value-batch.js';

/**
 * Filter/Typed. One typed stage with one input (map, filter, tap, take, skip, batch): runs its
 * operator over each value batch and pushes what it returns in the same buffer, so a stage
 * allocates no slot. A batch that comes out empty is dropped. When the operator is finished
 * (take) the stage sends EOS downstream and returns EOS upstream, which stops the source; one
 * finished from the start (take(0)) sends EOS right after the stream's segment.
 * A user function that throws fails the pipeline naming this stage and the item's index.
 *
 * Not in the registry (its work is a JavaScript function); event loop.
 */
export class ValueStage extends Element {
  static readonly metadata: ElementMetadata = {
    factory: 'valuestage',
    classification: 'Filter/Typed',
    description: 'Run a typed operator (map, filter, take, ...) over value batches',
    example: '',
    padTemplates: [
      { name: 'sink', direction: 'sink', presence: 'always', caps: VALUE_CAPS_TEXT },
      { name: 'src', direction: 'src', presence: 'always', caps: VALUE_CAPS_TEXT },
    ],
    properties: {},
    affinity: 'async',
    rtSafe: false,
  };

  private ended = false;

  constructor(name: string, readonly operator: BatchOperator, readonly kind: string) {
    super(name);
  }

  private get srcPad(): Pad {
    return this.pads[1]!;
  }

  override start(): void {
    this.ended = false;
    this.operator.reset();
  }

  override chain(_pad: Pad, buf: Buffer): FlowResult {
    const input = buf.values;
    if (this.ended) {
      buf.release();
      return FlowResult.EOS;
    }
    if (input === undefined) {
      buf.release();
      return this.error(`expected value batches from a typed stage, got a ${buf.size}-byte buffer`);
    }
    let out: readonly unknown[];
    try {
      out = this.operator.process(input);
    } catch (e) {
      buf.release();
      return this.failed(e);
    }
    let r: FlowResult = FlowResult.OK;
    if (out.length > 0) {
      buf.values = out;
      r = this.srcPad.push(buf);
    } else {
      buf.release();
    }
    if (this.operator.finished) {
      this.ended = true;
      this.srcPad.pushEvent(Events.eos());
      return FlowResult.EOS;
    }
    return r;
  }

  override sinkEvent(pad: Pad, ev: Event): boolean {
    if (ev.type === 'eos') {
      if (this.ended) return true;
      this.ended = true;
      const rest = this.operator.flush?.() ?? [];
      if (rest.length > 0) this.srcPad.push(valueBatch(this.context.allocator, rest));
    }
    if (ev.type === 'caps') pad.caps = ev.caps;
    const handled = this.forwardDownstream(ev);
    // An operator finished before any value (take(0)) ends the stream once the header is through,
    // without waiting for a value that an idle source may never send.
    if (ev.type === 'segment' && this.operator.finished && !this.ended) {
      this.ended = true;
      this.srcPad.pushEvent(Events.eos());
    }
    return handled;
  }

  private failed(e: unknown): FlowResult {
    const cause = e instanceof ItemError ? e.thrown : e;
    const where = e instanceof ItemError ? ` at item ${e.index}` : '';
    return this.error(`the ${this.kind} function threw${where}: ${e instanceof Error ? e.message : String(e)}`, cause);
  }
}
