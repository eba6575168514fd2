import { Allocator, type BufferAllocator } from '../memory/allocator.js';
import { Arena } from '../memory/arena.js';
import { SharedAllocator } from '../memory/shared-allocator.js';
import { KernelHost } from '../wasm/kernel-host.js';
import { Buffer } from '../element/buffer.js';
import { Caps, parseCaps } from '../element/caps/index.js';
import type { ElementContext } from '../element/context.js';
import { Element } from '../element/element.js';
import { Events, type Event } from '../element/event.js';
import { FlowResult } from '../element/flow.js';
import type { BusMessage } from '../element/message.js';
import type { ElementMetadata } from '../element/metadata.js';
import type { Pad } from '../element/pad.js';
import { linkPads } from '../graph/link.js';
import { FakeClock } from './fake-clock.js';

/** The harness's own ends: a src that feeds the element and a sink that collects its output. */
class HarnessEnd extends Element {
  static readonly metadata: ElementMetadata = {
    factory: 'harness', classification: 'Testing', description: 'Test harness end', example: '',
    padTemplates: [{ name: 'src', direction: 'src', presence: 'always' }, { name: 'sink', direction: 'sink', presence: 'always' }],
    properties: {}, affinity: 'async', rtSafe: true,
  };
  readonly buffers: Buffer[] = [];
  readonly events: Event[] = [];

  override chain(_pad: Pad, buf: Buffer): FlowResult {
    this.buffers.push(buf);
    return FlowResult.OK;
  }

  override sinkEvent(pad: Pad, ev: Event): boolean {
    if (ev.type === 'caps') pad.caps = ev.caps;
    this.events.push(ev);
    return true;
  }
}

export interface HarnessOptions {
  /** Caps pushed into the element's sink pad (and fixed on the link). */
  readonly caps?: string | Caps;
  /** Pad names to connect; default "sink" and "src" when the element has them. */
  readonly sinkPad?: string;
  readonly srcPad?: string;
  /** false: a shared-memory element gets an arena without WebAssembly, so it runs its JS reference. */
  readonly kernels?: boolean;
  /** Size of the arena a shared-memory element gets (default 64 MiB). */
  readonly arenaBytes?: number;
}

/**
 * Drives one element outside a pipeline, after GStreamer's GstHarness: push buffers and events
 * in, pull what comes out, set caps, and move a fake clock.
 */
export class Harness {
  readonly clock = new FakeClock();
  /**
   * Where buffers come from: a heap allocator, or — for an element whose metadata asks for
   * shared memory (WebAssembly kernels, `parallel`) — an arena, as a pipeline would give it.
   */
  readonly allocator: BufferAllocator;
  /** The arena of a shared-memory element, else null. */
  readonly arena: Arena | null;
  readonly messages: BusMessage[] = [];
  /** Promises the element asked upstream to wait for (queue full, clock wait, async write). */
  private blockers: Promise<unknown>[] = [];
  private readonly input = new HarnessEnd('harness-src');
  private readonly output = new HarnessEnd('harness-sink');
  eosCount = 0;

  constructor(readonly element: Element, options: HarnessOptions = {}) {
    const shared = element.metadata.sharedMemory === true;
    this.arena = shared ? Arena.create(options.arenaBytes ?? 64 * 1024 * 1024, options.kernels === false ? 'sab' : 'wasm') : null;
    this.allocator = this.arena !== null ? new SharedAllocator(this.arena, { onExhausted: 'grow' }) : new Allocator();
    const ctx: ElementContext = {
      allocator: this.allocator,
      kernels: this.arena === null ? null : KernelHost.for(this.arena),
      clock: this.clock,
      baseTime: 0,
      post: (m) => this.messages.push(m),
      blockUpstream: (p) => this.blockers.push(p),
      sinkReachedEos: () => this.eosCount++,
    };
    for (const el of [element, this.input, this.output]) el.attach(ctx);
    const sink = element.pads.find((p) => p.direction === 'sink' && (options.sinkPad === undefined || p.name === options.sinkPad))
      ?? (options.sinkPad ? element.requestPad(options.sinkPad) : undefined);
    const src = element.pads.find((p) => p.direction === 'src' && (options.srcPad === undefined || p.name === options.srcPad))
      ?? (options.srcPad ? element.requestPad(options.srcPad) : undefined);
    if (sink) linkPads(this.input.pad('src')!, sink);
    if (src) linkPads(src, this.output.pad('sink')!);
    const caps = options.caps === undefined ? undefined : typeof options.caps === 'string' ? parseCaps(options.caps) : options.caps;
    if (caps && sink) {
      sink.caps = caps;
      element.setCaps(sink, caps);
      if (src) {
        const out = element.fixateCaps(src, element.transformCaps(sink, caps));
        src.caps = out;
        element.setCaps(src, out);
      }
    } else if (src && element.sinkPads.length === 0) {
      const out = element.fixateCaps(src, element.sourceCaps(src));
      src.caps = out;
      element.setCaps(src, out);
    }
  }

