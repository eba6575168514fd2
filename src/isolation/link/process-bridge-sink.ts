import { Buffer } from '../../element/buffer.js';
import { Element } from '../../element/element.js';
import type { Event } from '../../element/event.js';
import { FlowResult } from '../../element/flow.js';
import type { ElementMetadata } from '../../element/metadata.js';
import type { Pad } from '../../element/pad.js';
import { writeEvent } from '../../exec/threads/wire.js';
import { copyPayload } from '../../memory/copy-counter.js';
import { MemfdRegion } from '../memfd-region.js';
import {
  CrossRingProducer, KIND_BUFFER, KIND_EVENT, KIND_REGION, PAYLOAD_UNIT,
  R64_DTS, R64_DURATION, R64_OFFSET, R64_PTS, R64_SEQUENCE,
  R_CAPS, R_FLAGS, R_KIND, R_LENGTH, R_PAYLOAD, R_REGION, R_STREAM, R_TOKEN, returnCapacity,
} from './cross-ring.js';
import { Doorbell } from './doorbell.js';
import { bindEndpoint, mapLinkRegion, type LinkEndpoint, type ProcessBridgeOptions } from './endpoint.js';
import { MemfdAllocator } from './memfd-allocator.js';
import { RegionAnnouncer } from './regions.js';
import { TokenTable } from './token-table.js';
import { LinkViolation } from './violation.js';
import { refuseValueBatch } from '../../typed/value-batch.js';

/** How long a host's task blocks in place on a full link before it yields to its event loop. */
const SYNC_WAIT_BUDGET_MS = 4;
/** One doorbell wait; the stop flag and the consumer's state are re-checked between waits. */
const WAIT_SLICE_MS = 20;

/** Why the last offer did not go in. */
const enum Blocked { ROOM = 1, TOKENS = 2, SOCKET = 3 }

/** A buffer or an event's slot, waiting for room: the event's slot is a Buffer handle too. */
interface Item {
  readonly kind: number;
  readonly buf: Buffer;
  readonly length: number;
}

/**
 * The producing end of a process link: the twin of RingBridgeSink across a process boundary.
 * It stands in for the downstream element in this process and turns each buffer into a record
 * that points at the buffer's payload in its memfd pool (the payload stays where it is; the
 * record carries the metadata, since the consumer never reads this side's slot header), and
 * each serialized event into a record of an event slot, in order. The link keeps a reference to
 * every buffer until the consumer gives its token back.
 *
 * A buffer from a pool that is not a memfd is copied once into one (counted). A buffer that
 * came from another process link is forwarded as it is: its region is announced on this link
 * under the fd it arrived with.
 *
 * A full link (no room in the ring, or as many buffers out as the link allows) is backpressure:
 * in an element host that may block, a futex wait of up to a few milliseconds, then, as on the
 * event loop, the upstream task waits for this bridge's drain, which awaits the doorbell.
 */
export class ProcessBridgeSink extends Element {
  static readonly metadata: ElementMetadata = {
    factory: 'processbridgesink',
    classification: 'Generic/Bridge',
    description: 'The producing end of a link between processes (inserted by the isolation planner)',
    example: '',
    padTemplates: [{ name: 'sink', direction: 'sink', presence: 'always', caps: 'ANY' }],
    properties: {},
    affinity: 'auto',
    rtSafe: true,
  };

  private readonly ring: CrossRingProducer;
  private readonly doorbell: Doorbell;
  private readonly announcer: RegionAnnouncer;
  private readonly tokens: TokenTable;
  private readonly pending: Item[] = [];
  private draining: Promise<void> | null = null;
  private ownAllocator: MemfdAllocator | null = null;
  private unblocked = false;
  private broken = false;
  /** The consumer died and every token was reclaimed (reclaimAll). */
  private consumerLost = false;
  private blocked: Blocked = Blocked.ROOM;
  private violationCount = 0;

  constructor(name: string, endpoint: LinkEndpoint, private readonly options: ProcessBridgeOptions) {
    super(name);
    const region = mapLinkRegion(endpoint);
    this.doorbell = new Doorbell(endpoint.doorbellFd);
    this.ring = new CrossRingProducer(region.buffer, endpoint.capacity, this.doorbell);
    this.announcer = new RegionAnnouncer(endpoint.regionsSocketFd);
    this.tokens = new TokenTable(returnCapacity(endpoint.capacity));
    bindEndpoint(endpoint, this);
  }

  /** Protocol violations of the consumer seen on this link (0 or 1: the first one ends it). */
  get violations(): number {
    return this.violationCount;
  }

