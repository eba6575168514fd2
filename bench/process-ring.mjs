// Question: how many small buffer descriptors per second cross from one process to another
// through the engine's SPSC ring in a memfd, against a Unix-domain socket between the same two
// processes? (Issue 5's cross-process hop; target at least 1M buffers/s.)
// Method: a child process (spawned once per run) maps a sealed memfd, claims the producer side of
// an SpscRing laid over it and pushes N 16-byte descriptors, spinning while the ring is full; the
// parent pops and checks each one (sequence and fields), spinning while it is empty. Reference in
// the same run: the child writes the same N 16-byte records to a Unix stream socket (batched by
// the kernel as it likes, as a pipe would be) and the parent reads and checks them. Both timed in
// the parent from the child's first item to the last, best of RUNS. Both sides spin in the ring
// case (no futex sleeps yet): that is the fast path; sleeping costs an OS wake-up either way.
// Metric: descriptors/s and the ratio ring / socket.
import { spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MemfdRegion, SpscRing, ringBytes } from '../dist/index.js';

const N = Number(process.env.N ?? 2_000_000);
const RUNS = Number(process.env.RUNS ?? 3);
const CAPACITY = 4096;

const child = (code, stdio) => spawn(process.execPath, ['--input-type=module', '-e', code], { stdio });

const PRODUCER = `
import { createRequire } from 'node:module';
import { SpscRing } from ${JSON.stringify(new URL('../dist/index.js', import.meta.url).href)};
const native = createRequire(${JSON.stringify(import.meta.url)})('../native-helper/build/Release/parallax_native.node');
const [size, cap, n] = [${ringBytes(CAPACITY)}, ${CAPACITY}, ${N}];
const { buffer, shared } = native.mapShared(3, size, true);
const p = new SpscRing({ kind: 'memfd', buffer, byteLength: size, shared }, 0, cap).producer();
for (let i = 0; i < n; i++) while (!p.push(i, i * 7 >>> 0, 16, 1));
`;

async function ringOnce() {
  const region = MemfdRegion.create(ringBytes(CAPACITY), 'parallax-bench-ring');
  const consumer = new SpscRing(region, 0, CAPACITY).consumer();
  const proc = child(PRODUCER, ['ignore', 'inherit', 'inherit', region.fd]);
  const exited = new Promise((resolve) => proc.on('close', resolve));
  let next = 0;
  let t0 = 0;
  while (next < N) {
    if (!consumer.pop()) continue;
    if (next === 0) t0 = performance.now();
    const d = consumer.current;
    if (d.slot !== next || d.offset !== (next * 7) >>> 0) throw new Error(`ring: descriptor ${next} arrived as ${JSON.stringify(d)}`);
    next++;
  }
  const t = (performance.now() - t0) / 1000;
  await exited;
  region.close();
  return t;
}

async function socketOnce(batch) {
  const path = join(tmpdir(), `parallax-bench-${process.pid}.sock`);
  let t0 = 0;
  let t = 0;
  const done = new Promise((resolve, reject) => {
    const server = createServer((sock) => {
      let next = 0;
      let carry = Buffer.alloc(0);
      sock.on('data', (chunk) => {
        if (next === 0) t0 = performance.now();
        const data = carry.length > 0 ? Buffer.concat([carry, chunk]) : chunk;
        let at = 0;
        for (; at + 16 <= data.length; at += 16) {
          if (data.readUInt32LE(at) !== next || data.readUInt32LE(at + 4) !== (next * 7) >>> 0) reject(new Error(`socket: record ${next} wrong`));
          next++;
        }
        carry = data.subarray(at);
        if (next === N) {
          t = (performance.now() - t0) / 1000;
          server.close();
          sock.destroy();
          resolve();
        }
      });
    });
    server.listen(path, () => {
      child(`
import { connect } from 'node:net';
const n = ${N};
const s = connect(${JSON.stringify(path)}, async () => {
  const batch = ${batch};
  for (let i = 0; i < n; i += batch) {
    const m = Math.min(batch, n - i);
    const b = Buffer.alloc(m * 16);
    for (let k = 0; k < m; k++) { b.writeUInt32LE(i + k, k * 16); b.writeUInt32LE((i + k) * 7 >>> 0, k * 16 + 4); b.writeUInt32LE(16, k * 16 + 8); b.writeUInt32LE(1, k * 16 + 12); }
    if (!s.write(b)) await new Promise((r) => s.once('drain', r));
  }
  s.end();
});`, ['ignore', 'inherit', 'inherit']);
    });
  });
  await done;
  return t;
}

const best = async (f) => {
  let min = Infinity;
  for (let i = 0; i < RUNS; i++) min = Math.min(min, await f());
  return min;
};

const ring = await best(ringOnce);
const sock = await best(() => socketOnce(4096));
const sockOne = await best(() => socketOnce(1));
const rate = (t) => `${(N / t / 1e6).toFixed(2)} M/s`;
console.log(`N=${N} 16-byte descriptors from a child process to this one, best of ${RUNS}`);
console.log(`  SPSC ring in a memfd (both sides spinning): ${ring.toFixed(3)} s  ${rate(ring)}   (target >= 1 M/s: ${N / ring >= 1e6 ? 'met' : 'NOT met'})`);
console.log(`  Unix-domain socket (writes of 4096 records): ${sock.toFixed(3)} s  ${rate(sock)}`);
console.log(`  Unix-domain socket (one write per record):  ${sockOne.toFixed(3)} s  ${rate(sockOne)}`);
console.log(`  ring / socket: ${(sock / ring).toFixed(1)}x batched, ${(sockOne / ring).toFixed(1)}x one write per record`);
