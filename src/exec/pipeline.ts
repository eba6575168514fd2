import { ParallaxError } from '../errors.js';
import { setOnBothCopies } from './property-copies.js';
import { Allocator, type BufferAllocator } from '../memory/allocator.js';
import { checkRestart, resolveOptions, sameIsolationPlan, withRunIsolation, type PipelineIsolation, type PipelineOptions, type ResolvedPipelineOptions, type RunOptions } from './pipeline-options.js';
import { NO_LEVEL, type LinkStats, type PadStats, type PipelineStats } from './pipeline-stats.js';
import { copyStats } from '../memory/copy-counter.js';
import type { Clock } from '../element/clock.js';
import type { ElementContext } from '../element/context.js';
import type { Element } from '../element/element.js';
import type { BusMessage, PipelineState } from '../element/message.js';
import { FlowResult, flowName } from '../element/flow.js';
import { negotiate } from '../graph/negotiate.js';
import { Bus } from './bus.js';
import { MonotonicClock } from './clock.js';
import { checkTransition } from './states.js';
import { StreamingTask, type TaskDriver } from './streaming-task.js';
import { Arena } from '../memory/arena.js';
import { SharedAllocator } from '../memory/shared-allocator.js';
import { planPlacement, type Plan } from './threads/placement.js';
import { ThreadScheduler } from './threads/scheduler.js';
import { KernelHost } from '../wasm/kernel-host.js';
import type { PropertyValue } from '../element/property.js';
import { LocalCycles, PacedDriver, absoluteNow, type CycleSource } from './driver.js';
import { validateLinks } from './validate.js';
import { PendingLinks } from '../graph/pending-links.js';
import { queryLatency, type Latency } from '../graph/latency.js';
import type { Pad } from '../element/pad.js';
import { Events } from '../element/event.js';
import { linkPads, pickPad } from '../graph/link.js';
import { planIsolation, type IsolationOptions, type IsolationPlan } from '../isolation/partition.js';
import { ProcessScheduler } from '../isolation/scheduler.js';
import { MemfdRegion } from '../isolation/memfd-region.js';
import { requireNative } from '../isolation/native.js';
import type { Readable, Writable } from 'node:stream';
import {
  appSinkReadable, appSinkWebStream, appSrcWritable, appSrcWritableStream, feedFromReadable, feedFromWebStream,
  type ChunkSource, type FromStreamOptions, type ToReadableOptions, type ToWebStreamOptions, type ToWritableOptions, type ToWritableStreamOptions,
} from '../app/index.js';
import { from as typedFrom, type Flow, type FromOptions } from '../typed/flow.js';
import type { ValueInput } from '../typed/elements/value-source.js';

export type { PipelineIsolation, PipelineOptions, RunOptions } from './pipeline-options.js';
export type { LinkStats, PadStats, PipelineStats } from './pipeline-stats.js';

/** Cycle 0 starts this long after activation, so every thread is listening when it does. */
const CYCLE_LEAD_NS = 2e6;

function isTaskDriver(el: Element): el is Element & TaskDriver {
  return typeof (el as Partial<TaskDriver>).produce === 'function';
}

/**
 * A pipeline: elements, their links, a bus, a clock, and the event-loop executor that runs them.
 * Build one from a launch string (`parseLaunch` in graph/) or element by element.
 *
 * Thread contract: every method runs on the event loop that created the pipeline.
 */
export class Pipeline {
  /**
   * A typed flow over the values of an iterable or async iterable (src/typed/):
   * `await Pipeline.from([1, 2, 3]).map((x) => x * 2).filter((x) => x > 2).to(console.log).run()`.
   */
  static from<T>(input: ValueInput<T>, options?: FromOptions): Flow<T> {
    return typedFrom(input, options);
  }

