// A real consuming thread for the ring stress tests: takes `count` descriptors, by pop() or
// drain() in seeded random turns, sleeping in waitForData (Atomics.wait) when the ring is empty,
// and checks every field against the encoding ring-producer.mjs writes for sequence number s:
// slot s, offset s × 2654435761 (u32), length s & 0xffff, kind s % 7.
import { parentPort, workerData } from 'node:worker_threads';
import { SabRegion, SpscRing } from '../../dist/index.js';

const { buffer, base, capacity, count, seed } = workerData;
const consumer = new SpscRing(SabRegion.attach(buffer), base, capacity).consumer();
let x = seed >>> 0 || 1;
const rand = () => ((x ^= x << 13), (x ^= x >>> 17), (x ^= x << 5), (x >>> 0));
let seq = 0;
let firstBad = -1;
let sleeps = 0;
const check = (slot, offset, length, kind) => {
  if (firstBad < 0 && (slot !== seq || offset !== ((seq * 2654435761) >>> 0) || length !== (seq & 0xffff) || kind !== seq % 7)) firstBad = seq;
  seq++;
};
while (seq < count) {
  let n = 0;
  if (rand() & 1) n = consumer.drain(Math.min(1 + (rand() % 41), count - seq), check);
  else if (consumer.pop()) {
    const d = consumer.current;
    check(d.slot, d.offset, d.length, d.kind);
    n = 1;
  }
  if (n === 0) {
    sleeps++;
    consumer.waitForData(1000);
  }
}
parentPort.postMessage({ received: seq, firstBad, sleeps, left: consumer.available() });
