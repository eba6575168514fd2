/**
 * A clock gives the time in nanoseconds and lets a sink wait for a time.
 * The pipeline runs a monotonic clock; the test harness runs a clock it advances by hand.
 */
export interface Clock {
  /** Nanoseconds since an arbitrary origin; never goes backwards. */
  now(): number;
  /**
   * Resolves once `now() >= time`, or early with `false` when the wait is cancelled
   * (the pipeline stops or pauses). Resolves `true` when the time was reached.
   */
  waitUntil(time: number): Promise<boolean>;
  /** Cancels every pending wait. */
  unscheduleAll(): void;
}
