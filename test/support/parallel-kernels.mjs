// User functions for test/elements/parallel.test.ts. They run on piscina workers, called by
// workers/parallel-worker.mjs as fn(data, info).

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const now = () => performance.timeOrigin + performance.now();

export default function invert(data) {
  for (let i = 0; i < data.length; i++) data[i] = 255 - data[i];
}

/** Inverts after a random sleep of 0–15 ms, so later buffers often finish first. */
export async function sleepy(data) {
  await sleep(Math.random() * 15);
  invert(data);
}

/** Sleeps 20 ms, then writes its start and end times (ms since the epoch) as two float64s. */
export async function timed(data) {
  const start = now();
  await sleep(20);
  const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
  view.setFloat64(0, start, true);
  view.setFloat64(8, now(), true);
}

/** Keeps the first half of the payload. */
export function halve(data, info) {
  return info.size >> 1;
}

/** Appends "!" past the end of the payload, in the slot's spare room. */
export function grow(_data, info) {
  info.slot[info.size] = 33;
  return info.size + 1;
}

/** Returns a size the slot cannot hold. */
export function tooBig(_data, info) {
  return info.capacity + 1;
}

/** Throws on buffer 5. */
export function boom(_data, info) {
  if (info.sequence === 5) throw new Error('kaboom');
}

/** Rejects on buffer 2, after a while. */
export async function rejects(_data, info) {
  await sleep(5);
  if (info.sequence === 2) throw new TypeError('no good');
}

/** Never returns: stopping the pipeline must still end the worker. */
export function spin(_data, info) {
  if (info.sequence === 1) for (;;);
}

export const notAFunction = 42;

/** Returns normally on buffer 3, then throws from a microtask: an uncaught error in the worker. */
export function lateThrow(_data, info) {
  if (info.sequence === 3) queueMicrotask(() => { throw new Error('thrown from a microtask'); });
}
