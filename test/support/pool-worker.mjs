// Hammers a SharedPool from a worker thread: acquire, stamp the payload with this thread's id,
// hold a few slots, check the stamps are still ours, release. A slot handed to two owners at
// once shows up as a foreign stamp.
import { workerData, parentPort } from 'node:worker_threads';
import { SabRegion, SharedPool } from '../../dist/index.js';

const { buffer, payload, slots, id, rounds, seed } = workerData;
const pool = new SharedPool(SabRegion.attach(buffer), 0, payload, slots);
const view = new Int32Array(buffer);
let x = seed >>> 0 || 1;
const rand = () => ((x ^= x << 13), (x ^= x >>> 17), (x ^= x << 5), (x >>> 0));
const held = [];
let stolen = 0;
let acquired = 0;
let empty = 0;
for (let r = 0; r < rounds; r++) {
  if (held.length < 4 && rand() % 3 !== 0) {
    const s = pool.acquire();
    if (s < 0) { empty++; continue; }
    acquired++;
    Atomics.store(view, pool.payloadOffset(s) >> 2, id);
    if (rand() & 1) {
      pool.ref(s); // a clone: two references to drop
      held.push(s);
    }
    held.push(s);
  } else if (held.length > 0) {
    const s = held.splice(rand() % held.length, 1)[0];
    if (Atomics.load(view, pool.payloadOffset(s) >> 2) !== id) stolen++;
    pool.unref(s);
  }
}
for (const s of held) pool.unref(s);
parentPort.postMessage({ stolen, acquired, empty });
