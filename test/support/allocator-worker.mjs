// A data thread for test/memory/shared-allocator.test.ts: a SharedAllocator in block mode over
// the arena the main thread created. It reserves `reserve` slots of `size` bytes, takes them all
// and says which ones it holds ({ type: 'exhausted' }); then one more acquire, which must block
// until the main thread releases a slot or requests stop. It reports how that acquire ended and
// how long it waited.
import { parentPort, workerData } from 'node:worker_threads';
import { Arena, SharedAllocator, StopRequested } from '../../dist/index.js';

const { buffer, size, reserve, stallWarningMs, secondPool = 0, waitSliceMs } = workerData;
const arena = Arena.attach(buffer);
const stalls = [];
const allocator = new SharedAllocator(arena, {
  onExhausted: 'block',
  shouldStop: () => arena.stopRequested(),
  onStall: (cls, slots) => stalls.push([cls, slots]),
  stallWarningMs,
  waitSliceMs,
});

allocator.reserve(size, reserve);
// A second pool of the same class, as reserveDepth makes when a link is deeper than the first.
if (secondPool > 0) allocator.reserveDepth(reserve + secondPool);
const held = [];
for (let i = 0; i < reserve + secondPool; i++) {
  const pool = allocator.acquire(size);
  held.push({ pool: pool.id, slot: allocator.lastSlot });
}
parentPort.postMessage({ type: 'exhausted', held, stats: allocator.stats() });

const started = performance.now();
try {
  const pool = allocator.acquire(size);
  const waitedMs = performance.now() - started;
  parentPort.postMessage({ type: 'acquired', pool: pool.id, slot: allocator.lastSlot, waitedMs, stalls, stats: allocator.stats() });
} catch (e) {
  const waitedMs = performance.now() - started;
  parentPort.postMessage({ type: 'threw', name: e.name, message: e.message, isStopRequested: e instanceof StopRequested, waitedMs, stalls });
}
