import { afterEach, describe, expect, it, vi } from 'vitest';
import { Registry } from 'prom-client';
import { ParallaxError, launch, pipelineMetrics, serveMetrics, type MetricsServer, type Pipeline } from '../../src/index.js';

// Real pipelines, a real HTTP server on 127.0.0.1, scraped with fetch as Prometheus would.

const LINE = 'fakesrc num-buffers=100 sizetype=fixed sizemax=10 ! queue ! fakesink';

const servers: MetricsServer[] = [];
const pipelines: Pipeline[] = [];

afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
  await Promise.all(pipelines.splice(0).map((p) => p.dispose()));
});

function make(description: string, name?: string): Pipeline {
  const p = launch(description, name === undefined ? {} : { name });
  pipelines.push(p);
  return p;
}

async function serve(p: Pipeline, port = 0): Promise<MetricsServer> {
  const s = await serveMetrics(p, { port });
  servers.push(s);
  return s;
}

/** The sample lines of a scrape (no HELP or TYPE comments). */
function samples(text: string): string[] {
  return text.split('\n').filter((l) => l !== '' && !l.startsWith('#'));
}

describe('serveMetrics', () => {
  it('reports a finished pipeline: exact pad counters, links, copies, state', async () => {
    const p = make(LINE);
    await p.run();
    const s = await serve(p);
    expect(s.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/metrics$/);
    const res = await fetch(s.url);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe(new Registry().contentType);
    const lines = samples(await res.text());
    expect(lines).toEqual(expect.arrayContaining([
      'parallax_pad_buffers_total{pipeline="pipeline0",pad="fakesrc0:src"} 100',
      'parallax_pad_bytes_total{pipeline="pipeline0",pad="fakesrc0:src"} 1000',
      'parallax_pad_buffers_total{pipeline="pipeline0",pad="queue0:src"} 100',
      'parallax_pad_bytes_total{pipeline="pipeline0",pad="queue0:src"} 1000',
      'parallax_link_depth{pipeline="pipeline0",link="fakesrc0:src->queue0:sink"} 0',
      'parallax_link_depth{pipeline="pipeline0",link="queue0:src->fakesink0:sink"} 0',
      'parallax_link_drops_total{pipeline="pipeline0",link="queue0:src->fakesink0:sink"} 0',
      'parallax_link_wakeups_total{pipeline="pipeline0",link="queue0:src->fakesink0:sink"} 0',
      'parallax_bytes_copied_total{pipeline="pipeline0"} 0',
      'parallax_xruns_total{pipeline="pipeline0"} 0',
      'parallax_pipeline_state{pipeline="pipeline0",state="suspended"} 1',
      'parallax_pipeline_state{pipeline="pipeline0",state="running"} 0',
    ]));
    // fakesink has no src pad: no pad series, no link out of it.
    expect(lines.filter((l) => l.includes('fakesink0:src'))).toEqual([]);
    const slots = lines.find((l) => l.startsWith('parallax_pool_slots{'));
    const free = lines.find((l) => l.startsWith('parallax_pool_free_slots{'));
    expect(Number(slots?.split(' ')[1])).toBeGreaterThan(0);
    expect(free?.split(' ')[1]).toBe(slots?.split(' ')[1]); // every buffer was given back
  });

  it('reports the current state while running', async () => {
    const p = make('fakesrc is-live=true datarate=64000 sizetype=fixed sizemax=64 ! queue ! fakesink');
    const s = await serve(p);
    await p.prepare();
    expect(samples(await (await fetch(s.url)).text())).toContain('parallax_pipeline_state{pipeline="pipeline0",state="idle"} 1');
    await p.activate();
    await new Promise((r) => setTimeout(r, 50));
    const lines = samples(await (await fetch(s.url)).text());
    expect(lines).toContain('parallax_pipeline_state{pipeline="pipeline0",state="running"} 1');
    expect(lines).toContain('parallax_pipeline_state{pipeline="pipeline0",state="idle"} 0');
    const sent = lines.find((l) => l.startsWith('parallax_pad_buffers_total{pipeline="pipeline0",pad="fakesrc0:src"}'));
    expect(Number(sent?.split(' ')[1])).toBeGreaterThan(0);
    await p.suspend();
  });

  it('answers 404 off /metrics', async () => {
    const s = await serve(make(LINE));
    const base = s.url.replace(/\/metrics$/, '');
    for (const path of ['/', '/metricsx', '/metrics/x', '/favicon.ico']) {
      expect((await fetch(base + path)).status).toBe(404);
    }
    expect((await fetch(`${s.url}?x=1`)).status).toBe(200);
  });

  it('names the port when it is in use', async () => {
    const first = await serve(make(LINE));
    const port = Number(new URL(first.url).port);
    const err = await serveMetrics(make(LINE, 'other'), { port }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ParallaxError);
    expect((err as ParallaxError).code).toBe('METRICS_ERROR');
    expect((err as ParallaxError).message).toBe(`cannot serve metrics on 127.0.0.1:${port}: port ${port} is already in use on 127.0.0.1; pick another port, or 0 for a free one`);
  });

  it('rejects a port out of range', async () => {
    for (const port of [-1, 65536, 1.5, Number.NaN]) {
      await expect(serveMetrics(make(LINE), { port })).rejects.toMatchObject({ code: 'METRICS_ERROR' });
    }
  });

  it('stops listening on close()', async () => {
    const s = await serveMetrics(make(LINE), { port: 0 });
    await fetch(s.url); // leaves a keep-alive connection open, which close() must not wait for
    await s.close();
    await expect(fetch(s.url)).rejects.toThrow();
  });
});

