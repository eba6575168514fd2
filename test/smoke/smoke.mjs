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
