/**
 * A tiny seedable PRNG (xorshift32) for the testing elements: fakesrc's random sizes and fill,
 * identity's drop-probability. Deterministic for a given seed, allocation-free per call.
 *
 * Not cryptographic. Event-loop or data thread; one instance per element.
 */
export class XorShift32 {
  private state: number;

  /** `seed` 0 picks a seed from Math.random. */
  constructor(seed = 0) {
    this.state = 1;
    this.reseed(seed);
  }

  reseed(seed: number): void {
    let s = seed | 0;
    if (s === 0) s = (Math.random() * 0xffffffff) | 0;
    this.state = s === 0 ? 0x9e3779b9 | 0 : s;
  }

  /** The next 32-bit unsigned value. */
  next(): number {
    let x = this.state;
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    this.state = x;
    return x >>> 0;
  }

  /** A float in [0, 1). */
  nextFloat(): number {
    return this.next() / 4294967296;
  }

  /** An integer in [min, max] (inclusive). */
  nextInt(min: number, max: number): number {
    return min + (this.next() % (max - min + 1));
  }
}
