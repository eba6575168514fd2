import { describe, expect, it } from 'vitest';
import { FlowResult } from '../../../src/element/flow.js';
import { Volume } from '../../../src/elements/audio/volume.js';
import { Harness } from '../../../src/harness/harness.js';
import { launch } from '../../../src/index.js';

const F32 = 'audio/x-raw,format=F32LE,layout=interleaved,rate=48000,channels=2';
const S16 = 'audio/x-raw,format=S16LE,layout=interleaved,rate=48000,channels=1';

function f32Bytes(values: number[]): Uint8Array {
  return new Uint8Array(new Float32Array(values).buffer);
}
function s16Bytes(values: number[]): Uint8Array {
  return new Uint8Array(new Int16Array(values).buffer);
}

/** Pushes one buffer through a volume in a harness and returns the output bytes. */
async function run(props: Record<string, unknown>, caps: string, bytes: Uint8Array, kernels = true): Promise<{ out: Uint8Array; wasm: boolean }> {
  const el = new Volume('volume0');
  for (const [k, v] of Object.entries(props)) el.set(k, v);
  const h = await new Harness(el, { caps, kernels }).start();
  expect(h.push(bytes)).toBe(FlowResult.OK);
  const b = h.pull()!;
  const out = b.data.slice();
  b.release();
  await h.stop();
  return { out, wasm: h.arena!.kernelMemory !== null };
}

describe('volume', () => {
  it('scales F32 samples by the volume, in WebAssembly and in the JS reference alike', async () => {
    const input = f32Bytes([0.5, -0.25, 1, -1, 0.125, 0.3, -0.7]);
    const wasm = await run({ volume: 0.5 }, F32, input);
    const js = await run({ volume: 0.5 }, F32, input, false);
    expect(wasm.wasm).toBe(true);
    expect(js.wasm).toBe(false);
    expect([...new Float32Array(wasm.out.buffer)]).toEqual([0.25, -0.125, 0.5, -0.5, 0.0625, Math.fround(Math.fround(0.3) * 0.5), Math.fround(Math.fround(-0.7) * 0.5)]);
    expect(js.out).toEqual(wasm.out);
  });

  it('scales S16 with saturation, GStreamer fixed point (volume x 2048, >> 11)', async () => {
    const input = s16Bytes([1000, -1000, 30000, -30000, 7, -7]);
    const { out } = await run({ volume: 2 }, S16, input);
    expect([...new Int16Array(out.buffer)]).toEqual([2000, -2000, 32767, -32768, 14, -14]);
    const half = await run({ volume: 0.5 }, S16, input);
    // floor((s * 1024) / 2048): rounds toward minus infinity, as GStreamer's integer path does.
    expect([...new Int16Array(half.out.buffer)]).toEqual([500, -500, 15000, -15000, 3, -4]);
    expect((await run({ volume: 0.5 }, S16, input, false)).out).toEqual(half.out);
  });

  it('mute and volume 0 give silence; volume 1 passes the bytes untouched', async () => {
    const input = f32Bytes([0.5, -0.25, 1, -1]);
    expect([...(await run({ mute: true }, F32, input)).out].every((b) => b === 0)).toBe(true);
    expect([...(await run({ volume: 0 }, S16, s16Bytes([5, 6]))).out].every((b) => b === 0)).toBe(true);
    expect((await run({ volume: 1 }, F32, input)).out).toEqual(input);
  });

  it('caps that change mid-stream (S16LE to F32LE) change the kernel from then on', async () => {
    const el = new Volume('volume0');
    el.set('volume', 0.5);
    const h = await new Harness(el, { caps: S16 }).start();
    h.push(s16Bytes([1000, -1000]));
    expect([...new Int16Array(h.pull()!.data.slice().buffer)]).toEqual([500, -500]);
    expect(h.setCaps(F32)).toBe(true);
    h.push(f32Bytes([0.5, -0.25, 1, 0.125]));
    const out = h.pull()!;
    expect([...new Float32Array(out.data.slice().buffer)]).toEqual([0.25, -0.125, 0.5, 0.0625]);
    out.release();
    await h.stop();
  });

  it('refuses a volume outside 0..10 naming the element and the range', () => {
    expect(() => launch('audiotestsrc num-buffers=1 ! volume volume=11 ! fakesink')).toThrow(/volume.*11/);
  });

  it('changes volume while running, in async and hybrid modes, with no payload copy', async () => {
    for (const scheduling of ['async', 'hybrid'] as const) {
      const p = launch('audiotestsrc wave=square volume=0.5 samplesperbuffer=64 num-buffers=400 is-live=true ! audio/x-raw,format=F32LE,rate=48000,channels=1 ! volume name=v volume=1 ! appsink name=out max-buffers=0', { scheduling });
      const sink = p.get('out') as unknown as AsyncIterable<{ data: Uint8Array; release(): void }>;
      const peaks: number[] = [];
      const reading = (async () => {
        for await (const b of sink) {
          const f = new Float32Array(b.data.slice().buffer);
          peaks.push(Math.max(...f.map(Math.abs)));
          b.release();
        }
      })();
      const running = p.run();
      await new Promise((r) => setTimeout(r, 150));
      await p.setProperty('v', 'volume', 2);
      expect(await p.getProperty('v', 'volume')).toBe(2);
      await running;
      await reading;
      expect(peaks).toHaveLength(400);
      expect(peaks[0]).toBeCloseTo(0.5, 5);
      expect(peaks[peaks.length - 1]).toBeCloseTo(1, 5);
      expect(p.stats().bytesCopied).toBe(0);
      await p.dispose();
    }
  });
});
