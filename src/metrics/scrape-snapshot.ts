import type { Pipeline, PipelineStats } from '../exec/pipeline.js';

/**
 * One `stats()` snapshot per pipeline per scrape, shared by every metric of that scrape.
 *
 * prom-client calls each metric's `collect()` on its own, so without this each metric would read
 * its own `stats()` and one scrape could mix moments (a pad's bytes from before a buffer, its
 * buffers from after). `registry.metrics()` and `getMetricsAsJSON()` call every metric's `get()`,
 * and so its `collect()`, in one synchronous loop before awaiting any of them. So the first collect
 * of a scrape takes the snapshot, and a microtask, which runs only after that loop, drops it: the
 * next scrape reads fresh stats.
 *
 * Event loop only.
 */
export function scrapeSnapshot(pipelines: ReadonlyMap<string, Pipeline>): () => ReadonlyMap<string, PipelineStats> {
  let current: Map<string, PipelineStats> | null = null;
  return () => {
    if (current === null) {
      const taken = new Map<string, PipelineStats>();
      for (const [name, p] of pipelines) taken.set(name, p.stats());
      current = taken;
      queueMicrotask(() => (current = null));
    }
    return current;
  };
}
