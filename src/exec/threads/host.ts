/**
 * The data-thread host: what runs inside a worker_thread of a threaded pipeline. It loads its
 * elements by module specifier (no closure crosses threads), links them as the event loop had
 * them, puts ring bridges where their links leave the thread, sets the negotiated caps, and runs
 * one streaming task per driver (sources and incoming links) in tight synchronous bursts.
 *
 * The control plane — activate, pause, stop, property access, stats — arrives as messages; the
 * data plane never does. `workers/data-thread.mjs` is the entry that calls `runDataThread`.
 */
import type { MessagePort } from 'node:worker_threads';
import * as Comlink from 'comlink';
import nodeEndpoint from 'comlink/dist/esm/node-adapter.mjs';
import type { Element } from '../../element/element.js';
import type { ElementContext } from '../../element/context.js';
import type { PropertyValue } from '../../element/property.js';
import { Arena } from '../../memory/arena.js';
import { KernelHost } from '../../wasm/kernel-host.js';
import { copyStats } from '../../memory/copy-counter.js';
import { GROWTH_BYTES } from '../../memory/allocator.js';
import { SharedAllocator } from '../../memory/shared-allocator.js';
import { ThreadLink } from '../../memory/spsc/thread-link.js';
import { MonotonicClock } from '../clock.js';
import { StreamingTask } from '../streaming-task.js';
import { RingBridgeSink } from './bridge-sink.js';
import { RingBridgeSource } from './bridge-source.js';
import { PacedDriver } from '../driver.js';
import { HostTasks, applyCaps, buildGraph, fromWire, toWireBus, type HostedGraph } from './host-core.js';
import type { FromThread, ThreadInit, ThreadStats, ToThread, WireValue } from './protocol.js';
import { toWireRefusal, type WireRefusal } from '../../errors.js';

const STATS_INTERVAL_MS = 250;

/** Slots of class `cls` a link can hold at once: its places, its buffer limit, and its byte limit. */
function linkDepth(capacity: number, maxBuffers: number, maxBytes: number, cls: number): number {
  let depth = maxBuffers > 0 ? Math.min(capacity, maxBuffers) : capacity;
  if (maxBytes > 0) depth = Math.min(depth, Math.ceil(maxBytes / cls) + 1);
  return depth;
}

