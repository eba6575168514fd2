import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { MemfdRegion } from '../../src/isolation/memfd-region.js';
import { SpscRing, ringBytes } from '../../src/memory/index.js';

// The engine's SPSC ring, unchanged, between two processes over a memfd: the layout is offsets
// only, so it works wherever the same pages are mapped. (Waking a sleeping side across processes
// goes through futex and comes with the isolation runtime; here both sides spin.)
const PRODUCER = fileURLToPath(new URL('../fixtures/isolation/ring-producer.mjs', import.meta.url));

describe.skipIf(process.platform !== 'linux')('an SPSC ring across two processes', () => {
  it('moves 200,000 descriptors from a child process in order and intact', async () => {
    const capacity = 1024;
    const count = 200_000;
    const size = ringBytes(capacity);
    const region = MemfdRegion.create(size, 'parallax-test-ring');
    const ring = new SpscRing(region, 0, capacity);
    const consumer = ring.consumer();
    const child = spawn(process.execPath, [PRODUCER, String(size), String(capacity), String(count)], { stdio: ['ignore', 'pipe', 'pipe', region.fd] });
    let stdout = '';
    let stderr = '';
    child.stdout?.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
    const exited = new Promise<number | null>((resolve) => child.on('close', resolve));
    let next = 0;
    const deadline = performance.now() + 30_000;
    // Pop in slices, yielding to the event loop between them so the child's output is read.
    while (next < count && performance.now() < deadline) {
      for (let n = 0; n < 100_000 && next < count; n++) {
        if (!consumer.pop()) continue;
        const d = consumer.current;
        if (d.slot !== next || d.offset !== (next * 7) >>> 0 || d.length !== (next ^ 0x5a5a) >>> 0 || d.kind !== 1) {
          throw new Error(`descriptor ${next} arrived as ${JSON.stringify(d)}`);
        }
        next++;
      }
      await new Promise((r) => setImmediate(r));
    }
    const code = await exited;
    region.close();
    expect(stderr).toBe('');
    expect(code).toBe(0);
    expect(next).toBe(count);
    expect(JSON.parse(stdout.trim()).pushed).toBe(count);
  });
});