  /** Starts the element (Suspended → Idle → Running) and sends stream-start, caps, segment. */
  async start(): Promise<this> {
    this.element.state = 'idle';
    await this.element.start();
    this.element.state = 'running';
    const sink = this.input.pad('src')!;
    if (sink.peer !== null) {
      sink.pushEvent(Events.streamStart('harness'));
      if (sink.peer.caps !== null) sink.pushEvent(Events.caps(sink.peer.caps));
      sink.pushEvent(Events.segment());
    }
    return this;
  }

  async stop(): Promise<void> {
    this.element.unblock();
    this.element.state = 'suspended';
    await this.element.stop();
  }

  /** Pushes a buffer (or bytes, written once into a slot) into the element. */
  push(data: Buffer | Uint8Array | string, meta: { pts?: number; duration?: number } = {}): FlowResult {
    const bytes = typeof data === 'string' ? new TextEncoder().encode(data) : data;
    const buf = bytes instanceof Buffer ? bytes : Buffer.fromBytes(this.allocator, bytes);
    if (meta.pts !== undefined) buf.pts = meta.pts;
    if (meta.duration !== undefined) buf.duration = meta.duration;
    return this.input.pad('src')!.push(buf);
  }

  pushEvent(ev: Event): boolean {
    return this.input.pad('src')!.pushEvent(ev);
  }

  /** Sends new caps in-band, as upstream renegotiating would. Returns whether the element took them. */
  setCaps(caps: string | Caps): boolean {
    return this.pushEvent(Events.caps(typeof caps === 'string' ? parseCaps(caps) : caps));
  }

  /** Sends EOS in. */
  eos(): boolean {
    return this.pushEvent(Events.eos());
  }

  /** For sources and queues: runs one streaming-task step, delivering its result. */
  async step(): Promise<FlowResult> {
    const driver = this.element as unknown as { produce?: () => unknown; deliver?: (x: unknown) => FlowResult; finish?: (r: FlowResult) => void };
    if (driver.produce === undefined || driver.deliver === undefined) throw new Error(`${this.element.name} does not drive a task`);
    // Wait only for what this step's own downstream push asked for: blockers from earlier
    // upstream pushes (a full queue) clear through later steps, not this one.
    const upstream = this.blockers;
    this.blockers = [];
    const item = await driver.produce();
    const r = typeof item === 'number' ? (item as FlowResult) : driver.deliver(item);
    if (r !== FlowResult.OK) driver.finish?.(r);
    const mine = this.blockers;
    this.blockers = upstream;
    await Promise.all(mine);
    return r;
  }

  /** Waits for everything the element asked upstream to wait for. */
  async settle(): Promise<void> {
    while (this.blockers.length > 0) {
      const b = this.blockers;
      this.blockers = [];
      await Promise.all(b);
    }
  }

  /** Number of pending upstream waits (a full queue, a clock wait…). */
  get blocked(): number {
    return this.blockers.length;
  }

  /** Takes the oldest output buffer, or undefined. The caller owns it. */
  pull(): Buffer | undefined {
    return this.output.buffers.shift();
  }

  /** Takes every output buffer's bytes as text, releasing the buffers. */
  pullAllText(): string[] {
    const out: string[] = [];
    for (let b = this.pull(); b !== undefined; b = this.pull()) {
      out.push(new TextDecoder().decode(b.data));
      b.release();
    }
    return out;
  }

  /** Output buffers not yet pulled. */
  get pending(): number {
    return this.output.buffers.length;
  }

  /** Events that came out of the element, in order. */
  get events(): readonly Event[] {
    return this.output.events;
  }

  /** The element's output caps, as negotiated or sent. */
  get outputCaps(): Caps | null {
    return this.output.pad('sink')!.caps;
  }

  errors(): string[] {
    return this.messages.flatMap((m) => (m.type === 'error' ? [m.error.message] : []));
  }
}
