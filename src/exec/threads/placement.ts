import type { Element, ElementClass } from '../../element/element.js';
import type { Pad } from '../../element/pad.js';
import { moduleOf } from '../../registry/registry.js';
import type { LinkLimits, LinkPolicy } from '../../memory/spsc/thread-link.js';

/**
 * Where each element runs.
 * - `async`: everything on the event loop.
 * - `hybrid`: a part of the graph between queues goes to a data thread when every element in it
 *   may run there; in a mixed part, only the elements that ask for a thread (affinity realtime)
 *   go, with the RT-safe elements around them.
 * - `realtime`: every element that may run on a data thread does, and the graph is cut wherever
 *   a thread element meets an event-loop one.
 */
export type SchedulingMode = 'async' | 'hybrid' | 'realtime';

export const LOOP = -1;

/** A pipeline link that crosses threads, and the ring that carries it. */
export interface PlannedLink {
  /** The producing src pad (upstream of the queue when a queue is replaced). */
  readonly from: Pad;
  /** The consuming sink pad. */
  readonly to: Pad;
  readonly fromThread: number;
  readonly toThread: number;
  /** The queue this link replaces, if any: its limits and leaky mode become the link's. */
  readonly queue: Element | null;
  readonly limits: LinkLimits;
  /** Ring places, a power of two. */
  readonly capacity: number;
}

export interface Plan {
  readonly mode: SchedulingMode;
  /** Thread index per element, or LOOP. Queues replaced by links are absent. */
  readonly placement: ReadonlyMap<Element, number>;
  /** Queues that do not run: a ring link does their work. */
  readonly bridgedQueues: ReadonlySet<Element>;
  readonly links: readonly PlannedLink[];
  readonly threadCount: number;
  /** Why elements stayed on the event loop, for `-v`: "filesrc0: not RT-safe". */
  readonly notes: readonly string[];
}

export interface PlanOptions {
  readonly mode: SchedulingMode;
  readonly dataThreads: number;
  readonly bridgeCapacity: number;
}

/** Whether `el` may run on a data thread, or why not. */
export function threadEligibility(el: Element): string | null {
  const m = el.metadata;
  if (el.factory === 'queue') return 'a queue is a thread boundary';
  if (!m.rtSafe && m.dataThread !== true) return 'not RT-safe';
  if (m.affinity === 'async') return 'affinity async';
  if (moduleOf(el.constructor as ElementClass) === undefined) return 'registered without a module a thread can import';
  if (el.templates.some((t) => t.presence === 'sometimes')) return 'has sometimes pads';
  return null;
}

/** A queue's leaky mode (enum nick) as a link policy: upstream drops the newest, downstream the oldest. */
const LEAKY: Readonly<Record<string, LinkPolicy>> = { no: 'block', upstream: 'drop-newest', downstream: 'drop-oldest' };

function queueLimits(q: Element): LinkLimits {
  const policy = LEAKY[String(q.get('leaky'))] ?? 'block';
  return { maxBuffers: q.num('max-size-buffers'), maxBytes: q.num('max-size-bytes'), maxTime: q.num('max-size-time'), policy };
}

function pow2AtLeast(n: number): number {
  let c = 2;
  while (c < n) c *= 2;
  return c;
}

