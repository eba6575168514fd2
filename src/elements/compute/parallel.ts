import { availableParallelism } from 'node:os';
import { isAbsolute, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Buffer } from '../../element/buffer.js';
import { Element } from '../../element/element.js';
import { Events, isSerialized, isSticky, type Event } from '../../element/event.js';
import { FlowResult } from '../../element/flow.js';
import type { ElementMetadata } from '../../element/metadata.js';
import type { Pad } from '../../element/pad.js';
import { ParallaxError } from '../../errors.js';
import type { TaskDriver } from '../../exec/streaming-task.js';
import type { BufferAllocator } from '../../memory/allocator.js';
import { Arena } from '../../memory/arena.js';
import { SharedAllocator } from '../../memory/shared-allocator.js';
import { ArrivalOrder, Job } from './arrival-order.js';
import { ParallelPool } from './parallel-pool.js';

/**
 * A private arena for the rare buffer that is not in shared memory (a harness, a hand-built
 * pipeline): address space, committed only as slots are used. Pools of 8 slots, so buffers of up
 * to 16 MiB fit.
 */
const FALLBACK_ARENA_BYTES = 128 * 1024 * 1024;
const FALLBACK_SLOTS_PER_POOL = 8;

/**
 * `fakesrc num-buffers=16 sizetype=fixed sizemax=4096 filltype=pattern ! parallel module=examples/06-parallel/invert.mjs workers=2 ! fakesink`
 *
 * Classification: Filter/Compute.
 *
 * Runs a JavaScript function of yours on every buffer, on a pool of worker threads (piscina),
 * for CPU-heavy work that should not hold up the event loop and has no real-time deadline.
 * Buffers come out in the order they went in.
 *
 * - `module`: the ES module that exports the function: a path (relative to the current working
 *   directory) or a `file:` URL. Required.
 * - `function`: the export to call (`default`).
 * - `workers`: worker threads (the machine's parallelism by default).
 * - `max-in-flight`: buffers held at once, in workers or waiting their turn to go out (0: twice
 *   `workers`). When that many are held, upstream waits.
 *
 * The function is called as `fn(data, info)`: `data` is a Uint8Array on the buffer's payload in
 * shared memory (no copy in either direction), to be transformed in place; `info` holds `pts`,
 * `duration`, `offset`, `sequence`, `size`, `capacity` and `slot` (the slot's whole payload area,
 * to grow into). It may be async, and returns nothing (same size) or the payload's new size, at
 * most `capacity`. It should finish what it starts before returning: workers sleep between tasks.
 *
 * ```js
 * // invert.mjs
 * export default function invert(data) {
 *   for (let i = 0; i < data.length; i++) data[i] = 255 - data[i];
 * }
 * ```
 *
 * Zero copy: the metadata says `sharedMemory`, so the pipeline allocates every buffer in its
 * shared arena, and a worker gets only a descriptor (the region's SharedArrayBuffer, which is
 * shared, not cloned, and where the payload lies in it). A buffer shared with another handle (a
 * tee branch) is made writable first, and one that is not in shared memory at all is copied
 * once into a private shared arena; both copies are counted in `bytesCopied`.
 *
 * Order: a FIFO keeps buffers and serialized events (caps, segment, EOS) in arrival order, and
 * this element's own streaming task pushes its head downstream as soon as the head's worker has
 * answered. EOS therefore goes out after every earlier buffer. As in a queue, stream-start, caps
 * and segment go straight through when nothing is held.
 *
 * Errors: a module that cannot be imported or has no such function export fails `prepare()`
 * (every worker imports it at start, so the first buffers wait for no thread to boot). A
 * function that throws or rejects, or returns a bad size, posts an error naming this element,
 * the function and the module, and the pipeline goes to Error; stopping terminates the workers,
 * even ones stuck in a loop.
 *
 * Event-loop element (the work itself runs on the workers): `chain` from upstream's task,
 * `produce`/`deliver` from its own. Not rt-safe: one small descriptor object per buffer.
 */
