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
