import type { Clock } from '../element/clock.js';

/**
 * A clock that only moves when told to: tests of `sync=true` sinks and live sources advance it
 * by hand and see exactly which waits complete.
 */
export class FakeClock implements Clock {
  private time = 0;
  private waits: { time: number; resolve: (reached: boolean) => void }[] = [];

  now(): number {
    return this.time;
  }

  waitUntil(time: number): Promise<boolean> {
    if (time <= this.time) return Promise.resolve(true);
    return new Promise((resolve) => this.waits.push({ time, resolve }));
  }

  /** Moves time forward and completes the waits it passes. */
  advance(ns: number): void {
    this.set(this.time + ns);
  }

  set(ns: number): void {
    if (ns < this.time) throw new RangeError(`FakeClock cannot go back from ${this.time} to ${ns}`);
    this.time = ns;
    const due = this.waits.filter((w) => w.time <= ns);
    this.waits = this.waits.filter((w) => w.time > ns);
    for (const w of due) w.resolve(true);
  }

  /** Number of waits not yet reached. */
  get pendingWaits(): number {
    return this.waits.length;
  }

  unscheduleAll(): void {
    for (const w of this.waits) w.resolve(false);
    this.waits = [];
  }
}
