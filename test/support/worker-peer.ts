/**
 * A real second thread for the shared-memory tests: a worker script from this folder that
 * answers commands, one reply each, or posts messages of its own.
 *
 * Every message is queued as it arrives, so a test never loses one that came before it asked.
 * A worker that throws, or exits, fails the pending `next` instead of leaving the test to time
 * out. `stopPeers` (from an afterEach) terminates every peer still running, even one that a
 * failed or timed-out test left blocked in Atomics.wait.
 */
import { Worker } from 'node:worker_threads';

const running = new Set<Peer>();

export class Peer {
  readonly worker: Worker;
  private readonly inbox: unknown[] = [];
  private waiter: { resolve: (m: unknown) => void; reject: (e: Error) => void } | null = null;
  private failure: Error | null = null;

  /** Starts `script` (a file in test/support/) with `workerData`. */
  constructor(script: string, workerData: unknown) {
    this.worker = new Worker(new URL(`./${script}`, import.meta.url), { workerData });
    running.add(this);
    this.worker.on('message', (m: unknown) => {
      const w = this.waiter;
      this.waiter = null;
      if (w === null) this.inbox.push(m);
      else w.resolve(m);
    });
    const fail = (e: Error): void => {
      this.failure ??= e;
      const w = this.waiter;
      this.waiter = null;
      w?.reject(e);
    };
    this.worker.on('error', fail);
    this.worker.on('exit', (code) => fail(new Error(`${script} exited (code ${code}) before it replied`)));
  }

  /** The next message the worker posts, in arrival order. */
  next<T>(): Promise<T> {
    if (this.inbox.length > 0) return Promise.resolve(this.inbox.shift() as T);
    if (this.failure !== null) return Promise.reject(this.failure);
    if (this.waiter !== null) throw new Error('one next() at a time');
    return new Promise<T>((resolve, reject) => {
      this.waiter = { resolve: resolve as (m: unknown) => void, reject };
    });
  }

  /** Sends `{ op, ...args }` and waits for the reply. */
  ask<T>(op: string, args: Record<string, unknown> = {}): Promise<T> {
    this.worker.postMessage({ op, ...args });
    return this.next<T>();
  }

  async stop(): Promise<void> {
    running.delete(this);
    await this.worker.terminate();
  }
}

/** Terminates every peer still running. */
export async function stopPeers(): Promise<void> {
  await Promise.all([...running].map((p) => p.stop()));
}

/** Resolves after `ms` on the event loop (the main thread may not Atomics.wait). */
export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Polls `ready` on the event loop until it holds; throws after `timeoutMs`. */
export async function until(ready: () => boolean, what: string, timeoutMs = 10_000): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  while (!ready()) {
    if (performance.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(1);
  }
}

/** xorshift32: the same seeded sequence on every run and every thread. */
export function prng(seed: number): () => number {
  let x = seed >>> 0 || 1;
  return () => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return x >>> 0;
  };
}
