/**
 * Runs an isolation plan (partition.ts): one element host process per planned process, a process
 * link for every link the plan cuts, and process bridges in the supervisor for the cut links
 * that touch its own elements. The supervisor keeps every element instance for negotiation and
 * inspection, as the thread scheduler does; the instances in the hosts are the ones that run.
 *
 * Failure: a host that dies, or breaks the control protocol or a link's rules, becomes an error on
 * the pipeline's bus naming the element, the pid and the signal; the pipeline then stops every
 * other host. Nothing waits for a dead process: its links are unblocked and the slots it held
 * are reclaimed.
 */
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Caps } from '../element/caps/index.js';
import type { ElementContext } from '../element/context.js';
import type { Element, ElementClass } from '../element/element.js';
import type { BusMessage } from '../element/message.js';
import type { Pad } from '../element/pad.js';
import type { PropertyValue } from '../element/property.js';
import { ParallaxError } from '../errors.js';
import { setOnBothCopies } from '../exec/property-copies.js';
import { Cancellation } from '../exec/cancellation.js';
import type { DriverSpec } from '../exec/driver.js';
import type { ElementSpec, PadRef, WireValue } from '../exec/threads/protocol.js';
import { moduleOf } from '../registry/registry.js';
import type { TaskDriver } from '../exec/streaming-task.js';
import { IsolationHelper, sandboxPolicyFor, type SandboxLimits, type SandboxPolicy } from './helper-client.js';
import { ElementHostProcess, denoDir } from './host/host-process.js';
import type { HostInit, HostLinkEnd } from './host/protocol.js';
import { createProcessLink, type ProcessLink } from './link/create.js';
import { linkRegionBytes } from './link/cross-ring.js';
import { ProcessBridgeSink } from './link/process-bridge-sink.js';
import { ProcessBridgeSource } from './link/process-bridge-source.js';
import { SUPERVISOR, type IsolationPlan, type ProcessCut } from './partition.js';
import { RestartBudget, SwitchingSink, SwitchingSource, type RestartOptions } from './restart.js';

export interface ProcessSchedulerOptions {
  readonly spin: number;
  readonly slotsPerPool: number;
  readonly arenaBytes: number;
  readonly plugins: readonly string[];
  readonly driver: DriverSpec | null;
  readonly bridgeCapacity: number;
  /** Sandbox the hosts (default); false runs them as plain child processes (debugging). */
  readonly sandbox: boolean;
  readonly limits: Partial<SandboxLimits>;
  /** Restart a crashed host (its links must all end in the supervisor); null: a crash stops the pipeline. */
  readonly restart: RestartOptions | null;
}

export interface ProcessSchedulerHost {
  readonly context: ElementContext;
  post(msg: BusMessage): void;
  sinkReachedEos(sink: Element): void;
}

function toWireValue(v: PropertyValue): WireValue {
  return v instanceof Caps ? { caps: v.toString() } : v;
}

function cutLabel(c: ProcessCut): string {
  return `${c.from.fullName}->${c.to.fullName}`;
}

/** The package's root: hosts must be able to read the engine (dist/, node_modules, workers/). */
const PACKAGE_ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** How long element hosts may take to load, link and start their elements. */
const PREPARE_TIMEOUT_MS = 30_000;

export class ProcessScheduler {
  private helper: IsolationHelper | null = null;
  private readonly hosts: ElementHostProcess[] = [];
  private readonly links: { cut: ProcessCut; link: ProcessLink }[] = [];
  private readonly loopBridges: (ProcessBridgeSink | ProcessBridgeSource)[] = [];
  /** Supervisor-side ends of links into the supervisor: streaming tasks the pipeline runs. */
  readonly loopDrivers: (Element & TaskDriver)[] = [];
  private readonly savedPeers: [Pad, Pad | null][] = [];
  private readonly swaps: (() => void)[] = [];
  private readonly hostOf = new Map<string, ElementHostProcess>();
  private readonly byName = new Map<string, Element>();
  private failed = false;
  private stopping = false;
  /** Where each cut's supervisor end stands when hosts may restart: index by cut. */
  private readonly switches = new Map<ProcessCut, SwitchingSink | SwitchingSource>();
  private readonly budgets = new Map<number, RestartBudget>();
  private activation: { baseTime: number; originNs: number; cyclesAtStart: number } | null = null;
  private paused = false;
  private eosRequested = false;
  /** Hosts being restarted, and the restarts in flight (stop waits for them). */
  private readonly restarting = new Set<number>();
  private readonly restarts = new Set<Promise<void>>();
  private readonly activateAtResume = new Set<ElementHostProcess>();
  private sandbox: SandboxPolicy | null = null;