/** Partitions `elements` for `options.mode`. Pure: nothing is started or changed. */
export function planPlacement(elements: readonly Element[], options: PlanOptions): Plan {
  const notes: string[] = [];
  const placement = new Map<Element, number>();
  const bridgedQueues = new Set<Element>();
  if (options.mode === 'async') {
    for (const el of elements) placement.set(el, LOOP);
    return { mode: options.mode, placement, bridgedQueues, links: [], threadCount: 0, notes };
  }
  const eligible = new Map<Element, boolean>();
  for (const el of elements) {
    const why = threadEligibility(el);
    eligible.set(el, why === null);
    if (why !== null && el.factory !== 'queue') notes.push(`${el.name}: stays on the event loop (${why})`);
  }
  const isQueue = (el: Element): boolean => el.factory === 'queue';
  const neighbours = (el: Element): Element[] => el.pads.flatMap((p) => (p.peer === null ? [] : [p.peer.element]));

  // Parts: connected components after cutting at queues; then, inside each, runs of eligible elements.
  const parts = components(elements.filter((e) => !isQueue(e)), (e) => neighbours(e).filter((n) => !isQueue(n)));
  const threadParts: Element[][] = [];
  for (const part of parts) {
    const allEligible = part.every((e) => eligible.get(e));
    if (options.mode === 'hybrid' && allEligible) {
      threadParts.push(part);
      continue;
    }
    const runs = components(part.filter((e) => eligible.get(e)), (e) => neighbours(e).filter((n) => !isQueue(n) && eligible.get(n) === true));
    for (const run of runs) {
      if (options.mode === 'realtime' || run.some((e) => e.metadata.affinity === 'realtime')) threadParts.push(run);
    }
  }
  for (const el of elements) placement.set(el, LOOP);
  const threadCount = Math.min(threadParts.length, Math.max(1, options.dataThreads));
  threadParts.forEach((part, i) => {
    for (const el of part) placement.set(el, i % threadCount);
  });

  const links: PlannedLink[] = [];
  const blockDefault: LinkLimits = { maxBuffers: 0, maxBytes: 0, maxTime: 0, policy: 'block' };
  for (const q of elements.filter(isQueue)) {
    const inPad = q.pad('sink')?.peer ?? null;
    const outPad = q.pad('src')?.peer ?? null;
    if (inPad === null || outPad === null || isQueue(inPad.element) || isQueue(outPad.element)) continue;
    const a = placement.get(inPad.element)!;
    const b = placement.get(outPad.element)!;
    if (a === LOOP && b === LOOP) continue;
    bridgedQueues.add(q);
    placement.delete(q);
    const limits = queueLimits(q);
    // Leaky links get twice the room: drop-oldest keeps skipped buffers in the ring until the
    // consumer drops them, and a leaky link must not fill up and make upstream wait.
    const depth = Math.max(limits.maxBuffers > 0 ? limits.maxBuffers : options.bridgeCapacity, 16);
    links.push({ from: inPad, to: outPad, fromThread: a, toThread: b, queue: q, limits, capacity: pow2AtLeast((limits.policy === 'block' ? depth : 2 * depth) + 1) });
  }
  for (const el of elements) {
    if (bridgedQueues.has(el)) continue;
    for (const p of el.srcPads) {
      if (p.peer === null || bridgedQueues.has(p.peer.element)) continue;
      const a = placement.get(el)!;
      const b = placement.get(p.peer.element)!;
      if (a !== b) links.push({ from: p, to: p.peer, fromThread: a, toThread: b, queue: null, limits: blockDefault, capacity: pow2AtLeast(options.bridgeCapacity) });
    }
  }
  return { mode: options.mode, placement, bridgedQueues, links, threadCount: threadParts.length === 0 ? 0 : threadCount, notes };
}

/** Connected components of `nodes` under `adjacent`, each in the order its nodes were listed. */
function components<T>(nodes: readonly T[], adjacent: (n: T) => T[]): T[][] {
  const inSet = new Set(nodes);
  const seen = new Set<T>();
  const out: T[][] = [];
  for (const start of nodes) {
    if (seen.has(start)) continue;
    const comp: T[] = [];
    const stack = [start];
    seen.add(start);
    while (stack.length > 0) {
      const n = stack.pop()!;
      comp.push(n);
      for (const m of adjacent(n)) {
        if (inSet.has(m) && !seen.has(m)) {
          seen.add(m);
          stack.push(m);
        }
      }
    }
    out.push(nodes.filter((n) => comp.includes(n)));
  }
  return out;
}
