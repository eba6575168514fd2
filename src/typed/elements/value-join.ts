import { FlowResult } from '../../element/flow.js';
import type { ElementMetadata } from '../../element/metadata.js';
import { PAIR_PAD_TEMPLATES, PairElement, type Side } from './pair-element.js';

/** How a join matches: the window and, optionally, each side's time and a predicate. */
export interface JoinOptions<A, B> {
  /** Values whose times differ by at most this many milliseconds are paired. */
  readonly within: number;
  /** A value's time in milliseconds; by default, when it reached the join (pipeline clock). */
  readonly timeOf?: (value: A) => number;
  readonly otherTimeOf?: (value: B) => number;
  /** Pairs only values for which this holds (a key match, for example). */
  readonly on?: (a: A, b: B) => boolean;
  /**
   * Values a side may hold while it is ahead of the other in time (default 16384). Past it, the
   * side waits; when both sides come from one source (a diamond), waiting would stall both, so
   * the join fails instead, naming this option.
   */
  readonly maxHeld?: number;
}

interface Timed {
  readonly t: number;
  readonly v: unknown;
}

/** Values one side may hold while it is ahead of the other in time, before it waits (`maxHeld`'s default). */
export const MAX_HELD = 16384;

const otherSide = (side: Side): Side => (side === 0 ? 1 : 0);

/**
 * Filter/Typed. A windowed join (`flow.join(other, { within })`): every value of `a` is paired
 * with every value of `b` whose time is within `within` ms of its own (and for which `on` holds),
 * as `[a, b]`, in the order the later of the two arrived. Each side's times are expected not to
 * go backwards. A side's window holds its values that a later value of the other side may still
 * match, and nothing else, so what is held stays bounded:
 *
 * - a value older than the other side's newest time minus the window is forgotten (or never held);
 * - with arrival times (no `timeOf`/`otherTimeOf`) both sides share the pipeline clock, so each
 *   window also drops what is older than now minus the window, even while the other side is quiet;
 * - when one side ends, the other's window is cleared and its later values are not held (nothing
 *   can match them), and the output ends as soon as the ended side's window is empty;
 * - a side that is ahead of the other in time and holds more than `maxHeld` values (16384) waits
 *   (its task is blocked) until the other side catches up or ends. When both inputs come from one
 *   source (a diamond) it cannot wait, and dropping values would lose matches without a trace: the
 *   join fails with an error naming `maxHeld`, to be raised (or the window narrowed).
 *
 * Not in the registry; event loop.
 */
export class ValueJoin<A, B> extends PairElement {
  static readonly metadata: ElementMetadata = {
    factory: 'valuejoin',
    classification: 'Filter/Typed',
    description: 'Pair the values of two typed flows that fall within a time window',
    example: '',
    padTemplates: PAIR_PAD_TEMPLATES,
    properties: {},
    affinity: 'async',
    rtSafe: false,
  };

  private readonly windows: [Timed[], Timed[]] = [[], []];
  /** Each side's newest time (-Infinity before its first value). */
  private readonly newest: [number, number] = [-Infinity, -Infinity];
  /** Both sides' times are their arrival on the pipeline clock. */
  private readonly byArrival: boolean;
  private readonly maxHeld: number;

  /** `mayWait`: off when both inputs come from one source (see ValueZip). */
  constructor(name: string, private readonly options: JoinOptions<A, B>, private readonly mayWait = true) {
    super(name);
    if (!(options.within >= 0)) throw new RangeError(`${name}: join window must be a number of milliseconds >= 0, got ${String(options.within)}`);
    this.byArrival = options.timeOf === undefined && options.otherTimeOf === undefined;
    this.maxHeld = options.maxHeld ?? MAX_HELD;
    if (!((Number.isInteger(this.maxHeld) && this.maxHeld >= 1) || this.maxHeld === Infinity)) {
      throw new RangeError(`${name}: join maxHeld must be a whole number of values >= 1 (or Infinity), got ${String(options.maxHeld)}`);
    }
  }

  /** How many values each side holds now (`a`, `b`). */
  get held(): readonly [number, number] {
    return [this.windows[0].length, this.windows[1].length];
  }

  protected resetState(): void {
    this.windows[0] = [];
    this.windows[1] = [];
    this.newest[0] = this.newest[1] = -Infinity;
  }

  protected override sideEnded(side: Side): void {
    // The other side's values wait for values of this one: none will come.
    this.windows[otherSide(side)] = [];
  }

  protected accept(side: Side, values: readonly unknown[]): FlowResult {
    const { within, on } = this.options;
    const o = otherSide(side);
    const other = this.windows[o];
    const mine = this.windows[side];
    // The other side has ended: nothing will come that could match these values later.
    const hold = !this.ended[o];
    const timeOf = (side === 0 ? this.options.timeOf : this.options.otherTimeOf) as ((v: unknown) => number) | undefined;
    const arrival = this.context.clock.now() / 1e6;
    const pairs: [unknown, unknown][] = [];
    for (const v of values) {
      const t = timeOf === undefined ? arrival : timeOf(v);
      if (t > this.newest[side]) this.newest[side] = t;
      dropOlder(other, t - within);
      for (const x of other) {
        if (Math.abs(x.t - t) > within) continue;
        const [a, b] = side === 0 ? [v, x.v] : [x.v, v];
        if (on === undefined || on(a as A, b as B)) pairs.push([a, b]);
      }
      // Older than the other side's newest minus the window: no later value of it can match.
      if (hold && t >= this.newest[o] - within) mine.push({ t, v });
    }
    // Arrival times: what either side sends later arrives after now.
    if (this.byArrival) dropOlder(mine, arrival - within);
    // The other side may be waiting for this one to catch up.
    if (other.length <= this.maxHeld || this.newest[side] >= this.newest[o]) this.release(o);
    if (mine.length > this.maxHeld && this.newest[side] > this.newest[o] && !this.byArrival && hold) {
      // Ahead of the other side and holding more than maxHeld: wait, or (a diamond) fail.
      if (!this.mayWait) {
        const [me, it] = side === 0 ? ['a', 'b'] : ['b', 'a'];
        return this.error(`input ${me} holds more than ${this.maxHeld} values that input ${it} may still match, and both come from one source, so it cannot wait for it; raise the join's maxHeld or narrow its window (within: ${within})`);
      }
      this.holdBack(side);
    }
    return this.push(pairs);
  }

  protected complete(): boolean {
    // Both ended, or one ended holding nothing: no later value of the other can match.
    const [a, b] = this.ended;
    return (a && b) || (a && this.windows[0].length === 0) || (b && this.windows[1].length === 0);
  }
}

/** Drops the values at the front of `w` (oldest first) older than `t`. */
function dropOlder(w: Timed[], t: number): void {
  let n = 0;
  while (n < w.length && w[n]!.t < t) n++;
  if (n > 0) w.splice(0, n);
}