  readonly bus = new Bus();
  /** Manual cycles when there is no arena to carry them to threads. */
  private readonly localCycles = new LocalCycles();
  private localXruns = 0;
  /** Where elements on the event loop take buffers: a private heap allocator, or the arena's when threads share buffers. */
  allocator: BufferAllocator = new Allocator();
  private scheduler: ThreadScheduler | ProcessScheduler | null = null;
  private arena: Arena | null = null;
  readonly options: ResolvedPipelineOptions;
  readonly elements: Element[] = [];
  clock: Clock = new MonotonicClock();
  private currentState: PipelineState = 'suspended';
  /** Streaming tasks with the element each one drives (a task's driver may be a pacer around it). */
  private tasks: { task: StreamingTask; el: Element; done: Promise<void>; finished: boolean }[] = [];
  private baseTime = 0;
  private pausedAt = -1;
  private eosSinks = new Set<Element>();
  private sinks: Element[] = [];
  private firstError: Error | null = null;
  private readonly copiesAtStart = copyStats().bytesCopied;
  /** Bytes copied on the data threads of runs whose threads are gone. */
  private threadCopies = 0;
  /** The manual cycle count when the pipeline was prepared: the sources' cycles start after it. */
  private cyclesAtPrepare = 0;
  private stopping: Promise<void> | null = null;

  private readonly context: ElementContext;
  /** Links waiting for sometimes pads to appear. */
  readonly pendingLinks = new PendingLinks();

  constructor(readonly name = 'pipeline0', options: PipelineOptions = {}) {
    this.options = resolveOptions(options);
    // Getters, so elements always see the current clock and base time without re-attaching.
    const pipeline = this;
    this.context = {
      get allocator(): BufferAllocator { return pipeline.allocator; },
      get kernels(): KernelHost | null { return pipeline.arena === null ? null : KernelHost.for(pipeline.arena); },
      get clock(): Clock { return pipeline.clock; },
      get baseTime(): number { return pipeline.baseTime; },
      post: (msg) => this.post(msg),
      blockUpstream: (p) => StreamingTask.current?.block(p),
      sinkReachedEos: (sink) => this.sinkReachedEos(sink),
      padAdded: (pad) => this.padAdded(pad),
    };
  }

  get state(): PipelineState {
    return this.currentState;
  }

  /**
   * A new pipeline whose source is an appsrc (`options.name`, default `src`) fed from `readable`
   * (a Node Readable or any async iterable of bytes) under backpressure, with `options.then`
   * chained after it. See src/app/from-stream.ts.
   */
  static fromReadable(readable: ChunkSource, options: FromStreamOptions = {}): Pipeline {
    return feedFromReadable(new Pipeline(options.pipeline?.name, options.pipeline), readable, options);
  }

  /** `fromReadable` for a WHATWG ReadableStream of bytes. */
  static fromWebStream(stream: ReadableStream<Uint8Array>, options: FromStreamOptions = {}): Pipeline {
    return feedFromWebStream(new Pipeline(options.pipeline?.name, options.pipeline), stream, options);
  }

  /** A Node Readable of what reaches the appsink `sink` (copied chunks, backpressured). See src/app/to-readable.ts. */
  toReadable(sink: string, options: ToReadableOptions = {}): Readable {
    return appSinkReadable(this, sink, options);
  }

  /** A WHATWG ReadableStream of what reaches the appsink `sink`. See src/app/to-web-stream.ts. */
  toWebStream(sink: string, options: ToWebStreamOptions = {}): ReadableStream<Uint8Array> {
    return appSinkWebStream(this, sink, options);
  }

  /** A Node Writable into the appsrc `src` (backpressured; end() is EOS). See src/app/to-writable.ts. */
  toWritable(src: string, options: ToWritableOptions = {}): Writable {
    return appSrcWritable(this, src, options);
  }

  /** A WHATWG WritableStream into the appsrc `src`. See src/app/to-writable-stream.ts. */
  toWritableStream(src: string, options: ToWritableStreamOptions = {}): WritableStream<Uint8Array> {
    return appSrcWritableStream(this, src, options);
  }

  /** Adds elements; names must be unique. */
  add(...els: Element[]): this {
    for (const el of els) {
      if (this.elements.some((e) => e.name === el.name)) {
        throw new ParallaxError('BAD_LINK', `${this.name} already has an element named ${el.name}`);
      }
      this.elements.push(el);
      el.attach(this.context);
    }
    return this;
  }

  /**
   * Links `a` to `b`: the named pads, or the first free always pads, or new request pads.
   * Throws BAD_LINK with the reason (a sink has no src pad, a pad is taken, caps cannot agree).
   */
  link(a: Element, b: Element, pads: { readonly src?: string; readonly sink?: string } = {}): this {
    for (const el of [a, b]) {
      if (!this.elements.includes(el)) throw new ParallaxError('BAD_LINK', `cannot link ${a.name} to ${b.name}: ${el.name} is not in ${this.name}; add() it first`);
    }
    linkPads(pickPad(a, 'src', pads.src), pickPad(b, 'sink', pads.sink));
    return this;
  }

