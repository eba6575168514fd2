import process from 'node:process';
import type { Pipeline } from '../exec/pipeline.js';
import { serveMetrics } from '../metrics/serve.js';

/**
 * `parallax-launch --metrics-port PORT`: serves the pipeline's metrics and prints where on stderr,
 * so stdout stays the pipeline's output (and the port is known when PORT is 0).
 * Returns the close function. Rejects with METRICS_ERROR when the port cannot be bound.
 */
export async function startCliMetrics(pipeline: Pipeline, port: number): Promise<() => Promise<void>> {
  const metrics = await serveMetrics(pipeline, { port });
  // The listening socket alone must not keep the process up: a pipeline that stalls is reported
  // when the event loop empties ('beforeExit' in launch.ts), server or not.
  metrics.server.unref();
  process.stderr.write(`metrics: ${metrics.url}\n`);
  return () => metrics.close();
}
