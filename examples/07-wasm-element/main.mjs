// A WebAssembly element of yours: element.ts (AssemblyScript) is built with the same function
// `parallax-wasm build` runs, then wasmtransform runs it in place on the pipeline's shared memory.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildKernel, launch } from '../../dist/index.js';

const dir = mkdtempSync(join(tmpdir(), 'parallax-07-'));
try {
  const built = await buildKernel(fileURLToPath(new URL('./element.ts', import.meta.url)), { outFile: join(dir, 'threshold.wasm') });
  const p = launch(`fakesrc num-buffers=64 sizetype=fixed sizemax=4096 filltype=pattern ! wasmtransform name=t module="${built.outFile}" level=200 ! appsink name=out`);
  const running = p.run();
  let n = 0;
  let ok = true;
  for await (const buf of p.get('out')) {
    // fakesrc's pattern is 0, 1, … 255, 0, …: bytes from 200 up become 255, the rest 0.
    ok &&= buf.data.every((b, i) => b === ((i & 255) >= 200 ? 255 : 0));
    n++;
    buf.release();
  }
  await running;
  console.log(`${n} buffers through threshold: ${ok}, mode: ${p.get('t').get('mode')}, bytes copied: ${p.stats().bytesCopied}`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
