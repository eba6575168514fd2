/**
 * What every element host shares, whether it is a data thread (host.ts) or an element host in
 * another process (isolation/host/): loading elements by module specifier (no closure crosses a
 * thread or a process), linking them as the event loop had them, setting the negotiated caps, and
 * running one streaming task per driver — the host's sources and the links coming into it.
 */
import type { Element, ElementClass } from '../../element/element.js';
import type { ElementContext } from '../../element/context.js';
import type { BusMessage } from '../../element/message.js';
import { parseCaps } from '../../element/caps/index.js';
import { FlowResult } from '../../element/flow.js';
import { Events } from '../../element/event.js';
import type { Pad } from '../../element/pad.js';
import { linkPads } from '../../graph/link.js';
import { StreamingTask, type TaskDriver } from '../streaming-task.js';
import { PacedDriver } from '../driver.js';
import { StopRequested } from '../../memory/shared-allocator.js';
import type { ElementSpec, FromThread, PadRef, WireBusMessage, WireValue } from './protocol.js';

export function isDriver(el: Element): el is Element & TaskDriver {
  return typeof (el as Partial<TaskDriver>).produce === 'function';
}

/**
 * The class of `spec`, imported by its module specifier (an absolute file URL for built-ins and
 * plugins alike): a host loads only its own elements' modules, not the whole registry, which
 * halves an element host's start-up.
 */
async function loadClass(spec: ElementSpec, where: string): Promise<ElementClass> {
  let mod: Record<string, unknown>;
  try {
    mod = (await import(spec.module)) as Record<string, unknown>;
  } catch (e) {
    // A built-in named by the caller's source tree (an application run from TypeScript, a test):
    // the same element of this host's own build.
    const builtin = /\/(?:src|dist)\/((?:elements|typed\/elements)\/.+\.js)$/.exec(spec.module);
    try {
      if (builtin === null) throw e;
      mod = (await import(new URL(`../../${builtin[1]}`, import.meta.url).href)) as Record<string, unknown>;
    } catch {
      throw new Error(`cannot import ${spec.module} in ${where}: ${e instanceof Error ? e.message : String(e)}`);
    }
  }
  for (const v of Object.values(mod)) {
    if (typeof v === 'function' && (v as Partial<ElementClass>).metadata?.factory === spec.factory) return v as ElementClass;
  }
  const plugin = (mod['plugin'] ?? mod['default']) as { elements?: ElementClass[] } | undefined;
  const cls = plugin?.elements?.find((c) => c.metadata.factory === spec.factory);
  if (cls === undefined) throw new Error(`${spec.module} exports no element "${spec.factory}"`);
  return cls;
}

export function fromWire(v: WireValue): unknown {
  return typeof v === 'object' && v !== null && 'caps' in v ? parseCaps(v.caps) : v;
}

/** A bus message made cloneable: errors travel as message and code. */
export function toWireBus(msg: BusMessage): WireBusMessage {
  if (msg.type === 'error') {
    const code = (msg.error as { code?: unknown }).code;
    return { type: 'error', source: msg.source, message: msg.error.message, code: typeof code === 'string' ? code : 'ELEMENT_ERROR' };
  }
  try {
    return { type: 'other', msg: structuredClone(msg) };
  } catch {
    return { type: 'other', msg: JSON.parse(JSON.stringify(msg, (_k, v: unknown) => (typeof v === 'bigint' ? String(v) : v))) as unknown };
  }
}

/** The elements of a host, linked among themselves. */
export interface HostedGraph {
  readonly elements: Element[];
  pad(ref: PadRef): Pad;
}

export interface GraphInit {
  readonly elements: readonly ElementSpec[];
  readonly links: readonly (readonly [PadRef, PadRef])[];
  readonly plugins: readonly string[];
}

/**
 * Loads, configures and links a host's elements. `working(name)` is told which element is being
 * set up, so that a failure can name it.
 */
export async function buildGraph(init: GraphInit, context: ElementContext, where: string, working: (name: string) => void): Promise<HostedGraph> {
  const elements: Element[] = [];
  const pad = (ref: PadRef): Pad => {
    const p = elements[ref[0]]?.pad(ref[1]);
    if (p === undefined) throw new Error(`${where}: no pad ${ref[1]} on element #${ref[0]}`);
    return p;
  };
  // Plugins load first, as on the event loop: a plugin's module may set things up its elements use.
  for (const p of init.plugins) await import(p);
  for (const spec of init.elements) {
    working(spec.name);
    const cls = await loadClass(spec, where);
    const el = new cls(spec.name);
    for (const [k, v] of spec.props) el.set(k, fromWire(v));
    for (const name of spec.requestPads) el.requestPad(name);
    el.attach(context);
    elements.push(el);
  }
  for (const [a, b] of init.links) linkPads(pad(a), pad(b));
  return { elements, pad };
}

