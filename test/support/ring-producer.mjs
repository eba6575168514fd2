// A real second thread for the ring tests: pushes `count` descriptors whose fields encode their
// sequence number, in batches of seeded random size, waiting with Atomics.wait when full.
import { workerData, parentPort } from 'node:worker_threads';
import { SabRegion, SpscRing } from '../../dist/index.js';

const { buffer, base, capacity, count, seed } = workerData;
const ring = new SpscRing(SabRegion.attach(buffer), base, capacity);
const producer = ring.producer();
let x = seed >>> 0 || 1;
const rand = () => ((x ^= x << 13), (x ^= x >>> 17), (x ^= x << 5), (x >>> 0));
const batch = [];
let seq = 0;
while (seq < count) {
  const n = Math.min(1 + (rand() % 37), count - seq);
  batch.length = 0;
  for (let i = 0; i < n; i++) {
    const s = seq + i;
    batch.push({ slot: s, offset: (s * 2654435761) >>> 0, length: s & 0xffff, kind: s % 7 });
  }
  let done = 0;
  while (done < n) {
    done += rand() & 1 ? producer.pushBatch(batch, done) : producer.push(batch[done].slot, batch[done].offset, batch[done].length, batch[done].kind) ? 1 : 0;
    if (done < n) producer.waitForRoom(1000);
  }
  seq += n;
}
parentPort.postMessage({ pushed: seq });