  constructor(readonly plan: IsolationPlan, private readonly host: ProcessSchedulerHost, private readonly options: ProcessSchedulerOptions) {}

  runsOnLoop(el: Element): boolean {
    return (this.plan.processOf.get(el) ?? SUPERVISOR) === SUPERVISOR;
  }

  /** Whether `el` runs in an element host (its supervisor instance stays idle). */
  runsOnThread(el: Element): boolean {
    return !this.runsOnLoop(el);
  }

  /** Lets `cancelPrepare` end a prepare that waits on its hosts. */
  private readonly preparing = new Cancellation();

  /** Ends a prepare that is waiting on the hosts: it rejects with `reason` (the pipeline then stops them). */
  cancelPrepare(reason: Error): void {
    this.preparing.cancel(reason);
  }

  /** Starts the helper and the hosts, and waits until each has loaded, linked and started its elements. */
  async prepare(elements: readonly Element[]): Promise<void> {
    for (const el of elements) this.byName.set(el.name, el);
    if (this.options.restart !== null) {
      for (const c of this.plan.cuts) {
        if (c.fromProcess !== SUPERVISOR && c.toProcess !== SUPERVISOR) {
          throw new ParallaxError('BAD_PROPERTY_VALUE', `restarting element hosts needs every link of a host to end in this process, and ${cutLabel(c)} joins two hosts; isolate fewer elements (grouped mode) or drop the restart policy`);
        }
      }
    }
    this.preparing.throwIfCancelled();
    this.helper = await IsolationHelper.start();
    for (const cut of this.plan.cuts) this.links.push({ cut, link: await this.newLink() });
    this.sandbox = this.options.sandbox ? this.sandboxFor(elements) : null;
    for (const [index, group] of this.plan.processes.entries()) {
      // Aborted meanwhile: the hosts started so far are stopped by the pipeline, no more are made.
      this.preparing.throwIfCancelled();
      const proc = this.newHost(index, group);
      this.hosts.push(proc);
      await proc.start(this.initFor(index, group).fds, { sandbox: this.sandbox });
    }
    this.makeLoopBridges();
    let timer: ReturnType<typeof setTimeout> | undefined;
    try {
      // A host whose element never finishes start() must not hang prepare() (and everything queued behind it).
      const late = new Promise<never>((_, reject) => (timer = setTimeout(() => {
        const slow = this.hosts.find((h) => !h.isPrepared);
        reject(Object.assign(new ParallaxError('HOST_DIED', `${slow?.label ?? 'an element host'} did not finish starting within ${PREPARE_TIMEOUT_MS / 1000} s; it was stopped`), { element: slow?.init.elements[0]?.name ?? '' }));
      }, PREPARE_TIMEOUT_MS)));
      await this.preparing.race(Promise.race([Promise.all(this.hosts.map((h) => h.whenPrepared())), late]));
    } catch (e) {
      if (this.preparing.isReason(e)) throw e;
      const who = (e as { element?: string }).element || 'an element host';
      const why = e instanceof Error ? e.message : String(e);
      const code = (e as { code?: unknown }).code === 'HOST_DIED' ? 'HOST_DIED' : 'ELEMENT_ERROR';
      throw new ParallaxError(code, `${who} failed to start in its element host: ${why}`, { cause: e });
    } finally {
      clearTimeout(timer);
    }
    // A host that was ready and died while another was still starting: prepare fails with it.
    const dead = this.hosts.find((h) => h.hasExited);
    if (dead !== undefined) throw dead.exitError ?? new ParallaxError('HOST_DIED', `${dead.label} ended while the pipeline was preparing`);
    for (const b of this.loopBridges) await b.start();
  }

  /** A process link whose region the helper made (a sealed memfd, passed over its socket). */
  private async newLink(): Promise<ProcessLink> {
    const capacity = this.options.bridgeCapacity;
    const fd = await this.helper!.createRegion('parallax-link', linkRegionBytes(capacity));
    return createProcessLink(capacity, fd);
  }

