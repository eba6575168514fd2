import { test, expect } from 'vitest';
import { Pipeline } from '../../src/exec/pipeline.js';
import { linkPads } from '../../src/graph/link.js';
import { FakeSrc } from '../../src/elements/testing/fakesrc.js';
import { FakeSink } from '../../src/elements/testing/fakesink.js';
import { Queue } from '../../src/elements/flow/queue.js';

test('perf', async () => {
  for (const withQueue of [false, true]) {
    const p = new Pipeline();
    const src = new FakeSrc('src'); src.set('num-buffers', 2000000); src.set('sizetype', 'fixed'); src.set('sizemax', 64);
    const sink = new FakeSink('sink');
    if (withQueue) {
      const q = new Queue('q');
      p.add(src, q, sink); linkPads(src.pad('src')!, q.pad('sink')!); linkPads(q.pad('src')!, sink.pad('sink')!);
    } else { p.add(src, sink); linkPads(src.pad('src')!, sink.pad('sink')!); }
    const t0 = performance.now();
    await p.run();
    const dt = performance.now() - t0;
    console.log(withQueue ? 'queue' : 'direct', (dt * 1000 / 2e6).toFixed(3), 'us/buf', sink.rendered, JSON.stringify(p.stats().pools));
    expect(sink.rendered).toBe(2000000);
  }
}, 60000);
