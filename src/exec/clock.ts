import type { Clock } from '../element/clock.js';

/**
 * The pipeline clock: monotonic nanoseconds from `performance.now()`, which Node, Deno and Bun
 * all provide. Waits are timers; a stop or pause cancels them all so no sink waits on a
 * pipeline that is no longer running.
 */
export class MonotonicClock implements Clock {
  private readonly waits = new Set<{ timer: ReturnType<typeof setTimeout>; resolve: (reached: boolean) => void }>();

  now(): number {
    return Math.round(performance.now() * 1e6);
  }

  waitUntil(time: number): Promise<boolean> {
    const delayMs = (time - this.now()) / 1e6;
    if (delayMs <= 0) return Promise.resolve(true);
    return new Promise<boolean>((resolve) => {
      const entry = {
        timer: setTimeout(() => {
          this.waits.delete(entry);
          resolve(true);
        }, delayMs),
        resolve,
      };
      this.waits.add(entry);
    });
  }

  unscheduleAll(): void {
    for (const w of this.waits) {
      clearTimeout(w.timer);
      w.resolve(false);
    }
    this.waits.clear();
  }
}