  private newHost(index: number, group: readonly Element[]): ElementHostProcess {
    const proc = new ElementHostProcess(this.helper!, this.initFor(index, group).init, {
      onMessage: (m) => {
        if (m.type === 'bus') this.fromHost(m.msg);
        else if (m.type === 'eos') {
          const sink = this.byName.get(m.sink);
          if (sink !== undefined) this.host.sinkReachedEos(sink);
        }
      },
      onFailure: (error) => this.hostFailed(proc, error),
    });
    for (const el of group) this.hostOf.set(el.name, proc);
    return proc;
  }

  /** What hosts may read: the runtime, the engine, and the modules of the elements and plugins. */
  private sandboxFor(elements: readonly Element[]): SandboxPolicy {
    const dirs = new Set<string>([PACKAGE_ROOT]);
    const add = (specifier: string | undefined): void => {
      if (specifier?.startsWith('file:')) dirs.add(dirname(fileURLToPath(specifier)));
    };
    for (const el of elements) add(moduleOf(el.constructor as ElementClass));
    for (const p of this.options.plugins) add(p.startsWith('file:') ? p : undefined);
    const deno = denoDir();
    // Deno's V8 reserves more address space than 4 GiB at start-up: no default limit there.
    const limits = deno !== null ? { addressSpaceBytes: null, ...this.options.limits } : this.options.limits;
    return sandboxPolicyFor([...dirs], { limits });
  }

  private initFor(index: number, group: readonly Element[]): { init: HostInit; fds: number[] } {
    const indexOf = new Map(group.map((e, i) => [e, i]));
    const ref = (p: Pad): PadRef => [indexOf.get(p.element)!, p.name];
    const elements: ElementSpec[] = group.map((el) => ({
      name: el.name,
      factory: el.factory,
      module: moduleOf(el.constructor as ElementClass)!,
      props: [...el.changedProperties].map(([k, v]) => [k, toWireValue(v)] as const),
      requestPads: el.pads.filter((p) => p.template.presence === 'request').map((p) => p.name),
    }));
    const links: (readonly [PadRef, PadRef])[] = [];
    const caps: (readonly [PadRef, string])[] = [];
    for (const el of group) {
      for (const p of el.pads) {
        if (p.caps !== null) caps.push([ref(p), p.caps.toString()]);
        if (p.direction === 'src' && p.peer !== null && indexOf.has(p.peer.element)) links.push([ref(p), ref(p.peer)]);
      }
    }
    const fds: number[] = [];
    const drivers = group.filter((el) => typeof (el as { produce?: unknown }).produce === 'function').length
      + this.links.filter((l) => l.cut.toProcess === index).length;
    const end = (l: { cut: ProcessCut; link: ProcessLink }, pad: Pad, side: 'producer' | 'consumer'): HostLinkEnd => {
      const ep = l.link[side];
      const at = fds.length;
      fds.push(ep.regionFd, ep.regionsSocketFd, ep.doorbellFd);
      return { pad: ref(pad), label: cutLabel(l.cut), capacity: ep.capacity, byteLength: ep.byteLength, fds: [at, at + 1, at + 2], mayBlock: drivers === 1 };
    };
    const init: HostInit = {
      index,
      name: `element host ${index} (${group.map((e) => e.name).join(', ')})`,
      elements,
      links,
      caps,
      outputs: this.links.filter((l) => l.cut.fromProcess === index).map((l) => end(l, l.cut.from, 'producer')),
      inputs: this.links.filter((l) => l.cut.toProcess === index).map((l) => end(l, l.cut.to, 'consumer')),
      spin: this.options.spin,
      slotsPerPool: this.options.slotsPerPool,
      arenaBytes: this.options.arenaBytes,
      plugins: this.options.plugins,
      driver: this.options.driver,
      lockdown: this.options.sandbox,
    };
    return { init, fds };
  }

