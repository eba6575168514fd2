// Question: how many small buffers per second cross a process link, bridge to bridge between
// two processes, against a Unix-domain socket between the same two processes? (Issue 5: target
// at least 1 M buffers/s.)
// Method: a child process runs a ProcessBridgeSink fed by a generator of N 64-byte buffers (its
// pools in memfds, MemfdAllocator); this process runs the ProcessBridgeSource of the same link
// (a StreamingTask) into a sink that checks each buffer's sequence number (byte 0..3, and the
// metadata) and releases it, which gives its token back. Both sides may block in futex and spin
// SPIN times first. Timed here from the first buffer to EOS, best of RUNS. Reference in the same
// run: the child writes N 64-byte records to a Unix stream socket (64 KiB writes) and this
// process reads and checks them; and the same with one write per record (what a per-buffer
// socket bridge would do). Metric: buffers/s, the ratio link / socket, bytes copied.
import { FlowResult, StreamingTask, copyStats, link, makeContext } from '../test/fixtures/isolation/link-kit.mjs';
import { Element } from '../dist/element/element.js';
import { spawnPeer, udsStream } from './support/link-bench.mjs';

const N = Number(process.env.N ?? 1_000_000);
const RUNS = Number(process.env.RUNS ?? 3);
const SIZE = Number(process.env.SIZE ?? 64);
const CAPACITY = Number(process.env.CAPACITY ?? 1024);
const SPIN = Number(process.env.SPIN ?? 10_000);

class Check extends Element {
  static metadata = { factory: 'benchcheck', classification: 'Sink', description: '', example: '', properties: {},
    padTemplates: [{ name: 'sink', direction: 'sink', presence: 'always', caps: 'ANY' }] };
  next = 0;
  t0 = 0;
  chain(_pad, buf) {
    if (this.next === 0) this.t0 = performance.now();
    const d = buf.data;
    if (((d[0] | (d[1] << 8) | (d[2] << 16) | (d[3] << 24)) >>> 0) !== this.next || buf.sequence !== this.next) throw new Error(`buffer ${this.next} wrong`);
    this.next++;
    buf.release();
    return FlowResult.OK;
  }
}

export async function linkOnce(n, size) {
  const l = link.createProcessLink(CAPACITY);
  const context = makeContext(new link.MemfdAllocator());
  const source = new link.ProcessBridgeSource('in', l.consumer, { mayBlock: true, spin: SPIN, label: 'bench', onViolation: (m) => { throw new Error(m); } });
  const check = new Check('check');
  source.attach(context);
  check.attach(context);
  source.pad0.peer = check.pad('sink');
  check.pad('sink').peer = source.pad0;
  const copied0 = copyStats().bytesCopied;
  const peer = spawnPeer({ role: 'produce', capacity: CAPACITY, n, size, spin: SPIN }, [l.producer]);
  const r = await new StreamingTask(source).run();
  const t = (performance.now() - check.t0) / 1000;
  const { out } = await peer.done;
  source.close();
  l.close();
  if (r !== FlowResult.EOS || check.next !== n) throw new Error(`link: ended with ${r} after ${check.next} of ${n}`);
  return { t, copied: copyStats().bytesCopied - copied0 + JSON.parse(out).copied };
}

const best = async (f) => {
  let min = { t: Infinity, copied: 0 };
  for (let i = 0; i < RUNS; i++) {
    const r = await f();
    if (r.t < min.t) min = r;
  }
  return min;
};

if (process.argv[1] === new URL(import.meta.url).pathname) {
  const l = await best(() => linkOnce(N, SIZE));
  const u = await best(async () => ({ t: await udsStream(N, SIZE), copied: 0 }));
  const u1 = await best(async () => ({ t: await udsStream(N, SIZE, SIZE), copied: 0 }));
  const rate = (t) => `${(N / t / 1e6).toFixed(2)} M buf/s`;
  console.log(`N=${N} buffers of ${SIZE} bytes from a child process to this one, best of ${RUNS}`);
  console.log(`  process link, bridge to bridge: ${l.t.toFixed(3)} s  ${rate(l.t)}  bytes copied ${l.copied}   (target >= 1 M buf/s: ${N / l.t >= 1e6 ? 'met' : 'NOT met'})`);
  console.log(`  Unix-domain socket (64 KiB writes): ${u.t.toFixed(3)} s  ${rate(u.t)}`);
  console.log(`  Unix-domain socket (one write per record): ${u1.t.toFixed(3)} s  ${rate(u1.t)}`);
  console.log(`  link / socket: ${(u.t / l.t).toFixed(2)}x against 64 KiB writes, ${(u1.t / l.t).toFixed(2)}x against one write per record`);
}
