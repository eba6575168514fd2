import { describe, expect, it } from 'vitest';
import { Harness, Pipeline, createDefaultRegistry, type AppSink } from '../../src/index.js';

const reg = createDefaultRegistry();

describe('building pipelines in code', () => {
  it('chain() adds and links in order, and the result runs to EOS', async () => {
    const src = reg.make('fakesrc', 'src');
    src.set('num-buffers', 5);
    const sink = reg.make('appsink', 'out') as AppSink;
    const p = new Pipeline().chain(src, reg.make('queue', 'q'), reg.make('identity', 'id'), sink);
    expect(p.elements.map((e) => e.name)).toEqual(['src', 'q', 'id', 'out']);
    const run = p.run();
    let n = 0;
    for await (const b of sink) {
      n++;
      b.release();
    }
    await run;
    expect(n).toBe(5);
  });

  it('link() takes pad names and makes request pads', () => {
    const t = reg.make('tee', 't');
    const a = reg.make('fakesink', 'a');
    const b = reg.make('fakesink', 'b');
    const p = new Pipeline().add(t, a, b).link(t, a, { src: 'src_5' }).link(t, b);
    expect(t.srcPads.map((s) => `${s.name}->${s.peer?.fullName}`)).toEqual(['src_5->a:sink', 'src_0->b:sink']);
    expect(() => p.link(a, b)).toThrow('a (fakesink) is a sink: it has no src pads');
  });

  it('link() refuses elements that were not added', () => {
    const p = new Pipeline();
    const a = reg.make('fakesrc', 'x');
    const b = reg.make('fakesink', 'y');
    p.add(a);
    expect(() => p.link(a, b)).toThrow('cannot link x to y: y is not in pipeline0; add() it first');
  });

  it('the harness can change caps mid-stream', async () => {
    const h = new Harness(reg.make('identity'), { caps: 'audio/x-raw, rate=(int)8000' });
    await h.start();
    expect(h.setCaps('audio/x-raw, rate=(int)16000')).toBe(true);
    expect(h.outputCaps?.toString()).toBe('audio/x-raw, rate=(int)16000');
    await h.stop();
  });
});