  /** Buffers (and event slots) the consumer holds now, as far as this side knows. */
  get outstanding(): number {
    return this.tokens.outstanding;
  }

  /** Wake-ups sent over the link by either side. */
  get wakeups(): number {
    return this.ring.wakeups;
  }

  override chain(_pad: Pad, buf: Buffer): FlowResult {
    if (buf.values !== undefined) return refuseValueBatch(buf, (m) => this.error(m));
    if (this.broken) {
      buf.release();
      return FlowResult.ERROR;
    }
    if (this.ring.consumerDone() !== 0) {
      buf.release();
      return this.downstreamResult();
    }
    const b = this.inMemfd(buf);
    return this.offerOrWait(KIND_BUFFER, b, b.size);
  }

  override sinkEvent(pad: Pad, ev: Event): boolean {
    if (ev.type === 'caps') pad.caps = ev.caps;
    if (ev.type === 'flush-start') return true; // out of band; flushing across a link is not done yet
    if (this.broken || this.ring.consumerDone() !== 0) return false;
    const { pool, slot, length } = writeEvent(this.memfdAllocator(), ev);
    return this.offerOrWait(KIND_EVENT, new Buffer(pool, slot), length) === FlowResult.OK;
  }

  /** Releases every buffer the consumer holds: the consumer is gone. Returns how many. */
  reclaimAll(): number {
    // Returns the dead consumer left in the ring name tokens released here: never read them.
    this.consumerLost = true;
    for (const item of this.pending.splice(0)) item.buf.release();
    return this.tokens.reclaimAll();
  }

  /** Takes the tokens the consumer gave back, releasing their buffers. Returns how many. */
  collectReturns(): number {
    if (this.broken || this.consumerLost) return 0;
    try {
      return this.ring.takeReturns(this.giveBack);
    } catch (e) {
      this.fail(e);
      return 0;
    }
  }

  private readonly giveBack = (token: number): void => this.tokens.giveBack(token);

  /** Hot path: allocation-free unless the item has to wait. */
  private offerOrWait(kind: number, buf: Buffer, length: number): FlowResult {
    try {
      if (this.pending.length > 0) {
        // Behind items that wait for room; every task that calls now waits for the drain too.
        this.pending.push({ kind, buf, length });
        this.context.blockUpstream(this.drainingNow());
        return FlowResult.OK;
      }
      if (this.offer(kind, buf, length)) return FlowResult.OK;
      if (this.ring.consumerDone() !== 0) return this.drop(buf, this.downstreamResult());
      if (this.options.mayBlock) {
        const started = performance.now();
        while (performance.now() - started < SYNC_WAIT_BUDGET_MS) {
          for (let i = 0; i < this.options.spin; i++) if (this.offer(kind, buf, length)) return FlowResult.OK;
          if (this.unblocked) return this.drop(buf, FlowResult.FLUSHING);
          if (this.ring.consumerDone() !== 0) return this.drop(buf, this.downstreamResult());
          if (this.blocked === Blocked.SOCKET) break;
          this.ring.sleep(this.blocked === Blocked.ROOM, this.blocked === Blocked.TOKENS, 1);
          if (this.offer(kind, buf, length)) return FlowResult.OK;
        }
      } else {
        for (let i = 0; i < this.options.spin; i++) if (this.offer(kind, buf, length)) return FlowResult.OK;
      }
      this.pending.push({ kind, buf, length });
      this.context.blockUpstream(this.drainingNow());
      return FlowResult.OK;
    } catch (e) {
      buf.release();
      return this.fail(e);
    }
  }