  /** Adds the elements that are not in the pipeline yet and links each to the next. */
  chain(...els: Element[]): this {
    for (const el of els) if (!this.elements.includes(el)) this.add(el);
    for (let i = 0; i + 1 < els.length; i++) this.link(els[i]!, els[i + 1]!);
    return this;
  }

  /** The element named `name`, or undefined. */
  get(name: string): Element | undefined {
    return this.elements.find((e) => e.name === name);
  }

  /**
   * Transitions run one at a time, in call order: a `suspend()` called while `prepare()` is
   * opening files waits for it and then closes them, instead of racing it.
   */
  private serialized(fn: () => Promise<void>): Promise<void> {
    this.pendingTransitions++;
    // Counted down before the caller's await resumes: `await p.suspend()` then sees it settled.
    const step = async (): Promise<void> => {
      try {
        await fn();
      } finally {
        this.pendingTransitions--;
      }
    };
    const next = this.transitions.then(step, step);
    this.transitions = next.catch(() => {});
    return next;
  }

  /** Transitions asked for and not yet settled (a prepare may be building threads). */
  private pendingTransitions = 0;

  /** Whether a state change (prepare, activate, suspend; run() starts with one) is under way. */
  get changingState(): boolean {
    return this.pendingTransitions > 0;
  }

  /** Resolves once every state change asked for so far has settled, whether it worked or not. */
  stateSettled(): Promise<void> {
    return this.transitions;
  }

  private transitions: Promise<void> = Promise.resolve();

  /** Suspended → Idle: validates links, negotiates caps, opens resources. */
  prepare(): Promise<void> {
    return this.serialized(() => this.doPrepare());
  }

  /** Idle → Running (preparing first when suspended): starts the streaming tasks. */
  activate(): Promise<void> {
    return this.serialized(() => this.doActivate());
  }

  /** Any state → Suspended: stops the tasks and frees every resource. Safe to call twice. */
  suspend(): Promise<void> {
    return this.serialized(() => this.doSuspend());
  }

  /** run()'s signal fired before it was running: a prepare waiting on threads or hosts gives up. */
  private startAborted: Error | null = null;

  /** A prepare is under way (the state still says suspended): its isolation options are taken. */
  private preparing = false;

  private async doPrepare(): Promise<void> {
    checkTransition(this.currentState, 'prepare');
    if (this.currentState === 'idle') return;
    this.preparing = true;
    try {
      await this.prepareNow();
    } finally {
      this.preparing = false;
    }
  }

  private async prepareNow(): Promise<void> {
    validateLinks(this.elements, this.pendingLinks.reserved());
    for (const el of this.elements) for (const p of el.pads) p.caps = null;
    negotiate(this.elements);
    for (const el of this.elements) {
      for (const p of el.srcPads) if (p.caps !== null && !p.caps.isAny()) this.bus.post({ type: 'caps', source: el.name, pad: p.fullName, caps: p.caps });
    }
    this.planThreads();
    if (this.startAborted !== null) this.scheduler?.cancelPrepare(this.startAborted);
    this.cyclesAtPrepare = this.cycleSource().cycles();
    const started: Element[] = [];
    const onLoop = this.elements.filter((el) => this.runsOnLoop(el));
    try {
      for (const el of onLoop) {
        el.state = 'idle';
        await el.start();
        started.push(el);
      }
    } catch (e) {
      for (const el of started.reverse()) await safely(() => el.stop());
      for (const el of this.elements) el.state = 'suspended';
      this.dropThreads();
      const failed = onLoop[started.length];
      const why = e instanceof Error ? e.message : String(e);
      const who = failed?.name ?? 'an element';
      // Elements name themselves in their errors; do not say the name twice.
      const text = why.startsWith(`${who}:`) ? why.slice(who.length + 1).trim() : why;
      throw new ParallaxError('ELEMENT_ERROR', `${who} failed to start: ${text}`, { cause: e });
    }
    if (this.scheduler !== null) {
      try {
        await this.scheduler.prepare(this.elements);
      } catch (e) {
        await safely(() => this.scheduler?.stop());
        for (const el of started.reverse()) await safely(() => el.stop());
        for (const el of this.elements) el.state = 'suspended';
        this.dropThreads();
        throw e;
      }
      for (const el of this.elements) el.state = 'idle';
    }
    this.setState('idle');
  }

