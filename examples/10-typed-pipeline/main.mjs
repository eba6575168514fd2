// Typed pipelines: a chain of typed stages over JavaScript objects, on the same engine as launch
// strings. The closures run on the event loop; `score` is a module export, so its stage runs on a
// data thread, and the batches are encoded where they cross. (In TypeScript, each stage's item
// type flows through the chain, and a stage of the wrong type does not compile.)
import { threadId } from 'node:worker_threads';
import { Pipeline, moduleFunction } from '../../dist/index.js';

const orders = Array.from({ length: 10_000 }, (_, id) => ({ id, amount: (id * 37) % 500, country: id % 3 === 0 ? 'FR' : 'DE' }));
const score = moduleFunction(new URL('./score.mjs', import.meta.url), 'score');

const flow = Pipeline.from(orders)
  .filter((o) => o.country === 'FR')
  .map(score)
  .filter((s) => s.score > 900)
  .batch(50);

const typed = flow.to(() => {});
console.log(`stages: ${typed.pipeline.elements.map((e) => e.name).join(' ! ')}`);

const batches = await flow.collect();
const flagged = batches.flat();
const threads = new Set(flagged.map((s) => s.thread));
console.log(`${flagged.length} of ${orders.length} orders flagged, in ${batches.length} batches`);
console.log(`scored on a data thread: ${!threads.has(threadId) && threads.size === 1}`);
