/**
 * An element host: the process the supervisor starts (through the native helper, inside the
 * sandbox) for one isolated element or one group. `workers/element-host.mjs` calls
 * `runElementHost`. It waits for `init` on its control socket (fd 3) with the fds of its links,
 * builds its part of the graph as a data thread does (host-core.ts), puts process bridges where
 * links leave the process, locks itself down (the second seccomp stage), starts its elements and
 * then follows the supervisor's control messages until `stop`, when it exits.
 *
 * Elements allocate from an arena in a memfd, which whoever consumes this host's buffers maps
 * read-only: buffers cross without a copy, and nobody but this host can write them.
 */
import type { Element } from '../../element/element.js';
import type { ElementContext } from '../../element/context.js';
import type { PropertyValue } from '../../element/property.js';
import { MonotonicClock } from '../../exec/clock.js';
import { PacedDriver } from '../../exec/driver.js';
import { StreamingTask, type TaskDriver } from '../../exec/streaming-task.js';
import { HostTasks, applyCaps, buildGraph, fromWire, toWireBus, type HostedGraph } from '../../exec/threads/host-core.js';
import type { ThreadStats } from '../../exec/threads/protocol.js';
import { copyStats } from '../../memory/copy-counter.js';
import { requireNative } from '../native.js';
import { Arena } from '../../memory/arena.js';
import { SharedAllocator } from '../../memory/shared-allocator.js';
import { MemfdRegion } from '../memfd-region.js';
import { ProcessBridgeSink } from '../link/process-bridge-sink.js';
import { ProcessBridgeSource } from '../link/process-bridge-source.js';
import type { LinkEndpoint } from '../link/create.js';
import { MAX_CONTROL_BYTES, decodeToHost, encodeMessage, type FromHost, type HostInit, type HostLinkEnd, type ToHost } from './protocol.js';
import { closeFd } from '../fd.js';
import { toWireRefusal } from '../../errors.js';

const STATS_INTERVAL_MS = 250;
const CONTROL_FD = 3;

export async function runElementHost(): Promise<void> {
  const native = requireNative();
  const send = (m: FromHost): void => {
    native.sendFds(CONTROL_FD, [], encodeMessage(m));
  };
  let host: Host | null = null;
  await new Promise<void>((resolve) => {
    native.openChannel(
      CONTROL_FD,
      (bytes, fds) => {
        // Nothing may escape a native callback unseen: what fails here is reported to the supervisor.
        try {
          const m = decodeToHost(bytes);
          if (host === null) {
            if (m.type !== 'init') throw new Error(`the first control message was "${m.type}", not init`);
            host = new Host(m.init, fds, send);
            resolve();
            void host.prepare();
          } else {
            host.onMessage(m);
          }
        } catch (e) {
          const why = e instanceof Error ? e.message : String(e);
          send(host === null ? { type: 'prepare-failed', element: 'the element host', message: why } : { type: 'bus', msg: { type: 'other', msg: { type: 'warning', source: 'host', message: why } } });
        }
      },
      // The supervisor is gone: nobody will ever read what this host makes.
      () => process.exit(0),
      MAX_CONTROL_BYTES,
    );
  });
}

class Host {
  private readonly clock = new MonotonicClock();
  private baseTime = 0;
  private errorPosted = false;
  private readonly bridges: Element[] = [];
  private readonly sinks: ProcessBridgeSink[] = [];
  private readonly sources: ProcessBridgeSource[] = [];
  private readonly context: ElementContext;
  private graph: HostedGraph | null = null;
  private tasks: HostTasks | null = null;
  private statsTimer: ReturnType<typeof setInterval> | null = null;
  private stopping = false;
  private readonly copiesAtStart = copyStats().bytesCopied;
  private readonly allocator: SharedAllocator;

  constructor(private readonly init: HostInit, private readonly fds: readonly number[], private readonly send: (m: FromHost) => void) {
    // One memfd for all the host's pools (sparse: pages are committed as slots are touched), so
    // that kernels address every payload in one memory, as in an arena of threads.
    this.allocator = new SharedAllocator(Arena.inProcessRegion(MemfdRegion.create(init.arenaBytes, 'parallax-host-arena')), { onExhausted: 'grow', slotsPerPool: init.slotsPerPool });
    const baseTime = (): number => this.baseTime;
    this.context = {
      allocator: this.allocator,
      kernels: null,
      clock: this.clock,
      get baseTime(): number { return baseTime(); },
      post: (msg) => {
        if (msg.type === 'error') this.errorPosted = true;
        send({ type: 'bus', msg: toWireBus(msg) });
      },
      blockUpstream: (p) => StreamingTask.current?.block(p),
      sinkReachedEos: (sink) => send({ type: 'eos', sink: sink.name }),
    };
  }

  private endpoint(end: HostLinkEnd): LinkEndpoint {
    const fd = (i: number): number => {
      const v = this.fds[i];
      if (v === undefined) throw new Error(`${end.label}: init names fd #${i}, and ${this.fds.length} came`);
      return v;
    };
    return { regionFd: fd(end.fds[0]), byteLength: end.byteLength, capacity: end.capacity, regionsSocketFd: fd(end.fds[1]), doorbellFd: fd(end.fds[2]) };
  }

