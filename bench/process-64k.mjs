// Question: do 64 KiB buffers cross a process link without a copy, and at what rate?
// Method: the link of bench/process-hop.mjs with N buffers of 65,536 bytes (a child's
// ProcessBridgeSink, this process's ProcessBridgeSource into a checking sink), best of RUNS.
// Bytes copied are counted in both processes (copyStats) and must be 0. Reference in the same
// run: the same N records of 64 KiB through a Unix stream socket (every byte copied twice, into
// the kernel and out). Metric: buffers/s, GB/s (10^9 bytes), the ratio link / socket.
process.env.SIZE ??= '65536';
process.env.CAPACITY ??= '256';
const { linkOnce } = await import('./process-hop.mjs');
const { udsStream } = await import('./support/link-bench.mjs');

const N = Number(process.env.N ?? 100_000);
const RUNS = Number(process.env.RUNS ?? 3);
const SIZE = 65536;

let link = { t: Infinity, copied: 0 };
for (let i = 0; i < RUNS; i++) {
  const r = await linkOnce(N, SIZE);
  if (r.t < link.t) link = r;
}
let uds = Infinity;
for (let i = 0; i < RUNS; i++) uds = Math.min(uds, await udsStream(N, SIZE));
const gbs = (t) => `${(N * SIZE / t / 1e9).toFixed(2)} GB/s`;
console.log(`N=${N} buffers of 64 KiB from a child process to this one, best of ${RUNS}`);
console.log(`  process link: ${link.t.toFixed(3)} s  ${(N / link.t / 1e3).toFixed(0)} k buf/s  ${gbs(link.t)}  bytes copied ${link.copied} (must be 0: ${link.copied === 0 ? 'yes' : 'NO'})`);
console.log(`  Unix-domain socket: ${uds.toFixed(3)} s  ${(N / uds / 1e3).toFixed(0)} k buf/s  ${gbs(uds)}  (${N * SIZE * 2} bytes copied through the kernel)`);
console.log(`  link / socket: ${(uds / link.t).toFixed(1)}x`);
