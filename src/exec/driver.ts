import { ParallaxError } from '../errors.js';
import type { Buffer } from '../element/buffer.js';
import type { Event } from '../element/event.js';
import { FlowResult } from '../element/flow.js';
import type { TaskDriver } from './streaming-task.js';
import { setImmediate as yieldToEventLoop } from 'node:timers/promises';

/** Waits up to this long are slept in place on a data thread; longer ones let its event loop run. */
const SYNC_SLEEP_MAX_MS = 4;
/** How early a timer wakes before a deadline, to sleep the rest in place (timers run late, not early). */
const TIMER_MARGIN_MS = 1.5;

/**
 * Drivers, after PipeWire: what starts each processing cycle.
 * - `timer`: a cycle every period — a quantum of samples at a rate (256/48000 is 5.33 ms) or
 *   a frame period. Each source produces one buffer per cycle.
 * - `manual`: a cycle each time the application calls `pipeline.cycle()`.
 * Without a driver, sources run free and backpressure paces them.
 *
 * A cycle's deadline is the start of the next one. A source that asks for its next cycle after
 * that start missed the deadline: an xrun. The cycles whose start has passed meanwhile are
 * skipped, not run in a burst, so a late graph falls back into step instead of racing.
 */
export type DriverSpec =
  | { readonly type: 'timer'; readonly periodNs: number }
  | { readonly type: 'manual' };

/** "256/48000" (a quantum at a rate), "20ms", "33.3ms" or "5000us": a timer driver. */
export function parseDriver(text: string): DriverSpec {
  if (text === 'manual') return { type: 'manual' };
  const quantum = /^(\d+)\/(\d+)$/.exec(text);
  if (quantum !== null) {
    const q = Number(quantum[1]);
    const rate = Number(quantum[2]);
    if (q > 0 && rate > 0) return { type: 'timer', periodNs: (q / rate) * 1e9 };
  }
  const period = /^(\d+(?:\.\d+)?)(ms|us|ns)$/.exec(text);
  if (period !== null) {
    const n = Number(period[1]) * (period[2] === 'ms' ? 1e6 : period[2] === 'us' ? 1e3 : 1);
    if (n >= 1e4) return { type: 'timer', periodNs: n };
  }
  throw new ParallaxError('BAD_PROPERTY_VALUE', `bad driver "${text}": write QUANTUM/RATE (256/48000), a period of at least 10us (20ms, 5000us), or manual`);
}

/** Absolute monotonic time in ns, comparable across threads (their performance.now() origins differ). */
export function absoluteNow(): number {
  return (performance.timeOrigin + performance.now()) * 1e6;
}

/** Where manual cycles come from: a counter and a way to wait for it to move. */
export interface CycleSource {
  cycles(): number;
  /** Waits for the count to move past `seen` (or a while), blocking when the thread may. */
  waitSync?(seen: number, ms: number): void;
  waitAsync(seen: number, ms: number): Promise<void>;
}

/** How a pacer waits on this thread. */
export interface PacerEnv {
  /** Blocks this thread up to `ms` unless the pipeline stops (data threads with one task). */
  readonly sleepSync?: (ms: number) => void;
  readonly stopping: () => boolean;
  readonly cycles: CycleSource;
  readonly onXruns: (n: number) => void;
}

const WAIT_SLICE_MS = 20;

/**
 * Wraps a source's task driver so each `produce` waits for its cycle. One per source task; all
 * pacers of a pipeline share the timer's origin, so sources on different threads stay in phase.
 */
export class PacedDriver implements TaskDriver {
  private cycle = 0;
  private manualSeen: number;

  /**
   * @param originNs absolute time (absoluteNow) of cycle 0's start, shared by all pacers
   * @param cyclesAtStart the manual cycle count when the pipeline activated: cycles signalled
   *   after it are this source's, even those signalled before its task first runs
   */
  constructor(private readonly inner: TaskDriver, private readonly spec: DriverSpec, private originNs: number, private readonly env: PacerEnv, cyclesAtStart = 0) {
    this.manualSeen = cyclesAtStart;
  }