  /** In the supervisor, bridges stand in for the far ends of cut links that touch its elements. */
  private makeLoopBridges(): void {
    for (const { cut, link } of this.links) {
      const restartable = this.options.restart !== null;
      if (cut.fromProcess === SUPERVISOR) {
        const sink = this.loopSink(cut, link);
        if (restartable) {
          const switching = new SwitchingSink(`${cutLabel(cut)}>>`, sink);
          switching.attach(this.host.context);
          this.switches.set(cut, switching);
          this.swaps.push(() => this.swapPeer(cut.from, switching.pad('sink')!));
        } else {
          this.swaps.push(() => this.swapPeer(cut.from, sink.pad('sink')!));
        }
      }
      if (cut.toProcess === SUPERVISOR) {
        const src = this.loopSource(cut, link);
        if (restartable) {
          const switching = new SwitchingSource(`${cutLabel(cut)}<<`, src);
          switching.attach(this.host.context);
          this.switches.set(cut, switching);
          this.loopDrivers.push(switching);
        } else {
          this.loopDrivers.push(src);
        }
        this.swaps.push(() => this.swapPeer(cut.to, src.pad0));
      }
    }
  }

  private loopSink(cut: ProcessCut, link: ProcessLink): ProcessBridgeSink {
    const label = cutLabel(cut);
    const sink = new ProcessBridgeSink(`${label}>`, link.producer, { mayBlock: false, spin: this.options.spin, label, onViolation: (m) => this.violation(cut.to.element, m) });
    sink.attach(this.host.context);
    this.loopBridges.push(sink);
    return sink;
  }

  private loopSource(cut: ProcessCut, link: ProcessLink): ProcessBridgeSource {
    const label = cutLabel(cut);
    const src = new ProcessBridgeSource(`${label}<`, link.consumer, { mayBlock: false, spin: this.options.spin, label, onViolation: (m) => this.violation(cut.from.element, m) });
    src.attach(this.host.context);
    this.loopBridges.push(src);
    return src;
  }

  /** The host that runs `culprit` broke a link's rules: report it by name and pid, and stop it. */
  private violation(culprit: Element, message: string): void {
    const proc = this.hostOf.get(culprit.name);
    if (proc !== undefined && !proc.hasExited) void this.helper?.kill(proc.pid, 'SIGKILL').catch(() => {});
    this.giveUp(culprit.name, new ParallaxError('IPC_VIOLATION', `${proc?.label ?? culprit.name}: ${message}; it was stopped`));
  }

  private swapPeer(pad: Pad, bridgePad: Pad): void {
    this.savedPeers.push([pad, pad.peer]);
    pad.peer = bridgePad;
    bridgePad.peer = pad;
  }

  private fromHost(msg: import('../exec/threads/protocol.js').WireBusMessage): void {
    if (msg.type === 'error') {
      this.host.post({ type: 'error', source: msg.source, error: new ParallaxError(msg.code as ConstructorParameters<typeof ParallaxError>[0], msg.message) });
    } else {
      this.host.post(msg.msg as BusMessage);
    }
  }

  /** A host died or misbehaved: restart it when the policy allows, else report it once; free what its links held. */
  private hostFailed(proc: ElementHostProcess, error: ParallaxError): void {
    const index = this.hosts.indexOf(proc);
    if (index < 0) return; // a host replaced by a restart
    const restart = this.options.restart;
    const mayRestart = restart !== null && error.code === 'HOST_DIED' && this.activation !== null && !this.stopping && !this.failed;
    if (mayRestart) {
      for (const { cut } of this.links) if (cut.toProcess === index || cut.fromProcess === index) this.switches.get(cut)?.suspendTarget();
    }
    for (const { cut, link } of this.links) {
      if (cut.toProcess === index) link.consumerGone();
      if (cut.fromProcess === index) link.producerGone();
    }
    if (this.restarting.has(index)) return; // the restart in flight sees this host die and decides
    const source = proc.init.elements[0]?.name ?? proc.init.name;
    if (mayRestart && this.budget(index, restart).allow(performance.now())) {
      this.restarting.add(index);
      this.announceRestart(index, source, error);
      const run = this.restartLoop(index, source).finally(() => this.restarts.delete(run));
      this.restarts.add(run);
      return;
    }
    for (const b of this.loopBridges) b.unblock();
    this.giveUp(source, mayRestart ? this.crashLoop(error) : error);
  }

  private announceRestart(index: number, source: string, error: ParallaxError): void {
    const restart = this.options.restart!;
    this.host.post({ type: 'warning', source, message: `${error.message}; restarting it (restart ${this.budgets.get(index)!.used} of at most ${restart.max} within ${restart.windowMs} ms; buffers it held are lost)` });
  }

