// One of the two threads of the two-instances proof in test/wasm/user-kernels.test.ts: attaches
// the arena (its WebAssembly.Memory) the main thread created, instantiates the user module over it
// with state of its own, waits at a barrier for the other thread, then runs `buffers` buffers of
// `size` bytes through pxl_process in place and copies each result into `results`.
//
// control (Int32Array over a SharedArrayBuffer): word 0 threads at the barrier, word 1 + id this
// thread's buffers done. At its halfway point a thread reads the other's count: a count strictly
// between 0 and `buffers` means both ran at the same time.
import { workerData, parentPort } from 'node:worker_threads';
import { Arena, Buffer, SharedAllocator } from '../../dist/index.js';
import { KernelHost } from '../../dist/wasm/kernel-host.js';
import { loadUserModule } from '../../dist/wasm/user-module.js';
import { UserKernel } from '../../dist/wasm/user-kernel.js';

const { memory, module, id, seed, buffers, size, control, results } = workerData;
const arena = Arena.attach(memory);
const kernel = UserKernel.create(loadUserModule(module), KernelHost.for(arena));
if (kernel.init() < 0 || kernel.setProperty(0, seed) < 0) throw new Error('the kernel refused its setup');
const allocator = new SharedAllocator(arena, { onExhausted: 'grow' });
const ctl = new Int32Array(control);
const out = new Uint8Array(results);

// SYNC POINT with the other thread's add: neither starts before both are here.
Atomics.add(ctl, 0, 1);
Atomics.notify(ctl, 0);
for (let v = Atomics.load(ctl, 0); v < 2; v = Atomics.load(ctl, 0)) Atomics.wait(ctl, 0, v, 100);

const started = performance.timeOrigin + performance.now();
let otherAtHalf = -1;
for (let i = 0; i < buffers; i++) {
  const buf = Buffer.allocate(allocator, size);
  const data = buf.data;
  for (let j = 0; j < size; j++) data[j] = (i * 7 + j * 13 + id * 101) & 255;
  const r = kernel.process(buf, null);
  if (r !== size) throw new Error(`pxl_process returned ${r}`);
  out.set(buf.data, i * size);
  buf.release();
  // SYNC POINT with the other thread's load at its halfway point.
  Atomics.store(ctl, 1 + id, i + 1);
  if (i === buffers >> 1) otherAtHalf = Atomics.load(ctl, 2 - id);
}
parentPort.postMessage({ mode: kernel.mode, otherAtHalf, started, ended: performance.timeOrigin + performance.now() });
