import type { Buffer } from '../buffer.js';
import { Element } from '../element.js';
import type { Event } from '../event.js';
import { FlowResult } from '../flow.js';
import type { Pad } from '../pad.js';
import type { PropertySchema } from '../property.js';

/** GStreamer's basesink properties that every sink here has. */
export const SINK_PROPERTIES: PropertySchema = {
  sync: { type: 'bool', default: false, description: 'Render each buffer when the pipeline clock reaches its timestamp', mutable: true },
  'ts-offset': { type: 'int', default: 0, min: -2147483648, description: 'Nanoseconds added to every timestamp before syncing', mutable: true },
  // Accepted so that gst-launch lines work unchanged; see the descriptions for what they do here.
  async: { type: 'bool', default: true, description: 'Accepted for gst-launch compatibility; no effect, sinks here do not preroll', mutable: true },
  qos: { type: 'bool', default: false, description: 'Accepted for gst-launch compatibility; no QoS events are generated yet', mutable: true },
};

/**
 * Base class of sinks: fill in `render()`. The base class syncs to the clock when `sync=true`,
 * counts EOS, and serializes renders that return a promise (async I/O sinks) so buffers are
 * written in order and upstream waits while a write is in flight.
 *
 * A render that fails later (an async write) is reported by the next `chain` call.
 */
export abstract class Sink extends Element {
  private inflight: Promise<void> | null = null;
  private pendingFlow: FlowResult = FlowResult.OK;
  protected eosReached = false;

  /** Renders one buffer. The base class releases it afterwards. */
  protected abstract render(buf: Buffer): FlowResult | Promise<FlowResult>;

  /** Hook: EOS arrived, after every render finished. May flush and close asynchronously. */
  protected onEos(): void | Promise<void> {}

  private unblocked = false;

  /**
   * The pipeline is stopping (`unblock()` was called; `start()` clears it): a render or a wait
   * in progress should end with FLUSHING rather than go on.
   */
  protected get stopping(): boolean {
    return this.unblocked;
  }

  /** The pipeline is stopping: renders still queued drop their buffers instead of waiting. */
  override unblock(): void {
    this.unblocked = true;
    this.pendingFlow = FlowResult.FLUSHING;
  }

  override start(): void | Promise<void> {
    this.inflight = null;
    this.unblocked = false;
    this.pendingFlow = FlowResult.OK;
    this.eosReached = false;
  }

  override chain(_pad: Pad, buf: Buffer): FlowResult {
    if (this.pendingFlow !== FlowResult.OK || this.eosReached) {
      buf.release();
      return this.eosReached ? FlowResult.EOS : this.pendingFlow;
    }
    // A render (or a clock wait) is in flight: this buffer waits its turn, then syncs and renders.
    if (this.inflight !== null) {
      this.track(this.inflight.then(() => this.renderInTurn(buf)));
      return FlowResult.OK;
    }
    const due = this.dueTime(buf);
    if (due >= 0 && due > this.context.clock.now()) {
      this.track(this.renderInTurn(buf));
      return FlowResult.OK;
    }
    let r: FlowResult | Promise<FlowResult>;
    try {
      r = this.render(buf);
    } catch (e) {
      buf.release();
      return (this.pendingFlow = this.renderFailed(e));
    }
    if (typeof r === 'number') {
      buf.release();
      if (r !== FlowResult.OK) this.pendingFlow = r;
      return r;
    }
    this.track(this.settle(buf, r));
    return FlowResult.OK;
  }

  /** Clock time at which `buf` is due, or -1 when it is not synced. Hot path: no lookups. */
  private dueTime(buf: Buffer): number {
    if (this.syncVersion !== this.propsVersion) this.refreshSync();
    if (!this.syncEnabled || buf.pts < 0) return -1;
    return this.context.baseTime + buf.pts + this.tsOffset;
  }

  private syncVersion = -1;
  private syncEnabled = false;
  private tsOffset = 0;

  private refreshSync(): void {
    this.syncVersion = this.propsVersion;
    this.syncEnabled = this.metadata.properties['sync'] !== undefined && this.bool('sync');
    this.tsOffset = this.syncEnabled ? this.num('ts-offset') : 0;
  }

  /** Waits for the buffer's time when synced, then renders it to completion and releases it. */
  private async renderInTurn(buf: Buffer): Promise<void> {
    if (this.pendingFlow !== FlowResult.OK) {
      buf.release();
      return;
    }
    const due = this.dueTime(buf);
    if (due > this.context.clock.now() && !(await this.context.clock.waitUntil(due))) {
      buf.release();
      return;
    }
    let r: FlowResult | Promise<FlowResult>;
    try {
      r = this.render(buf);
    } catch (e) {
      buf.release();
      this.pendingFlow = this.renderFailed(e);
      return;
    }
    await this.settle(buf, r);
  }

  /** Awaits a render's result, releases its buffer and remembers a failure for the next chain. */
  private async settle(buf: Buffer, r: FlowResult | Promise<FlowResult>): Promise<void> {
    try {
      const res = await r;
      if (res !== FlowResult.OK) this.pendingFlow = res;
    } catch (e) {
      this.pendingFlow = this.renderFailed(e);
    } finally {
      buf.release();
    }
  }

  private renderFailed(e: unknown): FlowResult {
    return this.error(`render failed: ${e instanceof Error ? e.message : String(e)}`, e);
  }

  /** Remembers an in-flight render and makes upstream wait for it. */
  private track(p: Promise<unknown>): void {
    const done: Promise<void> = p.then(() => {
      if (this.inflight === done) this.inflight = null;
    });
    this.inflight = done;
    this.context.blockUpstream(done);
  }

  override sinkEvent(pad: Pad, ev: Event): boolean {
    if (ev.type === 'caps') {
      pad.caps = ev.caps;
      return this.setCaps(pad, ev.caps);
    }
    if (ev.type === 'eos') {
      if (this.eosReached) return true;
      this.eosReached = true;
      const finish = async (): Promise<void> => {
        if (this.inflight !== null) await this.inflight;
        try {
          await this.onEos();
        } catch (e) {
          this.error(`finishing at EOS failed: ${e instanceof Error ? e.message : String(e)}`, e);
          return;
        }
        this.context.sinkReachedEos(this);
      };
      this.context.blockUpstream(finish());
      return true;
    }
    if (ev.type === 'flush-stop') {
      this.eosReached = false;
      this.pendingFlow = FlowResult.OK;
    }
    return true;
  }
}
