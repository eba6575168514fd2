// Application code on both ends: push text in with appsrc, pull it back with appsink.
import { launch } from '../../dist/index.js';

const p = launch('appsrc name=in ! queue ! appsink name=out');
const input = p.get('in');
const output = p.get('out');
const running = p.run();
for (const word of ['zero', 'copy', 'buffers']) input.push(new TextEncoder().encode(word));
input.endOfStream();
const words = [];
for await (const buf of output) {
  words.push(new TextDecoder().decode(buf.data));
  buf.release();
}
await running;
console.log(words.join(' '));