  /** A source's task, paced by the driver when there is one. */
  private pace(el: Element & TaskDriver, originNs: number, cyclesAtStart: number): TaskDriver {
    const driver = this.options.driver;
    if (driver === null || el.sinkPads.length > 0 || (this.scheduler?.loopDrivers as readonly Element[] | undefined)?.includes(el) === true) return el;
    const paced = new PacedDriver(el, driver, originNs, {
      stopping: () => this.currentState !== 'running' && this.currentState !== 'idle',
      cycles: this.cycleSource(),
      onXruns: (n) => (this.arena !== null ? this.arena.addXruns(n) : (this.localXruns += n)),
    }, cyclesAtStart);
    this.pacers.push(paced);
    return paced;
  }

  private pacers: PacedDriver[] = [];

  private cycleSource(): CycleSource {
    const arena = this.arena;
    if (arena === null) return this.localCycles;
    return { cycles: () => arena.cycles(), waitAsync: (seen, ms) => arena.waitForCycleAsync(seen, ms) };
  }

  /**
   * Starts `n` cycles of a manual driver: each source, on whatever thread, produces one buffer
   * per cycle. Cycles signalled before a source gets to them wait for it; none are lost.
   */
  cycle(n = 1): void {
    if (this.options.driver?.type !== 'manual') throw new ParallaxError('BAD_STATE_TRANSITION', `${this.name} has no manual driver; create it with { driver: 'manual' }`);
    if (!Number.isInteger(n) || n < 1) throw new ParallaxError('BAD_PROPERTY_VALUE', `cycle() needs a positive integer count, got ${n}`);
    if (this.arena !== null) this.arena.signalCycles(n);
    else this.localCycles.signal(n);
  }

  /**
   * Partitions the graph: into element host processes when an isolation mode asks for them, else
   * for the scheduling mode, setting up the arena when any element runs on a thread.
   */
  private planThreads(): void {
    this.dropThreads();
    const isolation = planIsolation(this.elements, this.options.isolation);
    if (isolation.processCount > 0) {
      if (this.options.scheduling !== 'async') {
        throw new ParallaxError('BAD_PROPERTY_VALUE', `${this.name}: ${isolation.mode} isolation runs with scheduling "async" (each element host is its own thread of execution), not "${this.options.scheduling}"`);
      }
      if (this.options.driver?.type === 'manual') throw new ParallaxError('BAD_PROPERTY_VALUE', `${this.name}: a manual driver cannot reach element host processes; use a timer driver or none with isolation`);
      requireNative();
      // This process's pools go in a memfd too, so its buffers cross into hosts without a copy.
      this.arena = Arena.inProcessRegion(MemfdRegion.create(this.options.arenaBytes, 'parallax-supervisor-arena'));
      this.allocator = new SharedAllocator(this.arena, { onExhausted: 'grow', slotsPerPool: this.options.slotsPerPool });
      this.scheduler = new ProcessScheduler(isolation, { context: this.context, post: (m) => this.post(m), sinkReachedEos: (s) => this.sinkReachedEos(s) }, {
        ...this.options,
        sandbox: this.options.isolation.sandbox ?? true,
        limits: this.options.isolation.limits ?? {},
        restart: checkRestart(this.options.isolation.restart),
      });
      return;
    }
    const plan = planPlacement(this.elements, { mode: this.options.scheduling, dataThreads: this.options.dataThreads, bridgeCapacity: this.options.bridgeCapacity });
    if (plan.threadCount === 0 && this.elements.some((el) => el.metadata.processShared === true)) {
      requireNative();
      this.arena = Arena.inProcessRegion(MemfdRegion.create(this.options.arenaBytes, 'parallax-pipeline-arena'));
      this.allocator = new SharedAllocator(this.arena, { onExhausted: 'grow', slotsPerPool: this.options.slotsPerPool });
      return;
    }
    const shared = plan.threadCount > 0 || this.elements.some((el) => el.metadata.sharedMemory === true);
    if (!shared) return;
    this.arena = Arena.create(this.options.arenaBytes);
    this.allocator = new SharedAllocator(this.arena, { onExhausted: 'grow', slotsPerPool: this.options.slotsPerPool });
    if (plan.threadCount === 0) return;
    this.scheduler = new ThreadScheduler(plan, this.arena, { context: this.context, post: (m) => this.post(m), sinkReachedEos: (s) => this.sinkReachedEos(s) }, this.options);
  }

