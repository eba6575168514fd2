import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { launch } from '../../src/index.js';
import { createDefaultRegistry } from '../../src/registry/builtins.js';
import { buildKernel } from '../../src/wasm/build-kernel.js';

// A plugin that ships a .wasm kernel: wasmElement() makes an element named by the kernel's
// descriptor, with its properties, loadable on data threads (which import the plugin again).

const FIXTURES = fileURLToPath(new URL('../fixtures/wasm/', import.meta.url));
const DIST = pathToFileURL(fileURLToPath(new URL('../../dist/index.js', import.meta.url))).href;
const dir = mkdtempSync(join(tmpdir(), 'parallax-plugin-kernels-'));
let plugin = '';

beforeAll(async () => {
  await buildKernel(join(FIXTURES, 'invert.ts'), { outFile: join(dir, 'invert.wasm') });
  plugin = join(dir, 'kernels-plugin.mjs');
  writeFileSync(plugin, `import { wasmElement } from ${JSON.stringify(DIST)};
export const plugin = { name: 'kernels', elements: [wasmElement(new URL('./invert.wasm', import.meta.url))] };
`);
}, 120_000);

async function run(scheduling: 'async' | 'hybrid', mask: number): Promise<{ bytes: number[]; copied: number }> {
  const registry = createDefaultRegistry();
  await registry.loadPlugin(pathToFileURL(plugin).href);
  const p = launch(`fakesrc num-buffers=3 sizetype=fixed sizemax=8 filltype=pattern ! invert mask=${mask} ! appsink name=out max-buffers=0`, { registry, plugins: [pathToFileURL(plugin).href], scheduling });
  const bytes: number[] = [];
  const reading = (async () => {
    for await (const b of p.get('out') as unknown as AsyncIterable<{ data: Uint8Array; release(): void }>) {
      bytes.push(...b.data);
      b.release();
    }
  })();
  await p.run();
  await reading;
  const copied = p.stats().bytesCopied;
  await p.dispose();
  return { bytes, copied };
}

describe('a plugin that ships a .wasm kernel', () => {
  it('registers an element named by the kernel, with the kernel\'s properties', async () => {
    const registry = createDefaultRegistry();
    await registry.loadPlugin(pathToFileURL(plugin).href);
    const el = registry.make('invert');
    expect(el.factory).toBe('invert');
    expect(el.propertyNames()).toContain('mask');
    expect(() => el.set('mask', 300)).toThrow(/mask/);
  });

  it.each(['async', 'hybrid'] as const)('%s: runs in place with the given property, 0 bytes copied', async (scheduling) => {
    const { bytes, copied } = await run(scheduling, 15);
    const expected = [0, 1, 2, 3, 4, 5, 6, 7].map((b) => b ^ 15);
    expect(bytes.slice(0, 8)).toEqual(expected);
    expect(bytes).toHaveLength(24);
    expect(copied).toBe(0);
  });

  it('a plugin whose kernel file is missing fails to load, naming the file', async () => {
    const bad = join(dir, 'bad-plugin.mjs');
    writeFileSync(bad, `import { wasmElement } from ${JSON.stringify(DIST)};
export const plugin = { name: 'bad', elements: [wasmElement(new URL('./nowhere.wasm', import.meta.url))] };
`);
    await expect(createDefaultRegistry().loadPlugin(pathToFileURL(bad).href)).rejects.toThrow(/nowhere\.wasm/);
  });
});
