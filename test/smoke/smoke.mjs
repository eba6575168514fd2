// Cross-runtime smoke test: the built library (dist/) runs unchanged on Node, Deno and Bun.
// One pipeline is built element by element, one from a launch string; both must reach EOS.
import { launch, Pipeline, defaultRegistry, linkPads } from '../../dist/index.js';

const registry = defaultRegistry();
const src = registry.make('fakesrc', 'src');
src.set('num-buffers', 1000);
src.set('sizetype', 'fixed');
src.set('sizemax', 64);
const sink = registry.make('appsink', 'sink');
sink.set('max-buffers', 0);
const built = new Pipeline('built');
built.add(src, sink);
linkPads(src.pad('src'), sink.pad('sink'));
let count = 0;
const drained = (async () => {
  for await (const buf of sink) {
    count++;
    buf.release();
  }
})();
await built.run();
await drained;
if (count !== 1000) throw new Error(`built pipeline: expected 1000 buffers, got ${count}`);

const launched = launch('fakesrc num-buffers=500 sizetype=fixed sizemax=32 ! queue max-size-buffers=8 ! identity ! fakesink name=out');
await launched.run();
const out = launched.stats().elements['identity0'];
if (out?.buffersOut !== 500) throw new Error(`launch pipeline: expected 500 buffers through identity0, got ${out?.buffersOut}`);
console.log(`built: ${count} buffers to EOS; launch: ${out.buffersOut} buffers to EOS`);

// Data threads: the same launch string in hybrid mode, with its elements on worker threads and a
// shared-memory ring in place of the queue. Identical counts, and no payload copied.
const threaded = launch('fakesrc num-buffers=500 sizetype=fixed sizemax=32 ! queue max-size-buffers=8 ! identity ! fakesink name=out', { scheduling: 'hybrid' });
await threaded.run();
const tstats = threaded.stats();
const tout = tstats.elements['identity0'];
if (threaded.plan?.threadCount !== 2) throw new Error(`hybrid pipeline: expected 2 data threads, got ${threaded.plan?.threadCount}`);
if (tout?.buffersOut !== 500) throw new Error(`hybrid pipeline: expected 500 buffers through identity0, got ${tout?.buffersOut}`);
if (tstats.bytesCopied !== 0) throw new Error(`hybrid pipeline: ${tstats.bytesCopied} bytes copied`);
await threaded.dispose();
console.log(`hybrid: ${tout.buffersOut} buffers across ${threaded.plan.threadCount} data threads, 0 bytes copied`);

// WebAssembly kernels on the shared memory: audiotestsrc and volume run their kernels in place,
// on the event loop (async) and on a data thread (hybrid), and the application reads the
// result on the main thread. Both modes must give the same bytes (a kernel's writes on one
// thread are seen on another), and nothing may be copied.
async function audioSum(scheduling) {
  const p = launch('audiotestsrc wave=saw freq=440 samplesperbuffer=256 num-buffers=20 ! audio/x-raw,format=S16LE,rate=48000,channels=2 ! volume volume=0.5 ! appsink name=out max-buffers=0', { scheduling });
  let sum = 0;
  let n = 0;
  const reading = (async () => {
    for await (const buf of p.get('out')) {
      const d = buf.data;
      for (let i = 0; i < d.length; i++) sum = (sum * 31 + d[i]) >>> 0;
      n += d.length;
      buf.release();
    }
  })();
  await p.run();
  await reading;
  const copied = p.stats().bytesCopied;
  await p.dispose();
  if (copied !== 0) throw new Error(`wasm ${scheduling}: ${copied} bytes copied`);
  return { sum, n };
}
// The built-in kernels must load here, or the elements above would quietly run their JS twins.
const { builtinLoadError } = await import('../../dist/index.js');
if (builtinLoadError() !== null) throw new Error(`wasm: ${builtinLoadError().message}`);
const wasmAsync = await audioSum('async');
const wasmHybrid = await audioSum('hybrid');
if (wasmAsync.n !== 20 * 256 * 4) throw new Error(`wasm async: ${wasmAsync.n} bytes, expected ${20 * 256 * 4}`);
if (wasmAsync.sum !== wasmHybrid.sum || wasmAsync.n !== wasmHybrid.n) throw new Error(`wasm: hybrid output differs from async (${wasmHybrid.sum}/${wasmHybrid.n} against ${wasmAsync.sum}/${wasmAsync.n})`);
console.log(`wasm: audiotestsrc ! volume, ${wasmAsync.n} bytes identical in async and hybrid`);

// Typed pipelines: closures on the event loop, and a module stage on a data thread (its batches
// encoded where they cross). Then a pipeline read as a WHATWG ReadableStream.
const { moduleFunction } = await import('../../dist/index.js');
const typed = await Pipeline.from([1, 2, 3, 4, 5, 6]).map((x) => x * 10).filter((x) => x > 20).batch(2).collect();
if (JSON.stringify(typed) !== '[[30,40],[50,60]]') throw new Error(`typed: got ${JSON.stringify(typed)}`);
const stages = new URL('../fixtures/typed/stages.mjs', import.meta.url);
const readings = Array.from({ length: 100 }, (_, id) => ({ id, celsius: id % 30 }));
const converted = await Pipeline.from(readings).map(moduleFunction(stages, 'toFahrenheit')).collect();
if (converted.length !== 100 || converted[99].fahrenheit !== (99 % 30) * 1.8 + 32) throw new Error(`typed thread stage: got ${JSON.stringify(converted.at(-1))}`);
const threadIds = new Set(converted.map((c) => c.thread));
if (threadIds.size !== 1 || threadIds.has(0)) throw new Error(`typed thread stage: ran on threads ${[...threadIds].join(', ')}`);
const streamed = launch('fakesrc num-buffers=20 sizetype=fixed sizemax=100 filltype=pattern ! appsink name=out');
const web = streamed.toWebStream('out');
const running = streamed.run();
let streamedBytes = 0;
for await (const chunk of web) streamedBytes += chunk.byteLength;
await running;
if (streamedBytes !== 2000) throw new Error(`toWebStream: ${streamedBytes} bytes, expected 2000`);
console.log(`typed: map/filter/batch and a module stage on data thread ${[...threadIds][0]}; toWebStream: ${streamedBytes} bytes`);
