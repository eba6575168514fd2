/**
 * A wait that can be given up: `race(p)` is `p`, or rejects with the reason once `cancel()` was
 * called. Each race registers a one-shot waker, removed when `p` settles: racing against one
 * long-lived promise instead would leave a reaction on it per wait, which a streaming task that
 * waits per buffer would grow without bound. Used by streaming tasks (stop) and by schedulers
 * whose prepare waits on threads or hosts (`run({ signal })` aborted while they start).
 *
 * Event loop only.
 */
export class Cancellation {
  private reason: Error | null = null;
  private readonly wakers = new Set<(e: Error) => void>();

  cancel(reason: Error): void {
    if (this.reason !== null) return;
    this.reason = reason;
    for (const wake of this.wakers) wake(reason);
    this.wakers.clear();
  }

  race<T>(p: Promise<T>): Promise<T> {
    if (this.reason !== null) {
      // Nobody waits for `p` any more, but it may still reject: that is not an unhandled error.
      p.catch(() => {});
      return Promise.reject(this.reason);
    }
    return new Promise<T>((resolve, reject) => {
      this.wakers.add(reject);
      p.then(
        (v) => {
          this.wakers.delete(reject);
          resolve(v);
        },
        (e: unknown) => {
          this.wakers.delete(reject);
          reject(e);
        },
      );
    });
  }

  get cancelled(): boolean {
    return this.reason !== null;
  }

  /** How many races could still be woken: what a settled wait must not leave behind. */
  get waiting(): number {
    return this.wakers.size;
  }

  /** Throws the reason once cancelled: a step not worth starting any more. */
  throwIfCancelled(): void {
    if (this.reason !== null) throw this.reason;
  }

  /** Whether `e` is this cancellation's reason (to be passed on as it is rather than wrapped). */
  isReason(e: unknown): boolean {
    return this.reason !== null && e === this.reason;
  }
}