export class Parallel extends Element implements TaskDriver {
  static readonly metadata: ElementMetadata = {
    factory: 'parallel',
    classification: 'Filter/Compute',
    description: 'Runs a JavaScript function on each buffer in a pool of worker threads, keeping the order',
    example: 'fakesrc num-buffers=16 sizetype=fixed sizemax=4096 filltype=pattern ! parallel module=examples/06-parallel/invert.mjs workers=2 ! fakesink',
    padTemplates: [
      { name: 'sink', direction: 'sink', presence: 'always' },
      { name: 'src', direction: 'src', presence: 'always' },
    ],
    properties: {
      module: { type: 'string', default: null, description: 'Path (relative to the working directory) or file: URL of the ES module exporting the function (required)' },
      function: { type: 'string', default: 'default', description: 'Name of the export to call as fn(data, info)' },
      workers: { type: 'uint64', default: Math.max(1, availableParallelism()), min: 1, max: 1024, description: 'Worker threads (default: the machine\'s parallelism)' },
      'max-in-flight': { type: 'uint64', default: 0, max: 1_048_576, description: 'Buffers held at once before upstream waits (0 = twice workers)' },
    },
    affinity: 'async',
    rtSafe: false,
    sharedMemory: true,
  };

  private pool: ParallelPool | null = null;
  private moduleUrl = '';
  private fnName = 'default';
  private maxInFlight = 2;
  /** Bumped by `start` and `stop`: answers from an earlier pool are ignored. */
  private generation = 0;

  /** Buffers and serialized events in arrival order; the head goes out first. */
  private readonly fifo = new ArrivalOrder();
  /** Buffers this element owns and has not pushed: released at `stop`, once no worker runs. */
  private readonly owned = new Set<Job>();
  /** The head was handed to the task and is not delivered yet: nothing may overtake it. */
  private handedOut = false;

  private srcResult: FlowResult = FlowResult.OK;
  private flushing = false;
  private eosQueued = false;
  private eosPushed = false;

  private spaceFreed: Promise<void> | null = null;
  private wakeProducer: (() => void) | null = null;
  private wakeConsumer: ((item: Buffer | Event | FlowResult) => void) | null = null;

  private fallback: SharedAllocator | null = null;
  private srcPadCache: Pad | null = null;

  get srcPad(): Pad {
    return (this.srcPadCache ??= this.pad('src')!);
  }

  override queueLevel(): { depth: number; drops: number; wakeups: number } {
    return { depth: this.fifo.held, drops: 0, wakeups: 0 };
  }

  // ---- lifecycle ----------------------------------------------------------------------------

  /** Resolves the module, starts the workers and checks, in each of them, that the function exists. */
  override async start(): Promise<void> {
    const module = this.get('module') as string | null;
    if (module === null || module === '') {
      throw new ParallaxError('BAD_PROPERTY_VALUE', `${this.name}: property module is not set (give the path or file: URL of an ES module)`);
    }
    this.moduleUrl = moduleUrl(module);
    this.fnName = this.str('function');
    const workers = this.num('workers');
    this.maxInFlight = this.num('max-in-flight') || 2 * workers;
    this.reset();
    this.generation++;
    const pool = new ParallelPool(workers, (e) => {
      if (this.pool !== pool || this.srcResult !== FlowResult.OK) return;
      this.srcResult = FlowResult.ERROR;
      this.wake(FlowResult.ERROR);
      this.releaseProducer();
      this.error(`worker pool: ${messageOf(e)}`, e);
    });
    this.pool = pool;
    try {
      await pool.probe(this.moduleUrl, this.fnName);
    } catch (e) {
      this.pool = null;
      await pool.destroy();
      throw new ParallaxError('ELEMENT_ERROR', `${this.name}: ${messageOf(e)}`, { cause: e });
    }
  }

  /** Wakes both tasks: upstream waiting for room, and this element's task waiting for a worker. */
  override unblock(): void {
    if (this.srcResult === FlowResult.OK) this.srcResult = FlowResult.FLUSHING;
    this.wake(FlowResult.FLUSHING);
    this.releaseProducer();
  }

