// The producing side of a ThreadLink on a real second thread, for test/memory/thread-link.test.ts.
// Offers `count` buffers whose `slot` is their sequence number (pts = seq × ptsStep), waiting in
// waitForPop (Atomics.wait) whenever the link says FULL, then an end event, and closes its side.
import { parentPort, workerData } from 'node:worker_threads';
import { Offer, SabRegion, ThreadLink } from '../../dist/index.js';

const { buffer, base, capacity, limits, count, length, ptsStep, kinds } = workerData;
const producer = new ThreadLink(SabRegion.attach(buffer), base, capacity).producer(limits);
let pushed = 0;
let dropped = 0;
let fulls = 0;
for (let seq = 0; seq < count; seq++) {
  for (;;) {
    const r = producer.offer(seq, length, kinds.buffer, seq * ptsStep);
    if (r === Offer.PUSHED) pushed++;
    else if (r === Offer.DROPPED) dropped++;
    else {
      fulls++;
      producer.waitForPop(20);
      continue;
    }
    break;
  }
}
while (!producer.offerEvent(count, 0, kinds.end)) producer.waitForPop(20);
producer.close();
parentPort.postMessage({ pushed, dropped, fulls });
