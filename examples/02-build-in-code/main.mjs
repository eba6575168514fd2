// The graph built in code: one source, a tee, two branches. Tee clones are zero-copy.
import { Pipeline, defaultRegistry, linkPads } from '../../dist/index.js';

const reg = defaultRegistry();
const src = reg.make('fakesrc', 'src');
src.set('num-buffers', 100);
src.set('sizetype', 'fixed');
src.set('sizemax', 1024);
const tee = reg.make('tee', 't');
const q1 = reg.make('queue', 'q1');
const q2 = reg.make('queue', 'q2');
const a = reg.make('fakesink', 'a');
const b = reg.make('fakesink', 'b');

const p = new Pipeline('two-branches').add(src, tee, q1, q2, a, b);
linkPads(src.pad('src'), tee.pad('sink'));
linkPads(tee.requestPad('src_%u'), q1.pad('sink'));
linkPads(tee.requestPad('src_%u'), q2.pad('sink'));
linkPads(q1.pad('src'), a.pad('sink'));
linkPads(q2.pad('src'), b.pad('sink'));
await p.run();
const s = p.stats();
console.log(`q1 passed ${s.elements.q1.buffersOut}, q2 passed ${s.elements.q2.buffersOut}, bytes copied: ${s.bytesCopied}`);
