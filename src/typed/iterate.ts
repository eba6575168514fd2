import type { ValueConsumer } from './elements/value-sink.js';

/** Values the iterator holds before the pipeline waits for the reader. */
const HIGH_WATER = 1024;

/** A `next()` call waiting for a value: settled in call order. */
interface Waiter<T> {
  readonly resolve: (r: IteratorResult<T>) => void;
  readonly reject: (e: unknown) => void;
}

const DONE: IteratorResult<never> = { done: true, value: undefined };

/**
 * `for await (const v of flow)`: runs the flow into a bounded hand-over queue and yields from it.
 * When the reader falls 1024 values behind, the sink's consumer returns a promise and the pipeline
 * waits; each value read makes room. Leaving the loop early (`break`, `return`, a throw) aborts
 * the run and waits for it to stop, so no task outlives the loop. A pipeline error is thrown from
 * the loop.
 *
 * `next()` may be called again before the last call settled (`Promise.all([it.next(), it.next()])`):
 * the calls wait in a FIFO and each gets its own value, in order, as an async generator's would.
 * At the end the first waiting call gets the pipeline's error (if any) and the others `done`;
 * `return()` settles every waiting call with `done`. Invariant: values are queued only while no
 * call waits, so `queue` and `waiters` are never both non-empty. Event loop.
 */
export function iterate<T>(start: (consume: ValueConsumer<T>, signal: AbortSignal) => Promise<void>): AsyncIterator<T> {
  const queue: T[] = [];
  let head = 0;
  const waiters: Waiter<T>[] = [];
  let finished = false;
  let failure: { readonly error: unknown } | null = null;
  let room: (() => void) | null = null;
  const abort = new AbortController();
  const consume: ValueConsumer<T> = (v) => {
    // After return(): the run is being stopped, and nothing is read any more.
    if (finished) return;
    const w = waiters.shift();
    if (w !== undefined) return w.resolve({ done: false, value: v });
    queue.push(v);
    if (queue.length - head < HIGH_WATER) return;
    return new Promise<void>((resolve) => (room = resolve));
  };
  /** The run is over: the first waiting call gets its error, the others (and later ones) done. */
  const settleWaiters = (): void => {
    for (const w of waiters.splice(0)) {
      if (failure !== null) {
        const { error } = failure;
        failure = null;
        w.reject(error);
      } else {
        w.resolve(DONE);
      }
    }
  };
  let running: Promise<void> | null = null;
  const ensureRunning = (): void => {
    running ??= start(consume, abort.signal).then(
      () => void (finished = true),
      (e: unknown) => {
        finished = true;
        if (!abort.signal.aborted) failure = { error: e };
      },
    ).finally(settleWaiters);
  };
  const stop = async (): Promise<IteratorResult<T>> => {
    const wasRunning = running !== null && !finished;
    finished = true;
    failure = null;
    queue.length = head = 0;
    settleWaiters();
    if (wasRunning) {
      abort.abort();
      const r = room;
      room = null;
      r?.();
      await running;
    }
    return DONE;
  };
  return {
    next(): Promise<IteratorResult<T>> {
      ensureRunning();
      if (head < queue.length) {
        const value = queue[head++]!;
        if (head > 4096 && head * 2 > queue.length) {
          queue.splice(0, head);
          head = 0;
        }
        if (queue.length - head < HIGH_WATER && room !== null) {
          const r = room;
          room = null;
          r();
        }
        return Promise.resolve({ done: false, value });
      }
      if (finished) {
        if (failure === null) return Promise.resolve(DONE);
        const { error } = failure;
        failure = null;
        return Promise.reject(error);
      }
      return new Promise<IteratorResult<T>>((resolve, reject) => waiters.push({ resolve, reject }));
    },
    return: stop,
    throw: async (e: unknown) => {
      await stop();
      throw e;
    },
  };
}
