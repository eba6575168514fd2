// Question: what is the round-trip latency of a process link between two spinning processes,
// next to a Unix-domain socket? (Issue 5: target p99 < 20 µs.) Far reference: iceoryx2 publishes
// 0.1–0.25 µs one-way between processes (Rust, busy-waiting, no per-message allocation).
// Method: two links, this process -> child and child -> this process. This process pushes a
// 64-byte buffer (sequence number in its metadata) through its ProcessBridgeSink, then pulls
// from its ProcessBridgeSource until the child's answer comes; the child's source pushes each
// buffer into an element that answers with a new buffer through the child's sink. Both sides
// spin (SPIN re-checks before a futex sleep). process.hrtime.bigint() around each round trip;
// N round trips after WARMUP. Reference in the same run: a 64-byte ping-pong over a Unix stream
// socket between this process and a child (event loops on both sides).
// Metric: round trip in µs, p50, p99, p99.9, max; the ratio socket p50 / link p50.
import { Buffer, Events, link, makeContext } from '../test/fixtures/isolation/link-kit.mjs';
import { Element } from '../dist/element/element.js';
import { percentile, spawnPeer, udsPingPong } from './support/link-bench.mjs';

const N = Number(process.env.N ?? 100_000);
const WARMUP = Number(process.env.WARMUP ?? 10_000);
const SPIN = Number(process.env.SPIN ?? 1_000_000);
const CAPACITY = 16;

class Pads extends Element {
  static metadata = { factory: 'benchpads', classification: 'Test', description: '', example: '', properties: {},
    padTemplates: [{ name: 'src', direction: 'src', presence: 'always', caps: 'ANY' }, { name: 'sink', direction: 'sink', presence: 'always', caps: 'ANY' }] };
}

async function linkPingPong() {
  const there = link.createProcessLink(CAPACITY);
  const back = link.createProcessLink(CAPACITY);
  const allocator = new link.MemfdAllocator(256);
  allocator.reserve(64, 4 * CAPACITY + 16);
  const context = makeContext(allocator);
  const options = { mayBlock: true, spin: SPIN, label: 'bench', onViolation: (m) => { throw new Error(m); } };
  const sink = new link.ProcessBridgeSink('out', there.producer, options);
  const source = new link.ProcessBridgeSource('in', back.consumer, options);
  const pads = new Pads('pads');
  for (const e of [sink, source, pads]) e.attach(context);
  pads.pad('src').peer = sink.pad('sink');
  sink.pad('sink').peer = pads.pad('src');
  const peer = spawnPeer({ role: 'echo', capacity: CAPACITY, spin: SPIN }, [there.consumer, back.producer]);
  const rt = new Float64Array(N);
  const out = pads.pad('src');
  for (let i = 0; i < N + WARMUP; i++) {
    const b = Buffer.allocate(allocator, 64);
    b.sequence = i;
    const t = process.hrtime.bigint();
    out.push(b);
    let got = source.produce();
    while (!(got instanceof Buffer)) {
      if (got instanceof Promise) got = await got;
      else if (typeof got === 'number') throw new Error(`the echo ended with ${got}`);
      else got = source.produce(); // an event
    }
    const dt = Number(process.hrtime.bigint() - t) / 1000;
    if (got.sequence !== i) throw new Error(`round trip ${i} came back as ${got.sequence}`);
    got.release();
    if (i >= WARMUP) rt[i - WARMUP] = dt;
  }
  out.pushEvent(Events.eos());
  await peer.done;
  sink.stop();
  source.close();
  there.close();
  back.close();
  return rt;
}

const row = (name, rt) => {
  const s = Float64Array.from(rt).sort();
  const f = (v) => v.toFixed(2).padStart(8);
  console.log(`  ${name.padEnd(36)} p50 ${f(percentile(s, 0.5))}  p99 ${f(percentile(s, 0.99))}  p99.9 ${f(percentile(s, 0.999))}  max ${f(s[s.length - 1])}`);
  return s;
};

console.log(`N=${N} round trips of a 64-byte buffer between this process and a child (after ${WARMUP} warm-up), µs`);
const l = row('process link, both sides spinning', await linkPingPong());
const u = row('Unix-domain socket (event loops)', await udsPingPong(N, WARMUP, 64));
const p99 = percentile(l, 0.99);
console.log(`  link p99 ${p99.toFixed(2)} µs: target < 20 µs ${p99 < 20 ? 'met' : 'NOT met'}; socket p50 / link p50 = ${(percentile(u, 0.5) / percentile(l, 0.5)).toFixed(1)}x`);
console.log(`  far reference: iceoryx2 publishes 0.1-0.25 µs one-way between processes (a round trip of about 0.2-0.5 µs)`);
