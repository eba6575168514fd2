// What the video element tests share: a registry with the four video elements (until they are
// built-ins), a launch-and-collect helper, a harness whose output caps are set by hand, and a
// small in-place writer that stands for any downstream element that paints on frames.
import { expect } from 'vitest';
import {
  FlowResult, Harness, Transform, createDefaultRegistry, launch, parseCaps,
  type Buffer, type ElementMetadata, type Element, type PipelineOptions, type Registry,
} from '../../../src/index.js';
import { VideoConvert } from '../../../src/elements/video/videoconvert.js';
import { VideoFlip } from '../../../src/elements/video/videoflip.js';
import { VideoScale } from '../../../src/elements/video/videoscale.js';
import { VideoTestSrc } from '../../../src/elements/video/videotestsrc.js';

/** Writes 0xff over every frame it gets: a downstream element that paints, so it must copy shared frames. */
export class Scribble extends Transform {
  static readonly metadata: ElementMetadata = {
    factory: 'scribble', classification: 'Filter/Effect/Video', description: 'writes 0xff over frames', example: 'videotestsrc num-buffers=1 ! scribble ! fakesink',
    padTemplates: [{ name: 'sink', direction: 'sink', presence: 'always' }, { name: 'src', direction: 'src', presence: 'always' }],
    properties: {}, affinity: 'async', rtSafe: true,
  };
  protected override writesPayload = true;
  /** What each frame held when it arrived (after the base made it writable), in order. */
  readonly seen: Uint8Array[] = [];
  protected override transformInPlace(buf: Buffer): FlowResult {
    this.seen.push(buf.data.slice());
    buf.data.fill(0xff);
    return FlowResult.OK;
  }
}

/**
 * The default registry plus the test scribbler, and the four video elements unless the default
 * registry has them already: once they are built-ins, their built-in module paths (which a data
 * thread can load from dist/) are kept, and the hybrid tests can run.
 */
export function videoRegistry(): Registry {
  const r = createDefaultRegistry();
  for (const [cls, file] of [[VideoTestSrc, 'videotestsrc'], [VideoConvert, 'videoconvert'], [VideoScale, 'videoscale'], [VideoFlip, 'videoflip']] as const) {
    if (!r.has(cls.metadata.factory)) r.register(cls, new URL(`../../../src/elements/video/${file}.ts`, import.meta.url).href);
  }
  r.register(Scribble);
  return r;
}

export const registry = videoRegistry();

export interface Frame { bytes: Uint8Array; pts: number; duration: number; offset: number }

/** Runs a launch line ending in `appsink name=out`; returns every frame, the caps of every src pad, and bytes copied. */
export async function collect(desc: string, options: PipelineOptions = {}): Promise<{ frames: Frame[]; caps: Map<string, string>; copied: number; pipelineElements: Element[] }> {
  const p = launch(desc, { registry, ...options });
  const caps = new Map<string, string>();
  p.bus.on('caps', (m) => caps.set(m.pad, String(m.caps)));
  const sink = p.get('out') as unknown as AsyncIterable<{ data: Uint8Array; pts: number; duration: number; offset: number; release(): void }>;
  const frames: Frame[] = [];
  const reading = (async () => {
    for await (const b of sink) {
      frames.push({ bytes: b.data.slice(), pts: b.pts, duration: b.duration, offset: b.offset });
      b.release();
    }
  })();
  await p.run();
  await reading;
  const copied = p.stats().bytesCopied;
  const pipelineElements = [...p.elements];
  await p.dispose();
  return { frames, caps, copied, pipelineElements };
}

/** A started harness around `el` with input caps `input` and, when given, output caps `output` set by hand (as downstream would ask). */
export async function harness(el: Element, input: string, output?: string, kernels = true): Promise<Harness> {
  const h = new Harness(el, { caps: input, kernels, arenaBytes: 16 * 1024 * 1024 });
  if (output !== undefined) {
    const src = el.pad('src')!;
    src.caps = parseCaps(output);
    expect(el.setCaps(src, src.caps)).toBe(true);
  }
  return h.start();
}

/** Pushes `bytes` through a started harness and returns the one output frame's bytes. */
export function through(h: Harness, bytes: Uint8Array): Uint8Array {
  expect(h.push(bytes)).toBe(FlowResult.OK);
  const b = h.pull();
  if (b === undefined) throw new Error(`no output; errors: ${h.errors().join('; ')}`);
  const out = b.data.slice();
  b.release();
  return out;
}

/** Bytes from a seeded xorshift, so inputs are the same on every run. */
export function seededBytes(n: number, seed = 0x5eed): Uint8Array {
  const out = new Uint8Array(n);
  let s = seed >>> 0 || 1;
  for (let i = 0; i < n; i++) {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    s >>>= 0;
    out[i] = s & 0xff;
  }
  return out;
}