  get name(): string {
    return this.inner.name;
  }

  /** After a pause: cycles restart from `originNs`, so the paused time is not counted as xruns. */
  rebase(originNs: number): void {
    this.originNs = originNs;
    this.cycle = 0;
  }

  produce(): Buffer | Event | FlowResult | Promise<Buffer | Event | FlowResult> {
    // Once stop is requested no cycle is due any more: without this a paced source would run
    // free (its waits return at once) until its task next looked at its stop flag.
    if (this.env.stopping()) return FlowResult.FLUSHING;
    const gate = this.spec.type === 'timer' ? this.timerGate(this.spec.periodNs) : this.manualGate();
    // A gate also opens when stop is requested during the wait: that is not a cycle.
    if (gate === null) return this.env.stopping() ? FlowResult.FLUSHING : this.inner.produce();
    return gate.then(() => (this.env.stopping() ? FlowResult.FLUSHING : this.inner.produce()));
  }

  deliver(item: Buffer | Event): FlowResult {
    return this.inner.deliver(item);
  }

  finish(result: FlowResult): void {
    this.inner.finish(result);
  }

  private timerGate(period: number): Promise<void> | null {
    const now = absoluteNow();
    let start = this.originNs + this.cycle * period;
    if (this.cycle > 0 && now > start) {
      // The previous cycle ended after its deadline: count it, and skip the slots that passed.
      const skipped = Math.floor((now - start) / period);
      this.env.onXruns(1 + skipped);
      this.cycle += skipped;
      start = this.originNs + this.cycle * period;
    }
    this.cycle++;
    const waitMs = (start - now) / 1e6;
    if (waitMs <= 0) return null;
    const sleepSync = this.env.sleepSync;
    if (sleepSync === undefined) return new Promise((resolve) => setTimeout(resolve, waitMs));
    if (waitMs <= SYNC_SLEEP_MAX_MS) {
      sleepSync(waitMs);
      return null;
    }
    // A long wait goes through the thread's event loop, so control calls, pause and stats are
    // served every period; the last stretch is slept in place, where timers are too coarse.
    return new Promise<void>((resolve) => setTimeout(resolve, waitMs - TIMER_MARGIN_MS)).then(() => {
      const rest = (start - absoluteNow()) / 1e6;
      if (rest > 0 && !this.env.stopping()) sleepSync(rest);
    });
  }

  private manualGate(): Promise<void> | null {
    const src = this.env.cycles;
    if (((src.cycles() - this.manualSeen) | 0) > 0) {
      this.manualSeen = (this.manualSeen + 1) | 0;
      return null;
    }
    if (src.waitSync !== undefined) {
      const started = performance.now();
      while (((src.cycles() - this.manualSeen) | 0) <= 0) {
        if (this.env.stopping()) return null;
        // Waiting in place for long would starve the thread's event loop (control calls,
        // pause, stats): after a few milliseconds let it run, then wait again.
        if (performance.now() - started > SYNC_SLEEP_MAX_MS) return yieldToEventLoop().then(() => this.manualGate() ?? undefined);
        src.waitSync(this.manualSeen, SYNC_SLEEP_MAX_MS);
      }
      this.manualSeen = (this.manualSeen + 1) | 0;
      return null;
    }
    return src.waitAsync(this.manualSeen, WAIT_SLICE_MS).then(() => (this.env.stopping() ? undefined : this.manualGate() ?? undefined));
  }
}

/** Manual cycles for a pipeline with no arena (every element on the event loop). */
export class LocalCycles implements CycleSource {
  private count = 0;
  private waiters: (() => void)[] = [];

  signal(n: number): void {
    this.count = (this.count + n) | 0;
    for (const w of this.waiters.splice(0)) w();
  }

  cycles(): number {
    return this.count;
  }

  waitAsync(seen: number, ms: number): Promise<void> {
    if (this.count !== seen) return Promise.resolve();
    return new Promise((resolve) => {
      const timer = setTimeout(resolve, ms);
      this.waiters.push(() => {
        clearTimeout(timer);
        resolve();
      });
    });
  }
}
