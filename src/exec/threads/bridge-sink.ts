import { Buffer } from '../../element/buffer.js';
import { Element } from '../../element/element.js';
import type { Event } from '../../element/event.js';
import { FlowResult } from '../../element/flow.js';
import type { ElementMetadata } from '../../element/metadata.js';
import type { Pad } from '../../element/pad.js';
import type { Arena } from '../../memory/arena.js';
import { copyPayload } from '../../memory/copy-counter.js';
import { Offer, type LinkProducer } from '../../memory/spsc/thread-link.js';
import { KIND_BUFFER, KIND_EVENT, kindOf, writeEvent } from './wire.js';
import { refuseValueBatch } from '../../typed/value-batch.js';

/** How long a data thread blocks in place on a full link before it yields to its event loop. */
const SYNC_WAIT_BUDGET_MS = 4;
/** One blocked wait; the stop word is polled between waits. */
const WAIT_SLICE_MS = 20;

type Item = Buffer | Event;

export interface BridgeSinkOptions {
  /** Whether this thread may block in Atomics.wait (a data thread whose link's consumer is elsewhere). */
  readonly mayBlockThread: boolean;
  /** Spins before a wait: cheap when the other side is about to move. */
  readonly spin: number;
}

/**
 * The producing end of a thread link: where a pipeline link enters a ring. It stands in for the
 * downstream element on this thread — the upstream src pad's peer is this element's sink pad —
 * and turns each buffer into a descriptor (the payload stays in its slot) and each serialized
 * event into a descriptor of an event slot, in order.
 *
 * A full link applies the link's policy: `block` waits — in place on a data thread for a few
 * milliseconds, then by blocking the upstream task on the event loop of its thread — and the
 * leaky policies drop, counted in the link.
 */
export class RingBridgeSink extends Element {
  static readonly metadata: ElementMetadata = {
    factory: 'ringbridgesink',
    classification: 'Generic/Bridge',
    description: 'The producing end of a ring link between threads (inserted by the scheduler)',
    example: '',
    padTemplates: [{ name: 'sink', direction: 'sink', presence: 'always', caps: 'ANY' }],
    properties: {},
    affinity: 'auto',
    rtSafe: true,
  };

  private readonly pending: Item[] = [];
  private draining: Promise<void> | null = null;
  private unblocked = false;

  constructor(name: string, private readonly link: LinkProducer, private readonly arena: Arena, private readonly options: BridgeSinkOptions) {
    super(name);
  }

  override chain(_pad: Pad, buf: Buffer): FlowResult {
    if (buf.values !== undefined) return refuseValueBatch(buf, (m) => this.error(m));
    if (this.pending.length > 0) {
      // Behind items that wait for room. The task calling now waits for the drain too: with
      // several upstream tasks on this thread (a funnel), one left running would fill `pending`
      // until its pool ran out, then block the thread in the allocator while the drain that
      // would free the slots needs this thread's event loop.
      this.pending.push(buf);
      this.context.blockUpstream(this.drainingNow());
      return FlowResult.OK;
    }
    if (this.link.consumerStopped()) {
      buf.release();
      return this.downstreamResult();
    }
    const shared = this.inArena(buf);
    if (this.offer(shared)) return FlowResult.OK;
    return this.waitThenOffer(shared);
  }

  override sinkEvent(pad: Pad, ev: Event): boolean {
    if (ev.type === 'caps') pad.caps = ev.caps;
    if (this.link.consumerStopped()) return false;
    if (this.pending.length > 0) {
      // Behind buffers that wait for room: the event keeps its place (drainPending closes at EOS).
      this.pending.push(ev);
      this.context.blockUpstream(this.drainingNow());
      return true;
    }
    if (!this.offer(ev)) {
      const r = this.waitThenOffer(ev);
      if (r !== FlowResult.OK) return false;
      if (this.pending.length > 0) return true;
    }
    if (ev.type === 'eos') this.link.close();
    return true;
  }

