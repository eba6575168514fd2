import { ParallaxError, fromWireRefusal } from '../../errors.js';
import { setOnBothCopies } from '../property-copies.js';
import { Cancellation } from '../cancellation.js';
import { Caps } from '../../element/caps/index.js';
import type { ElementContext } from '../../element/context.js';
import type { Element, ElementClass } from '../../element/element.js';
import type { BusMessage } from '../../element/message.js';
import type { Pad } from '../../element/pad.js';
import type { PropertyValue } from '../../element/property.js';
import type { Arena } from '../../memory/arena.js';
import { poolOfKind } from './wire.js';
import { ThreadLink, threadLinkBytes } from '../../memory/spsc/thread-link.js';
import { moduleOf } from '../../registry/registry.js';
import type { TaskDriver } from '../streaming-task.js';
import type { DriverSpec } from '../driver.js';
import { RingBridgeSink } from './bridge-sink.js';
import { RingBridgeSource } from './bridge-source.js';
import { DataThread } from './data-thread.js';
import { LOOP, type Plan, type PlannedLink } from './placement.js';
import type { ElementSpec, FromThread, LinkEnd, PadRef, ThreadInit, WireValue } from './protocol.js';

export interface SchedulerOptions {
  readonly driver: DriverSpec | null;
  readonly spin: number;
  readonly slotsPerPool: number;
  readonly plugins: readonly string[];
}

/** What the scheduler needs of the pipeline that owns it. */
export interface SchedulerHost {
  readonly context: ElementContext;
  post(msg: BusMessage): void;
  sinkReachedEos(sink: Element): void;
}

function isDriver(el: Element): boolean {
  return typeof (el as Partial<TaskDriver>).produce === 'function';
}

function linkLabel(l: PlannedLink): string {
  return l.queue !== null ? l.queue.name : `${l.from.fullName}->${l.to.fullName}`;
}

function toWireValue(v: PropertyValue): WireValue {
  return v instanceof Caps ? { caps: v.toString() } : v;
}

/**
 * Runs the thread side of a plan: starts one data thread per partition group, carves a thread
 * link in the arena for every link that crosses threads, and on the event loop stands bridge
 * elements in for the far side of each crossing link. The pipeline keeps its own elements for
 * negotiation and inspection; the instances on data threads are the ones that run.
 */
export class ThreadScheduler {
  private readonly threads: DataThread[] = [];
  private readonly links: { planned: PlannedLink; link: ThreadLink }[] = [];
  private readonly loopBridges: Element[] = [];
  /** Main-side ends of links into the event loop: streaming tasks the pipeline runs. */
  readonly loopDrivers: RingBridgeSource[] = [];
  private readonly savedPeers: [Pad, Pad | null][] = [];
  private readonly byName = new Map<string, Element>();
  private readonly threadOf = new Map<string, DataThread>();

  constructor(readonly plan: Plan, private readonly arena: Arena, private readonly host: SchedulerHost, private readonly options: SchedulerOptions) {}

  /** Whether `el` runs on a data thread (its event-loop instance stays idle). */
  runsOnThread(el: Element): boolean {
    const t = this.plan.placement.get(el);
    return t !== undefined && t !== LOOP;
  }

  /** Whether the event loop runs `el` itself (not on a thread, not a queue a link replaced). */
  runsOnLoop(el: Element): boolean {
    return this.plan.placement.get(el) === LOOP;
  }

  /** Lets `cancelPrepare` end a prepare that waits on its threads. */
  private readonly preparing = new Cancellation();

  /** Ends a prepare that is waiting on the threads: it rejects with `reason` (the pipeline then stops them). */
  cancelPrepare(reason: Error): void {
    this.preparing.cancel(reason);
  }

