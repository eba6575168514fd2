import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { launch } from '../../src/index.js';
import { buildKernel } from '../../src/wasm/build-kernel.js';

const FIXTURES = fileURLToPath(new URL('../fixtures/wasm/', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'parallax-private-heap-'));
let wasm = '';

beforeAll(async () => {
  wasm = (await buildKernel(join(FIXTURES, 'alloc.ts'), { outFile: join(dir, 'alloc.wasm') })).outFile;
}, 120_000);

describe('a kernel that allocates, in its private memory', () => {
  it('keeps its heap clear of the engine\'s state: what pxl_init stored survives the allocations', async () => {
    const p = launch(`fakesrc num-buffers=3 sizetype=fixed sizemax=16 ! wasmtransform module=${wasm} ! appsink name=out max-buffers=0`);
    const words: number[][] = [];
    const reading = (async () => {
      for await (const b of p.get('out') as unknown as AsyncIterable<{ data: Uint8Array; release(): void }>) {
        words.push([...new Uint32Array(b.data.slice().buffer)]);
        b.release();
      }
    })();
    await p.run();
    await reading;
    expect(String(p.get('wasmtransform0')!.get('mode'))).toMatch(/^private: /);
    expect(words).toHaveLength(3);
    for (const [before, after, allocation, state] of words) {
      expect([before, after]).toEqual([0xdeadbeef, 0xdeadbeef]);
      expect(allocation! + 128).toBeLessThanOrEqual(state!);
    }
    await p.dispose();
  });
});