  private dropThreads(): void {
    // Copies made on threads of earlier runs still count (stats().bytesCopied is since creation).
    if (this.scheduler !== null) this.threadCopies += this.scheduler.stats().bytesCopied;
    this.scheduler = null;
    // An isolated run's arena is a memfd: close its fd (the mapping lives until it is collected).
    if (this.arena?.region instanceof MemfdRegion) this.arena.region.close();
    this.arena = null;
    this.allocator = new Allocator();
  }

  /** Whether the event loop runs `el` (async mode, or the scheduler left it there). */
  private runsOnLoop(el: Element): boolean {
    return this.scheduler === null || this.scheduler.runsOnLoop(el);
  }

  /** The placement of the last prepare: which elements run on which data thread, and which links are rings. */
  get plan(): Plan | null {
    return this.scheduler instanceof ThreadScheduler ? this.scheduler.plan : null;
  }

  /** The isolation plan of the last prepare (which process runs each element), or null when everything runs here. */
  get isolationPlan(): IsolationPlan | null {
    return this.scheduler instanceof ProcessScheduler ? this.scheduler.plan : null;
  }

  /** The pid of the element host that runs `element`, or null when it runs in this process. */
  hostPid(element: string): number | null {
    const el = this.requireElement(element);
    return this.scheduler instanceof ProcessScheduler ? this.scheduler.pidOf(el) : null;
  }

  /**
   * Sets a property wherever the element runs: directly on the event loop, through the control
   * plane (comlink) on a data thread. Validation errors are thrown here, before anything is sent.
   */
  async setProperty(element: string, property: string, value: unknown): Promise<void> {
    const el = this.requireElement(element);
    if (this.currentState === 'suspended' && this.preparing) {
      // A prepare under way may have given the threads or hosts it builds the element's
      // properties already: set it here, and once they are up, again where it runs. Whether a
      // property that cannot change while running reaches the run would be a race: refused.
      const spec = el.propertySpec(property);
      if (spec !== undefined && !spec.mutable && !spec.readonly) {
        throw new ParallaxError('PROPERTY_NOT_MUTABLE', `property ${property} of ${el.name} cannot change while ${this.name} is starting; set it before run() or once it ends`);
      }
      await setOnBothCopies(el, property, value, async (set) => {
        await this.transitions;
        if (this.scheduler !== null && this.currentState !== 'suspended') await this.scheduler.setProperty(el, property, set);
      });
      return;
    }
    if (this.scheduler !== null && this.currentState !== 'suspended') await this.scheduler.setProperty(el, property, value);
    else el.set(property, value);
  }

  /** Reads a property where the element runs (a live read-out from a data thread). */
  async getProperty(element: string, property: string): Promise<PropertyValue> {
    const el = this.requireElement(element);
    if (this.scheduler !== null && this.currentState !== 'suspended') return this.scheduler.getProperty(el, property);
    return el.get(property);
  }

  private requireElement(name: string): Element {
    const el = this.get(name);
    if (el === undefined) throw new ParallaxError('UNKNOWN_ELEMENT', `${this.name} has no element named ${name}`);
    return el;
  }

