// Question: what is the thread-hop latency of the SPSC ring, compared to postMessage between the
// same two threads, measured in the same run?
// Method: two worker threads, A (ping) and B (pong), pass one 16-byte descriptor back and forth.
// Ring: two SpscRings (A->B, B->A) in one SabRegion; the waiting side either busy-polls pop()
// ("spin", what a data thread under load does) or calls waitForData(), the ring's default bounded
// spin then Atomics.wait ("spin-then-sleep"). Reference: postMessage of a 4-field object over a
// MessageChannel between two workers, and, to show the floor of any sleeping waiter, a bare
// Atomics.wait/notify ping-pong with no spin and no ring. A reads process.hrtime.bigint() once
// per round trip, so one round trip = the difference of consecutive reads; one hop = round trip
// / 2. WARMUP round trips first, not recorded. The main thread only starts the workers and
// collects the figures. Percentiles over the N round trips of one run, in the same run.
import { Worker, MessageChannel, isMainThread, parentPort, workerData } from 'node:worker_threads';
import { SabRegion, SpscRing, ringBytes } from '../dist/index.js';

const N = Number(process.env.N ?? 200_000);
const WARMUP = Number(process.env.WARMUP ?? 20_000);
const CAPACITY = 16; // one descriptor is ever in flight; the size hardly matters
const WAIT_MS = 1000; // waitForData timeout, so a lost wake-up would show as a 1 s max, not a hang

if (isMainThread) await main();
else if (workerData.mode === 'post') postSide(workerData);
else if (workerData.mode === 'futex') futexSide(workerData);
else ringSide(workerData);

/** One side of the ring ping-pong. A pushes i and waits for i back; B echoes what it pops. */
function ringSide({ role, mode, n, warmup, buffer }) {
  const region = SabRegion.attach(buffer);
  const ab = new SpscRing(region, 0, CAPACITY);
  const ba = new SpscRing(region, ringBytes(CAPACITY), CAPACITY);
  const spin = mode === 'spin';
  const total = warmup + n;
  if (role === 'pong') {
    const c = ab.consumer();
    const p = ba.producer();
    const d = c.current;
    for (let i = 0; i < total; i++) {
      if (spin) while (!c.pop());
      else while (!c.pop()) c.waitForData(WAIT_MS);
      if (!p.push(d.slot, d.offset, d.length, d.kind)) throw new Error('pong: ring full');
    }
    return;
  }
  const p = ab.producer();
  const c = ba.consumer();
  const d = c.current;
  const rtt = new Float64Array(n);
  let prev = process.hrtime.bigint();
  for (let i = 0; i < total; i++) {
    if (!p.push(i, 0, 64, 0)) throw new Error('ping: ring full');
    if (spin) while (!c.pop());
    else while (!c.pop()) c.waitForData(WAIT_MS);
    if (d.slot !== i) throw new Error(`ring out of order at ${i}: got ${d.slot}`);
    const t = process.hrtime.bigint();
    if (i >= warmup) rtt[i - warmup] = Number(t - prev);
    prev = t;
  }
  parentPort.postMessage(rtt, [rtt.buffer]);
}

/** One side of the bare wake-up ping-pong: each side sleeps in Atomics.wait until the other notifies. */
function futexSide({ role, n, warmup, buffer }) {
  const w = new Int32Array(buffer);
  const AB = 0;
  const BA = 16; // another cache line
  const total = warmup + n;
  if (role === 'pong') {
    for (let i = 1; i <= total; i++) {
      while (Atomics.load(w, AB) !== i) Atomics.wait(w, AB, i - 1, WAIT_MS);
      Atomics.store(w, BA, i);
      Atomics.notify(w, BA);
    }
    return;
  }
  const rtt = new Float64Array(n);
  let prev = process.hrtime.bigint();
  for (let i = 1; i <= total; i++) {
    Atomics.store(w, AB, i);
    Atomics.notify(w, AB);
    while (Atomics.load(w, BA) !== i) Atomics.wait(w, BA, i - 1, WAIT_MS);
    const t = process.hrtime.bigint();
    if (i > warmup) rtt[i - 1 - warmup] = Number(t - prev);
    prev = t;
  }
  parentPort.postMessage(rtt, [rtt.buffer]);
}

