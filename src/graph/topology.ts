import type { Element } from '../element/element.js';

/** Elements in link order, sources first (Kahn's algorithm). Pipelines are acyclic. */
export function topologicalOrder(elements: readonly Element[]): Element[] {
  const indegree = new Map<Element, number>();
  for (const el of elements) indegree.set(el, el.sinkPads.filter((p) => p.peer !== null).length);
  const ready = elements.filter((el) => indegree.get(el) === 0);
  const order: Element[] = [];
  while (ready.length > 0) {
    const el = ready.shift()!;
    order.push(el);
    for (const pad of el.srcPads) {
      const next = pad.peer?.element;
      if (next === undefined) continue;
      const d = indegree.get(next)! - 1;
      indegree.set(next, d);
      if (d === 0) ready.push(next);
    }
  }
  if (order.length !== elements.length) {
    const stuck = elements.filter((el) => !order.includes(el)).map((el) => el.name);
    throw new Error(`the pipeline has a cycle through ${stuck.join(', ')}`);
  }
  return order;
}
