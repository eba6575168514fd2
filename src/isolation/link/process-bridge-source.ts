import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import { Buffer } from '../../element/buffer.js';
import { Element } from '../../element/element.js';
import { Events, type Event } from '../../element/event.js';
import { FlowResult } from '../../element/flow.js';
import type { ElementMetadata } from '../../element/metadata.js';
import type { Pad } from '../../element/pad.js';
import type { TaskDriver } from '../../exec/streaming-task.js';
import {
  H32_CAPS_ID, H32_FLAGS, H32_LENGTH, H32_STREAM_ID,
  H64_DTS, H64_DURATION, H64_OFFSET, H64_PTS, H64_SEQUENCE, SLOT_HEADER_BYTES,
} from '../../memory/slot-layout.js';
import {
  CrossRingConsumer, KIND_BUFFER, KIND_EVENT, KIND_REGION, PAYLOAD_UNIT,
  R64_DTS, R64_DURATION, R64_OFFSET, R64_PTS, R64_SEQUENCE,
  R_CAPS, R_FLAGS, R_KIND, R_LENGTH, R_PAYLOAD, R_REGION, R_STREAM, R_TOKEN, returnCapacity,
} from './cross-ring.js';
import { Doorbell } from './doorbell.js';
import { bindEndpoint, mapLinkRegion, type LinkEndpoint, type ProcessBridgeOptions } from './endpoint.js';
import { decodeEvent, MAX_EVENT_BYTES } from './events.js';
import { ForeignSlots } from './foreign-pool.js';
import { RegionTable } from './regions.js';
import { LinkViolation } from './violation.js';

/** How long a host's task waits in place for data before it lets its event loop run. */
const SYNC_WAIT_BUDGET_MS = 4;
const WAIT_SLICE_MS = 20;
/** Largest payload length a record may carry (2^31). */
const MAX_LENGTH = 2 ** 31;

type Item = Buffer | Event;

/**
 * The consuming end of a process link, and the streaming task that drives everything downstream
 * of it in this process: the twin of RingBridgeSource across a process boundary. It pops
 * records, maps the regions they point into (read-only, announced on the link's regions
 * socket), and turns each record into a Buffer handle over the region (no copy; the metadata
 * from the record, never from the producer's slot header) or into an event, pushed downstream
 * in order. When the last reference to a buffer drops, its token goes back to the producer.
 *
 * Everything the producer wrote is checked before use — counters, kinds, region ids, offsets
 * and lengths against the region, tokens outstanding, event JSON. A violation is counted,
 * reported through `onViolation` (naming the link, the field, its value and its bound), and
 * ends the task with ERROR; the link is not read again.
 */
export class ProcessBridgeSource extends Element implements TaskDriver {
  static readonly metadata: ElementMetadata = {
    factory: 'processbridgesrc',
    classification: 'Generic/Bridge',
    description: 'The consuming end of a link between processes (inserted by the isolation planner)',
    example: '',
    padTemplates: [{ name: 'src', direction: 'src', presence: 'always', caps: 'ANY' }],
    properties: {},
    affinity: 'auto',
    rtSafe: true,
  };

  private readonly srcPad: Pad;
  private readonly ring: CrossRingConsumer;
  private readonly doorbell: Doorbell;
  private readonly slots: ForeignSlots;
  private readonly regions: RegionTable;
  private unblocked = false;
  private sawEos = false;
  private broken = false;
  private detached = false;
  private violationCount = 0;

  constructor(name: string, endpoint: LinkEndpoint, private readonly options: ProcessBridgeOptions) {
    super(name);
    this.srcPad = this.pad('src')!;
    const region = mapLinkRegion(endpoint);
    this.doorbell = new Doorbell(endpoint.doorbellFd);
    this.ring = new CrossRingConsumer(region.buffer, endpoint.capacity, this.doorbell);
    this.slots = new ForeignSlots(returnCapacity(endpoint.capacity), this.giveBack);
    this.regions = new RegionTable(endpoint.regionsSocketFd, this.slots);
    bindEndpoint(endpoint, this);
  }

  get pad0(): Pad {
    return this.srcPad;
  }

  /** Protocol violations of the producer seen on this link (the first one ends it). */
  get violations(): number {
    return this.violationCount;
  }

  /** Buffers from this link held in this process now. */
  get held(): number {
    return this.slots.held;
  }

  /** Regions of the producer mapped (read-only) for this link. */
  get regionCount(): number {
    return this.regions.count;
  }

  /**
   * The producer is gone: tokens are no longer given back (buffers still held here stay
   * readable, the mappings live on), and the link is not read again.
   */
  detach(): void {
    this.slots.detach();
    this.detached = true;
  }

  private readonly giveBack = (token: number): void => {
    if (this.broken || this.detached) return;
    try {
      this.ring.giveBack(token);
    } catch (e) {
      this.fail(e);
    }
  };

  produce(): Item | FlowResult | Promise<Item | FlowResult> {
    const item = this.nextOrFail();
    if (item !== null) return item;
    if (this.ring.producerGone()) {
      // Records published before the mark are still read: look once more after seeing it.
      const last = this.nextOrFail();
      if (last !== null) return last;
      if (!this.broken) this.detach();
    }
    if (this.detached) return FlowResult.FLUSHING;
    if (this.broken) return FlowResult.ERROR;
    if (this.sawEos) return FlowResult.EOS;
    if (this.options.mayBlock) {
      const started = performance.now();
      do {
        for (let i = 0; i < this.options.spin; i++) if (this.ring.available() > 0) return this.nextOrWait();
        if (this.unblocked) return FlowResult.FLUSHING;
        this.ring.sleep(1);
        if (this.ring.available() > 0) return this.nextOrWait();
      } while (performance.now() - started < SYNC_WAIT_BUDGET_MS);
      return yieldToEventLoop().then(() => (this.unblocked ? FlowResult.FLUSHING : this.produce()));
    }
    for (let i = 0; i < this.options.spin; i++) if (this.ring.available() > 0) return this.nextOrWait();
    if (!this.ring.armDoorbell()) return this.nextOrWait();
    return this.doorbell.wait(WAIT_SLICE_MS).then(() => {
      this.ring.disarm();
      return this.unblocked ? FlowResult.FLUSHING : this.produce();
    });
  }

