import { Counter, Gauge, Registry } from 'prom-client';
import { ParallaxError } from '../errors.js';
import type { Pipeline, PipelineStats } from '../exec/pipeline.js';
import type { PipelineState } from '../element/message.js';
import { scrapeSnapshot } from './scrape-snapshot.js';

/**
 * Prometheus metrics of pipelines, read from `pipeline.stats()` when scraped:
 *
 * ```ts
 * const registry = pipelineMetrics(launch('fakesrc ! queue ! fakesink'));
 * const text = await registry.metrics();   // parallax_pad_buffers_total{pipeline="pipeline0",pad="fakesrc0:src"} 100
 * ```
 *
 * Nothing is counted twice and nothing runs between scrapes: every metric is filled by its
 * `collect()` callback from one `stats()` snapshot per pipeline per scrape (see scrape-snapshot.ts).
 * Each collect resets its metric first, so pads and links that appear (a sometimes pad, a ring
 * bridge between threads) or disappear between scrapes appear or disappear in the output too.
 *
 * Why counters and not gauges for the engine's counters: prom-client's Counter allows `reset()`
 * and `inc(value)` in collect, which exposes the engine's own running total unchanged with
 * `# TYPE counter`, so `rate()` works and the names keep the `_total` suffix Prometheus expects.
 * Pad counters never go down; were one to (a pipeline rebuilt under the same name), Prometheus
 * reads the drop as a counter reset, which is what it would be.
 */

/** Every state, so the state gauge reports 0 for the others; a new PipelineState fails to compile here. */
const STATES: Readonly<Record<PipelineState, null>> = { suspended: null, idle: null, running: null, error: null };

/** One labelled value of a metric, from one pipeline's stats. */
type Sample = readonly [labels: Readonly<Record<string, string>>, value: number];

interface MetricSpec {
  readonly name: string;
  readonly help: string;
  readonly type: 'counter' | 'gauge';
  /** Labels besides `pipeline`. */
  readonly labels: readonly string[];
  readonly samples: (s: PipelineStats) => Iterable<Sample>;
}

const METRICS: readonly MetricSpec[] = [
  {
    name: 'parallax_pad_buffers_total', help: 'Buffers pushed out of a src pad.', type: 'counter', labels: ['pad'],
    samples: (s) => Object.entries(s.pads).map(([pad, v]) => [{ pad }, v.buffers]),
  },
  {
    name: 'parallax_pad_bytes_total', help: 'Payload bytes pushed out of a src pad.', type: 'counter', labels: ['pad'],
    samples: (s) => Object.entries(s.pads).map(([pad, v]) => [{ pad }, v.bytes]),
  },
  {
    name: 'parallax_link_depth', help: 'Items waiting on a link now (a queue level, a ring fill; 0 for a direct call).', type: 'gauge', labels: ['link'],
    samples: (s) => Object.entries(s.links).map(([link, v]) => [{ link }, v.depth]),
  },
  {
    name: 'parallax_link_drops_total', help: 'Buffers a leaky link dropped.', type: 'counter', labels: ['link'],
    samples: (s) => Object.entries(s.links).map(([link, v]) => [{ link }, v.drops]),
  },
  {
    name: 'parallax_link_wakeups_total', help: 'Times a link woke a sleeping side (ring bridges between threads).', type: 'counter', labels: ['link'],
    samples: (s) => Object.entries(s.links).map(([link, v]) => [{ link }, v.wakeups]),
  },
  {
    name: 'parallax_bytes_copied_total', help: 'Payload bytes the engine copied since the pipeline was made (0 when zero-copy holds).', type: 'counter', labels: [],
    samples: (s) => [[{}, s.bytesCopied]],
  },
  {
    name: 'parallax_xruns_total', help: "Cycle deadline misses of the pipeline's driver.", type: 'counter', labels: [],
    samples: (s) => [[{}, s.xruns]],
  },
  {
    name: 'parallax_pool_slots', help: "Buffer slots in the pipeline's pools.", type: 'gauge', labels: [],
    samples: (s) => [[{}, s.pools.slots]],
  },
  {
    name: 'parallax_pool_free_slots', help: "Buffer slots free in the pipeline's pools.", type: 'gauge', labels: [],
    samples: (s) => [[{}, s.pools.freeSlots]],
  },
  {
    name: 'parallax_pipeline_state', help: 'The pipeline state: 1 for the current one, 0 for the others.', type: 'gauge', labels: ['state'],
    samples: (s) => Object.keys(STATES).map((state) => [{ state }, state === s.state ? 1 : 0]),
  },
];

/** The pipelines each registry reports on, by name: one set of collectors per registry. */
const reported = new WeakMap<Registry, Map<string, Pipeline>>();

/**
 * Registers Parallax's metrics for `pipeline` in `registry` (a new one by default) and returns the
 * registry. Several pipelines may share one registry: each gets its own `pipeline` label value,
 * so their names must differ. The registry keeps the pipeline for as long as it lives.
 *
 * Event loop only: the collectors call `pipeline.stats()`.
 */
export function pipelineMetrics(pipeline: Pipeline, registry: Registry = new Registry()): Registry {
  let pipelines = reported.get(registry);
  if (pipelines === undefined) {
    pipelines = new Map();
    reported.set(registry, pipelines);
    register(registry, pipelines);
  }
  const known = pipelines.get(pipeline.name);
  if (known !== undefined && known !== pipeline) {
    throw new ParallaxError('METRICS_ERROR', `this registry already reports a pipeline named ${pipeline.name}; give each pipeline its own name (launch(…, { name }))`);
  }
  pipelines.set(pipeline.name, pipeline);
  return registry;
}

function register(registry: Registry, pipelines: ReadonlyMap<string, Pipeline>): void {
  const snapshot = scrapeSnapshot(pipelines);
  for (const spec of METRICS) {
    const labelNames = ['pipeline', ...spec.labels];
    const fill = (put: (labels: Record<string, string>, value: number) => void): void => {
      for (const [pipeline, stats] of snapshot()) {
        for (const [labels, value] of spec.samples(stats)) put({ pipeline, ...labels }, value);
      }
    };
    if (spec.type === 'counter') {
      new Counter({
        name: spec.name, help: spec.help, labelNames, registers: [registry],
        collect(this: Counter) {
          this.reset();
          fill((labels, value) => this.inc(labels, value));
        },
      });
    } else {
      new Gauge({
        name: spec.name, help: spec.help, labelNames, registers: [registry],
        collect(this: Gauge) {
          this.reset();
          fill((labels, value) => this.set(labels, value));
        },
      });
    }
  }
}
