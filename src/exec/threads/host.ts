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
import type { Element, ElementClass } from '../../element/element.js';
import type { ElementContext } from '../../element/context.js';
import type { BusMessage } from '../../element/message.js';
import { parseCaps } from '../../element/caps/index.js';
import { FlowResult } from '../../element/flow.js';
import { Events } from '../../element/event.js';
import type { Pad } from '../../element/pad.js';
import type { PropertyValue } from '../../element/property.js';
import { Arena } from '../../memory/arena.js';
import { KernelHost } from '../../wasm/kernel-host.js';
import { copyStats } from '../../memory/copy-counter.js';
import { GROWTH_BYTES } from '../../memory/allocator.js';

/** Slots of class `cls` a link can hold at once: its places, its buffer limit, and its byte limit. */
function linkDepth(capacity: number, maxBuffers: number, maxBytes: number, cls: number): number {
  let depth = maxBuffers > 0 ? Math.min(capacity, maxBuffers) : capacity;
  if (maxBytes > 0) depth = Math.min(depth, Math.ceil(maxBytes / cls) + 1);
  return depth;
}
import { SharedAllocator, StopRequested } from '../../memory/shared-allocator.js';
import { ThreadLink } from '../../memory/spsc/thread-link.js';
import { createDefaultRegistry, BUILTIN_ELEMENTS } from '../../registry/builtins.js';
import { linkPads } from '../../graph/link.js';
import { MonotonicClock } from '../clock.js';
import { StreamingTask, type TaskDriver } from '../streaming-task.js';
import { RingBridgeSink } from './bridge-sink.js';
import { RingBridgeSource } from './bridge-source.js';
import { PacedDriver } from '../driver.js';
import type { ElementSpec, FromThread, PadRef, ThreadInit, ThreadStats, ToThread, WireValue } from './protocol.js';

const STATS_INTERVAL_MS = 250;

function isDriver(el: Element): el is Element & TaskDriver {
  return typeof (el as Partial<TaskDriver>).produce === 'function';
}

