import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import { Buffer } from '../../element/buffer.js';
import { Element } from '../../element/element.js';
import { Events, type Event } from '../../element/event.js';
import { FlowResult } from '../../element/flow.js';
import type { ElementMetadata } from '../../element/metadata.js';
import type { Pad } from '../../element/pad.js';
import type { Arena } from '../../memory/arena.js';
import type { LinkConsumer } from '../../memory/spsc/thread-link.js';
import type { TaskDriver } from '../streaming-task.js';
import { KIND_BUFFER, isBufferKind, poolOfKind, readEvent, typeOfKind } from './wire.js';

/** How long a data thread waits in place for data before it lets its event loop run. */
const SYNC_WAIT_BUDGET_MS = 4;
const WAIT_SLICE_MS = 20;

export interface BridgeSourceOptions {
  /** Whether this thread may block in Atomics.wait (a data thread whose producer is elsewhere). */
  readonly mayBlockThread: boolean;
  readonly spin: number;
}

/**
 * The consuming end of a thread link, and the streaming task that drives everything downstream
 * of it on this thread: it pops descriptors, turns them back into Buffer handles on the same
 * slots (no copy) or into events, and pushes them to the real downstream pad in ring order.
 */
export class RingBridgeSource extends Element implements TaskDriver {
  static readonly metadata: ElementMetadata = {
    factory: 'ringbridgesrc',
    classification: 'Generic/Bridge',
    description: 'The consuming end of a ring link between threads (inserted by the scheduler)',
    example: '',
    padTemplates: [{ name: 'src', direction: 'src', presence: 'always', caps: 'ANY' }],
    properties: {},
    affinity: 'auto',
    rtSafe: true,
  };

  private readonly srcPad: Pad;
  private unblocked = false;
  private sawEos = false;

  constructor(name: string, private readonly link: LinkConsumer, private readonly arena: Arena, private readonly options: BridgeSourceOptions) {
    super(name);
    this.srcPad = this.pad('src')!;
  }

  get pad0(): Pad {
    return this.srcPad;
  }

  produce(): Buffer | Event | FlowResult | Promise<Buffer | Event | FlowResult> {
    const item = this.next();
    if (item !== null) return item;
    if (this.sawEos) return FlowResult.EOS;
    if (this.options.mayBlockThread) {
      const started = performance.now();
      const ring = this.link.ring;
      do {
        for (let i = 0; i < this.options.spin; i++) {
          if (ring.available() > 0) return this.nextOrWait();
        }
        if (this.stopping()) return FlowResult.FLUSHING;
        if (ring.waitForData(1)) return this.nextOrWait();
      } while (performance.now() - started < SYNC_WAIT_BUDGET_MS);
      // Let the thread's event loop run (control messages, timers), then look again.
      return yieldToEventLoop().then(() => this.produce());
    }
    return this.link.ring.waitForDataAsync(WAIT_SLICE_MS).then(() => (this.stopping() ? FlowResult.FLUSHING : this.produce()));
  }

  private nextOrWait(): Buffer | Event | FlowResult | Promise<Buffer | Event | FlowResult> {
    return this.next() ?? this.produce();
  }

  /** The next item on the link, or null when it is empty. Releases buffers the policy drops. */
  private next(): Buffer | Event | null {
    for (;;) {
      if (!this.link.pop(isBufferKind)) return null;
      const d = this.link.ring.current;
      const pool = this.arena.pool(poolOfKind(d.kind));
      if (typeOfKind(d.kind) === KIND_BUFFER) {
        const buf = new Buffer(pool, d.slot);
        this.link.markConsumed(d.length, buf.pts);
        if (this.link.dropped) {
          buf.release();
          continue;
        }
        return buf;
      }
      return readEvent(pool, d.slot, d.length);
    }
  }

  private stopping(): boolean {
    return this.unblocked || this.arena.stopRequested();
  }

  deliver(item: Buffer | Event): FlowResult {
    if (item instanceof Buffer) return this.srcPad.push(item);
    this.srcPad.pushEvent(item);
    if (item.type === 'eos') {
      this.sawEos = true;
      return FlowResult.EOS;
    }
    return FlowResult.OK;
  }

  finish(result: FlowResult): void {
    this.link.close(result);
    // Downstream ended the stream (a sink with num-buffers, identity eos-after) before the EOS
    // event came through: send one, as a queue does, or the sink never reports EOS and the
    // pipeline waits for ever. The producer learns from the link and stops.
    if (result === FlowResult.EOS && !this.sawEos) {
      this.sawEos = true;
      this.srcPad.pushEvent(Events.eos());
    }
    this.drainReleasing();
  }

  /** Buffers left in the ring when the consumer stops go back to their pools. */
  private drainReleasing(): void {
    for (let item = this.next(); item !== null; item = this.next()) {
      if (item instanceof Buffer) item.release();
    }
  }

  override unblock(): void {
    this.unblocked = true;
  }

  override start(): void {
    this.unblocked = false;
    this.sawEos = false;
  }
}
