import { createNanoEvents, type Emitter } from 'nanoevents';
import type { BusMessage, BusMessageType } from '../element/message.js';

type Handlers = { [K in BusMessageType]: (msg: Extract<BusMessage, { type: K }>) => void } & {
  message: (msg: BusMessage) => void;
};

/**
 * The pipeline's bus: a typed emitter (`bus.on('error', …)`) and an async iterator
 * (`for await (const msg of bus)`), fed in posting order on the event loop.
 *
 * The iterator buffers messages posted while nobody is reading, so none are lost; it ends when
 * the pipeline is disposed.
 */
export class Bus implements AsyncIterable<BusMessage> {
  private readonly emitter: Emitter<Handlers> = createNanoEvents<Handlers>();
  private readonly readers = new Set<{ queue: BusMessage[]; wake: (() => void) | null }>();
  private closed = false;

  /**
   * Subscribes to one message type, or 'message' for all. Returns the unsubscribe function.
   * A listener that throws does not keep the others (the pipeline's own among them) from the
   * message: its exception is rethrown from a microtask, where it is an uncaught exception.
   */
  on<K extends keyof Handlers>(type: K, handler: Handlers[K]): () => void {
    const guarded = ((msg: BusMessage): void => {
      try {
        (handler as (m: BusMessage) => void)(msg);
      } catch (e) {
        queueMicrotask(() => {
          throw e;
        });
      }
    }) as Handlers[K];
    return this.emitter.on(type, guarded);
  }

  post(msg: BusMessage): void {
    if (this.closed) return;
    (this.emitter.emit as (t: string, m: BusMessage) => void)(msg.type, msg);
    this.emitter.emit('message', msg);
    for (const r of this.readers) {
      r.queue.push(msg);
      r.wake?.();
    }
  }

  /** Ends every iterator. */
  close(): void {
    this.closed = true;
    for (const r of this.readers) r.wake?.();
  }

  async *[Symbol.asyncIterator](): AsyncIterator<BusMessage> {
    const reader = { queue: [] as BusMessage[], wake: null as (() => void) | null };
    this.readers.add(reader);
    try {
      while (true) {
        const msg = reader.queue.shift();
        if (msg !== undefined) {
          yield msg;
          continue;
        }
        if (this.closed) return;
        await new Promise<void>((resolve) => (reader.wake = resolve));
        reader.wake = null;
      }
    } finally {
      this.readers.delete(reader);
    }
  }
}
