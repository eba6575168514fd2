import { describe, expect, it } from 'vitest';
import { AppSink, launch } from '../../src/index.js';

// wavenc rewrites its header at EOS with a bytes segment back to 0. A file can go back; a stream
// cannot, and the 44 bytes must not land at its end.
const LINE = 'audiotestsrc num-buffers=4 samplesperbuffer=100 ! audio/x-raw,format=S16LE,rate=8000,channels=1 ! wavenc ! appsink name=out';

async function collect(readable: AsyncIterable<unknown>): Promise<Uint8Array> {
  const parts: Uint8Array[] = [];
  for await (const c of readable) parts.push(c as Uint8Array);
  return new Uint8Array(Buffer.concat(parts));
}

describe('wavenc into a stream', () => {
  it('toReadable gives header then samples, nothing after, and says why on the bus', async () => {
    const p = launch(LINE);
    const warnings: string[] = [];
    p.bus.on('warning', (m) => warnings.push(`${m.source}: ${m.message}`));
    const out = p.toReadable('out');
    const done = p.run();
    const file = await collect(out);
    await done;
    expect(file.byteLength).toBe(44 + 4 * 100 * 2);
    expect(new TextDecoder().decode(file.subarray(0, 4))).toBe('RIFF');
    expect(new TextDecoder().decode(file.subarray(36, 40))).toBe('data');
    expect(warnings.join('\n')).toMatch(/out: dropped what follows a bytes segment back to byte 0 \(844 bytes already received\)/);
  });

  it('an appsink keeps GStreamer\'s behaviour by default: the rewritten header comes last', async () => {
    const p = launch(LINE);
    const sink = p.get('out') as AppSink;
    const done = p.run();
    const sizes: number[] = [];
    for await (const b of sink) {
      sizes.push(b.size);
      b.release();
    }
    await done;
    expect(sizes.reduce((a, b) => a + b, 0)).toBe(44 + 800 + 44);
    expect(sizes.at(-1)).toBe(44);
  });
});