  private async doActivate(): Promise<void> {
    checkTransition(this.currentState, 'activate');
    if (this.currentState === 'running') return;
    if (this.currentState === 'suspended') await this.doPrepare();
    if (this.pausedAt >= 0) {
      this.baseTime += this.clock.now() - this.pausedAt;
      this.pausedAt = -1;
      for (const el of this.elements) el.state = 'running';
      this.setState('running');
      const originNs = absoluteNow() + CYCLE_LEAD_NS;
      for (const p of this.pacers) p.rebase(originNs);
      for (const t of this.tasks) t.task.resume();
      this.scheduler?.resume(this.baseTime, originNs);
      // Every sink may have finished while paused (an appsink drained by the application).
      this.checkEos();
      return;
    }
    const latency = this.queryLatency();
    this.bus.post({ type: 'latency', source: this.name, min: latency.min, max: latency.max });
    this.baseTime = this.clock.now();
    this.firstError = null;
    this.eosSinks = new Set();
    this.eosPosted = false;
    this.sinks = this.elements.filter((el) => el.sinkPads.length > 0 && !el.templates.some((t) => t.direction === 'src'));
    for (const el of this.elements) el.state = 'running';
    this.setState('running');
    this.arena?.clearStop();
    this.scheduler?.connectLoopBridges();
    const drivers: (Element & TaskDriver)[] = this.elements.filter((el) => isTaskDriver(el) && this.runsOnLoop(el)) as (Element & TaskDriver)[];
    if (this.scheduler !== null) drivers.push(...this.scheduler.loopDrivers);
    const originNs = absoluteNow() + CYCLE_LEAD_NS;
    // Cycles count from prepare: those an application signals between prepare() and the start
    // are the sources' first ones, not lost.
    const cyclesAtStart = this.cyclesAtPrepare;
    this.pacers = [];
    this.localXruns = 0;
    // Threads first: the event loop's own sources start producing as their tasks are created.
    this.scheduler?.activate(this.baseTime, originNs, cyclesAtStart);
    for (const el of drivers) {
      const task = new StreamingTask(this.pace(el, originNs, cyclesAtStart));
      const entry = { task, el, done: Promise.resolve(), finished: false };
      entry.done = task.run().then(
        (r) => this.taskEnded(el, r),
        (e: unknown) => this.taskEnded(el, FlowResult.ERROR, e),
      ).finally(() => (entry.finished = true));
      this.tasks.push(entry);
    }
  }

  /** Running → Idle, keeping every resource; `activate()` resumes. */
  pause(): void {
    checkTransition(this.currentState, 'pause');
    if (this.currentState === 'idle') return;
    for (const t of this.tasks) t.task.pause();
    this.scheduler?.pause();
    this.pausedAt = this.clock.now();
    for (const el of this.elements) el.state = 'idle';
    this.setState('idle');
  }

  private async doSuspend(): Promise<void> {
    checkTransition(this.currentState, 'suspend');
    await this.teardown();
    if (this.currentState !== 'suspended') this.setState('suspended');
  }

  /**
   * Suspends and closes the bus: `for await (const msg of pipeline.bus)` loops end. The pipeline
   * cannot be used afterwards.
   */
  async dispose(): Promise<void> {
    await this.suspend();
    this.bus.close();
  }

  /** Elements whose streaming task is still running: what a stalled pipeline waits on. */
  runningTasks(): string[] {
    return this.tasks.filter((t) => !t.finished).map((t) => t.task.driver.name);
  }

  /**
   * Sends EOS into every source, as `parallax-launch -e` does on Ctrl-C, so sinks can finish
   * their files. The pipeline then posts `eos` as usual.
   */
  async sendEos(): Promise<void> {
    if (this.currentState !== 'running') return;
    this.scheduler?.sendEos();
    const bridges: readonly Element[] = this.scheduler?.loopDrivers ?? [];
    const sources = this.tasks.filter((t) => t.el.sinkPads.length === 0 && !bridges.includes(t.el));
    for (const t of sources) t.task.stop();
    await Promise.all(sources.map((t) => t.done));
    for (const t of sources) for (const p of t.el.srcPads) p.pushEvent(Events.eos());
  }