  /** Buffers from a private (heap) pool are written once into the arena: a counted copy. */
  private inArena(buf: Buffer): Buffer {
    if (buf.pool.id >= 0) return buf;
    const copy = Buffer.allocate(this.context.allocator, buf.size);
    copyPayload(copy.pool.bytes, copy.pool.payloadOffset(copy.slot), buf.data);
    copy.copyMetadataFrom(buf);
    buf.release();
    return copy;
  }

  /** One try. True when the item is in the ring or dropped by the policy. */
  private offer(item: Item): boolean {
    if (item instanceof Buffer) {
      const r = this.link.offer(item.slot, item.size, kindOf(KIND_BUFFER, item.pool.id), item.pts);
      if (r === Offer.DROPPED) item.release();
      return r !== Offer.FULL;
    }
    if (item.type === 'flush-start') return true;
    const { pool, slot, length } = writeEvent(this.context.allocator, item);
    if (this.link.offerEvent(slot, length, kindOf(KIND_EVENT, pool.id))) return true;
    pool.unref(slot);
    return false;
  }

  private waitThenOffer(item: Item): FlowResult {
    if (this.options.mayBlockThread) {
      const started = performance.now();
      while (performance.now() - started < SYNC_WAIT_BUDGET_MS) {
        for (let i = 0; i < this.options.spin; i++) if (this.offer(item)) return FlowResult.OK;
        if (this.arena.stopRequested() || this.unblocked) return this.drop(item, FlowResult.FLUSHING);
        if (this.link.consumerStopped()) return this.drop(item, this.downstreamResult());
        this.link.waitForPop(1);
        if (this.offer(item)) return FlowResult.OK;
      }
    }
    this.pending.push(item);
    this.context.blockUpstream(this.drainingNow());
    return FlowResult.OK;
  }

  /**
   * The drain in progress, or a new one. drainPending may finish before it returns — its first
   * offer fits when the consumer popped in the meantime — and then its `finally` has already run:
   * remembering that settled promise would make every later wait reuse it, so buffers would pile
   * up in `pending` unoffered while upstream ran on (found as a rare hang of the soak).
   */
  private drainingNow(): Promise<void> {
    if (this.draining !== null) return this.draining;
    const drain = this.drainPending(++this.drains);
    if (this.pending.length > 0) this.draining = drain;
    return drain;
  }

  /** Drains started: a drain forgets itself at its end only if it is still the current one. */
  private drains = 0;

  /**
   * Offers the pending items in order as the consumer makes room. It never rejects: an item that
   * cannot be offered (an event that cannot be written, the arena full) is an element error, and
   * what is pending is released, so no caller is left holding a rejected drain.
   */
  private async drainPending(id: number): Promise<void> {
    try {
      await this.offerPending();
    } catch (e) {
      for (const item of this.pending.splice(0)) if (item instanceof Buffer) item.release();
      this.error(`cannot pass an item to the next thread: ${e instanceof Error ? e.message : String(e)}`, e);
    } finally {
      if (this.drains === id) this.draining = null;
    }
  }

  private async offerPending(): Promise<void> {
    while (this.pending.length > 0) {
      if (this.arena.stopRequested() || this.unblocked || this.link.consumerStopped()) {
        for (const item of this.pending.splice(0)) if (item instanceof Buffer) item.release();
        return;
      }
      const head = this.pending[0]!;
      if (this.offer(head)) {
        this.pending.shift();
        if (!(head instanceof Buffer) && head.type === 'eos') this.link.close();
        continue;
      }
      await this.link.waitForPopAsync(WAIT_SLICE_MS);
    }
  }

  private drop(item: Item, r: FlowResult): FlowResult {
    if (item instanceof Buffer) item.release();
    return r;
  }

  /**
   * What upstream hears once the consumer stopped: EOS stays EOS; anything else becomes FLUSHING.
   * An error downstream was already reported by the consumer's thread, and reporting it again from
   * here would race it to the bus and could name the wrong element first.
   */
  private downstreamResult(): FlowResult {
    return this.link.consumerResult() === FlowResult.EOS ? FlowResult.EOS : FlowResult.FLUSHING;
  }

  override unblock(): void {
    this.unblocked = true;
  }

  override start(): void {
    this.unblocked = false;
  }
}