  private crashLoop(error: ParallaxError): ParallaxError {
    const restart = this.options.restart!;
    return new ParallaxError('HOST_DIED', `${error.message}; it crashed more than ${restart.max} times within ${restart.windowMs} ms (a crash loop), so it is not restarted again`, { cause: error });
  }

  /** Restarts host `index` until one stays up, the budget runs out, or the pipeline stops. */
  private async restartLoop(index: number, source: string): Promise<void> {
    for (;;) {
      let error: ParallaxError | null = null;
      try {
        await this.restartHost(index);
        if (this.stopping) return;
        const proc = this.hosts[index]!;
        if (proc.hasExited) error = proc.exitError ?? new ParallaxError('HOST_DIED', `${proc.label} ended as it restarted`);
      } catch (e) {
        if (this.stopping) return;
        error = e instanceof ParallaxError ? e : new ParallaxError('HOST_DIED', `restarting ${source} failed: ${e instanceof Error ? e.message : String(e)}`, { cause: e });
      }
      if (error === null) {
        this.restarting.delete(index);
        return;
      }
      for (const { cut, link } of this.links) {
        if (cut.toProcess === index) link.consumerGone();
        if (cut.fromProcess === index) link.producerGone();
      }
      if (!this.budget(index, this.options.restart!).allow(performance.now())) {
        this.restarting.delete(index);
        for (const b of this.loopBridges) b.unblock();
        this.giveUp(source, this.crashLoop(error));
        return;
      }
      this.announceRestart(index, source, error);
    }
  }

  private budget(index: number, restart: RestartOptions): RestartBudget {
    let b = this.budgets.get(index);
    if (b === undefined) this.budgets.set(index, (b = new RestartBudget(restart)));
    return b;
  }

  private giveUp(source: string, error: ParallaxError): void {
    for (const sw of this.switches.values()) if (sw instanceof SwitchingSource) sw.giveUp();
    if (this.failed || this.stopping) return;
    this.failed = true;
    this.host.post({ type: 'error', source, error });
  }

  /**
   * Replaces host `index`: new links for its cuts, new supervisor-side bridges behind the
   * switches, a new process with the same elements, activated as the others were.
   */
  private async restartHost(index: number): Promise<void> {
    const old = this.hosts[index]!;
    void old.stop();
    for (const entry of this.links) {
      const { cut } = entry;
      if (cut.toProcess !== index && cut.fromProcess !== index) continue;
      for (const b of [...this.loopBridges]) {
        const label = cutLabel(cut);
        if (b.name === `${label}>` || b.name === `${label}<`) {
          b.stop();
          this.loopBridges.splice(this.loopBridges.indexOf(b), 1);
        }
      }
      entry.link.close();
      (entry as { link: ProcessLink }).link = await this.newLink();
    }
    const group = this.plan.processes[index]!;
    const proc = this.newHost(index, group);
    this.hosts[index] = proc;
    if (this.stopping) return;
    await proc.start(this.initFor(index, group).fds, { sandbox: this.sandbox });
    if (this.stopping) return void (await proc.stop());
    await proc.whenPrepared();
    if (this.stopping) return void (await proc.stop());
    for (const { cut, link } of this.links) {
      const sw = this.switches.get(cut);
      if (cut.fromProcess === SUPERVISOR && cut.toProcess === index && sw instanceof SwitchingSink) {
        const sink = this.loopSink(cut, link);
        await sink.start();
        sink.state = 'running';
        sw.switchTo(sink);
      }
      if (cut.toProcess === SUPERVISOR && cut.fromProcess === index && sw instanceof SwitchingSource) {
        const src = this.loopSource(cut, link);
        await src.start();
        src.state = 'running';
        src.pad0.peer = cut.to;
        cut.to.peer = src.pad0;
        sw.switchTo(src);
      }
    }
    // The new host joins the pipeline as it is now: running or paused, on the current time base,
    // and told to end its stream if the others were.
    // A host restarted while the pipeline is paused starts at resume(), not before.
    if (this.paused) this.activateAtResume.add(proc);
    else this.activateHost(proc);
  }