  /**
   * Runs to the end: activates, waits for EOS or an error, then suspends.
   * Rejects with the first error posted, or ABORTED when `signal` fires or something else
   * suspends the pipeline first (`suspend()`, `dispose()`): it did not run to the end.
   * When it cannot start (negotiation, an element's start), that error is also posted on the bus,
   * from the pipeline, before run() rejects with it.
   */
  async run(options: RunOptions = {}): Promise<void> {
    const { signal } = options;
    this.useIsolation(options);
    if (signal?.aborted) throw new ParallaxError('ABORTED', `${this.name} was aborted before it ran`);
    let errorPosted = false;
    let activated = false;
    let stopWatching = (): void => {};
    const outcome = new Promise<Error | null>((resolve) => {
      const offEos = this.bus.on('eos', (m) => m.source === this.name && finish(null));
      const offErr = this.bus.on('error', (m) => {
        errorPosted = true;
        finish(m.error);
      });
      const onAbort = (): void => {
        finish(new ParallaxError('ABORTED', `${this.name} was aborted`, { cause: signal?.reason }));
        // Still starting: a prepare that waits on threads or hosts gives up now (they are stopped).
        if (!activated) {
          this.startAborted = new ParallaxError('ABORTED', `${this.name} was aborted while it was starting`, { cause: signal?.reason });
          this.scheduler?.cancelPrepare(this.startAborted);
        }
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      const offState = this.bus.on('state-changed', (m) => {
        if (m.source !== this.name) return;
        if (m.to === 'running') activated = true;
        else if (m.to === 'suspended' && activated) finish(new ParallaxError('ABORTED', `${this.name} was suspended before it reached EOS`));
      });
      function finish(e: Error | null): void {
        offEos();
        offErr();
        offState();
        signal?.removeEventListener('abort', onAbort);
        resolve(e);
      }
      stopWatching = () => finish(null);
    });
    try {
      await this.activate();
    } catch (e) {
      stopWatching();
      // Refused outright (in error, or disposed): nothing changed, so nothing to undo or report.
      if ((e as { code?: unknown }).code === 'BAD_STATE_TRANSITION') throw e;
      // On the bus too, as GStreamer posts a failed state change: what follows the pipeline (a
      // stream made with toReadable) then fails with the reason instead of waiting for a start.
      // Not when it is said already (a thread or host that died posts its own), nor for this
      // run's own abort.
      if (!errorPosted && e !== this.startAborted) this.bus.post({ type: 'error', source: this.name, error: e instanceof Error ? e : new Error(String(e)) });
      await this.suspend().catch(() => {});
      throw e;
    } finally {
      // The abort belongs to this run's start: a later prepare must not see it.
      this.startAborted = null;
    }
    const err = await outcome;
    await this.suspend();
    if (err !== null) throw err;
  }

  /** Takes run()'s isolation options; they apply at the next prepare, and a prepared pipeline keeps its own. */
  private useIsolation(o: IsolationOptions): void {
    const wanted = withRunIsolation(this.options.isolation, o);
    if (wanted === null) return;
    if (this.currentState !== 'suspended' || this.preparing) {
      const now = this.options.isolation;
      if (!sameIsolationPlan(now, wanted)) {
        throw new ParallaxError('BAD_STATE_TRANSITION', `${this.name} is already prepared with isolation mode "${now.mode ?? 'in-process'}"; suspend() it before running it with other isolation options`);
      }
      return;
    }
    planIsolation(this.elements, wanted); // bad patterns fail here, before anything starts
    (this.options as { isolation: PipelineIsolation }).isolation = wanted;
  }

  /** The pipeline's latency: each element's own, summed along the slowest source-to-sink path. */
  queryLatency(): Latency {
    return queryLatency(this.elements);
  }

  stats(): PipelineStats {
    const elements: Record<string, { buffersOut: number; bytesOut: number }> = {};
    const pads: Record<string, PadStats> = {};
    const links: Record<string, LinkStats> = {};
    for (const el of this.elements) {
      let buffersOut = 0;
      let bytesOut = 0;
      const level = el.queueLevel();
      for (const p of el.srcPads) {
        buffersOut += p.buffers;
        bytesOut += p.bytes;
        pads[p.fullName] = { buffers: p.buffers, bytes: p.bytes };
        if (p.peer !== null) links[`${p.fullName}->${p.peer.fullName}`] = level ?? NO_LEVEL;
      }
      elements[el.name] = { buffersOut, bytesOut };
    }
    let pools = this.allocator.stats();
    if (this.scheduler !== null) {
      const t = this.scheduler.stats();
      Object.assign(pads, t.pads);
      for (const el of this.elements) {
        if (!this.scheduler.runsOnThread(el)) continue;
        let buffersOut = 0;
        let bytesOut = 0;
        for (const p of el.srcPads) {
          buffersOut += t.pads[p.fullName]?.buffers ?? 0;
          bytesOut += t.pads[p.fullName]?.bytes ?? 0;
        }
        elements[el.name] = { buffersOut, bytesOut };
      }
      for (const key of Object.keys(links)) if (key.includes('>:sink')) delete links[key];
      Object.assign(links, t.links);
      pools = { pools: pools.pools + t.pools.pools, slots: pools.slots + t.pools.slots, freeSlots: pools.freeSlots + t.pools.freeSlots, poolsAdded: pools.poolsAdded + t.pools.poolsAdded };
    }
    if (this.arena !== null) {
      // Every pool of every thread is in the arena: read their bitmaps now rather than add up
      // what each thread last reported (which is stale, and missing after the threads stopped).
      pools = { ...this.arena.poolStats(), poolsAdded: pools.poolsAdded };
    }
    const xruns = this.localXruns + (this.arena?.xruns() ?? 0);
    let bytesCopied = copyStats().bytesCopied - this.copiesAtStart + this.threadCopies;
    if (this.scheduler !== null) bytesCopied += this.scheduler.stats().bytesCopied;
    return { state: this.currentState, bytesCopied, pools, elements, pads, links, xruns };
  }

  private padAdded(pad: Pad): void {
    if (!this.pendingLinks.resolve(pad)) return;
    this.bus.post({ type: 'element', source: pad.element.name, name: 'pad-added', data: { pad: pad.fullName, peer: pad.peer?.fullName } });
    // Bring a late link up to date: what the pad already announced goes to its new peer.
    if (pad.direction === 'src') {
      for (const type of ['stream-start', 'caps', 'segment'] as const) {
        const ev = pad.sticky.get(type);
        if (ev !== undefined && pad.peer !== null) pad.peer.element.sinkEvent(pad.peer, ev);
      }
    }
  }

  private sinkReachedEos(sink: Element): void {
    this.eosSinks.add(sink);
    this.checkEos();
  }

  /** Posts `eos` once, when running and every sink has reached EOS. */
  private checkEos(): void {
    if (this.eosPosted || this.currentState !== 'running' || !this.sinks.every((s) => this.eosSinks.has(s))) return;
    this.eosPosted = true;
    this.bus.post({ type: 'eos', source: this.name });
  }

  private eosPosted = false;

  private post(msg: BusMessage): void {
    try {
      this.bus.post(msg);
    } finally {
      // Even when a bus listener throws: the pipeline must still stop on an error.
      if (msg.type === 'error' && this.currentState !== 'error' && this.currentState !== 'suspended') {
        this.firstError = msg.error;
        this.setState('error');
        this.teardown().catch((e: unknown) => this.bus.post({ type: 'warning', source: this.name, message: `teardown after an error failed: ${String(e)}` }));
      }
    }
  }

  private taskEnded(el: Element, r: FlowResult, thrown?: unknown): void {
    if (thrown !== undefined) {
      this.post({ type: 'error', source: el.name, error: new ParallaxError('ELEMENT_ERROR', `${el.name}: ${thrown instanceof Error ? thrown.message : String(thrown)}`, { cause: thrown }) });
      return;
    }
    if (r === FlowResult.NOT_LINKED || r === FlowResult.NOT_NEGOTIATED || (r === FlowResult.ERROR && this.firstError === null)) {
      if (this.currentState === 'running') {
        this.post({ type: 'error', source: el.name, error: new ParallaxError('ELEMENT_ERROR', `${el.name}: streaming stopped, reason ${flowName(r)}`) });
      }
    }
  }

  private teardown(): Promise<void> {
    if (this.stopping !== null) return this.stopping;
    const work = async (): Promise<void> => {
      this.scheduler?.requestStop();
      for (const t of this.tasks) t.task.stop();
      for (const el of this.elements) el.unblock();
      this.clock.unscheduleAll();
      await Promise.all(this.tasks.map((t) => t.done));
      this.tasks = [];
      this.pausedAt = -1;
      await safely(() => this.scheduler?.stop(), (e) => this.bus.post({ type: 'warning', source: this.name, message: `stopping data threads failed: ${String(e)}` }));
      // An isolated run's arena is a memfd whose fd is only needed while hosts may map it.
      if (this.arena?.region instanceof MemfdRegion) this.arena.region.close();
      for (const el of this.elements) {
        el.state = 'suspended';
        if (!this.runsOnLoop(el)) continue;
        await safely(() => el.stop(), (e) => this.bus.post({ type: 'warning', source: el.name, message: `stop failed: ${String(e)}` }));
      }
    };
    this.stopping = work().finally(() => (this.stopping = null));
    return this.stopping;
  }

  private setState(to: PipelineState): void {
    const from = this.currentState;
    if (from === to) return;
    this.currentState = to;
    this.bus.post({ type: 'state-changed', source: this.name, from, to });
  }
}

async function safely(fn: () => void | Promise<void>, onError?: (e: unknown) => void): Promise<void> {
  try {
    await fn();
  } catch (e) {
    onError?.(e);
  }
}
