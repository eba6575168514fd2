import type { SlotPool } from '../memory/slot-pool.js';

/**
 * A safety net for buffers handed to application code (appsink): if a handle is garbage
 * collected without `release()`, its reference is dropped here, so a forgotten release costs a
 * slot for a while instead of for ever. Such leaks are counted; the hot path never registers.
 */
interface Held { readonly pool: SlotPool; readonly slot: number }

let leaked = 0;

const registry = new FinalizationRegistry<Held>(({ pool, slot }) => {
  leaked++;
  pool.unref(slot);
});

/** Watches `handle`; call `forget` when it is released. */
export function watchForLeak(handle: object, pool: SlotPool, slot: number): void {
  registry.register(handle, { pool, slot }, handle);
}

export function forget(handle: object): void {
  registry.unregister(handle);
}

/** Buffers reclaimed by the garbage collector because nobody released them. */
export function leakedBuffers(): number {
  return leaked;
}