  private nextOrWait(): Item | FlowResult | Promise<Item | FlowResult> {
    return this.nextOrFail() ?? this.produce();
  }

  private nextOrFail(): Item | null {
    if (this.broken || this.detached) return null;
    try {
      return this.next();
    } catch (e) {
      this.fail(e);
      return null;
    }
  }

  /** The next buffer or event on the link, or null when it is empty. Throws a LinkViolation. */
  private next(): Item | null {
    const ring = this.ring;
    const u = ring.u32;
    for (;;) {
      const at = ring.peek();
      if (at < 0) return null;
      // Each field is read once, into a local: the producer may change the record meanwhile.
      const kind = u[at + R_KIND]!;
      const regionId = u[at + R_REGION]!;
      if (kind === KIND_REGION) {
        ring.next();
        this.regions.receive(regionId);
        continue;
      }
      if (kind !== KIND_BUFFER && kind !== KIND_EVENT) throw new LinkViolation('record kind', kind, '1 (buffer), 2 (event) or 3 (region)');
      const token = u[at + R_TOKEN]!;
      const unit = u[at + R_PAYLOAD]!;
      const length = u[at + R_LENGTH]!;
      const pool = this.regions.pool(regionId);
      if (pool === undefined) throw new LinkViolation('record region id', regionId, 'a region announced on this link');
      const offset = unit * PAYLOAD_UNIT;
      if (length > MAX_LENGTH) throw new LinkViolation('record length', length, `<= 2^31`);
      if (offset + length > pool.region.byteLength) {
        throw new LinkViolation('record payload offset + length', offset + length, `<= ${pool.region.byteLength}, the size of region ${regionId}`);
      }
      // What the producer may have out: what this side holds and what it gave back untaken.
      const out = this.slots.held + ring.returnsPending();
      if (out >= this.slots.limit) throw new LinkViolation('tokens outstanding', out + 1, `<= ${this.slots.limit}, the link's limit`);
      if (kind === KIND_EVENT) {
        if (length > MAX_EVENT_BYTES) throw new LinkViolation('event length', length, `<= ${MAX_EVENT_BYTES}`);
        const bytes = pool.bytes.slice(offset, offset + length);
        ring.next();
        ring.giveBack(token);
        return decodeEvent(bytes);
      }
      const slot = this.slots.take(token, offset);
      const s = this.slots;
      const h = slot * (SLOT_HEADER_BYTES / 4);
      s.u32[h + H32_LENGTH] = length;
      s.u32[h + H32_FLAGS] = u[at + R_FLAGS]!;
      s.u32[h + H32_STREAM_ID] = u[at + R_STREAM]!;
      s.u32[h + H32_CAPS_ID] = u[at + R_CAPS]!;
      const f = ring.f64;
      const d = at >>> 1;
      const hd = slot * (SLOT_HEADER_BYTES / 8);
      s.f64[hd + H64_PTS] = f[d + R64_PTS]!;
      s.f64[hd + H64_DTS] = f[d + R64_DTS]!;
      s.f64[hd + H64_DURATION] = f[d + R64_DURATION]!;
      s.f64[hd + H64_OFFSET] = f[d + R64_OFFSET]!;
      s.f64[hd + H64_SEQUENCE] = f[d + R64_SEQUENCE]!;
      ring.next();
      return new Buffer(pool, slot);
    }
  }

  deliver(item: Item): FlowResult {
    if (item instanceof Buffer) return this.srcPad.push(item);
    this.srcPad.pushEvent(item);
    if (item.type === 'eos') {
      this.sawEos = true;
      return FlowResult.EOS;
    }
    return FlowResult.OK;
  }

  finish(result: FlowResult): void {
    this.ring.markDone(result);
    // Downstream ended the stream before the EOS event came through: send one, as a queue does.
    if (result === FlowResult.EOS && !this.sawEos) {
      this.sawEos = true;
      this.srcPad.pushEvent(Events.eos());
    }
    // Records left in the ring give their tokens back, so the producer's slots come home.
    // Bounded: a producer that keeps pushing must not keep this loop going.
    for (let n = this.slots.limit; n > 0; n--) {
      const item = this.nextOrFail();
      if (item === null) break;
      if (item instanceof Buffer) item.release();
    }
  }

  /** A violation ends this link: counted, reported once. */
  private fail(e: unknown): void {
    this.broken = true;
    this.violationCount++;
    if (this.violationCount > 1) return;
    const why = e instanceof LinkViolation ? `the producer broke the protocol: ${e.message}` : `cannot read the link: ${e instanceof Error ? e.message : String(e)}`;
    this.options.onViolation(`link ${this.options.label}: ${why}`);
  }

  override unblock(): void {
    this.unblocked = true;
    this.doorbell.close();
  }

  override start(): void {
    this.unblocked = false;
    this.sawEos = false;
  }

  override stop(): void {
    this.close();
  }

  /** Closes the region fds this link received. Buffers still held stay readable. */
  close(): void {
    this.doorbell.close();
    this.regions.close();
  }
}
