// The consuming side of a ThreadLink on a real second thread, for test/memory/thread-link.test.ts.
// Runs the commands it is sent ({ op, ...args }), one reply each. A buffer's descriptor carries
// its sequence number in `slot`; its pts is slot × ptsStep. Like the bridge source, every buffer
// taken off the link is marked consumed, dropped or not (unless a command says otherwise).
import { parentPort, workerData } from 'node:worker_threads';
import { SabRegion, ThreadLink } from '../../dist/index.js';

const { buffer, base, capacity, limits, ptsStep, kinds } = workerData;
const consumer = new ThreadLink(SabRegion.attach(buffer), base, capacity).consumer(limits);
const isBuffer = (kind) => kind === kinds.buffer;
const nap = new Int32Array(new SharedArrayBuffer(4));

/** One item off the link, or null when it is empty. */
function take(consume) {
  if (!consumer.pop(isBuffer)) return null;
  const { slot, length, kind } = consumer.ring.current;
  if (consume && isBuffer(kind)) consumer.markConsumed(length, slot * ptsStep);
  return { slot, length, kind, dropped: consumer.dropped };
}

const handlers = {
  /** Pops up to `max` items that are there now. */
  pop({ max, consume = true }) {
    const items = [];
    while (items.length < max) {
      const item = take(consume);
      if (item === null) break;
      items.push(item);
    }
    return items;
  },
  /** Sleeps in waitForData (Atomics.wait) until the producer pushes. */
  wait({ timeoutMs }) {
    const started = performance.now();
    const ready = consumer.ring.waitForData(timeoutMs);
    return { ready, waitedMs: performance.now() - started };
  },
  /**
   * Takes everything up to an item of kind `kinds.end`, napping `delayMs` after each buffer (a
   * slow consumer); waits in waitForData when the link is empty.
   */
  drain({ delayMs }) {
    const delivered = [];
    const dropped = [];
    const events = [];
    const deadline = performance.now() + 15_000;
    while (performance.now() < deadline) {
      const item = take(true);
      if (item === null) {
        consumer.ring.waitForData(100);
        continue;
      }
      if (!isBuffer(item.kind)) {
        events.push(item.slot);
        if (item.kind === kinds.end) return { delivered, dropped, events, producerDone: consumer.producerDone() };
        continue;
      }
      (item.dropped ? dropped : delivered).push(item.slot);
      if (delayMs > 0) Atomics.wait(nap, 0, 0, delayMs);
    }
    throw new Error(`drain: no end event within 15 s (${delivered.length} delivered, ${dropped.length} dropped)`);
  },
  close({ result }) {
    consumer.close(result);
    return null;
  },
  producerDone() {
    return consumer.producerDone();
  },
};

parentPort.on('message', ({ op, ...args }) => parentPort.postMessage(handlers[op](args)));
