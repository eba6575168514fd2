import { describe, expect, it } from 'vitest';
import { parseCaps } from '../../../src/element/caps/index.js';
import { AudioTestSrc } from '../../../src/elements/audio/audiotestsrc.js';
import { Harness } from '../../../src/harness/harness.js';
import { launch, type PipelineOptions } from '../../../src/index.js';

const CAPS = 'audio/x-raw,format=S16LE,layout=interleaved,rate=8000,channels=3';

interface Got { bytes: Uint8Array; pts: number; duration: number; offset: number }

/** Runs a launch line ending in `appsink name=out`; returns every buffer's bytes and times. */
async function collect(desc: string, options: PipelineOptions = {}): Promise<{ got: Got[]; caps: string; copied: number }> {
  const p = launch(desc, options);
  let caps = '';
  p.bus.on('caps', (m) => {
    if (m.pad === 'audiotestsrc0:src') caps = String(m.caps);
  });
  const sink = p.get('out') as unknown as AsyncIterable<{ data: Uint8Array; pts: number; duration: number; offset: number; release(): void }>;
  const got: Got[] = [];
  const reading = (async () => {
    for await (const b of sink) {
      got.push({ bytes: b.data.slice(), pts: b.pts, duration: b.duration, offset: b.offset });
      b.release();
    }
  })();
  await p.run();
  await reading;
  const copied = p.stats().bytesCopied;
  await p.dispose();
  return { got, caps, copied };
}

describe('audiotestsrc', () => {
  it('fixates to S16LE, 44100 Hz, mono when downstream leaves the format open, and stamps buffers by frames', async () => {
    const { got, caps } = await collect('audiotestsrc num-buffers=3 samplesperbuffer=441 ! appsink name=out max-buffers=0');
    expect(caps).toMatch(/format=\(string\)S16LE/);
    expect(caps).toMatch(/rate=\(int\)44100/);
    expect(caps).toMatch(/channels=\(int\)1/);
    expect(got.map((g) => [g.bytes.length, g.pts, g.duration, g.offset])).toEqual([
      [882, 0, 10_000_000, 0], [882, 10_000_000, 10_000_000, 441], [882, 20_000_000, 10_000_000, 882]]);
  });

  it('a 1 kHz sine at 48 kHz, F32 stereo: both channels equal, amplitude = volume, zero crossings every 24 frames', async () => {
    const { got, copied } = await collect('audiotestsrc freq=1000 volume=0.5 samplesperbuffer=480 num-buffers=2 ! audio/x-raw,format=F32LE,rate=48000,channels=2 ! appsink name=out max-buffers=0');
    const f = new Float32Array(got[0]!.bytes.buffer);
    expect(f.length).toBe(960);
    for (let i = 0; i < 480; i++) expect(f[2 * i]).toBe(f[2 * i + 1]);
    const left = Array.from({ length: 480 }, (_, i) => f[2 * i]!);
    expect(Math.max(...left)).toBeCloseTo(0.5, 4);
    expect(Math.min(...left)).toBeCloseTo(-0.5, 4);
    const crossings = left.slice(1).filter((v, i) => Math.sign(v) !== Math.sign(left[i]!) && v !== 0).length;
    expect(crossings).toBeGreaterThanOrEqual(19);
    expect(crossings).toBeLessThanOrEqual(21);
    expect(copied).toBe(0);
  });

  it.each(['sine', 'square', 'saw', 'triangle', 'silence', 'white-noise', 'ticks'])('wave=%s: WebAssembly and the JS reference give the same bytes, and consecutive buffers join up', async (wave) => {
    const outputs: Uint8Array[][] = [];
    for (const kernels of [true, false]) {
      const el = new AudioTestSrc('audiotestsrc0');
      el.set('wave', wave);
      el.set('samplesperbuffer', 300);
      el.set('freq', 997);
      const h = new Harness(el, { kernels });
      expect(h.arena!.kernelMemory === null).toBe(!kernels);
      el.setCaps(el.pad('src')!, parseCaps(CAPS));
      await h.start();
      const bufs: Uint8Array[] = [];
      for (let i = 0; i < 4; i++) {
        const b = el.produce();
        if (typeof b === 'number' || b instanceof Promise) throw new Error(`produce gave ${String(b)}`);
        bufs.push(b.data.slice());
        b.release();
      }
      await h.stop();
      outputs.push(bufs);
    }
    expect(outputs[1]).toEqual(outputs[0]);
    if (wave !== 'silence') expect(outputs[0]!.some((b) => b.some((x) => x !== 0))).toBe(true);
  });

  it('gives byte-identical output in async and hybrid scheduling', async () => {
    const desc = 'audiotestsrc wave=saw freq=333 samplesperbuffer=256 num-buffers=20 ! audio/x-raw,format=F32LE,rate=22050,channels=2 ! volume volume=0.7 ! appsink name=out max-buffers=0';
    const a = await collect(desc, { scheduling: 'async' });
    const h = await collect(desc, { scheduling: 'hybrid' });
    expect(h.got).toEqual(a.got);
    expect(h.copied).toBe(0);
  });

  it('is-live paces buffers by the clock: 5 buffers of 20 ms take about 100 ms', async () => {
    const started = performance.now();
    const { got } = await collect('audiotestsrc is-live=true samplesperbuffer=960 num-buffers=5 ! audio/x-raw,rate=48000 ! appsink name=out max-buffers=0');
    const took = performance.now() - started;
    expect(got).toHaveLength(5);
    expect(took).toBeGreaterThanOrEqual(95);
  });

  it('refuses a frequency out of range, naming the element and the property', () => {
    expect(() => launch('audiotestsrc freq=30000 ! fakesink')).toThrow(/freq/);
  });
});
