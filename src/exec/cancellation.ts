/**
 * A wait that can be given up: `race(p)` is `p`, or rejects with the reason once `cancel()` was
 * called (`or(p, value)` resolves with `value` instead). Each wait registers a one-shot waker,
 * removed when `p` settles: racing against one long-lived promise instead would leave a reaction
 * on it per wait, which a streaming task that waits per buffer would grow without bound. Used by streaming tasks (stop) and by schedulers
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

  /** `p`, or a rejection with the reason once cancelled. */
  race<T>(p: Promise<T>): Promise<T> {
    return this.waitFor(p, (reason): never => {
      throw reason;
    });
  }

  /** `p`, or `value` once cancelled: for a loop that checks for it rather than catching. */
  or<T, U>(p: Promise<T>, value: U): Promise<T | U> {
    return this.waitFor(p, () => value);
  }

  private waitFor<T, U>(p: Promise<T>, onCancel: (reason: Error) => U): Promise<T | U> {
    const reason = this.reason;
    if (reason !== null) {
      // Nobody waits for `p` any more, but it may still reject: that is not an unhandled error.
      p.catch(() => {});
      return new Promise<U>((resolve) => resolve(onCancel(reason)));
    }
    return new Promise<T | U>((resolve, reject) => {
      const wake = (why: Error): void => {
        try {
          resolve(onCancel(why));
        } catch (e) {
          reject(e);
        }
      };
      this.wakers.add(wake);
      p.then(
        (v) => {
          this.wakers.delete(wake);
          resolve(v);
        },
        (e: unknown) => {
          this.wakers.delete(wake);
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