  /** Starts the threads and waits until each has loaded and started its elements. */
  async prepare(elements: readonly Element[]): Promise<void> {
    this.preparing.throwIfCancelled();
    for (const el of elements) this.byName.set(el.name, el);
    for (const planned of this.plan.links) {
      const base = this.arena.carve(threadLinkBytes(planned.capacity));
      if (base < 0) throw new ParallaxError('ELEMENT_ERROR', `the arena has no room for the ring of ${linkLabel(planned)}; raise arenaBytes`);
      this.links.push({ planned, link: new ThreadLink(this.arena.region, base, planned.capacity, true) });
    }
    const groups: Element[][] = Array.from({ length: this.plan.threadCount }, () => []);
    for (const el of elements) {
      const t = this.plan.placement.get(el);
      if (t !== undefined && t !== LOOP) groups[t]!.push(el);
    }
    groups.forEach((group, index) => {
      const init = this.initFor(index, group);
      const thread = new DataThread(init, group.map((e) => e.name), {
        onMessage: (m) => this.onThreadMessage(m),
        onDeath: (reason) => this.host.post({
          type: 'error',
          source: group[0]?.name ?? `datathread${index}`,
          error: new ParallaxError('ELEMENT_ERROR', `data thread ${index} (running ${group.map((e) => e.name).join(', ')}) ${reason}`),
        }),
      });
      this.threads.push(thread);
      for (const el of group) this.threadOf.set(el.name, thread);
    });
    this.makeLoopBridges();
    try {
      await this.preparing.race(Promise.all(this.threads.map((t) => t.whenPrepared())));
    } catch (e) {
      if (this.preparing.isReason(e)) throw e;
      const who = (e as { element?: string }).element ?? 'a data thread';
      throw new ParallaxError('ELEMENT_ERROR', `${who} failed to start on a data thread: ${e instanceof Error ? e.message : String(e)}`, { cause: e });
    }
    for (const b of this.loopBridges) await b.start();
  }

  private initFor(index: number, group: Element[]): ThreadInit {
    const indexOf = new Map(group.map((e, i) => [e, i]));
    const ref = (p: Pad): PadRef => [indexOf.get(p.element)!, p.name];
    const specs: ElementSpec[] = group.map((el) => ({
      name: el.name,
      factory: el.factory,
      module: moduleOf(el.constructor as ElementClass)!,
      props: [...el.changedProperties].map(([k, v]) => [k, toWireValue(v)] as const),
      requestPads: el.pads.filter((p) => p.template.presence === 'request').map((p) => p.name),
    }));
    const internal: (readonly [PadRef, PadRef])[] = [];
    const caps: (readonly [PadRef, string])[] = [];
    for (const el of group) {
      for (const p of el.pads) {
        if (p.caps !== null) caps.push([ref(p), p.caps.toString()]);
        if (p.direction === 'src' && p.peer !== null && indexOf.has(p.peer.element)) internal.push([ref(p), ref(p.peer)]);
      }
    }
    const driverCount = group.filter(isDriver).length + this.links.filter((l) => l.planned.toThread === index).length;
    const end = (l: { planned: PlannedLink; link: ThreadLink }, pad: Pad, otherThread: number): LinkEnd => ({
      base: l.link.base,
      capacity: l.planned.capacity,
      limits: l.planned.limits,
      pad: ref(pad),
      mayBlock: driverCount === 1 && otherThread !== index,
      label: linkLabel(l.planned),
    });
    return {
      index,
      arena: this.arena.transferable,
      elements: specs,
      links: internal,
      caps,
      outputs: this.links.filter((l) => l.planned.fromThread === index).map((l) => end(l, l.planned.from, l.planned.toThread)),
      inputs: this.links.filter((l) => l.planned.toThread === index).map((l) => end(l, l.planned.to, l.planned.fromThread)),
      spin: this.options.spin,
      slotsPerPool: this.options.slotsPerPool,
      plugins: this.options.plugins,
      driver: this.options.driver,
    };
  }

  /** On the event loop, bridge elements stand in for the far ends of crossing links. */
  private makeLoopBridges(): void {
    for (const { planned, link } of this.links) {
      const label = linkLabel(planned);
      if (planned.fromThread === LOOP) {
        const sink = new RingBridgeSink(`${label}>`, link.producer(planned.limits), this.arena, { mayBlockThread: false, spin: this.options.spin });
        sink.attach(this.host.context);
        this.loopBridges.push(sink);
        this.swaps.push(() => this.swapPeer(planned.from, sink.pad('sink')!));
      }
      if (planned.toThread === LOOP) {
        const src = new RingBridgeSource(`${label}<`, link.consumer(planned.limits), this.arena, { mayBlockThread: false, spin: this.options.spin });
        src.attach(this.host.context);
        this.loopBridges.push(src);
        this.loopDrivers.push(src);
        this.swaps.push(() => this.swapPeer(planned.to, src.pad0));
      }
    }
  }

  private readonly swaps: (() => void)[] = [];

  /** Points `pad` at `bridgePad` for the run; `stop` gives it its peer back. */
  private swapPeer(pad: Pad, bridgePad: Pad): void {
    this.savedPeers.push([pad, pad.peer]);
    pad.peer = bridgePad;
    bridgePad.peer = pad;
  }

  private onThreadMessage(m: FromThread): void {
    switch (m.type) {
      case 'bus': {
        if (m.msg.type === 'error') {
          this.host.post({ type: 'error', source: m.msg.source, error: new ParallaxError(m.msg.code as ConstructorParameters<typeof ParallaxError>[0], m.msg.message) });
        } else {
          this.host.post(m.msg.msg as BusMessage);
        }
        break;
      }
      case 'eos': {
        const sink = this.byName.get(m.sink);
        if (sink !== undefined) this.host.sinkReachedEos(sink);
        break;
      }
      default:
        break;
    }
  }

