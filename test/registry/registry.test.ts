import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { ParallaxError, Registry, createDefaultRegistry, launch } from '../../src/index.js';
import { suggest } from '../../src/registry/suggest.js';
import { TestVolume } from '../support/audio-elements.js';

describe('registry', () => {
  it('lists the built-in elements with module specifiers', () => {
    const r = createDefaultRegistry();
    const names = r.list().map((e) => e.factory);
    expect(names).toEqual(['appsink', 'appsrc', 'audioconvert', 'audiomixer', 'audiotestsrc', 'batch', 'biquad', 'capsfilter', 'clocksync', 'concat', 'consolesink', 'datasrc', 'delay', 'fakesink', 'fakesrc', 'fdsink', 'fdsrc', 'filesink', 'filesrc', 'funnel', 'identity', 'input-selector', 'ipcsink', 'ipcsrc', 'multifilesink', 'multifilesrc', 'output-selector', 'parallel', 'pngsink', 'queue', 'ratelimit', 'rawaudioparse', 'rawvideoparse', 'streamiddemux', 'tee', 'testsrc', 'timeout', 'unbatch', 'valve', 'videoconvert', 'videoflip', 'videoscale', 'videotestsrc', 'volume', 'wasmsink', 'wasmsrc', 'wasmtransform', 'wavenc', 'wavparse', 'y4menc', 'y4mparse']);
    for (const e of r.list()) expect(e.module).toMatch(/^file:.*\/elements\/.+\.js$/);
  });

  it('suggests close names', () => {
    expect(suggest('fakesnk', ['fakesink', 'fakesrc', 'queue'])).toEqual(['fakesink']);
    expect(suggest('fakesr', ['fakesink', 'fakesrc'])).toEqual(['fakesrc']);
    expect(suggest('zzzzzz', ['fakesink'])).toEqual([]);
  });

  it('refuses a second class under a taken name and bad factory names', () => {
    const r = new Registry();
    r.register(TestVolume);
    r.register(TestVolume);
    class Other extends TestVolume {}
    expect(() => r.register(Other)).toThrow(/already registered/);
    class Bad extends TestVolume {
      static override readonly metadata = { ...TestVolume.metadata, factory: 'bad name' };
    }
    expect(() => r.register(Bad)).toThrow(/invalid factory name/);
  });

  it('refuses a property of a type the engine does not know, naming it', () => {
    class Wide extends TestVolume {
      static override readonly metadata = { ...TestVolume.metadata, factory: 'wide', properties: { at: { type: 'int64', default: -1, description: 'x' } } } as unknown as typeof TestVolume.metadata;
    }
    expect(() => new Registry().register(Wide)).toThrow('element "wide" declares property "at" of type "int64"; the types are int, uint64, double, bool, string, enum, caps, fraction');
  });

  it('names unknown elements with a hint', () => {
    const r = createDefaultRegistry();
    let e: unknown;
    try {
      r.make('queu');
    } catch (x) {
      e = x;
    }
    expect((e as ParallaxError).code).toBe('UNKNOWN_ELEMENT');
    expect((e as Error).message).toBe('no element "queu" (did you mean queue?)');
  });

  it('loads a plugin module and uses its elements in a launch string', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'parallax-plugin-'));
    const file = join(dir, 'plugin.mjs');
    const lib = pathToFileURL(join(process.cwd(), 'src/index.ts')).href;
    writeFileSync(file, `
      import { Transform, FlowResult } from ${JSON.stringify(lib)};
      class Marker extends Transform {
        static metadata = { factory: 'marker', classification: 'Filter', description: 'sets pts to 42', example: 'fakesrc num-buffers=1 ! marker ! fakesink',
          padTemplates: [{ name: 'sink', direction: 'sink', presence: 'always' }, { name: 'src', direction: 'src', presence: 'always' }],
          properties: {}, affinity: 'auto', rtSafe: true };
        transformInPlace(buf) { buf.pts = 42; return FlowResult.OK; }
      }
      export const plugin = { name: 'markers', elements: [Marker] };
    `);
    const r = createDefaultRegistry();
    await r.loadPlugin(pathToFileURL(file).href);
    expect(r.get('marker')?.module).toBe(pathToFileURL(file).href);
    const p = launch('fakesrc num-buffers=2 ! marker ! appsink name=out', { registry: r });
    const sink = p.get('out') as unknown as AsyncIterable<{ pts: number; release(): void }>;
    const run = p.run();
    const pts: number[] = [];
    for await (const b of sink) {
      pts.push(b.pts);
      b.release();
    }
    await run;
    expect(pts).toEqual([42, 42]);
  });

  it('explains a plugin that cannot load', async () => {
    const r = createDefaultRegistry();
    await expect(r.loadPlugin('/nonexistent/plugin.mjs')).rejects.toThrow(/cannot load plugin \/nonexistent\/plugin.mjs/);
  });
});