/** Sets the caps the event loop negotiated on every pad that has any, and lets each element accept them. */
export function applyCaps(graph: HostedGraph, caps: readonly (readonly [PadRef, string])[], working: (name: string) => void): void {
  for (const [ref, text] of caps) graph.pad(ref).caps = parseCaps(text);
  for (const el of graph.elements) {
    working(el.name);
    for (const p of el.pads) {
      if (p.caps !== null && !el.setCaps(p, p.caps)) throw new Error(`refused caps ${p.caps.toString()} on ${p.name}`);
    }
  }
}

export interface HostTasksOptions {
  /** The host's own elements and the bridges standing in for its links. */
  readonly elements: readonly Element[];
  readonly bridges: readonly Element[];
  /** Bridges that drive a task: the consuming ends of links into this host. */
  readonly inputs: readonly (Element & TaskDriver)[];
  readonly context: ElementContext;
  send(m: FromThread): void;
  /** Whether the whole pipeline is stopping (a task ending then is not an error). */
  stopping(): boolean;
  /** Whether an element of this host already posted an error (one is enough). */
  errorPosted(): boolean;
  /** Wraps a source in its pacer when the pipeline has a driver; `alone`: it is the host's only task. */
  pace(source: Element & TaskDriver, alone: boolean, originNs: number, cyclesAtStart: number): TaskDriver;
}

/** The streaming tasks of a host: started at activation, paused, resumed, drained and stopped on request. */
export class HostTasks {
  private readonly tasks: { task: StreamingTask; el: Element; done: Promise<void> }[] = [];
  private readonly pacers: PacedDriver[] = [];

  constructor(private readonly o: HostTasksOptions) {}

  private get drivers(): (Element & TaskDriver)[] {
    return [...this.o.elements.filter(isDriver), ...this.o.inputs];
  }

  activate(originNs: number, cyclesAtStart: number): void {
    for (const el of [...this.o.elements, ...this.o.bridges]) el.state = 'running';
    const drivers = this.drivers;
    const alone = drivers.length === 1;
    for (const d of drivers) {
      const isSource = d.sinkPads.length === 0 && !this.o.inputs.includes(d);
      const paced = isSource ? this.o.pace(d, alone, originNs, cyclesAtStart) : d;
      if (paced instanceof PacedDriver) this.pacers.push(paced);
      const task = new StreamingTask(paced);
      const done = task.run().then(
        (r) => this.ended(d, r),
        (e: unknown) => {
          if (e instanceof StopRequested) return this.ended(d, FlowResult.FLUSHING);
          this.o.context.post({ type: 'error', source: d.name, error: new Error(`${d.name}: ${e instanceof Error ? e.message : String(e)}`) });
          this.ended(d, FlowResult.ERROR);
        },
      );
      this.tasks.push({ task, el: d, done });
    }
  }

  /** Paused is idle for the elements, as in the pipeline: their stateChanged hook sees a resume. */
  pause(): void {
    for (const el of [...this.o.elements, ...this.o.bridges]) el.state = 'idle';
    for (const t of this.tasks) t.task.pause();
  }

  resume(originNs: number): void {
    for (const el of [...this.o.elements, ...this.o.bridges]) el.state = 'running';
    for (const p of this.pacers) p.rebase(originNs);
    for (const t of this.tasks) t.task.resume();
  }

  private ended(d: Element, r: FlowResult): void {
    if ((r === FlowResult.NOT_LINKED || r === FlowResult.NOT_NEGOTIATED || r === FlowResult.ERROR) && !this.o.errorPosted() && !this.o.stopping()) {
      this.o.context.post({ type: 'error', source: d.name, error: new Error(`${d.name}: streaming stopped, reason ${['ok', 'eos', 'flushing', 'not-negotiated', 'not-linked', 'error'][r]}`) });
    }
    this.o.send({ type: 'task-ended', driver: d.name, result: r });
  }

  /** As Pipeline.sendEos: the host's sources stop producing and push EOS, so sinks can finish. */
  async sendEos(): Promise<void> {
    const own = this.tasks.filter((t) => !(this.o.inputs as readonly Element[]).includes(t.el));
    for (const t of own) t.task.stop();
    await Promise.all(own.map((t) => t.done));
    for (const t of own) for (const p of t.el.srcPads) p.pushEvent(Events.eos());
  }

  /** Stops every task and element; a failing stop() becomes a warning. */
  async stop(): Promise<void> {
    for (const t of this.tasks) t.task.stop();
    for (const el of [...this.o.elements, ...this.o.bridges]) el.unblock();
    this.o.context.clock.unscheduleAll();
    await Promise.all(this.tasks.map((t) => t.done));
    for (const el of [...this.o.elements, ...this.o.bridges]) {
      el.state = 'suspended';
      try {
        await el.stop();
      } catch (e) {
        this.o.send({ type: 'bus', msg: toWireBus({ type: 'warning', source: el.name, message: `stop failed: ${String(e)}` }) });
      }
    }
  }
}
