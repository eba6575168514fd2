import type { Buffer } from '../buffer.js';
import { Element } from '../element.js';
import { Events, type Event } from '../event.js';
import { FlowResult } from '../flow.js';
import type { Pad } from '../pad.js';

/**
 * Base class of N-inputs, one-output elements (GstAggregator): fill in `aggregate()`.
 *
 * Each sink pad holds at most one buffer. When every pad that has not reached EOS holds one, the
 * base calls `aggregate` with them (it takes ownership) and pushes the result. An upstream task
 * whose pad is still full waits, so a fast input cannot run ahead of a slow one. When every input
 * has reached EOS, EOS goes downstream once.
 */
export abstract class Aggregator extends Element {
  private readonly held = new Map<Pad, Buffer>();
  private readonly eosPads = new Set<Pad>();
  private readonly waiters = new Map<Pad, () => void>();
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
    for (const wake of this.waiters.values()) wake();
    this.waiters.clear();
    for (const b of this.held.values()) b.release();
    this.held.clear();
  }

  override chain(pad: Pad, buf: Buffer): FlowResult {
    const old = this.held.get(pad);
    if (old !== undefined) old.release();
    this.held.set(pad, buf);
    const r = this.tryAggregate();
    if (r === FlowResult.OK && this.held.has(pad)) {
      this.context.blockUpstream(new Promise<void>((resolve) => this.waiters.set(pad, resolve)));
    }
    return r;
  }

  private livePads(): Pad[] {
    return this.sinkPads.filter((p) => !this.eosPads.has(p));
  }

  private tryAggregate(): FlowResult {
    const live = this.livePads();
    if (live.length === 0 || !live.every((p) => this.held.has(p))) return FlowResult.OK;
    const inputs = new Map(this.held);
    this.held.clear();
    for (const wake of this.waiters.values()) wake();
    this.waiters.clear();
    const out = this.aggregate(inputs);
    if (typeof out === 'number') return out;
    this.ensureHeader();
    return this.srcPad.push(out);
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
        const r = this.tryAggregate();
        if (r !== FlowResult.OK) return false;
        if (this.livePads().length === 0 && !this.eosSent) {
          this.eosSent = true;
          this.ensureHeader();
          this.srcPad.pushEvent(ev);
        }
        return true;
      }
      default:
        return this.forwardDownstream(ev);
    }
  }
}
