import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Registry } from 'prom-client';
import { ParallaxError } from '../errors.js';
import type { Pipeline } from '../exec/pipeline.js';
import { pipelineMetrics } from './prometheus.js';

export interface ServeMetricsOptions {
  /** TCP port; 0 picks a free one (read it from `url` or `server.address()`). */
  readonly port: number;
  /** Address to listen on. The default keeps the metrics on this machine. */
  readonly host?: string;
  /** Registry to serve, e.g. one with prom-client's default process metrics; a new one by default. */
  readonly registry?: Registry;
}

export interface MetricsServer {
  readonly server: Server;
  /** Where the metrics are: `http://127.0.0.1:PORT/metrics`, with the port actually bound. */
  readonly url: string;
  /** Stops listening and drops open connections: nothing is left to report once this resolves. */
  close(): Promise<void>;
}

/**
 * Serves `pipeline`'s metrics (see `pipelineMetrics`) over HTTP at `GET /metrics`, in the
 * registry's content type; any other path is 404. Resolves once listening. Rejects with
 * METRICS_ERROR, naming the port, when the port is taken or cannot be bound.
 *
 * ```ts
 * const metrics = await serveMetrics(pipeline, { port: 9464 });
 * await pipeline.run();
 * await metrics.close();
 * ```
 */
export async function serveMetrics(pipeline: Pipeline, options: ServeMetricsOptions): Promise<MetricsServer> {
  const { port, host = '127.0.0.1' } = options;
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new ParallaxError('METRICS_ERROR', `metrics port must be an integer from 0 to 65535 (0 picks a free one), got ${port}`);
  }
  const registry = pipelineMetrics(pipeline, options.registry);
  const server = createServer((req, res) => respond(registry, req, res));
  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, host, () => {
        server.off('error', reject);
        resolve();
      });
    });
  } catch (e) {
    throw listenError(e, host, port);
  }
  const address = server.address();
  const bound = typeof address === 'object' && address !== null ? address.port : port;
  const url = `http://${host.includes(':') ? `[${host}]` : host}:${bound}/metrics`;
  return {
    server,
    url,
    close: () => new Promise<void>((resolve, reject) => {
      server.close((e) => (e === undefined ? resolve() : reject(e)));
      // close() drops idle keep-alive connections itself, but one mid-request (a slow or stuck
      // scraper) would hold it open; once the caller closes, there is nothing left worth serving.
      server.closeAllConnections();
    }),
  };
}

function respond(registry: Registry, req: IncomingMessage, res: ServerResponse): void {
  const path = (req.url ?? '/').split('?')[0];
  if (path !== '/metrics') {
    res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' }).end('not found: metrics are at /metrics\n');
    return;
  }
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    res.writeHead(405, { 'content-type': 'text/plain; charset=utf-8', allow: 'GET, HEAD' }).end('method not allowed\n');
    return;
  }
  registry.metrics().then(
    (text) => res.writeHead(200, { 'content-type': registry.contentType }).end(text),
    (e: unknown) => res.writeHead(500, { 'content-type': 'text/plain; charset=utf-8' }).end(`metrics failed: ${String(e)}\n`),
  );
}

/** The listen failure as a METRICS_ERROR that names the port, and says why in words. */
function listenError(e: unknown, host: string, port: number): ParallaxError {
  const code = (e as NodeJS.ErrnoException | undefined)?.code;
  const why = code === 'EADDRINUSE' ? `port ${port} is already in use on ${host}; pick another port, or 0 for a free one`
    : code === 'EACCES' ? `no permission to listen on port ${port} (ports below 1024 need privileges)`
    : code === 'EADDRNOTAVAIL' || code === 'ENOTFOUND' ? `${host} is not an address of this machine`
    : e instanceof Error ? e.message : String(e);
  return new ParallaxError('METRICS_ERROR', `cannot serve metrics on ${host}:${port}: ${why}`, { cause: e });
}
