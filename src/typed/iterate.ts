import type { ValueConsumer } from './elements/value-sink.js';

/** Values the iterator holds before the pipeline waits for the reader. */
const HIGH_WATER = 1024;

/**
 * `for await (const v of flow)`: runs the flow into a bounded hand-over queue and yields from it.
 * When the reader falls 1024 values behind, the sink's consumer returns a promise and the pipeline
 * waits; each value read makes room. Leaving the loop early (`break`, `return`, a throw) aborts
 * the run and waits for it to stop, so no task outlives the loop. A pipeline error is thrown from
 * the loop.
 */
export function iterate<T>(start: (consume: ValueConsumer<T>, signal: AbortSignal) => Promise<void>): AsyncIterator<T> {
  const queue: T[] = [];
  let head = 0;
  let finished = false;
  let failure: unknown = null;
  let wake: (() => void) | null = null;
  let room: (() => void) | null = null;
  const abort = new AbortController();
  const consume: ValueConsumer<T> = (v) => {
    queue.push(v);
    const w = wake;
    wake = null;
    w?.();
    if (queue.length - head < HIGH_WATER) return;
    return new Promise<void>((resolve) => (room = resolve));
  };
  let running: Promise<void> | null = null;
  const ensureRunning = (): void => {
    running ??= start(consume, abort.signal).then(
      () => void (finished = true),
      (e: unknown) => {
        finished = true;
        if (!abort.signal.aborted) failure = e;
      },
    ).finally(() => {
      const w = wake;
      wake = null;
      w?.();
    });
  };
  const stop = async (): Promise<IteratorResult<T>> => {
    if (running !== null && !finished) {
      abort.abort();
      const r = room;
      room = null;
      r?.();
      await running;
    }
    finished = true;
    queue.length = head = 0;
    return { done: true, value: undefined };
  };
  return {
    async next(): Promise<IteratorResult<T>> {
      ensureRunning();
      for (;;) {
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
          return { done: false, value };
        }
        if (finished) {
          if (failure !== null) {
            const e = failure;
            failure = null;
            throw e;
          }
          return { done: true, value: undefined };
        }
        await new Promise<void>((resolve) => (wake = resolve));
      }
    },
    return: stop,
    throw: async (e: unknown) => {
      await stop();
      throw e;
    },
  };
}
