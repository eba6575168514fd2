import { describe, expect, it } from 'vitest';
import { Caps, parseCaps } from '../../src/element/caps/index.js';
import { Events } from '../../src/element/event.js';
import { FlowResult } from '../../src/element/flow.js';
import { CapsFilter } from '../../src/elements/flow/capsfilter.js';
import { FakeSink } from '../../src/elements/testing/fakesink.js';
import { FakeSrc } from '../../src/elements/testing/fakesrc.js';
import { Pipeline } from '../../src/exec/pipeline.js';
import { buildLaunch } from '../../src/graph/build.js';
import { linkPads } from '../../src/graph/link.js';
import { Harness } from '../../src/harness/harness.js';
import { createDefaultRegistry } from '../../src/registry/builtins.js';

function capsfilter(caps?: string): CapsFilter {
  const f = new CapsFilter('capsfilter0');
  if (caps !== undefined) f.set('caps', caps);
  return f;
}

describe('capsfilter', () => {
  it('has GStreamer metadata and defaults', () => {
    expect(CapsFilter.metadata.factory).toBe('capsfilter');
    expect(CapsFilter.metadata.classification).toBe('Generic');
    expect((capsfilter().get('caps') as Caps).isAny()).toBe(true);
  });

  it.each([
    // filter, caps from one side → caps allowed on the other (both directions)
    ['ANY', 'audio/x-raw, rate=(int)48000', 'audio/x-raw, rate=(int)48000'],
    ['audio/x-raw', 'ANY', 'audio/x-raw'],
    ['audio/x-raw, rate=(int)48000', 'audio/x-raw, rate=(int)[ 8000, 96000 ], channels=(int)2', 'audio/x-raw, rate=(int)48000, channels=(int)2'],
    ['audio/x-raw, rate=(int)48000', 'video/x-raw', 'EMPTY'],
  ] as const)('filter %s: %s → %s', (filter, input, out) => {
    const f = capsfilter(filter);
    for (const pad of [f.pad('sink')!, f.pad('src')!]) {
      expect(f.transformCaps(pad, parseCaps(input)).toString()).toBe(out);
    }
  });

  it('passes buffers through untouched and fixes the output caps', async () => {
    const h = await new Harness(capsfilter('text/plain'), { caps: 'text/plain, charset=(string)utf-8' }).start();
    expect(h.push('hello')).toBe(FlowResult.OK);
    expect(h.pullAllText()).toEqual(['hello']);
    expect(h.outputCaps?.toString()).toBe('text/plain, charset=(string)utf-8');
  });

  it('refuses a caps event that does not meet the filter', async () => {
    const h = await new Harness(capsfilter('text/plain')).start();
    expect(h.pushEvent(Events.caps(parseCaps('text/plain')))).toBe(true);
    expect(h.pushEvent(Events.caps(parseCaps('video/x-raw')))).toBe(false);
  });

  it('restricts what a pipeline negotiates', async () => {
    const p = new Pipeline();
    const src = new FakeSrc('fakesrc0');
    src.set('num-buffers', 3);
    const f = capsfilter('application/x-test, n=(int){ 1, 2 }');
    const sink = new FakeSink('fakesink0');
    p.add(src, f, sink);
    linkPads(src.pad('src')!, f.pad('sink')!);
    linkPads(f.pad('src')!, sink.pad('sink')!);
    await p.run();
    expect(sink.rendered).toBe(3);
    expect(sink.pad('sink')!.caps?.toString()).toBe('application/x-test, n=(int)1');
  });

  it('runs its example and a launch-line caps filter', async () => {
    await buildLaunch(CapsFilter.metadata.example, createDefaultRegistry()).run();
    await buildLaunch('fakesrc num-buffers=2 ! application/x-test ! fakesink', createDefaultRegistry()).run();
  });
});