describe('pipelineMetrics', () => {
  it('reads one stats() snapshot per scrape', async () => {
    const p = make(LINE);
    const stats = vi.spyOn(p, 'stats');
    const registry = pipelineMetrics(p);
    await registry.metrics();
    expect(stats).toHaveBeenCalledTimes(1);
    await registry.getMetricsAsJSON();
    expect(stats).toHaveBeenCalledTimes(2);
  });

  it('follows links that appear and disappear between scrapes', async () => {
    const p = make(LINE);
    await p.run();
    const registry = pipelineMetrics(p);
    const real = p.stats();
    // A ring bridge between threads adds a link of the same shape; then it goes away.
    const ring = 'queue0:src->ring0:sink';
    vi.spyOn(p, 'stats')
      .mockReturnValueOnce({ ...real, links: { ...real.links, [ring]: { depth: 7, drops: 2, wakeups: 5 } } })
      .mockReturnValueOnce(real);
    const withRing = samples(await registry.metrics());
    expect(withRing).toEqual(expect.arrayContaining([
      `parallax_link_depth{pipeline="pipeline0",link="${ring}"} 7`,
      `parallax_link_drops_total{pipeline="pipeline0",link="${ring}"} 2`,
      `parallax_link_wakeups_total{pipeline="pipeline0",link="${ring}"} 5`,
    ]));
    const without = samples(await registry.metrics());
    expect(without.filter((l) => l.includes('ring0'))).toEqual([]);
    expect(without).toContain('parallax_link_depth{pipeline="pipeline0",link="queue0:src->fakesink0:sink"} 0');
  });

  it('reports several pipelines in one registry by name, and refuses two of one name', async () => {
    const a = make(LINE, 'a');
    const b = make('fakesrc num-buffers=3 sizetype=fixed sizemax=4 ! fakesink', 'b');
    await Promise.all([a.run(), b.run()]);
    const registry = pipelineMetrics(b, pipelineMetrics(a));
    expect(pipelineMetrics(a, registry)).toBe(registry); // the same pipeline again is a no-op
    const lines = samples(await registry.metrics());
    expect(lines).toContain('parallax_pad_buffers_total{pipeline="a",pad="fakesrc0:src"} 100');
    expect(lines).toContain('parallax_pad_bytes_total{pipeline="b",pad="fakesrc0:src"} 12');
    expect(() => pipelineMetrics(make(LINE, 'a'), registry)).toThrow(/already reports a pipeline named a/);
  });
});
