import type { Buffer } from '../../element/buffer.js';
import { Element } from '../../element/element.js';
import { Events, type Event } from '../../element/event.js';
import { FlowResult } from '../../element/flow.js';
import type { PadTemplateSpec } from '../../element/pad-template.js';
import type { Pad } from '../../element/pad.js';
import { VALUE_CAPS_TEXT, valueBatch } from '../value-batch.js';

/** The two inputs of a pair stage, by pad. */
export type Side = 0 | 1;

/** Pads of a two-input typed stage: `a` (the flow the method was called on) and `b` (its argument). */
export const PAIR_PAD_TEMPLATES: readonly PadTemplateSpec[] = [
  { name: 'a', direction: 'sink', presence: 'always', caps: VALUE_CAPS_TEXT },
  { name: 'b', direction: 'sink', presence: 'always', caps: VALUE_CAPS_TEXT },
  { name: 'src', direction: 'src', presence: 'always', caps: VALUE_CAPS_TEXT },
];

/**
 * Base of the typed stages with two inputs (zip, join). Each input is its own streaming task on
 * the event loop; `accept` sees one side's values at a time. The stream headers (stream-start,
 * caps, segment) go downstream from side `a` only. EOS goes downstream once, when the subclass
 * says the output is complete (`complete`), and from then on both inputs get EOS back, which
 * stops their sources. `holdBack` blocks one side's task until `release`, so a side that runs
 * ahead waits instead of queueing without bound.
 */
export abstract class PairElement extends Element {
  protected readonly ended: [boolean, boolean] = [false, false];
  private done = false;
  /** Set by `unblock` (the pipeline is stopping): no side is made to wait any more. */
  private stopping = false;
  private readonly waiting: [(() => void) | null, (() => void) | null] = [null, null];

  /** Takes one side's values; returns the result of pushing what they completed. */
  protected abstract accept(side: Side, values: readonly unknown[]): FlowResult;
  /** True when nothing more can come out (called after each input and each EOS). */
  protected abstract complete(): boolean;
  protected abstract resetState(): void;
  /** Hook: `side` has ended (EOS), before `complete` is asked. */
  protected sideEnded(_side: Side): void {}

  protected get srcPad(): Pad {
    return this.pads[2]!;
  }

  override start(): void {
    this.ended[0] = this.ended[1] = false;
    this.done = false;
    this.stopping = false;
    this.resetState();
  }

  override unblock(): void {
    this.stopping = true;
    this.release(0);
    this.release(1);
  }

  override chain(pad: Pad, buf: Buffer): FlowResult {
    const values = buf.values;
    buf.release();
    if (this.done) return FlowResult.EOS;
    if (values === undefined) return this.error(`expected value batches on pad ${pad.name}, got a byte buffer`);
    let r: FlowResult;
    try {
      r = this.accept(this.sideOf(pad), values);
    } catch (e) {
      return this.error(`the function threw: ${e instanceof Error ? e.message : String(e)}`, e);
    }
    if (this.complete()) return this.finish();
    return r;
  }

  override sinkEvent(pad: Pad, ev: Event): boolean {
    const side = this.sideOf(pad);
    if (ev.type === 'eos') {
      this.ended[side] = true;
      this.sideEnded(side);
      // The other side may be waiting for this one to catch up: it never will.
      this.release(side === 0 ? 1 : 0);
      if (!this.done && (this.complete() || (this.ended[0] && this.ended[1]))) this.finish();
      return true;
    }
    if (ev.type === 'caps') pad.caps = ev.caps;
    return side === 0 ? this.forwardDownstream(ev) : true;
  }

  protected push(values: readonly unknown[]): FlowResult {
    return values.length === 0 ? FlowResult.OK : this.srcPad.push(valueBatch(this.context.allocator, values));
  }

  /** Makes `side`'s task wait until `release(side)`. Called from inside `accept` for that side. */
  protected holdBack(side: Side): void {
    if (this.done || this.stopping || this.waiting[side] !== null) return;
    this.context.blockUpstream(new Promise<void>((resolve) => (this.waiting[side] = resolve)));
  }

  protected release(side: Side): void {
    const resolve = this.waiting[side];
    this.waiting[side] = null;
    resolve?.();
  }

  private finish(): FlowResult {
    this.done = true;
    this.release(0);
    this.release(1);
    this.srcPad.pushEvent(Events.eos());
    return FlowResult.EOS;
  }

  private sideOf(pad: Pad): Side {
    return pad === this.pads[0] ? 0 : 1;
  }
}
