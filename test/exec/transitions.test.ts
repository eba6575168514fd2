import { describe, expect, it } from 'vitest';
import { fileURLToPath } from 'node:url';
import { createDefaultRegistry, launch, type AppSink, type AppSrc } from '../../src/index.js';

const registry = createDefaultRegistry();

describe('transitions under pressure', () => {
  it('serializes concurrent prepare/activate/suspend: each element starts once and ends closed', async () => {
    const p = launch(`filesrc location=${fileURLToPath(import.meta.url)} ! appsink name=out wait-on-eos=false`, { registry });
    const started: string[] = [];
    const sink = p.get('out')!;
    const origStart = sink.start.bind(sink);
    sink.start = () => {
      started.push('start');
      return origStart();
    };
    await Promise.all([p.prepare(), p.activate(), p.suspend()]);
    expect(started).toEqual(['start']);
    expect(p.state).toBe('suspended');
  });

  it('posts EOS on resume when every sink finished while paused', async () => {
    const p = launch('fakesrc num-buffers=3 ! appsink name=out', { registry });
    const sink = p.get('out') as AppSink;
    const run = p.run();
    await new Promise((r) => setTimeout(r, 20));
    p.pause();
    for (let b = sink.tryPullSync(); b !== null; b = sink.tryPullSync()) b.release();
    await new Promise((r) => setTimeout(r, 10));
    await p.activate();
    await expect(run).resolves.toBeUndefined();
  });

  it('sendEos() wakes a source that waits for data (an appsrc nobody feeds)', async () => {
    const p = launch('appsrc name=in ! fakesink', { registry });
    const run = p.run();
    await new Promise((r) => setTimeout(r, 20));
    await p.sendEos();
    await expect(run).resolves.toBeUndefined();
    expect((p.get('in') as AppSrc).get('current-level-buffers')).toBe(0);
  });

  it('suspend() is prompt with several tasks queued on one sync=true sink', async () => {
    const p = launch('funnel name=f ! fakesink sync=true ts-offset=2000000000 fakesrc format=time ! f. fakesrc format=time ! f. fakesrc format=time ! f.', { registry });
    await p.activate();
    await new Promise((r) => setTimeout(r, 50));
    const t0 = performance.now();
    await p.suspend();
    expect(performance.now() - t0).toBeLessThan(500);
  });

  it('dispose() ends bus iterators', async () => {
    const p = launch('fakesrc num-buffers=2 ! fakesink', { registry });
    const types: string[] = [];
    const reading = (async () => {
      for await (const m of p.bus) types.push(m.type);
    })();
    await p.run();
    await p.dispose();
    await reading;
    expect(types).toContain('eos');
  });

  it('returns every slot after an element throws', async () => {
    const p = launch('fakesrc num-buffers=10 sizetype=fixed sizemax=64 ! identity name=id ! fakesink', { registry });
    const id = p.get('id')!;
    let n = 0;
    (id as unknown as { transformInPlace: () => number }).transformInPlace = () => {
      if (++n === 3) throw new Error('boom');
      return 0;
    };
    await expect(p.run()).rejects.toThrow('id: threw while handling a buffer on sink: boom');
    const pools = p.stats().pools;
    expect(pools.freeSlots).toBe(pools.slots);
  });

  it('names an element that throws while handling an event', async () => {
    const p = launch('fakesrc num-buffers=3 ! queue ! identity name=id ! fakesink', { registry });
    const id = p.get('id')!;
    const orig = id.sinkEvent.bind(id);
    id.sinkEvent = (pad, ev) => {
      if (ev.type === 'segment') throw new Error('bad segment');
      return orig(pad, ev);
    };
    await expect(p.run()).rejects.toThrow('id: threw while handling a segment event on sink: bad segment');
  });
});
