import type { Buffer } from '../../element/buffer.js';
import type { Event } from '../../element/event.js';
import { Ring } from '../flow/ring.js';

/** A buffer handed to a worker, in arrival order. */
export class Job {
  /** The worker answered (and the payload's size is set): the buffer may go out. */
  done = false;
  /** Dropped by a flush while its worker still ran: released when the worker answers. */
  abandoned = false;
  constructor(readonly buf: Buffer) {}
}

/**
 * Jobs and serialized events in the order they arrived, whatever order the workers finish in:
 * the head leaves first, and only once it is ready (an event, or a job that is `done`). This is
 * the reorder buffer of the `parallel` element.
 *
 * Event-loop only; one owner. Allocation-free until the ring has to grow.
 */
export class ArrivalOrder {
  private ring = new Ring<Job | Event>(64);
  private jobs = 0;

  /** Jobs waiting to go out, done or not: what `max-in-flight` limits. */
  get held(): number {
    return this.jobs;
  }

  get isEmpty(): boolean {
    return this.ring.length === 0;
  }

  push(item: Job | Event): void {
    this.ring.push(item);
    if (item instanceof Job) this.jobs++;
  }

  /** Takes the head if it may go out now, or returns undefined (empty, or the head's worker runs). */
  takeReady(): Job | Event | undefined {
    const head = this.ring.peek();
    if (head === undefined || (head instanceof Job && !head.done)) return undefined;
    this.ring.shift();
    if (head instanceof Job) this.jobs--;
    return head;
  }

  /** Empties it, oldest first, into `fn` (a flush). */
  drain(fn: (item: Job | Event) => void): void {
    this.ring.drain(fn);
    this.jobs = 0;
  }

  /** Forgets everything; the owner has released the buffers. */
  clear(): void {
    this.ring = new Ring<Job | Event>(64);
    this.jobs = 0;
  }
}
