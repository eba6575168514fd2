// How long does an isolated element take to start? prepare() of `fakesrc ! identity ! fakesink`
// with identity in an element host (grouped mode), sandboxed and not, against the same pipeline
// in process and against the two things a host is made of: a bare `node -e 0` child process and a
// worker_thread that imports the engine. Median and p90 of RUNS prepares each.
//
//   RUNS=20 node bench/process-startup.mjs
import { spawn } from 'node:child_process';
import { Worker } from 'node:worker_threads';
import { launch } from '../dist/index.js';

const RUNS = Number(process.env.RUNS ?? 20);
const LINE = 'fakesrc num-buffers=1 ! identity ! fakesink';

function quantile(xs, q) {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(q * s.length))];
}

async function measure(label, once) {
  await once(); // warm the file cache and the JIT
  const times = [];
  for (let i = 0; i < RUNS; i++) times.push(await once());
  const row = { label, median: quantile(times, 0.5), p90: quantile(times, 0.9) };
  console.log(`${label.padEnd(44)} median ${row.median.toFixed(1).padStart(7)} ms   p90 ${row.p90.toFixed(1).padStart(7)} ms`);
  return row;
}

async function preparePipeline(isolation) {
  const p = launch(LINE, isolation === null ? {} : { isolation });
  const t0 = performance.now();
  await p.prepare();
  const ms = performance.now() - t0;
  await p.dispose();
  return ms;
}

function bareChild() {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const c = spawn(process.execPath, ['-e', '0'], { stdio: 'ignore' });
    c.on('error', reject);
    c.on('exit', () => resolve(performance.now() - t0));
  });
}

function engineWorker() {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const w = new Worker(`import('${new URL('../dist/index.js', import.meta.url).href}').then(() => require('node:worker_threads').parentPort.postMessage(1))`, { eval: true });
    w.once('message', () => {
      const ms = performance.now() - t0;
      w.terminate().then(() => resolve(ms), reject);
    });
    w.once('error', reject);
  });
}

console.log(`prepare() of "${LINE}", ${RUNS} runs each (Node ${process.version})`);
const inProcess = await measure('in process', () => preparePipeline(null));
const plain = await measure('identity in a host, --no-sandbox', () => preparePipeline({ mode: 'grouped', isolate: ['identity*'], sandbox: false }));
const sandboxed = await measure('identity in a sandboxed host', () => preparePipeline({ mode: 'grouped', isolate: ['identity*'] }));
const isolated = await measure('all three isolated (3 sandboxed hosts)', () => preparePipeline({ mode: 'isolated' }));
const child = await measure('reference: spawn node -e 0 until exit', bareChild);
const worker = await measure('reference: worker_thread importing the engine', engineWorker);
console.log('');
console.log(`sandboxed host start-up: ${(sandboxed.median - inProcess.median).toFixed(1)} ms over in-process prepare;`);
console.log(`  ${(sandboxed.median / child.median).toFixed(2)}x a bare node start, ${(sandboxed.median / worker.median).toFixed(2)}x a worker thread with the engine;`);
console.log(`  the sandbox itself (namespaces, root, Landlock, seccomp) adds ${(sandboxed.median - plain.median).toFixed(1)} ms; three hosts start in ${isolated.median.toFixed(1)} ms`);
