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
}

interface Timed {
  readonly t: number;
  readonly v: unknown;
}

/**
 * Filter/Typed. A windowed join (`flow.join(other, { within })`): every value of `a` is paired
 * with every value of `b` whose time is within `within` ms of its own (and for which `on` holds),
 * as `[a, b]`, in the order the later of the two arrived. Each side's times are expected not to
 * go backwards: a value older than the other side's newest time minus the window is forgotten,
 * which keeps the held state to one window per side. The output ends when both sides have ended.
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

  constructor(name: string, private readonly options: JoinOptions<A, B>) {
    super(name);
    if (!(options.within >= 0)) throw new RangeError(`${name}: join window must be a number of milliseconds >= 0, got ${String(options.within)}`);
  }

  protected resetState(): void {
    this.windows[0] = [];
    this.windows[1] = [];
  }

  protected accept(side: Side, values: readonly unknown[]): FlowResult {
    const { within, on } = this.options;
    const other = this.windows[side === 0 ? 1 : 0];
    const mine = this.windows[side];
    const timeOf = (side === 0 ? this.options.timeOf : this.options.otherTimeOf) as ((v: unknown) => number) | undefined;
    const arrival = this.context.clock.now() / 1e6;
    const pairs: [unknown, unknown][] = [];
    for (const v of values) {
      const t = timeOf === undefined ? arrival : timeOf(v);
      let keep = 0;
      while (keep < other.length && other[keep]!.t < t - within) keep++;
      if (keep > 0) other.splice(0, keep);
      for (const o of other) {
        if (Math.abs(o.t - t) > within) continue;
        const [a, b] = side === 0 ? [v, o.v] : [o.v, v];
        if (on === undefined || on(a as A, b as B)) pairs.push([a, b]);
      }
      mine.push({ t, v });
    }
    return this.push(pairs);
  }

  protected complete(): boolean {
    return this.ended[0] && this.ended[1];
  }
}