  /**
   * One try: true when the item's record is in the ring. Takes the consumer's returns first, and
   * announces the item's region on this link if it is new here. Throws a LinkViolation.
   */
  private offer(kind: number, buf: Buffer, length: number): boolean {
    const ring = this.ring;
    if (this.consumerLost) return false;
    ring.takeReturns(this.giveBack);
    if (this.tokens.full) {
      this.blocked = Blocked.TOKENS;
      return false;
    }
    const region = buf.pool.region as MemfdRegion;
    let id = this.announcer.idOf(region);
    if (id === 0) {
      // Room first: the message and its record go together, or the message would be orphaned.
      const at = ring.place();
      if (at < 0) return this.full(Blocked.ROOM);
      id = this.announcer.announce(region);
      if (id === 0) return this.full(Blocked.SOCKET);
      const u = ring.u32;
      u[at + R_KIND] = KIND_REGION;
      u[at + R_TOKEN] = 0;
      u[at + R_REGION] = id;
      u[at + R_PAYLOAD] = 0;
      u[at + R_LENGTH] = 0;
      ring.commit();
    }
    const at = ring.place();
    if (at < 0) return this.full(Blocked.ROOM);
    const token = this.tokens.hold(buf);
    const u = ring.u32;
    u[at + R_KIND] = kind;
    u[at + R_TOKEN] = token;
    u[at + R_REGION] = id;
    u[at + R_PAYLOAD] = buf.pool.payloadOffset(buf.slot) / PAYLOAD_UNIT;
    u[at + R_LENGTH] = length;
    if (kind === KIND_BUFFER) {
      u[at + R_FLAGS] = buf.flags;
      u[at + R_STREAM] = buf.streamId;
      u[at + R_CAPS] = buf.capsId;
      const f = ring.f64;
      const d = at >>> 1;
      f[d + R64_PTS] = buf.pts;
      f[d + R64_DTS] = buf.dts;
      f[d + R64_DURATION] = buf.duration;
      f[d + R64_OFFSET] = buf.offset;
      f[d + R64_SEQUENCE] = buf.sequence;
    }
    ring.commit();
    return true;
  }

  private full(why: Blocked): boolean {
    this.blocked = why;
    return false;
  }

  /** The allocator for copies and event slots: this process's MemfdAllocator, or one of our own. */
  private memfdAllocator(): MemfdAllocator {
    const a = this.context.allocator;
    if (a instanceof MemfdAllocator) return a;
    this.ownAllocator ??= new MemfdAllocator(64, 'parallax-bridge-pool');
    return this.ownAllocator;
  }

  /** Buffers from a pool that is not a memfd are written once into one: a counted copy. */
  private inMemfd(buf: Buffer): Buffer {
    if (buf.pool.region instanceof MemfdRegion) return buf;
    const copy = Buffer.allocate(this.memfdAllocator(), buf.size);
    copyPayload(copy.pool.bytes, copy.pool.payloadOffset(copy.slot), buf.data);
    copy.copyMetadataFrom(buf);
    buf.release();
    return copy;
  }

  private drainingNow(): Promise<void> {
    if (this.draining !== null) return this.draining;
    const drain = this.drainPending(++this.drains);
    if (this.pending.length > 0) this.draining = drain;
    return drain;
  }

  private drains = 0;

  /** Offers the pending items in order as the consumer makes room; never rejects. */
  private async drainPending(id: number): Promise<void> {
    try {
      while (this.pending.length > 0) {
        if (this.unblocked || this.broken || this.ring.consumerDone() !== 0) {
          for (const item of this.pending.splice(0)) item.buf.release();
          return;
        }
        const head = this.pending[0]!;
        if (this.offer(head.kind, head.buf, head.length)) {
          this.pending.shift();
          continue;
        }
        if (this.blocked === Blocked.SOCKET) {
          await new Promise((r) => setTimeout(r, 1));
        } else if (this.ring.armDoorbell(this.blocked === Blocked.ROOM, this.blocked === Blocked.TOKENS)) {
          await this.doorbell.wait(WAIT_SLICE_MS);
          this.ring.disarm();
        }
      }
    } catch (e) {
      for (const item of this.pending.splice(0)) item.buf.release();
      this.fail(e);
    } finally {
      if (this.drains === id) this.draining = null;
    }
  }

  /** A violation (or an unexpected error) ends this link: counted, reported once, ERROR upstream. */
  private fail(e: unknown): FlowResult {
    if (!(e instanceof LinkViolation)) {
      return this.error(`cannot pass an item to the next process: ${e instanceof Error ? e.message : String(e)}`, e);
    }
    this.violationCount++;
    if (!this.broken) {
      this.broken = true;
      this.options.onViolation(`link ${this.options.label}: the consumer broke the protocol: ${e.message}`);
    }
    return FlowResult.ERROR;
  }

  private drop(buf: Buffer, r: FlowResult): FlowResult {
    buf.release();
    return r;
  }

  /** What upstream hears once the consumer stopped: EOS stays EOS; anything else is FLUSHING. */
  private downstreamResult(): FlowResult {
    return this.ring.consumerDone() === FlowResult.EOS + 1 ? FlowResult.EOS : FlowResult.FLUSHING;
  }

  override unblock(): void {
    this.unblocked = true;
    this.doorbell.close();
  }

  override start(): void {
    this.unblocked = false;
  }

  override stop(): void {
    this.collectReturns();
    this.doorbell.close();
    // Event and copy pools made for this link: their fds go; buffers still out keep their mapping.
    this.ownAllocator?.close();
    this.ownAllocator = null;
  }
}