  /**
   * Connects the event loop's pads to the bridges. Done at activation, after the latency query,
   * so that everything that walks the graph before data flows sees the pipeline as built.
   */
  connectLoopBridges(): void {
    if (this.savedPeers.length === 0) for (const swap of this.swaps) swap();
  }

  activate(baseTime: number, originNs: number, cyclesAtStart: number): void {
    for (const b of this.loopBridges) b.state = 'running';
    // Downstream first, as GStreamer changes state sink-first: a consumer should be running
    // before its producer starts, or a leaky link drops the first burst. Threads are numbered
    // in graph order, sources first.
    for (const t of [...this.threads].reverse()) t.send({ type: 'activate', baseTime, timeOrigin: performance.timeOrigin, originNs, cyclesAtStart });
  }

  pause(): void {
    for (const t of this.threads) t.send({ type: 'pause' });
  }

  resume(baseTime: number, originNs: number): void {
    for (const t of this.threads) t.send({ type: 'resume', baseTime, timeOrigin: performance.timeOrigin, originNs });
  }

  /** Wakes every wait on a link, in every thread. Call before awaiting the event loop's own tasks. */
  requestStop(): void {
    this.arena.requestStop();
    for (const b of this.loopBridges) b.unblock();
  }

  /** Stops every thread and gives the event-loop pads their original peers back. */
  async stop(): Promise<void> {
    this.requestStop();
    await Promise.all(this.threads.map((t) => t.stop()));
    for (const b of this.loopBridges) await b.stop();
    // A producer may push after its consumer's last look (it checks, then pushes): with every
    // side stopped, whatever is left in a ring goes back to its pool here.
    for (const { link } of this.links) link.ring.takeLeftovers((slot, _offset, _length, kind) => this.arena.pool(poolOfKind(kind)).unref(slot));
    for (const [pad, peer] of this.savedPeers.reverse()) {
      if (pad.peer !== null && pad.peer !== peer) pad.peer.peer = null;
      pad.peer = peer;
    }
    this.savedPeers.length = 0;
  }

  /** Per-pad counters of the elements on threads (as last reported) and every crossing link's level. */
  stats(): { pads: Record<string, { buffers: number; bytes: number }>; links: Record<string, { depth: number; drops: number; wakeups: number }>; pools: { pools: number; slots: number; freeSlots: number; poolsAdded: number }; bytesCopied: number } {
    const pads: Record<string, { buffers: number; bytes: number }> = {};
    const pools = { pools: 0, slots: 0, freeSlots: 0, poolsAdded: 0 };
    let bytesCopied = 0;
    for (const t of this.threads) {
      bytesCopied += t.lastStats.bytesCopied;
      Object.assign(pads, t.lastStats.pads);
      pools.pools += t.lastStats.pools.pools;
      pools.slots += t.lastStats.pools.slots;
      pools.freeSlots += t.lastStats.pools.freeSlots;
      pools.poolsAdded += t.lastStats.pools.poolsAdded;
    }
    const links: Record<string, { depth: number; drops: number; wakeups: number }> = {};
    for (const { planned, link } of this.links) {
      // A link that replaced a queue is reported as the queue's output link, where async mode reports the queue's level.
      const from = planned.queue !== null ? `${planned.queue.name}:src` : planned.from.fullName;
      links[`${from}->${planned.to.fullName}`] = link.stats();
    }
    return { pads, links, pools, bytesCopied };
  }

  /** Sets a property on an element, wherever it runs. */
  async setProperty(el: Element, name: string, value: unknown): Promise<void> {
    const thread = this.threadOf.get(el.name);
    if (thread === undefined) {
      el.set(name, value);
      return;
    }
    await setOnBothCopies(el, name, value, async (set) => {
      const refused = await thread.call(`setting ${el.name}.${name}`, (c) => c.setProperty(el.name, name, toWireValue(set)));
      if (refused !== null) throw fromWireRefusal(refused, '');
    });
  }

  async getProperty(el: Element, name: string): Promise<PropertyValue> {
    const thread = this.threadOf.get(el.name);
    if (thread === undefined) return el.get(name);
    return thread.call<PropertyValue>(`reading ${el.name}.${name}`, async (c) => (await c.getProperty(el.name, name)) as PropertyValue);
  }

  /** Sends EOS into every source on a data thread (parallax-launch -e). */
  sendEos(): void {
    for (const t of this.threads) t.send({ type: 'send-eos' });
  }
}
