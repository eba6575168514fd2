import type { Element } from '../element/element.js';
import { topologicalOrder } from './topology.js';

export interface Latency {
  /** Nanoseconds that data always takes from a source to a sink, on the slowest path. */
  readonly min: number;
  /** Nanoseconds of buffering on that path: how far behind a sink may fall before data is lost or blocks. */
  readonly max: number;
}

/**
 * The latency query: each element's own latency summed along every source-to-sink path; the
 * pipeline's latency is the largest sum (sinks must wait that long to render in sync).
 */
export function queryLatency(elements: readonly Element[]): Latency {
  const upTo = new Map<Element, Latency>();
  let result: Latency = { min: 0, max: 0 };
  for (const el of topologicalOrder(elements)) {
    let inMin = 0;
    let inMax = 0;
    for (const pad of el.sinkPads) {
      const before = pad.peer ? upTo.get(pad.peer.element) : undefined;
      if (before) {
        inMin = Math.max(inMin, before.min);
        inMax = Math.max(inMax, before.max);
      }
    }
    const own = el.latency();
    const here = { min: inMin + own.min, max: inMax + Math.max(own.max, own.min) };
    upTo.set(el, here);
    if (!el.templates.some((t) => t.direction === 'src')) {
      result = { min: Math.max(result.min, here.min), max: Math.max(result.max, here.max) };
    }
  }
  return result;
}