  /** Terminates the workers, then gives every buffer still held back to its pool. */
  override async stop(): Promise<void> {
    this.generation++;
    this.unblock();
    const pool = this.pool;
    this.pool = null;
    // Slots go back only once no worker can write them any more.
    if (pool !== null) await pool.destroy();
    for (const job of this.owned) job.buf.release();
    this.owned.clear();
    this.fifo.clear();
    this.fallback = null;
  }

  private reset(): void {
    this.fifo.clear();
    this.handedOut = false;
    this.srcResult = FlowResult.OK;
    this.flushing = false;
    this.eosQueued = false;
    this.eosPushed = false;
  }

  // ---- input side: upstream's streaming task ------------------------------------------------

  override chain(_pad: Pad, buf: Buffer): FlowResult {
    if (this.flushing || this.pool === null) {
      buf.release();
      return FlowResult.FLUSHING;
    }
    if (this.srcResult !== FlowResult.OK || this.eosQueued) {
      buf.release();
      return this.srcResult !== FlowResult.OK ? this.srcResult : FlowResult.EOS;
    }
    const job = new Job(this.shareable(buf));
    this.owned.add(job);
    this.fifo.push(job);
    this.submit(job);
    if (this.fifo.held >= this.maxInFlight) this.blockUpstream();
    return FlowResult.OK;
  }

  /**
   * `buf` in shared memory with nobody else holding it: as it is (the usual case), made writable
   * (a tee's clone), or copied once into a private shared arena (a buffer on the heap).
   */
  private shareable(buf: Buffer): Buffer {
    if (buf.pool.region.shared) return buf.isWritable ? buf : buf.makeWritable(this.sharedAllocator());
    const copy = Buffer.fromBytes(this.sharedAllocator(), buf.data);
    copy.copyMetadataFrom(buf);
    buf.release();
    return copy;
  }

  private sharedAllocator(): BufferAllocator {
    const a = this.context.allocator;
    if (a instanceof SharedAllocator) return a;
    return (this.fallback ??= new SharedAllocator(Arena.create(FALLBACK_ARENA_BYTES, 'sab'), { onExhausted: 'grow', slotsPerPool: FALLBACK_SLOTS_PER_POOL }));
  }

  /**
   * Hands the payload's descriptor to a worker; its answer lands back on the event loop. No
   * atomics are needed around the payload: the task message happens before the worker's writes,
   * and the worker's writes happen before its answer message, so the bytes are complete when
   * the answer is read. Until then only the worker touches the payload, and the main side only
   * the header.
   */
  private submit(job: Job): void {
    const { buf } = job;
    const generation = this.generation;
    this.pool!.run({
      kind: 'buffer',
      sab: buf.pool.region.buffer,
      byteOffset: buf.pool.payloadOffset(buf.slot),
      size: buf.size,
      capacity: buf.capacity,
      module: this.moduleUrl,
      fn: this.fnName,
      pts: buf.pts,
      duration: buf.duration,
      offset: buf.offset,
      sequence: buf.sequence,
    }).then(
      (size) => {
        // A stopped pool's late answer: `stop` releases the buffer once the workers are gone.
        if (generation !== this.generation) return;
        if (job.abandoned) return this.drop(job);
        buf.size = size;
        job.done = true;
        this.feedConsumer();
      },
      (e: unknown) => {
        if (generation !== this.generation) return;
        this.drop(job);
        if (job.abandoned || this.srcResult !== FlowResult.OK) return;
        this.srcResult = FlowResult.ERROR;
        this.wake(FlowResult.ERROR);
        this.releaseProducer();
        // The worker wraps what the function throws with its name and the buffer; anything else
        // is the worker itself failing (an uncaught error after the call returned, say).
        const msg = messageOf(e);
        this.error(msg.startsWith(`${this.fnName}() of `) ? msg : `a worker failed after ${this.fnName}() of ${this.moduleUrl} returned: ${msg}`, e);
      },
    );
  }

