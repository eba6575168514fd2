import type { Buffer } from '../../element/buffer.js';
import { LinkViolation } from './violation.js';

/** Bits of a token that index the table; the bits above are the entry's generation. */
const INDEX_BITS = 16;
const INDEX_MASK = (1 << INDEX_BITS) - 1;

/**
 * The producer's record of what a process link's consumer holds: for each outstanding token,
 * the buffer handle whose reference the link keeps until the token comes back. A token is the
 * entry's index plus a generation that changes each time the entry is reused, so a token given
 * back twice, or one that was never handed out, is caught (a violation) instead of freeing a
 * buffer that is still in use.
 *
 * Thread contract: the producer's thread only.
 */
export class TokenTable {
  private readonly held: (Buffer | null)[];
  private readonly generation: Uint16Array;
  private readonly free: Int32Array;
  private freeTop: number;

  constructor(readonly limit: number) {
    if (limit > INDEX_MASK + 1) throw new RangeError(`at most ${INDEX_MASK + 1} outstanding tokens, asked for ${limit}`);
    this.held = new Array<Buffer | null>(limit).fill(null);
    this.generation = new Uint16Array(limit);
    this.free = new Int32Array(limit);
    for (let i = 0; i < limit; i++) this.free[i] = limit - 1 - i;
    this.freeTop = limit;
  }

  /** Tokens handed out and not back yet. */
  get outstanding(): number {
    return this.limit - this.freeTop;
  }

  get full(): boolean {
    return this.freeTop === 0;
  }

  /** Keeps `buf` until its token comes back; returns the token. The caller checked `full`. */
  hold(buf: Buffer): number {
    const i = this.free[--this.freeTop]!;
    this.held[i] = buf;
    return ((this.generation[i]! << INDEX_BITS) | i) >>> 0;
  }

  /** Undoes the last `hold` (the record could not be pushed after all). */
  unhold(token: number): Buffer {
    const i = token & INDEX_MASK;
    const buf = this.held[i]!;
    this.held[i] = null;
    this.free[this.freeTop++] = i;
    return buf;
  }

  /** A token came back: releases its buffer. Throws a LinkViolation for a token not outstanding. */
  giveBack(token: number): void {
    const i = token & INDEX_MASK;
    const gen = token >>> INDEX_BITS;
    const buf = i < this.limit ? this.held[i] : null;
    if (buf === null || buf === undefined || this.generation[i] !== gen) {
      throw new LinkViolation('returned token', token, 'a token outstanding on this link (unknown or returned twice)');
    }
    this.held[i] = null;
    this.generation[i] = (gen + 1) & 0xffff;
    this.free[this.freeTop++] = i;
    buf.release();
  }

  /** The consumer is gone: releases every outstanding buffer. Returns how many. */
  reclaimAll(): number {
    let n = 0;
    for (let i = 0; i < this.limit; i++) {
      const buf = this.held[i];
      if (buf === null || buf === undefined) continue;
      this.held[i] = null;
      this.generation[i] = (this.generation[i]! + 1) & 0xffff;
      this.free[this.freeTop++] = i;
      buf.release();
      n++;
    }
    return n;
  }
}
