// Question: how much faster is a typed `map` over a million objects than the same work through
// Node streams in objectMode?
// Method: N objects { id, celsius } are mapped to { id, fahrenheit } and summed by a sink, once
// through `Pipeline.from(array).map(fn).to(sink)` (value batches of 1024 on the event loop) and
// once through stream.pipeline(Readable.from(array), Transform(objectMode), Writable(objectMode)),
// the same function and sink in both. Best wall time of RUNS each, measured in this run; the sums
// must agree. A third row chains map, filter and map, against three Transforms.
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
console.log(`typed-map: ${N.toLocaleString('en')} objects, best of ${RUNS} (${process.version})`);
for (const [label, chain] of cases) {
  const t = await best(() => typed(chain));
  const s = await best(() => streams(chain));
  if (t.result !== s.result) throw new Error(`${label}: typed sum ${t.result} != streams sum ${s.result}`);
  const rate = (x) => `${(N / x.seconds / 1e6).toFixed(1)} M obj/s`;
  console.log(`${label.padEnd(18)} typed ${t.seconds.toFixed(3)} s (${rate(t)})  Node streams ${s.seconds.toFixed(3)} s (${rate(s)})  typed is ${(s.seconds / t.seconds).toFixed(1)}x faster (target >= 5x)`);
}
