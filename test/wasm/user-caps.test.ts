import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { launch } from '../../src/index.js';
import { buildKernel } from '../../src/wasm/build-kernel.js';

const FIXTURES = fileURLToPath(new URL('../fixtures/wasm/', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'parallax-user-caps-'));
let wasm = '';

beforeAll(async () => {
  wasm = (await buildKernel(join(FIXTURES, 'f2s.ts'), { outFile: join(dir, 'f2s.wasm') })).outFile;
}, 120_000);

describe('a user kernel that changes the format', () => {
  it('changes only what its caps name: rate and channels carry over, and volume downstream takes S16LE', async () => {
    const p = launch(`audiotestsrc num-buffers=3 samplesperbuffer=64 wave=square volume=0.5 ! audio/x-raw,format=F32LE,rate=48000,channels=2 ! wasmtransform module=${wasm} ! volume volume=2 ! appsink name=out max-buffers=0`);
    const caps: string[] = [];
    p.bus.on('caps', (m) => {
      if (m.pad === 'wasmtransform0:src') caps.push(String(m.caps));
    });
    const samples: number[] = [];
    const reading = (async () => {
      for await (const b of p.get('out') as unknown as AsyncIterable<{ data: Uint8Array; release(): void }>) {
        samples.push(...new Int16Array(b.data.slice().buffer));
        b.release();
      }
    })();
    await p.run();
    await reading;
    expect(caps[0]).toMatch(/format=\(string\)S16LE/);
    expect(caps[0]).toMatch(/rate=\(int\)48000/);
    expect(caps[0]).toMatch(/channels=\(int\)2/);
    expect(samples).toHaveLength(3 * 64 * 2);
    // A square wave of 0.5 as S16 (x 32767, truncated), then volume 2 in S16 fixed point.
    expect(new Set(samples.map(Math.abs))).toEqual(new Set([32766]));
    await p.dispose();
  });
});
