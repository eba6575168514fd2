// Question: how much faster is a typed `map` over a million objects than the same work through
// Node streams in objectMode?
// Method: N objects { id, celsius } are mapped to { id, fahrenheit } and summed by a sink, once
// through `Pipeline.from(array).map(fn).to(sink)` (value batches of 1024 on the event loop) and
// once through stream.pipeline(Readable.from(array), Transform(objectMode), Writable(objectMode)),
// the same function and sink in both. Best wall time of RUNS each, measured in this run; the sums
// must agree. A second row chains map, filter and map, against three Transforms.
// Each measurement runs in PROCS fresh processes and the median is reported with the range:
// V8's allocation-site pretenuring sometimes (about one process in six here) moves the map's
// output objects to the old generation, which slows both contenders, typed more; a single
// process would show one mode or the other.
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { Readable, Transform, Writable } from 'node:stream';
import { pipeline as streamPipeline } from 'node:stream/promises';
import { Pipeline } from '../dist/index.js';

const N = Number(process.env.N ?? 1_000_000);
const RUNS = Number(process.env.RUNS ?? 5);

const input = Array.from({ length: N }, (_, i) => ({ id: i, celsius: (i % 400) / 10 }));
const toF = (r) => ({ id: r.id, fahrenheit: r.celsius * 1.8 + 32 });
const warm = (r) => r.fahrenheit > 50;
const round = (r) => Math.round(r.fahrenheit);

async function best(fn) {
  let min = Infinity;
  let result;
  for (let i = 0; i < RUNS; i++) {
    const t0 = performance.now();
    result = await fn();
    min = Math.min(min, performance.now() - t0);
  }
  return { seconds: min / 1000, result };
}

function summing() {
  let sum = 0;
  return { add: (v) => void (sum += typeof v === 'number' ? v : v.fahrenheit), get sum() { return sum; } };
}

async function typed(chain) {
  const s = summing();
  let f = Pipeline.from(input);
  for (const [op, fn] of chain) f = f[op](fn);
  await f.to(s.add).run();
  return s.sum;
}

async function streams(chain) {
  const s = summing();
  const stages = chain.map(([op, fn]) => new Transform({
    objectMode: true,
    transform(chunk, _enc, cb) {
      if (op === 'map') cb(null, fn(chunk));
      else cb(null, fn(chunk) ? chunk : undefined);
    },
  }));
  const sink = new Writable({ objectMode: true, write(chunk, _enc, cb) { s.add(chunk); cb(); } });
  await streamPipeline(Readable.from(input), ...stages, sink);
  return s.sum;
}

const cases = [
  ['map', [['map', toF]]],
  ['map, filter, map', [['map', toF], ['filter', warm], ['map', round]]],
];

if (process.argv[2] === '--child') {
  const out = {};
  for (const [label, chain] of cases) {
    const t = await best(() => typed(chain));
    const s = await best(() => streams(chain));
    if (t.result !== s.result) throw new Error(`${label}: typed sum ${t.result} != streams sum ${s.result}`);
    out[label] = { typed: t.seconds, streams: s.seconds };
  }
  console.log(JSON.stringify(out));
} else {
  const PROCS = Number(process.env.PROCS ?? 7);
  const runs = [];
  for (let i = 0; i < PROCS; i++) {
    runs.push(JSON.parse(execFileSync(process.execPath, [fileURLToPath(import.meta.url), '--child'], { encoding: 'utf8', env: process.env })));
  }
  const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  const range = (xs, f) => `${f(Math.min(...xs))}–${f(Math.max(...xs))}`;
  console.log(`typed-map: ${N.toLocaleString('en')} objects, best of ${RUNS} in each of ${PROCS} processes; median [range] (${process.version})`);
  for (const [label] of cases) {
    const t = runs.map((r) => r[label].typed);
    const s = runs.map((r) => r[label].streams);
    const ratios = runs.map((r) => r[label].streams / r[label].typed);
    const ms = (x) => (x * 1000).toFixed(0);
    const rate = (x) => `${(N / x / 1e6).toFixed(1)} M obj/s`;
    console.log(`${label.padEnd(18)} typed ${ms(median(t))} ms [${range(t, ms)}] (${rate(median(t))})  Node streams ${ms(median(s))} ms [${range(s, ms)}] (${rate(median(s))})  typed is ${median(ratios).toFixed(1)}x faster [${range(ratios, (x) => x.toFixed(1))}] (target >= 5x)`);
  }
}