/** Runs a data thread until it is told to stop. */
export async function runDataThread(init: ThreadInit, port: MessagePort, control: MessagePort): Promise<void> {
  const send = (m: FromThread): void => port.postMessage(m);
  const arena = Arena.attach(init.arena);
  const clock = new MonotonicClock();
  let baseTime = 0;
  const bridges: Element[] = [];
  const sources: RingBridgeSource[] = [];
  let errorPosted = false;

  const context: ElementContext = {
    allocator: new SharedAllocator(arena, {
      onExhausted: 'block',
      slotsPerPool: init.slotsPerPool,
      shouldStop: () => arena.stopRequested(),
      onStall: (size, slots) => send({ type: 'bus', msg: toWireBus({ type: 'warning', source: `datathread${init.index}`, message: `all ${slots} slots of ${size} bytes have been in use for a second: upstream waits for downstream to release buffers` }) }),
    }),
    kernels: KernelHost.for(arena),
    clock,
    get baseTime(): number { return baseTime; },
    post: (msg) => {
      if (msg.type === 'error') errorPosted = true;
      send({ type: 'bus', msg: toWireBus(msg) });
    },
    blockUpstream: (p) => StreamingTask.current?.block(p),
    sinkReachedEos: (sink) => send({ type: 'eos', sink: sink.name }),
  };

  let current = 'the data thread';
  const working = (name: string): void => void (current = name);
  let graph: HostedGraph;
  try {
    graph = await buildGraph(init, context, `data thread ${init.index}`, working);
    current = 'the data thread';
    for (const out of init.outputs) {
      const link = new ThreadLink(arena.region, out.base, out.capacity);
      const bridge = new RingBridgeSink(`${out.label}>`, link.producer(out.limits), arena, { mayBlockThread: out.mayBlock, spin: init.spin });
      bridge.attach(context);
      const from = graph.pad(out.pad);
      from.peer = bridge.pad('sink')!;
      bridge.pad('sink')!.peer = from;
      bridges.push(bridge);
    }
    for (const inp of init.inputs) {
      const link = new ThreadLink(arena.region, inp.base, inp.capacity);
      const bridge = new RingBridgeSource(`${inp.label}<`, link.consumer(inp.limits), arena, { mayBlockThread: inp.mayBlock, spin: init.spin });
      bridge.attach(context);
      const to = graph.pad(inp.pad);
      bridge.pad0.peer = to;
      to.peer = bridge.pad0;
      bridges.push(bridge);
      sources.push(bridge);
    }
    applyCaps(graph, init.caps, working);
    for (const el of [...graph.elements, ...bridges]) {
      current = el.name;
      el.state = 'idle';
      await el.start();
    }
    // Buffers in flight on this thread's outgoing links, plus a burst's worth held by elements.
    // A link with a byte limit holds at most that many bytes of each size class (a queue's
    // 10 MB holds one 1080p RGBA frame, not 200).
    if (init.outputs.length > 0) {
      (context.allocator as SharedAllocator).reserveDepth((cls) => init.outputs.reduce((n, o) => n + linkDepth(o.capacity, o.limits.maxBuffers, o.limits.maxBytes, cls), 0) + Math.min(64, Math.max(4, Math.floor(GROWTH_BYTES / cls))));
    }
  } catch (e) {
    send({ type: 'prepare-failed', element: current, message: e instanceof Error ? e.message : String(e) });
    return;
  }
  const elements = graph.elements;

  const byName = new Map(elements.map((e) => [e.name, e]));
  const element = (name: string): Element => {
    const el = byName.get(name);
    if (el === undefined) throw new Error(`no element ${name} on data thread ${init.index}`);
    return el;
  };
  const copiesAtStart = copyStats().bytesCopied;
  const stats = (): ThreadStats => {
    const pads: Record<string, { buffers: number; bytes: number }> = {};
    for (const el of elements) for (const p of el.srcPads) pads[p.fullName] = { buffers: p.buffers, bytes: p.bytes };
    return { pads, pools: context.allocator.stats(), bytesCopied: copyStats().bytesCopied - copiesAtStart };
  };
  Comlink.expose({
    setProperty: (name: string, prop: string, value: WireValue): WireRefusal | null => {
      try {
        element(name).set(prop, fromWire(value));
        return null;
      } catch (e) {
        return toWireRefusal(e);
      }
    },
    getProperty: (name: string, prop: string): PropertyValue => {
      const v = element(name).get(prop);
      return typeof v === 'object' && v !== null && 'toString' in v && !('num' in v) ? String(v) : v;
    },
    stats,
  }, nodeEndpoint(control));

  let statsTimer: ReturnType<typeof setInterval> | null = null;
  const tasks = new HostTasks({
    elements,
    bridges,
    inputs: sources,
    context,
    send,
    stopping: () => arena.stopRequested(),
    errorPosted: () => errorPosted,
    pace: (d, alone, originNs, cyclesAtStart) => init.driver === null ? d : new PacedDriver(d, init.driver, originNs, {
      ...(alone ? { sleepSync: (ms: number) => arena.sleepUnlessStopped(ms) } : {}),
      stopping: () => arena.stopRequested(),
      cycles: {
        cycles: () => arena.cycles(),
        ...(alone ? { waitSync: (seen: number, ms: number) => arena.waitForCycle(seen, ms) } : {}),
        waitAsync: (seen: number, ms: number) => arena.waitForCycleAsync(seen, ms),
      },
      onXruns: (n) => arena.addXruns(n),
    }, cyclesAtStart),
  });

  port.on('message', (m: ToThread) => {
    switch (m.type) {
      case 'activate':
        baseTime = m.baseTime + (m.timeOrigin - performance.timeOrigin) * 1e6;
        tasks.activate(m.originNs, m.cyclesAtStart);
        statsTimer = setInterval(() => send({ type: 'stats', stats: stats() }), STATS_INTERVAL_MS);
        statsTimer.unref();
        break;
      case 'pause':
        tasks.pause();
        break;
      case 'resume':
        baseTime = m.baseTime + (m.timeOrigin - performance.timeOrigin) * 1e6;
        tasks.resume(m.originNs);
        break;
      case 'send-eos':
        tasks.sendEos().catch((e: unknown) => context.post({ type: 'error', source: `datathread${init.index}`, error: new Error(`sending EOS failed: ${e instanceof Error ? e.message : String(e)}`) }));
        break;
      case 'stop':
        void stop();
        break;
    }
  });

  async function stop(): Promise<void> {
    if (statsTimer !== null) clearInterval(statsTimer);
    await tasks.stop();
    // The event loop closes the ports and ends the worker once it has this message: closing
    // them here could drop it.
    send({ type: 'stopped', stats: stats() });
  }

  send({ type: 'prepared' });
}
