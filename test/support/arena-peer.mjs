// The other thread for test/memory/arena.test.ts: attaches the arena the main thread created
// and runs the commands it is sent ({ op, ...args }), one reply each. Payload stamps are written
// with Atomics so the main thread can check who owns a slot.
import { parentPort, workerData } from 'node:worker_threads';
import { Arena } from '../../dist/index.js';

const arena = Arena.attach(workerData.buffer);
const view = new Int32Array(workerData.buffer);

const handlers = {
  /** Resolves pool `id` from the directory and says what this thread sees. */
  describe({ id }) {
    const p = arena.pool(id);
    return { id: p.id, base: p.base, payloadCapacity: p.payloadCapacity, slotCount: p.slotCount, freeCount: p.freeCount };
  },
  /** Takes `n` slots of pool `id` and stamps each payload's first word. */
  acquire({ id, n, stamp }) {
    const p = arena.pool(id);
    const slots = [];
    for (let i = 0; i < n; i++) {
      const s = p.acquire();
      if (s >= 0) Atomics.store(view, p.payloadOffset(s) >> 2, stamp);
      slots.push(s);
    }
    return { slots, freeCount: p.freeCount };
  },
  /** Releases slots of pool `id`, counting those whose stamp is not `stamp`. */
  release({ id, slots, stamp }) {
    const p = arena.pool(id);
    let foreign = 0;
    for (const s of slots) {
      if (Atomics.load(view, p.payloadOffset(s) >> 2) !== stamp) foreign++;
      p.release(s);
    }
    return { foreign, freeCount: p.freeCount };
  },
  createPool({ payload, slots }) {
    const p = arena.createPool(payload, slots);
    return p === null ? null : { id: p.id, base: p.base };
  },
  /** What pool(id) throws on this thread, or null. */
  poolError({ id }) {
    try {
      arena.pool(id);
      return null;
    } catch (e) {
      return { name: e.name, message: e.message };
    }
  },
  /** Raises the word at `flag` (so the main thread starts carving too), then carves each size. */
  carve({ flag, sizes }) {
    Atomics.store(view, flag >> 2, 1);
    return sizes.map((bytes) => arena.carve(bytes));
  },
  sleep({ ms }) {
    const started = performance.now();
    arena.sleepUnlessStopped(ms);
    return { elapsed: performance.now() - started, stopped: arena.stopRequested() };
  },
};

parentPort.on('message', ({ op, ...args }) => parentPort.postMessage(handlers[op](args)));