  override sinkEvent(pad: Pad, ev: Event): boolean {
    switch (ev.type) {
      case 'flush-start':
        this.flushing = true;
        this.dropQueued();
        return this.forwardDownstream(ev);
      case 'flush-stop':
        this.flushing = false;
        if (this.srcResult !== FlowResult.ERROR) this.srcResult = FlowResult.OK;
        this.eosQueued = false;
        this.eosPushed = false;
        return this.forwardDownstream(ev);
      case 'caps':
        pad.caps = ev.caps;
        break;
      default:
        break;
    }
    if (!isSerialized(ev)) return this.forwardDownstream(ev);
    if (this.flushing) return false;
    if (this.srcResult !== FlowResult.OK || this.eosQueued) return ev.type === 'eos' && (this.eosQueued || this.srcResult === FlowResult.EOS);
    // Nothing held that it could overtake: sticky stream events go straight through.
    if (ev.type !== 'eos' && isSticky(ev) && this.fifo.isEmpty && !this.handedOut) return this.forwardDownstream(ev);
    if (ev.type === 'eos') this.eosQueued = true;
    this.fifo.push(ev);
    this.feedConsumer();
    return true;
  }

  // ---- output side: this element's own streaming task ---------------------------------------

  produce(): Buffer | Event | FlowResult | Promise<Buffer | Event | FlowResult> {
    if (this.srcResult !== FlowResult.OK) return this.srcResult;
    return this.takeHead() ?? new Promise((resolve) => (this.wakeConsumer = resolve));
  }

  deliver(item: Buffer | Event): FlowResult {
    this.handedOut = false;
    if (item instanceof Buffer) {
      const r = this.srcPad.push(item);
      if (r !== FlowResult.OK && this.srcResult === FlowResult.OK) this.srcResult = r;
      return r;
    }
    if (item.type === 'caps') this.srcPad.caps = item.caps;
    this.srcPad.pushEvent(item);
    if (item.type !== 'eos') return FlowResult.OK;
    this.eosPushed = true;
    return FlowResult.EOS;
  }

  finish(result: FlowResult): void {
    if (this.srcResult === FlowResult.OK) this.srcResult = result;
    if (result === FlowResult.EOS && !this.eosPushed) {
      this.eosPushed = true;
      this.srcPad.pushEvent(Events.eos());
    }
    this.releaseProducer();
  }

  /** The head of the FIFO if it may go out now (an event, or a buffer its worker is done with). */
  private takeHead(): Buffer | Event | undefined {
    const head = this.fifo.takeReady();
    if (head === undefined) return undefined;
    this.handedOut = true;
    if (!(head instanceof Job)) return head;
    this.owned.delete(head);
    if (this.fifo.held < this.maxInFlight) this.releaseProducer();
    return head.buf;
  }

  /** Gives the head to the task if it waits and the head is ready. */
  private feedConsumer(): void {
    if (this.wakeConsumer === null) return;
    const item = this.srcResult !== FlowResult.OK ? this.srcResult : this.takeHead();
    if (item !== undefined) this.wake(item);
  }

  private wake(item: Buffer | Event | FlowResult): void {
    const w = this.wakeConsumer;
    this.wakeConsumer = null;
    w?.(item);
  }

  /** flush-start: events go, finished buffers go back, running ones go back when their worker answers. */
  private dropQueued(): void {
    this.fifo.drain((item) => {
      if (!(item instanceof Job)) return;
      if (item.done) this.drop(item);
      else item.abandoned = true;
    });
    this.releaseProducer();
  }

  private drop(job: Job): void {
    if (this.owned.delete(job)) job.buf.release();
  }

  private blockUpstream(): void {
    if (this.spaceFreed === null) this.spaceFreed = new Promise<void>((resolve) => (this.wakeProducer = resolve));
    this.context.blockUpstream(this.spaceFreed);
  }

  private releaseProducer(): void {
    const w = this.wakeProducer;
    this.wakeProducer = null;
    this.spaceFreed = null;
    w?.();
  }
}

/** A `module` property value as an absolute URL: URLs as they are, paths against the working directory. */
function moduleUrl(module: string): string {
  if (/^(file|data):/i.test(module)) return module;
  return pathToFileURL(isAbsolute(module) ? module : resolve(process.cwd(), module)).href;
}

function messageOf(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

export default Parallel;