async function loadClass(spec: ElementSpec, registry: ReturnType<typeof createDefaultRegistry>): Promise<ElementClass> {
  const builtin = BUILTIN_ELEMENTS.find(([cls]) => cls.metadata.factory === spec.factory);
  if (builtin !== undefined && spec.module.endsWith(builtin[1].replace(/^\.\.\//, '').replace(/\.js$/, '.js'))) return builtin[0];
  const known = registry.get(spec.factory);
  if (known !== undefined && known.module === spec.module) return known.elementClass;
  let mod: Record<string, unknown>;
  try {
    mod = (await import(spec.module)) as Record<string, unknown>;
  } catch (e) {
    throw new Error(`cannot import ${spec.module} on a data thread: ${e instanceof Error ? e.message : String(e)}`);
  }
  for (const v of Object.values(mod)) {
    if (typeof v === 'function' && (v as Partial<ElementClass>).metadata?.factory === spec.factory) return v as ElementClass;
  }
  const plugin = (mod['plugin'] ?? mod['default']) as { elements?: ElementClass[] } | undefined;
  const cls = plugin?.elements?.find((c) => c.metadata.factory === spec.factory);
  if (cls === undefined) throw new Error(`${spec.module} exports no element "${spec.factory}"`);
  return cls;
}

function toWire(msg: BusMessage): FromThread {
  if (msg.type === 'error') {
    const code = (msg.error as { code?: unknown }).code;
    return { type: 'bus', msg: { type: 'error', source: msg.source, message: msg.error.message, code: typeof code === 'string' ? code : 'ELEMENT_ERROR' } };
  }
  try {
    return { type: 'bus', msg: { type: 'other', msg: structuredClone(msg) } };
  } catch {
    return { type: 'bus', msg: { type: 'other', msg: JSON.parse(JSON.stringify(msg, (_k, v: unknown) => (typeof v === 'bigint' ? String(v) : v))) as unknown } };
  }
}

function fromWire(v: WireValue): unknown {
  return typeof v === 'object' && v !== null && 'caps' in v ? parseCaps(v.caps) : v;
}

/** Runs a data thread until it is told to stop. */
export async function runDataThread(init: ThreadInit, port: MessagePort, control: MessagePort): Promise<void> {
  const send = (m: FromThread): void => port.postMessage(m);
  const arena = Arena.attach(init.arena);
  const clock = new MonotonicClock();
  let baseTime = 0;
  const elements: Element[] = [];
  const bridges: Element[] = [];
  const sources: RingBridgeSource[] = [];
  let errorPosted = false;

  const context: ElementContext = {
    allocator: new SharedAllocator(arena, {
      onExhausted: 'block',
      slotsPerPool: init.slotsPerPool,
      shouldStop: () => arena.stopRequested(),
      onStall: (size, slots) => send(toWire({ type: 'warning', source: `datathread${init.index}`, message: `all ${slots} slots of ${size} bytes have been in use for a second: upstream waits for downstream to release buffers` })),
    }),
    kernels: KernelHost.for(arena),
    clock,
    get baseTime(): number { return baseTime; },
    post: (msg) => {
      if (msg.type === 'error') errorPosted = true;
      send(toWire(msg));
    },
    blockUpstream: (p) => StreamingTask.current?.block(p),
    sinkReachedEos: (sink) => send({ type: 'eos', sink: sink.name }),
  };

  const pad = (ref: PadRef): Pad => {
    const el = elements[ref[0]];
    const p = el?.pad(ref[1]);
    if (p === undefined) throw new Error(`data thread ${init.index}: no pad ${ref[1]} on element #${ref[0]}`);
    return p;
  };

  let current = 'the data thread';
  try {
    const registry = createDefaultRegistry();
    for (const p of init.plugins) await registry.loadPlugin(p);
    for (const spec of init.elements) {
      current = spec.name;
      const cls = await loadClass(spec, registry);
      const el = new cls(spec.name);
      for (const [k, v] of spec.props) el.set(k, fromWire(v));
      for (const name of spec.requestPads) el.requestPad(name);
      el.attach(context);
      elements.push(el);
    }
    current = 'the data thread';
    for (const [a, b] of init.links) linkPads(pad(a), pad(b));
    for (const out of init.outputs) {
      const link = new ThreadLink(arena.region, out.base, out.capacity);
      const bridge = new RingBridgeSink(`${out.label}>`, link.producer(out.limits), arena, { mayBlockThread: out.mayBlock, spin: init.spin });
      bridge.attach(context);
      const from = pad(out.pad);
      from.peer = bridge.pad('sink')!;
      bridge.pad('sink')!.peer = from;
      bridges.push(bridge);
    }
    for (const inp of init.inputs) {
      const link = new ThreadLink(arena.region, inp.base, inp.capacity);
      const bridge = new RingBridgeSource(`${inp.label}<`, link.consumer(inp.limits), arena, { mayBlockThread: inp.mayBlock, spin: init.spin });
      bridge.attach(context);
      const to = pad(inp.pad);
      bridge.pad0.peer = to;
      to.peer = bridge.pad0;
      bridges.push(bridge);
      sources.push(bridge);
    }
    for (const [ref, text] of init.caps) pad(ref).caps = parseCaps(text);
    for (const el of elements) {
      current = el.name;
      for (const p of el.pads) {
        if (p.caps !== null && !el.setCaps(p, p.caps)) throw new Error(`refused caps ${p.caps.toString()} on ${p.name}`);
      }
    }
    for (const el of [...elements, ...bridges]) {
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
    setProperty: (name: string, prop: string, value: WireValue) => element(name).set(prop, fromWire(value)),
    getProperty: (name: string, prop: string): PropertyValue => {
      const v = element(name).get(prop);
      return typeof v === 'object' && v !== null && 'toString' in v && !('num' in v) ? String(v) : v;
    },
    stats,
  }, nodeEndpoint(control));

  /** Streaming tasks with the element each one drives (a task's driver may be a pacer around it). */
  const tasks: { task: StreamingTask; el: Element; done: Promise<void> }[] = [];
  const pacers: PacedDriver[] = [];
  let statsTimer: ReturnType<typeof setInterval> | null = null;
  const drivers: (Element & TaskDriver)[] = [...elements.filter(isDriver), ...sources];

  port.on('message', (m: ToThread) => {
    switch (m.type) {
      case 'activate': {
        baseTime = m.baseTime + (m.timeOrigin - performance.timeOrigin) * 1e6;
        for (const el of [...elements, ...bridges]) el.state = 'running';
        const alone = drivers.length === 1;
        for (const d of drivers) {
          const isSource = d.sinkPads.length === 0 && !(d instanceof RingBridgeSource);
          const paced = init.driver !== null && isSource
            ? new PacedDriver(d, init.driver, m.originNs, {
              ...(alone ? { sleepSync: (ms: number) => arena.sleepUnlessStopped(ms) } : {}),
              stopping: () => arena.stopRequested(),
              cycles: {
                cycles: () => arena.cycles(),
                ...(alone ? { waitSync: (seen: number, ms: number) => arena.waitForCycle(seen, ms) } : {}),
                waitAsync: (seen: number, ms: number) => arena.waitForCycleAsync(seen, ms),
              },
              onXruns: (n) => arena.addXruns(n),
            }, m.cyclesAtStart)
            : d;
          if (paced instanceof PacedDriver) pacers.push(paced);
          const task = new StreamingTask(paced);
          const done = task.run().then(
            (r) => ended(d, r),
            (e: unknown) => {
              if (e instanceof StopRequested) return ended(d, FlowResult.FLUSHING);
              context.post({ type: 'error', source: d.name, error: new Error(`${d.name}: ${e instanceof Error ? e.message : String(e)}`) });
              ended(d, FlowResult.ERROR);
            },
          );
          tasks.push({ task, el: d, done });
        }
        statsTimer = setInterval(() => send({ type: 'stats', stats: stats() }), STATS_INTERVAL_MS);
        statsTimer.unref();
        break;
      }
      case 'pause':
        for (const t of tasks) t.task.pause();
        break;
      case 'resume':
        baseTime = m.baseTime + (m.timeOrigin - performance.timeOrigin) * 1e6;
        for (const p of pacers) p.rebase(m.originNs);
        for (const t of tasks) t.task.resume();
        break;
      case 'send-eos':
        sendEos().catch((e: unknown) => context.post({ type: 'error', source: `datathread${init.index}`, error: new Error(`sending EOS failed: ${e instanceof Error ? e.message : String(e)}`) }));
        break;
      case 'stop':
        void stop();
        break;
    }
  });

  function ended(d: Element, r: FlowResult): void {
    if ((r === FlowResult.NOT_LINKED || r === FlowResult.NOT_NEGOTIATED || r === FlowResult.ERROR) && !errorPosted && !arena.stopRequested()) {
      context.post({ type: 'error', source: d.name, error: new Error(`${d.name}: streaming stopped, reason ${['ok', 'eos', 'flushing', 'not-negotiated', 'not-linked', 'error'][r]}`) });
    }
    send({ type: 'task-ended', driver: d.name, result: r });
  }

  /** As Pipeline.sendEos: sources stop producing and push EOS, so sinks can finish. */
  async function sendEos(): Promise<void> {
    const own = tasks.filter((t) => !(t.el instanceof RingBridgeSource));
    for (const t of own) t.task.stop();
    await Promise.all(own.map((t) => t.done));
    for (const t of own) for (const p of t.el.srcPads) p.pushEvent(Events.eos());
  }

  async function stop(): Promise<void> {
    if (statsTimer !== null) clearInterval(statsTimer);
    for (const t of tasks) t.task.stop();
    for (const el of [...elements, ...bridges]) el.unblock();
    clock.unscheduleAll();
    await Promise.all(tasks.map((t) => t.done));
    for (const el of [...elements, ...bridges]) {
      el.state = 'suspended';
      try {
        await el.stop();
      } catch (e) {
        send(toWire({ type: 'warning', source: el.name, message: `stop failed: ${String(e)}` }));
      }
    }
    // The event loop closes the ports and ends the worker once it has this message: closing
    // them here could drop it.
    send({ type: 'stopped', stats: stats() });
  }

  send({ type: 'prepared' });
}
