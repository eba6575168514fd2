import type { Writable } from 'node:stream';
import type { ValueConsumer } from './elements/value-sink.js';

/** Where a typed flow can end: a function, a Node Writable in object mode, or a WHATWG WritableStream. */
export type FlowTarget<T> = ValueConsumer<T> | Writable | WritableStream<T>;

/** What the sink calls per value, and what to do once the stream has ended or failed. */
export interface Consumer<T> {
  readonly consume: ValueConsumer<T>;
  /**
   * At EOS, after the last value: end the target (a Writable's end(), a WritableStream's close())
   * and reject with any write that failed since; the sink reports it, naming itself.
   */
  readonly close: () => Promise<void>;
  /** After an error: abort the target with it. */
  readonly abort: (e: unknown) => void;
}

/**
 * Adapts a target to a per-value function that honours its backpressure: a Writable's `write`
 * returning false, or a WritableStream writer's `ready`, makes the consumer return a promise,
 * which blocks the pipeline until the target has room.
 */
export function consumerFor<T>(target: FlowTarget<T>): Consumer<T> {
  if (typeof target === 'function') return { consume: target, close: async () => {}, abort: () => {} };
  if (typeof (target as WritableStream<T>).getWriter === 'function') return webConsumer(target as WritableStream<T>);
  if (typeof (target as Writable).write === 'function' && typeof (target as Writable).once === 'function') return nodeConsumer<T>(target as Writable);
  throw new TypeError('a typed flow ends in a function, a Node Writable (object mode) or a WritableStream');
}

function nodeConsumer<T>(w: Writable): Consumer<T> {
  const failed = (): Error | null => (w.errored as Error | null) ?? (w.destroyed ? new Error('the Writable was destroyed') : null);
  return {
    consume: (value) => {
      const e = failed();
      if (e !== null) throw e;
      if (w.write(value)) return;
      return new Promise<void>((resolve, reject) => {
        const done = (err?: Error): void => {
          w.off('drain', done);
          w.off('error', done);
          w.off('close', done);
          const why = err ?? failed();
          if (why) reject(why);
          else resolve();
        };
        w.once('drain', done).once('error', done).once('close', done);
      });
    },
    close: () => new Promise<void>((resolve, reject) => {
      w.end((err?: Error | null) => (err ? reject(err) : resolve()));
    }),
    abort: (e) => w.destroy(e instanceof Error ? e : new Error(String(e))),
  };
}

function webConsumer<T>(s: WritableStream<T>): Consumer<T> {
  const writer = s.getWriter();
  // Writes are not awaited one by one (that would cost a promise turn per value); the first
  // failure is kept and thrown from the next value or from close, so the sink names it.
  let failure: { readonly error: unknown } | null = null;
  let last: Promise<void> = Promise.resolve();
  const write = (value: T): void => {
    last = writer.write(value).catch((e: unknown) => void (failure ??= { error: e }));
  };
  return {
    consume: (value) => {
      if (failure !== null) throw failure.error;
      // ready settles when the queue has room (and rejects once the stream has failed).
      if (writer.desiredSize !== null && writer.desiredSize > 0) return write(value);
      return writer.ready.then(() => write(value));
    },
    close: async () => {
      // Writes settle in order: once the last has, every failure is known.
      await last;
      if (failure !== null) throw failure.error;
      await writer.close();
    },
    abort: (e) => void writer.abort(e).catch(() => undefined),
  };
}
