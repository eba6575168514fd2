import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import type { Buffer } from '../element/buffer.js';
import type { Event } from '../element/event.js';
import { FlowResult } from '../element/flow.js';
import { Cancellation } from './cancellation.js';

/** What a streaming task drives: a source, or the output side of a queue. */
export interface TaskDriver {
  readonly name: string;
  /** The next item, a FlowResult that ends the task, or a promise of either (I/O, an empty queue). */
  produce(): Buffer | Event | FlowResult | Promise<Buffer | Event | FlowResult>;
  /** Pushes an item downstream, synchronously, inside the task. */
  deliver(item: Buffer | Event): FlowResult;
  /** The task ends with `result` (EOS goes downstream here). */
  finish(result: FlowResult): void;
}

/** The task whose synchronous call chain is running now, so `blockUpstream` knows whom to stop. */
let current: StreamingTask | null = null;

const STOPPED = Symbol('stopped');
/** The reason a stop gives its cancellation (waits end with STOPPED, see `untilStopped`). */
const STOP_REASON = new Error('the streaming task was stopped');

function releaseIfBuffer(item: unknown): void {
  if (typeof item === 'object' && item !== null && 'release' in item && typeof item.release === 'function') (item as Buffer).release();
}

function enter(task: StreamingTask | null): void {
  current = task;
}

/** How long a task runs before it lets the event loop breathe, in ms. */
const TIME_SLICE_MS = 4;

/**
 * A streaming task runs one driver on the event loop: produce, deliver, repeat.
 *
 * Synchronous elements run in a tight loop with no promise per buffer. The loop awaits only when
 * the driver's `produce` returns a promise, when something downstream called `blockUpstream`
 * (a full queue, a clock wait, an async write), or every few milliseconds to yield to other work.
 */
export class StreamingTask {
  private blocker: Promise<unknown> | null = null;
  private resumeGate: Promise<void> | null = null;
  private openGate: (() => void) | null = null;
  iterations = 0;

  constructor(readonly driver: TaskDriver) {}

  /** The task that is calling into elements right now, if any. */
  static get current(): StreamingTask | null {
    return current;
  }

  /** Makes the task wait for `p` before its next step. Called from inside its call chain. */
  block(p: Promise<unknown>): void {
    this.blocker = this.blocker === null ? p : Promise.all([this.blocker, p]);
  }

  /** What `stop()` cancels: the wait in progress (the driver's next item, or a blocker). */
  private readonly stopping = new Cancellation();

  /** Asks the loop to end; it ends at its next step (or wakes from its wait) with FLUSHING. */
  stop(): void {
    this.stopping.cancel(STOP_REASON);
    this.resume();
  }

  /** How many waits could still be woken by `stop()`: at most one while the task runs. */
  get waitsInProgress(): number {
    return this.stopping.waiting;
  }

  /** `p`, or STOPPED as soon as `stop()` is called, whichever comes first. */
  private untilStopped<T>(p: Promise<T>): Promise<T | typeof STOPPED> {
    return this.stopping.or(p, STOPPED);
  }

  pause(): void {
    if (this.resumeGate === null) this.resumeGate = new Promise<void>((resolve) => (this.openGate = resolve));
  }

  resume(): void {
    this.openGate?.();
    this.openGate = null;
    this.resumeGate = null;
  }

  /** Runs until the driver ends or the task is stopped. Resolves with the final FlowResult. */
  async run(): Promise<FlowResult> {
    let sliceStart = performance.now();
    for (;;) {
      if (this.resumeGate !== null) await this.resumeGate;
      if (this.stopping.cancelled) return this.end(FlowResult.FLUSHING);
      // A synchronous burst: produce and deliver until something asks the task to wait. Nothing
      // else runs on this thread meanwhile, so `current` is set once for the whole burst.
      let r: FlowResult = FlowResult.OK;
      let later: Promise<Buffer | Event | FlowResult> | null = null;
      enter(this);
      try {
        for (;;) {
          const item = this.driver.produce();
          if (typeof item === 'number') {
            r = item;
            break;
          }
          if (item instanceof Promise) {
            later = item;
            break;
          }
          r = this.driver.deliver(item);
          this.iterations++;
          if (r !== FlowResult.OK || this.blocker !== null || this.stopping.cancelled || this.resumeGate !== null) break;
          if ((this.iterations & 63) === 0 && performance.now() - sliceStart > TIME_SLICE_MS) break;
        }
      } finally {
        enter(null);
      }
      if (later !== null) {
        let item = await this.untilStopped(later);
        // Paused while the driver was waiting (a paced source's next cycle): what it produced
        // is delivered only once the task resumes.
        if (this.resumeGate !== null && item !== STOPPED) {
          await this.resumeGate;
          if (this.stopping.cancelled) item = STOPPED;
        }
        if (item === STOPPED || this.stopping.cancelled) {
          // What the driver produces after all is not wanted any more.
          void later.then(releaseIfBuffer, () => {});
          if (item !== STOPPED) releaseIfBuffer(item);
          return this.end(FlowResult.FLUSHING);
        }
        if (typeof item === 'number') {
          r = item;
        } else {
          enter(this);
          try {
            r = this.driver.deliver(item);
          } finally {
            enter(null);
          }
          this.iterations++;
        }
      }
      if (r !== FlowResult.OK) return this.end(r);
      if (this.blocker !== null) {
        const b = this.blocker;
        this.blocker = null;
        // A blocker that ignores unblock() must not hold up a stop.
        await this.untilStopped(b);
        sliceStart = performance.now();
      } else if (later === null && performance.now() - sliceStart > TIME_SLICE_MS) {
        await yieldToEventLoop();
        sliceStart = performance.now();
      }
    }
  }

  private async end(r: FlowResult): Promise<FlowResult> {
    enter(this);
    try {
      this.driver.finish(r);
    } finally {
      enter(null);
    }
    while (this.blocker !== null) {
      const b = this.blocker;
      this.blocker = null;
      await this.untilStopped(b);
    }
    return r;
  }
}
