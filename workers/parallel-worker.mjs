// Worker side of the `parallel` element: piscina runs this file's default export once per task,
// on one of the pool's worker threads. The messages are described in
// src/elements/compute/parallel-protocol.ts; the main side is src/elements/compute/parallel.ts.
//
// Plain JS on purpose: it must load without a build, and it runs nothing of the engine.

/** Imported user modules, by URL: one import per module and thread. */
const modules = new Map();

/** The user's function for `module` and `fn`, importing the module on first use. */
async function userFunction(module, fn) {
  let loading = modules.get(module);
  if (loading === undefined) {
    loading = import(module).catch((e) => {
      modules.delete(module);
      throw new Error(`cannot import module ${module}: ${e instanceof Error ? e.message : String(e)}`, { cause: e });
    });
    modules.set(module, loading);
  }
  const ns = await loading;
  const f = ns[fn];
  if (typeof f !== 'function') {
    const names = Object.keys(ns);
    throw new Error(`module ${module} has no function export "${fn}" (${f === undefined ? 'missing' : `a ${typeof f}`}; it exports ${names.length > 0 ? names.join(', ') : 'nothing'})`);
  }
  return { f, names: Object.keys(ns) };
}

export default async function parallelTask(task) {
  const { f, names } = await userFunction(task.module, task.fn);
  if (task.kind === 'probe') return names;
  // `task.sab` arrived as a new handle on the shared region (sharing, not cloning), so a view
  // made here writes the pipeline's slot itself. Views are not cached: every message brings a
  // new SharedArrayBuffer object, so there is nothing to key a cache on, and a view is O(1).
  const slot = new Uint8Array(task.sab, task.byteOffset, task.capacity);
  const data = slot.subarray(0, task.size);
  const info = { pts: task.pts, duration: task.duration, offset: task.offset, sequence: task.sequence, size: task.size, capacity: task.capacity, slot };
  const who = `${task.fn}() of ${task.module}`;
  let r;
  try {
    r = await f(data, info);
  } catch (e) {
    // Only message and stack survive the trip back to the main thread: put the user's in them.
    const err = new Error(`${who} threw on buffer ${task.sequence}: ${e instanceof Error ? e.message : String(e)}`);
    if (e instanceof Error && e.stack !== undefined) err.stack = `${err.stack}\ncaused by: ${e.stack}`;
    throw err;
  }
  if (r === undefined) return task.size;
  if (typeof r !== 'number' || !Number.isInteger(r) || r < 0 || r > task.capacity) {
    throw new RangeError(`${who} returned ${typeof r === 'number' ? r : `a ${typeof r}`} for buffer ${task.sequence}; expected undefined or a payload size in 0..${task.capacity}`);
  }
  return r;
}