  async prepare(): Promise<void> {
    const init = this.init;
    let current = 'the element host';
    const working = (name: string): void => void (current = name);
    const violation = (element: string) => (message: string): void => this.context.post({
      type: 'error', source: element, error: Object.assign(new Error(message), { code: 'IPC_VIOLATION' }),
    });
    try {
      const graph = await buildGraph(init, this.context, init.name, working);
      this.graph = graph;
      current = 'the element host';
      for (const out of init.outputs) {
        const from = graph.pad(out.pad);
        const bridge = new ProcessBridgeSink(`${out.label}>`, this.endpoint(out), { mayBlock: out.mayBlock, spin: init.spin, label: out.label, onViolation: violation(from.element.name) });
        bridge.attach(this.context);
        from.peer = bridge.pad('sink')!;
        bridge.pad('sink')!.peer = from;
        this.bridges.push(bridge);
        this.sinks.push(bridge);
      }
      for (const inp of init.inputs) {
        const to = graph.pad(inp.pad);
        const bridge = new ProcessBridgeSource(`${inp.label}<`, this.endpoint(inp), { mayBlock: inp.mayBlock, spin: init.spin, label: inp.label, onViolation: violation(to.element.name) });
        bridge.attach(this.context);
        bridge.pad0.peer = to;
        to.peer = bridge.pad0;
        this.bridges.push(bridge);
        this.sources.push(bridge);
      }
      applyCaps(graph, init.caps, working);
      current = 'the element host';
      // Every module is loaded: from here on the host opens no file, socket or program.
      if (init.lockdown) requireNative().sandboxLockdown();
      for (const el of [...graph.elements, ...this.bridges]) {
        current = graph.elements.includes(el) ? el.name : 'the element host';
        el.state = 'idle';
        await el.start();
      }
    } catch (e) {
      this.send({ type: 'prepare-failed', element: current, message: e instanceof Error ? e.message : String(e) });
      return;
    }
    this.tasks = new HostTasks({
      elements: this.graph.elements,
      bridges: this.bridges,
      inputs: this.sources as (Element & TaskDriver)[],
      context: this.context,
      send: this.send,
      stopping: () => this.stopping,
      errorPosted: () => this.errorPosted,
      pace: (d, _alone, originNs, cyclesAtStart) => init.driver === null ? d : new PacedDriver(d, init.driver, originNs, {
        stopping: () => this.stopping,
        cycles: { cycles: () => 0, waitAsync: () => Promise.resolve() },
        onXruns: () => {},
      }, cyclesAtStart),
    });
    this.send({ type: 'prepared' });
  }

  private stats(): ThreadStats {
    const pads: Record<string, { buffers: number; bytes: number }> = {};
    for (const el of this.graph?.elements ?? []) for (const p of el.srcPads) pads[p.fullName] = { buffers: p.buffers, bytes: p.bytes };
    return { pads, pools: this.allocator.stats(), bytesCopied: copyStats().bytesCopied - this.copiesAtStart };
  }

  private element(name: string): Element {
    const el = this.graph?.elements.find((e) => e.name === name);
    if (el === undefined) throw new Error(`no element ${name} in ${this.init.name}`);
    return el;
  }

  onMessage(m: ToHost): void {
    const tasks = this.tasks;
    switch (m.type) {
      case 'activate':
        this.baseTime = m.baseTime + (m.timeOrigin - performance.timeOrigin) * 1e6;
        tasks?.activate(m.originNs, m.cyclesAtStart);
        this.statsTimer = setInterval(() => this.send({ type: 'stats', stats: this.stats() }), STATS_INTERVAL_MS);
        this.statsTimer.unref();
        break;
      case 'pause':
        tasks?.pause();
        break;
      case 'resume':
        this.baseTime = m.baseTime + (m.timeOrigin - performance.timeOrigin) * 1e6;
        tasks?.resume(m.originNs);
        break;
      case 'send-eos':
        tasks?.sendEos().catch((e: unknown) => this.context.post({ type: 'error', source: this.init.elements[0]?.name ?? this.init.name, error: new Error(`sending EOS failed: ${e instanceof Error ? e.message : String(e)}`) }));
        break;
      case 'stop':
        void this.stop();
        break;
      case 'call':
        try {
          if (m.op === 'set-property') {
            this.element(m.element).set(m.property, fromWire(m.value));
            this.send({ type: 'reply', id: m.id, ok: true, value: null });
          } else {
            const v = this.element(m.element).get(m.property);
            const value = typeof v === 'object' && v !== null ? String(v) : (v as PropertyValue | undefined) ?? null;
            this.send({ type: 'reply', id: m.id, ok: true, value });
          }
        } catch (e) {
          const refusal = toWireRefusal(e);
          this.send({ type: 'reply', id: m.id, ok: false, message: refusal.message, code: refusal.code });
        }
        break;
      case 'init':
        break;
    }
  }

  private async stop(): Promise<void> {
    if (this.stopping) return;
    this.stopping = true;
    if (this.statsTimer !== null) clearInterval(this.statsTimer);
    for (const s of this.sources) s.unblock();
    for (const s of this.sinks) s.unblock();
    await this.tasks?.stop();
    this.send({ type: 'stopped', stats: this.stats() });
    for (const fd of this.fds) closeFd(fd);
    process.exit(0);
  }
}
