// Cross-runtime smoke test of isolation (Linux): the native addon loads and works in this
// runtime (memfd mapping, futex, fd passing, the event-loop channel), and a pipeline runs with one
// element in a sandboxed element host started with this same runtime binary.
import { launch, loadNative } from '../../dist/index.js';

if (process.platform !== 'linux') {
  console.log(`isolation: skipped (${process.platform})`);
  process.exit(0);
}
const load = loadNative();
if (!load.ok) throw new Error(`the native addon does not load here: ${load.reason}`);
const native = load.native;

const fd = native.memfdCreate('smoke', 4096);
const a = native.mapShared(fd, 4096, true);
const b = native.mapShared(fd, 4096, false);
new Int32Array(a.buffer)[1] = 1234;
if (new Int32Array(b.buffer)[1] !== 1234) throw new Error('two mappings of one memfd disagree');
if (native.futexWake(a.buffer, 4, 1) !== 0) throw new Error('futexWake woke someone who was not waiting');
native.closeFd(fd);

const [x, y] = native.socketPair();
const got = [];
await new Promise((resolve, reject) => {
  const ch = native.openChannel(y, (bytes) => {
    got.push(new TextDecoder().decode(bytes));
    if (got.length === 3) {
      ch.close();
      resolve();
    }
  }, (errno) => reject(new Error(`channel closed early (${errno})`)));
  for (const m of ['a', 'b', 'c']) native.sendFds(x, [], new TextEncoder().encode(m));
});
native.closeFd(x);
native.closeFd(y);
if (got.join('') !== 'abc') throw new Error(`channel delivered ${JSON.stringify(got)}`);

const p = launch('fakesrc num-buffers=200 sizetype=fixed sizemax=256 ! identity ! fakesink', { isolation: { mode: 'grouped', isolate: ['identity*'] } });
await p.prepare();
const pid = p.hostPid('identity0');
await p.run();
const s = p.stats();
await p.dispose();
if (s.pads['identity0:src']?.buffers !== 200) throw new Error(`identity0 in its host pushed ${s.pads['identity0:src']?.buffers} buffers, not 200`);
console.log(`isolation: addon (${a.shared ? 'SharedArrayBuffer' : 'ArrayBuffer'} mappings, futex, channel) and identity0 in sandboxed host pid ${pid}: 200 buffers, ${s.bytesCopied} bytes copied`);
