// Question: how much does `parallel` gain over a plain piscina pool whose tasks structured-clone
// their payload (the usual way to offload work on Node), for the same CPU work per buffer?
// Method: N buffers of SIZE bytes, each transformed in place by PASSES passes of a byte kernel
// (bench/support/parallel-kernel.mjs) on WORKERS threads, at most 2 × WORKERS buffers in flight,
// results taken in input order, for each PASSES in PASSES_LIST:
// - parallel: `fakesrc … ! parallel … ! fakesink`, each payload passed by descriptor (the shared
//   region, an offset and a size) and transformed where it lies;
// - clone: `pool.run(u8)`, the Uint8Array structured-cloned to the worker and the result back;
// - transfer (reference): the same with the ArrayBuffer in the transferList both ways, a fresh
//   one per buffer since a transferred buffer is gone.
// The main thread does no payload work of its own (fakesrc leaves slots as they are), so what it
// does is the hand-off. Timed from the moment the workers are up (the pipeline Running; the pool
// warmed with one task per thread) to the last buffer back. The three contenders run in turn,
// RUNS rounds, so load from elsewhere hits them alike; best and median are printed, and how busy
// the main thread was (event-loop utilization).
import { Piscina } from 'piscina';
import { launch } from '../dist/index.js';

const N = Number(process.env.N ?? 4000);
const SIZE = Number(process.env.SIZE ?? 65536);
const WORKERS = Number(process.env.WORKERS ?? 2);
const RUNS = Number(process.env.RUNS ?? 5);
const PASSES_LIST = (process.env.PASSES_LIST ?? '0,1,4,16').split(',').map(Number);
const IN_FLIGHT = 2 * WORKERS;
const KERNEL = new URL('./support/parallel-kernel.mjs', import.meta.url).href;
const CLONE_WORKER = new URL('./support/parallel-clone-worker.mjs', import.meta.url).href;

async function viaParallel() {
  const p = launch(`fakesrc num-buffers=${N} sizetype=fixed sizemax=${SIZE} ! parallel module="${KERNEL}" workers=${WORKERS} max-in-flight=${IN_FLIGHT} ! fakesink`);
  let t0 = 0;
  let elu0;
  p.bus.on('state-changed', (m) => {
    if (m.to !== 'running') return;
    t0 = performance.now();
    elu0 = performance.eventLoopUtilization();
  });
  let t1 = 0;
  let elu = 0;
  p.bus.on('eos', () => {
    t1 = performance.now();
    elu = performance.eventLoopUtilization(elu0).utilization;
  });
  await p.run();
  const s = p.stats();
  if (s.pads['parallel0:src'].buffers !== N) throw new Error(`parallel passed ${s.pads['parallel0:src'].buffers} of ${N} buffers`);
  return { ms: t1 - t0, elu, bytesCopied: s.bytesCopied };
}

async function viaPiscina(transfer) {
  const pool = new Piscina({ filename: CLONE_WORKER, minThreads: WORKERS, maxThreads: WORKERS, idleTimeout: Infinity, recordTiming: false });
  await Promise.all(Array.from({ length: WORKERS }, () => pool.run(new Uint8Array(1))));
  const source = new Uint8Array(SIZE);
  const t0 = performance.now();
  const elu0 = performance.eventLoopUtilization();
  const inflight = [];
  let back = 0;
  const check = (out) => {
    if (out.byteLength !== SIZE) throw new Error(`buffer ${back} came back with ${out.byteLength} bytes`);
    back++;
  };
  for (let i = 0; i < N; i++) {
    if (transfer) {
      const u8 = new Uint8Array(SIZE);
      inflight.push(pool.run(u8, { transferList: [u8.buffer] }));
    } else {
      inflight.push(pool.run(source));
    }
    if (inflight.length >= IN_FLIGHT) check(await inflight.shift());
  }
  for (const p of inflight) check(await p);
  const ms = performance.now() - t0;
  const elu = performance.eventLoopUtilization(elu0).utilization;
  await pool.destroy();
  return { ms, elu, bytesCopied: transfer ? 0 : 2 * N * SIZE };
}

const contenders = [
  ['parallel (descriptor)', viaParallel],
  ['piscina, structured clone', () => viaPiscina(false)],
  ['piscina, transfer (reference)', () => viaPiscina(true)],
];

const median = (xs) => [...xs].sort((a, b) => a - b)[xs.length >> 1];
const f0 = (x) => x.toFixed(0);

console.log(`N=${N} buffers of ${SIZE} bytes, ${WORKERS} workers, ${IN_FLIGHT} in flight, ${RUNS} rounds; best (median)`);
for (const passes of PASSES_LIST) {
  process.env.PASSES = String(passes); // workers inherit it: the kernel reads it when loaded
  const results = contenders.map(() => []);
  for (let r = 0; r < RUNS; r++) {
    for (const [i, [, run]] of contenders.entries()) results[i].push(await run());
  }
  console.log(`PASSES=${passes}`);
  const parallelBest = Math.min(...results[0].map((x) => x.ms));
  const parallelMedian = median(results[0].map((x) => x.ms));
  for (const [i, [name]] of contenders.entries()) {
    const ms = results[i].map((x) => x.ms);
    const best = Math.min(...ms);
    const med = median(ms);
    const bufs = (t) => N / (t / 1000);
    const mbs = (t) => (N * SIZE) / 1e6 / (t / 1000);
    const ratio = i === 0 ? '' : `  parallel speed-up ${(best / parallelBest).toFixed(2)}× (${(med / parallelMedian).toFixed(2)}×)`;
    console.log(`  ${name.padEnd(30)} ${f0(bufs(best))} (${f0(bufs(med))}) buf/s  ${f0(mbs(best))} (${f0(mbs(med))}) MB/s  main thread busy ${f0(median(results[i].map((x) => x.elu)) * 100)}%  bytes copied ${results[i][0].bytesCopied}${ratio}`);
  }
}
