import { FlowResult } from '../../element/flow.js';
import type { ElementMetadata } from '../../element/metadata.js';
import { PAIR_PAD_TEMPLATES, PairElement, type Side } from './pair-element.js';

/** Items one side may hold while the other has none to pair them with, before it waits. */
const MAX_AHEAD = 4096;

/**
 * Filter/Typed. Pairs the n-th value of `a` with the n-th value of `b` (`flow.zip(other)`). The
 * output ends when either side has ended and has nothing left to pair. A side that runs more than
 * 4096 items ahead waits for the other (its task is blocked), so zipping a fast source with a slow
 * one holds a bounded number of items.
 *
 * Not in the registry; event loop.
 */
export class ValueZip extends PairElement {
  static readonly metadata: ElementMetadata = {
    factory: 'valuezip',
    classification: 'Filter/Typed',
    description: 'Pair the values of two typed flows in order',
    example: '',
    padTemplates: PAIR_PAD_TEMPLATES,
    properties: {},
    affinity: 'async',
    rtSafe: false,
  };

  private readonly held: [unknown[], unknown[]] = [[], []];

  /**
   * `mayWait`: a side that runs ahead waits for the other (its task is blocked). Off when both
   * inputs come from one source (a diamond): they share its task, so blocking one would stop the
   * other for ever; the side ahead is then buffered, and a warning says so once it passes 65536.
   */
  constructor(name: string, private readonly mayWait = true) {
    super(name);
  }

  private warned = false;

  protected resetState(): void {
    this.warned = false;
    this.held[0] = [];
    this.held[1] = [];
  }

  protected accept(side: Side, values: readonly unknown[]): FlowResult {
    const mine = this.held[side];
    for (let i = 0; i < values.length; i++) mine.push(values[i]);
    const [a, b] = this.held;
    const n = Math.min(a.length, b.length);
    let r: FlowResult = FlowResult.OK;
    if (n > 0) {
      const pairs = new Array<[unknown, unknown]>(n);
      for (let i = 0; i < n; i++) pairs[i] = [a[i], b[i]];
      this.held[0] = a.slice(n);
      this.held[1] = b.slice(n);
      const other = side === 0 ? 1 : 0;
      if (this.held[other].length <= MAX_AHEAD) this.release(other);
      r = this.push(pairs);
    }
    if (this.held[side].length > MAX_AHEAD && !this.complete()) {
      if (this.mayWait) this.holdBack(side);
      else if (this.held[side].length > 16 * MAX_AHEAD && !this.warned) {
        this.warned = true;
        this.warning(`input ${side === 0 ? 'a' : 'b'} is ${this.held[side].length} values ahead of the other; both come from one source, so it cannot be made to wait (values are held until the other side catches up)`);
      }
    }
    return r;
  }

  protected complete(): boolean {
    return (this.ended[0] && this.held[0].length === 0) || (this.ended[1] && this.held[1].length === 0);
  }
}