  private activateHost(proc: ElementHostProcess): void {
    const a = this.activation!;
    proc.send({ type: 'activate', baseTime: a.baseTime, timeOrigin: performance.timeOrigin, originNs: a.originNs, cyclesAtStart: a.cyclesAtStart });
    if (this.eosRequested) proc.send({ type: 'send-eos' });
  }

  connectLoopBridges(): void {
    if (this.savedPeers.length === 0) for (const swap of this.swaps) swap();
  }

  activate(baseTime: number, originNs: number, cyclesAtStart: number): void {
    this.activation = { baseTime, originNs, cyclesAtStart };
    for (const b of [...this.loopBridges, ...this.switches.values()]) b.state = 'running';
    for (const h of [...this.hosts].reverse()) h.send({ type: 'activate', baseTime, timeOrigin: performance.timeOrigin, originNs, cyclesAtStart });
  }

  pause(): void {
    this.paused = true;
    for (const h of this.hosts) h.send({ type: 'pause' });
  }

  resume(baseTime: number, originNs: number): void {
    this.paused = false;
    if (this.activation !== null) this.activation = { ...this.activation, baseTime, originNs };
    for (const h of this.hosts) {
      if (this.activateAtResume.delete(h)) this.activateHost(h);
      else h.send({ type: 'resume', baseTime, timeOrigin: performance.timeOrigin, originNs });
    }
  }

  sendEos(): void {
    this.eosRequested = true;
    for (const h of this.hosts) h.send({ type: 'send-eos' });
  }

  requestStop(): void {
    this.stopping = true;
    for (const b of [...this.loopBridges, ...this.switches.values()]) b.unblock();
  }

  /** Stops every host (killing those that do not stop), reclaims link slots, closes everything. */
  async stop(): Promise<void> {
    this.requestStop();
    await Promise.all([...this.restarts]);
    await Promise.all(this.hosts.map((h) => h.stop()));
    for (const b of this.loopBridges) await b.stop();
    for (const { link } of this.links) {
      link.producerGone();
      link.consumerGone();
      link.close();
    }
    for (const [pad, peer] of this.savedPeers.reverse()) {
      if (pad.peer !== null && pad.peer !== peer) pad.peer.peer = null;
      pad.peer = peer;
    }
    this.savedPeers.length = 0;
    await this.helper?.close();
    this.helper = null;
  }

  stats(): { pads: Record<string, { buffers: number; bytes: number }>; links: Record<string, { depth: number; drops: number; wakeups: number }>; pools: { pools: number; slots: number; freeSlots: number; poolsAdded: number }; bytesCopied: number } {
    const pads: Record<string, { buffers: number; bytes: number }> = {};
    const pools = { pools: 0, slots: 0, freeSlots: 0, poolsAdded: 0 };
    let bytesCopied = 0;
    for (const h of this.hosts) {
      bytesCopied += h.lastStats.bytesCopied;
      Object.assign(pads, h.lastStats.pads);
      pools.pools += h.lastStats.pools.pools;
      pools.slots += h.lastStats.pools.slots;
      pools.freeSlots += h.lastStats.pools.freeSlots;
      pools.poolsAdded += h.lastStats.pools.poolsAdded;
    }
    const links: Record<string, { depth: number; drops: number; wakeups: number }> = {};
    for (const { cut, link } of this.links) links[cutLabel(cut)] = link.stats();
    return { pads, links, pools, bytesCopied };
  }

  /** The pid of the host that runs `el`, or null when it runs in the supervisor. */
  pidOf(el: Element): number | null {
    return this.hostOf.get(el.name)?.pid ?? null;
  }

  async setProperty(el: Element, name: string, value: unknown): Promise<void> {
    const h = this.hostOf.get(el.name);
    if (h === undefined) {
      el.set(name, value);
      return;
    }
    await setOnBothCopies(el, name, value, async (set) => {
      await h.call({ op: 'set-property', element: el.name, property: name, value: toWireValue(set) }, `setting ${el.name}.${name}`);
    });
  }

  async getProperty(el: Element, name: string): Promise<PropertyValue> {
    const h = this.hostOf.get(el.name);
    if (h === undefined) return el.get(name);
    const v = await h.call({ op: 'get-property', element: el.name, property: name }, `reading ${el.name}.${name}`);
    return v ?? el.get(name);
  }
}