/** One side of the postMessage ping-pong, on the event loop of each worker. */
function postSide({ role, n, warmup, port }) {
  const total = warmup + n;
  if (role === 'pong') {
    let seen = 0;
    port.on('message', (m) => {
      port.postMessage(m);
      if (++seen === total) port.close();
    });
    return;
  }
  const rtt = new Float64Array(n);
  let i = 0;
  let prev = 0n;
  port.on('message', (m) => {
    if (m.slot !== i) throw new Error(`postMessage out of order at ${i}: got ${m.slot}`);
    const t = process.hrtime.bigint();
    if (i >= warmup) rtt[i - warmup] = Number(t - prev);
    prev = t;
    if (++i === total) {
      port.close();
      parentPort.postMessage(rtt, [rtt.buffer]);
      return;
    }
    m.slot = i;
    port.postMessage(m);
  });
  prev = process.hrtime.bigint();
  port.postMessage({ slot: 0, offset: 0, length: 64, kind: 0 });
}

/** Starts B then A for one variant; resolves with A's round-trip times in ns. */
async function run(mode) {
  const common = { mode, n: N, warmup: WARMUP };
  let pongData, pingData, pongList = [], pingList = [];
  if (mode === 'post') {
    const { port1, port2 } = new MessageChannel();
    pongData = { ...common, role: 'pong', port: port2 };
    pingData = { ...common, role: 'ping', port: port1 };
    pongList = [port2];
    pingList = [port1];
  } else {
    const region = new SabRegion(2 * ringBytes(CAPACITY));
    pongData = { ...common, role: 'pong', buffer: region.buffer };
    pingData = { ...common, role: 'ping', buffer: region.buffer };
  }
  const self = new URL(import.meta.url);
  const pong = new Worker(self, { workerData: pongData, transferList: pongList });
  const ping = new Worker(self, { workerData: pingData, transferList: pingList });
  const exited = (w) => new Promise((resolve, reject) => {
    w.once('error', reject);
    w.once('exit', resolve);
  });
  const [rtt] = await Promise.all([
    new Promise((resolve, reject) => {
      ping.once('message', resolve);
      ping.once('error', reject);
    }),
    exited(ping),
    exited(pong),
  ]);
  return rtt;
}

/** One-hop percentiles in µs from round trips in ns. */
function stats(rtt) {
  rtt.sort();
  const at = (q) => rtt[Math.min(rtt.length - 1, Math.ceil(q * rtt.length) - 1)] / 2000;
  return { p50: at(0.5), p99: at(0.99), p999: at(0.999), max: rtt[rtt.length - 1] / 2000 };
}

/** The cost of the clock read that each round trip includes once. */
function clockCost() {
  const M = 1_000_000;
  let t = 0n;
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < M; i++) t = process.hrtime.bigint();
  return Number(t - t0) / M;
}

async function main() {
  const variants = [
    ['SpscRing, spinning (busy pop)', 'spin'],
    ['SpscRing, spin-then-sleep (waitForData)', 'wait'],
    ['postMessage (MessageChannel)', 'post'],
    ['reference: bare Atomics.wait/notify', 'futex'],
  ];
  const results = {};
  for (const [, mode] of variants) results[mode] = stats(await run(mode));
  const f = (us) => (us < 10 ? us.toFixed(2) : us < 1000 ? us.toFixed(1) : us.toFixed(0)).padStart(8);
  console.log(`N=${N} round trips between two workers after ${WARMUP} warm-up; one hop = RTT/2, in µs`);
  console.log(`(each RTT includes one process.hrtime.bigint() read, ${clockCost().toFixed(0)} ns on this thread)`);
  console.log(`  ${'variant'.padEnd(42)}      p50      p99    p99.9      max`);
  for (const [name, mode] of variants) {
    const r = results[mode];
    console.log(`  ${name.padEnd(42)} ${f(r.p50)} ${f(r.p99)} ${f(r.p999)} ${f(r.max)}`);
  }
  const post = results.post.p50;
  for (const [name, mode] of variants.slice(0, 2)) {
    const r = results[mode];
    const met = (ok) => (ok ? 'met' : 'NOT met');
    console.log(`  ${name}: p50 ${met(r.p50 <= 1)} (target <= 1 µs), p99 ${met(r.p99 <= 10)} (target <= 10 µs); ` +
      `ring p50 / postMessage p50 = ${(r.p50 / post).toFixed(3)} (postMessage / ring = ${(post / r.p50).toFixed(1)}x)`);
  }
}
