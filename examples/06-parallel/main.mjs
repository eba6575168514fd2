// CPU work on worker threads: `parallel` runs invert.mjs on every buffer in a piscina pool, in
// place in shared memory, and the buffers come out in the order they went in.
import { launch } from '../../dist/index.js';

const module = new URL('./invert.mjs', import.meta.url).href;
const p = launch(`fakesrc num-buffers=64 sizetype=fixed sizemax=65536 filltype=pattern ! parallel module="${module}" workers=2 ! appsink name=out`);
const running = p.run();
let n = 0;
let ok = true;
for await (const buf of p.get('out')) {
  // fakesrc's pattern is 0, 1, 2, … 255, 0, …; inverted it is 255, 254, …
  ok &&= buf.sequence === n && buf.data.every((b, i) => b === 255 - (i & 255));
  n++;
  buf.release();
}
await running;
console.log(`${n} buffers inverted in order: ${ok}, bytes copied: ${p.stats().bytesCopied}`);
