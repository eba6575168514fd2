import { Piscina } from 'piscina';
import type { BufferRequest, ProbeRequest } from './parallel-protocol.js';

/**
 * workers/parallel-worker.mjs, found from this module: src/elements/compute/ in the sources,
 * dist/elements/compute/ once built, both three levels below the package root.
 */
const WORKER_URL = new URL('../../../workers/parallel-worker.mjs', import.meta.url).href;

/**
 * The main side of the `parallel` element's workers: a piscina pool of a fixed number of
 * threads that live from `start` to `stop` (no idle shutdown, no growth), running
 * workers/parallel-worker.mjs. A facade, so the element does not depend on piscina's API.
 *
 * Workers sleep between tasks (piscina's `atomics: 'sync'`), so a user function must finish
 * what it starts (await its timers and I/O) before it returns.
 *
 * Event-loop only.
 */
export class ParallelPool {
  private readonly pool: Piscina<BufferRequest | ProbeRequest, number | string[]>;
  private destroying = false;

  /**
   * `onError` hears what piscina cannot pin on a task (a worker's uncaught error between tasks).
   * Without a listener piscina's 'error' event would be an uncaught exception in the process.
   */
  constructor(readonly threads: number, onError: (e: Error) => void) {
    this.pool = new Piscina({ filename: WORKER_URL, minThreads: threads, maxThreads: threads, idleTimeout: Infinity, recordTiming: false });
    this.pool.on('error', (e: Error) => {
      // destroy() forgets in-flight tasks, so a worker's answer to one of them that arrives while
      // the pool shuts down is "unexpected" to piscina. The task's buffer is already accounted
      // for by the element (its generation changed), so the answer has nothing left to say.
      if (!this.destroying) onError(e);
    });
  }

  /**
   * Loads the module and checks the export in every worker; rejects with a message naming both.
   * One probe per thread, all at once: piscina hands each idle thread one task, so this also
   * waits until every thread is up, and the first buffers do not wait for a thread to boot.
   */
  async probe(module: string, fn: string): Promise<void> {
    await Promise.all(Array.from({ length: this.threads }, () => this.pool.run({ kind: 'probe', module, fn })));
  }

  /** Runs the function on one payload, in place; resolves with its new size. */
  run(request: BufferRequest): Promise<number> {
    return this.pool.run(request) as Promise<number>;
  }

  /**
   * Stops every worker, running tasks included, and rejects pending tasks. Once it resolves no
   * worker touches a slot any more, so their buffers may go back to their pools.
   */
  destroy(): Promise<void> {
    this.destroying = true;
    return this.pool.destroy();
  }
}
