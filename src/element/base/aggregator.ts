import type { Buffer } from '../buffer.js';
import { Element } from '../element.js';
import { Events, type Event } from '../event.js';
import { FlowResult } from '../flow.js';
import type { Pad } from '../pad.js';

/**
 * Base class of N-inputs, one-output elements (GstAggregator): fill in `aggregate()`.
 *
 * Each sink pad keeps the buffers that arrived on it in order. Whenever every pad that has not
 * reached EOS has one, the base takes the oldest of each, calls `aggregate` with them (it takes
 * ownership) and pushes the result. An upstream task whose pad still holds data waits until it
 * drains, so a fast input cannot run ahead of a slow one; an upstream element that pushes several
 * buffers in one call (a parser) only queues them. When every input has reached EOS, EOS goes
 * downstream once.
 */
export abstract class Aggregator extends Element {
  private readonly held = new Map<Pad, Buffer[]>();
  private readonly eosPads = new Set<Pad>();
  /** One wait per pad that holds data: created once, resolved when the pad drains. */
  private readonly drained = new Map<Pad, { promise: Promise<void>; resolve: () => void }>();
  private headerSent = false;
  private eosSent = false;

  /** Combines one buffer per live input into an output, or returns a FlowResult. */
  protected abstract aggregate(inputs: ReadonlyMap<Pad, Buffer>): Buffer | FlowResult;

  get srcPad(): Pad {
    const p = this.pad('src');
    if (p === undefined) throw new Error(`${this.name}: an Aggregator needs an always src pad`);
    return p;
  }

  override start(): void {
    this.held.clear();
    this.eosPads.clear();
    this.headerSent = false;
    this.eosSent = false;
  }

  override unblock(): void {
    for (const d of this.drained.values()) d.resolve();
    this.drained.clear();
    for (const list of this.held.values()) for (const b of list) b.release();
    this.held.clear();
  }

  override chain(pad: Pad, buf: Buffer): FlowResult {
    const list = this.held.get(pad);
    if (list === undefined) this.held.set(pad, [buf]);
    else list.push(buf);
    const r = this.tryAggregate();
    if (r !== FlowResult.OK) return r;
    this.maybeEos();
    if (this.held.has(pad)) this.context.blockUpstream(this.drainedPromise(pad));
    return r;
  }

  /** Sends EOS once every input has reached it and nothing is left to aggregate. */
  private maybeEos(): void {
    if (this.eosSent || this.livePads().length > 0 || this.eosPads.size === 0) return;
    this.eosSent = true;
    this.ensureHeader();
    this.srcPad.pushEvent(Events.eos());
  }

  private drainedPromise(pad: Pad): Promise<void> {
    let d = this.drained.get(pad);
    if (d === undefined) {
      let resolve!: () => void;
      const promise = new Promise<void>((r) => (resolve = r));
      d = { promise, resolve };
      this.drained.set(pad, d);
    }
    return d.promise;
  }

  /** Takes the oldest buffer of `pad`, waking its upstream when the pad drains. */
  private takeOldest(pad: Pad): Buffer {
    const list = this.held.get(pad)!;
    const buf = list.shift()!;
    if (list.length === 0) {
      this.held.delete(pad);
      this.drained.get(pad)?.resolve();
      this.drained.delete(pad);
    }
    return buf;
  }

  /** Pads that still take part: not at EOS, or at EOS with data still held. */
  private livePads(): Pad[] {
    return this.sinkPads.filter((p) => !this.eosPads.has(p) || this.held.has(p));
  }

  private tryAggregate(): FlowResult {
    for (;;) {
      const live = this.livePads();
      if (live.length === 0 || !live.every((p) => this.held.has(p))) return FlowResult.OK;
      const inputs = new Map<Pad, Buffer>();
      for (const p of live) inputs.set(p, this.takeOldest(p));
      const out = this.aggregate(inputs);
      if (typeof out === 'number') return out;
      this.ensureHeader();
      const r = this.srcPad.push(out);
      if (r !== FlowResult.OK) return r;
    }
  }

  private ensureHeader(): void {
    if (this.headerSent) return;
    this.headerSent = true;
    const first = this.sinkPads[0];
    const start = first?.sticky.get('stream-start');
    this.srcPad.pushEvent(start ?? Events.streamStart(`${this.name}/aggregate`));
    if (this.srcPad.caps !== null && !this.srcPad.caps.isAny()) this.srcPad.pushEvent(Events.caps(this.srcPad.caps));
    this.srcPad.pushEvent(Events.segment());
  }

  override sinkEvent(pad: Pad, ev: Event): boolean {
    switch (ev.type) {
      case 'caps':
        pad.caps = ev.caps;
        return this.setCaps(pad, ev.caps);
      case 'stream-start':
      case 'segment':
        return true;
      case 'eos': {
        this.eosPads.add(pad);
        if (this.tryAggregate() !== FlowResult.OK) return false;
        this.maybeEos();
        return true;
      }
      default:
        return this.forwardDownstream(ev);
    }
  }
}
