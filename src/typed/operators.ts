import { ItemError } from './item-error.js';
import { specialize } from './specialize.js';

export { ItemError };

/**
 * The per-batch work of the one-input typed stages. An operator sees whole batches and returns the
 * values to pass on, so a chain of stages costs one array pass each, with no per-item promise or
 * buffer. Operators hold their own state (counts, a partial batch); `reset` starts a new run.
 * A user function that throws is reported by the stage with the item's index.
 */
export interface BatchOperator {
  /** Values to pass on for `input` (possibly `input` itself, possibly empty). */
  process(input: readonly unknown[]): readonly unknown[];
  /** At EOS: values still held. */
  flush?(): readonly unknown[];
  /** True once no more input can change the output (take): the stage ends the stream. */
  readonly finished: boolean;
  reset(): void;
}


export function mapOperator<T, U>(fn: (value: T, index: number) => U): BatchOperator {
  let seen = 0;
  const loop = specialize<(input: readonly unknown[], seen: number) => unknown[]>('mapBatch', `
    const out = new Array(input.length);
    let i = 0;
    try {
      for (; i < input.length; i++) out[i] = fn(input[i], seen + i);
    } catch (e) {
      throw new ItemError(seen + i, e);
    }
    return out;`, fn);
  return {
    finished: false,
    process(input) {
      const out = loop(input, seen);
      seen += input.length;
      return out;
    },
    reset() { seen = 0; },
  };
}

export function filterOperator<T>(fn: (value: T, index: number) => boolean): BatchOperator {
  let seen = 0;
  const loop = specialize<(input: readonly unknown[], seen: number) => readonly unknown[]>('filterBatch', `
    const out = [];
    let i = 0;
    try {
      for (; i < input.length; i++) if (fn(input[i], seen + i)) out.push(input[i]);
    } catch (e) {
      throw new ItemError(seen + i, e);
    }
    return out.length === input.length ? input : out;`, fn);
  return {
    finished: false,
    process(input) {
      const out = loop(input, seen);
      seen += input.length;
      return out;
    },
    reset() { seen = 0; },
  };
}

export function tapOperator<T>(fn: (value: T, index: number) => void): BatchOperator {
  let seen = 0;
  const loop = specialize<(input: readonly unknown[], seen: number) => void>('tapBatch', `
    let i = 0;
    try {
      for (; i < input.length; i++) fn(input[i], seen + i);
    } catch (e) {
      throw new ItemError(seen + i, e);
    }`, fn);
  return {
    finished: false,
    process(input) {
      loop(input, seen);
      seen += input.length;
      return input;
    },
    reset() { seen = 0; },
  };
}

/** The first `n` items, then the stream ends (upstream is told with EOS). */
export function takeOperator(n: number): BatchOperator {
  let left = n;
  return {
    get finished() { return left === 0; },
    process(input) {
      if (input.length <= left) {
        left -= input.length;
        return input;
      }
      const out = input.slice(0, left);
      left = 0;
      return out;
    },
    reset() { left = n; },
  };
}

/** Everything after the first `n` items. */
export function skipOperator(n: number): BatchOperator {
  let left = n;
  return {
    finished: false,
    process(input) {
      if (left === 0) return input;
      if (input.length <= left) {
        left -= input.length;
        return [];
      }
      const out = input.slice(left);
      left = 0;
      return out;
    },
    reset() { left = n; },
  };
}

/** Groups of `n` items (arrays); the last group may be shorter. */
export function batchOperator(n: number): BatchOperator {
  let group: unknown[] = [];
  return {
    finished: false,
    process(input) {
      const out: unknown[][] = [];
      for (let i = 0; i < input.length; i++) {
        group.push(input[i]);
        if (group.length === n) {
          out.push(group);
          group = [];
        }
      }
      return out;
    },
    flush() {
      if (group.length === 0) return [];
      const last = group;
      group = [];
      return [last];
    },
    reset() { group = []; },
  };
}
