import { mkdtempSync, openSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildKernel, createDefaultRegistry, launch, type Element } from '../src/index.js';

// Each element's documented launch line runs to EOS. Elements that exchange data with the
// application (appsrc, appsink) get their application side driven here.
const registry = createDefaultRegistry();
const dir = mkdtempSync(join(tmpdir(), 'parallax-lines-'));
writeFileSync(join(dir, 'input.bin'), new Uint8Array(10_000).fill(7));
// The wasm elements' lines name kernels in /tmp/: built from test/fixtures/wasm/.
beforeAll(async () => {
  for (const name of ['invert', 'ramp', 'limit']) {
    await buildKernel(fileURLToPath(new URL(`fixtures/wasm/${name}.ts`, import.meta.url)), { outFile: join(dir, `${name}.wasm`) });
  }
}, 60_000);

// Elements that meet another pipeline (ipcsink and ipcsrc) run with their partner's example
// alongside, here in the same process: the two lines name the same socket path.
const PEERS: Record<string, string> = { ipcsink: 'ipcsrc', ipcsrc: 'ipcsink' };

describe('every element example runs', () => {
  it.each(registry.list().map((e) => [e.factory, e.elementClass.metadata.example] as const))('%s: %s', async (factory, example) => {
    // fdsrc's line reads fd 0, the test runner's own channel here: it reads input.bin instead.
    const line = example.replace(/\/tmp\//g, `${dir}/`).replace(/\bfd=0\b/, () => `fd=${openSync(join(dir, 'input.bin'), 'r')}`);
    const p = launch(line, { registry });
    const running = p.run();
    const peer = PEERS[factory];
    if (peer !== undefined) {
      const peerLine = registry.get(peer)!.elementClass.metadata.example.replace(/\/tmp\//g, `${dir}/`);
      await expect(launch(peerLine, { registry }).run()).resolves.toBeUndefined();
    }
    for (const el of p.elements as (Element & { endOfStream?: () => void; push?: (d: Uint8Array) => unknown; pull?: () => Promise<{ release(): void } | null> })[]) {
      if (el.factory === 'appsrc') {
        el.push!(new Uint8Array([1, 2, 3]));
        el.endOfStream!();
      }
      if (el.factory === 'appsink') {
        void (async () => {
          for (let b = await el.pull!(); b !== null; b = await el.pull!()) b.release();
        })();
      }
    }
    await expect(running).resolves.toBeUndefined();
    expect(p.state).toBe('suspended');
  });
});
