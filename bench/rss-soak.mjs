// Question: does resident memory stay flat across 10 million buffers through a thread bridge?
// Method: `fakesrc num-buffers=N sizetype=fixed sizemax=64 ! queue ! fakesink` with scheduling
// 'hybrid' (fakesrc and fakesink each on a data thread, the queue a ring between them; the main
// thread only waits). The main thread samples process.memoryUsage().rss every SAMPLE_MS while
// the pipeline runs. RSS is the whole process: the main thread, both data threads' V8 heaps and
// the pages of the shared arena that have been touched, since worker threads share the address
// space. "After the first 10%" is the first sample taken at or after 10% of the run's duration
// (the rate is steady; the buffer count the threads last reported is printed next to it).
// Metric: RSS after the first 10%, at the end (the last sample before EOS), the max, and the
// change from the first to the end in % (target: within 5%).
import { launch } from '../dist/index.js';

const N = Number(process.env.N ?? 10_000_000);
const SAMPLE_MS = Number(process.env.SAMPLE_MS ?? 50);
const HANG_MS = Number(process.env.HANG_MS ?? 600_000);
const DESC = `fakesrc num-buffers=${N} sizetype=fixed sizemax=64 ! queue ! fakesink`;
const MB = 1024 * 1024;

const before = process.memoryUsage().rss;
const p = launch(DESC, { scheduling: 'hybrid' });
let tEos = 0;
p.bus.on('eos', (m) => {
  if (m.source === p.name) tEos = performance.now();
});
await p.prepare();
const prepared = process.memoryUsage().rss;

const samples = [];
const sample = () => {
  if (tEos !== 0) return;
  samples.push({ t: performance.now() - t0, rss: process.memoryUsage().rss, buffers: p.stats().pads['fakesrc0:src']?.buffers ?? 0 });
};
const watchdog = setTimeout(() => {
  const s = p.stats();
  console.error(`HANG: run not done after ${HANG_MS} ms; state ${p.state}; running tasks ${JSON.stringify(p.runningTasks())}; pads ${JSON.stringify(s.pads)}; links ${JSON.stringify(s.links)}`);
  process.exit(2);
}, HANG_MS);
const t0 = performance.now();
const timer = setInterval(sample, SAMPLE_MS);
sample();
await p.run();
clearInterval(timer);
clearTimeout(watchdog);
const duration = tEos - t0;
const s = p.stats();
if (s.pads['fakesrc0:src']?.buffers !== N) throw new Error(`fakesrc0:src pushed ${s.pads['fakesrc0:src']?.buffers} buffers, expected ${N}`);
await p.dispose();
const after = process.memoryUsage().rss;

const mb = (b) => `${(b / MB).toFixed(1)} MiB`;
const early = samples.find((x) => x.t >= 0.1 * duration) ?? samples[samples.length - 1];
const end = samples[samples.length - 1];
const max = samples.reduce((a, x) => (x.rss > a.rss ? x : a), samples[0]);
const change = ((end.rss - early.rss) / early.rss) * 100;

console.log(`N=${N} buffers of 64 bytes, hybrid, RSS sampled every ${SAMPLE_MS} ms on the main thread (whole process, workers included)`);
console.log(`  ${DESC}`);
console.log(`  run() -> eos: ${(duration / 1000).toFixed(2)} s, ${(N / duration / 1e3).toFixed(2)} M buf/s; ${samples.length} samples; pools at the end: ${JSON.stringify(s.pools)}`);
console.log(`  RSS before launch ${mb(before)}, after prepare (threads up) ${mb(prepared)}, after dispose ${mb(after)}`);
console.log(`  RSS after the first 10% (t=${(early.t / 1000).toFixed(2)} s, ~${early.buffers} buffers reported): ${mb(early.rss)}`);
console.log(`  RSS at the end (t=${(end.t / 1000).toFixed(2)} s, ~${end.buffers} buffers reported):          ${mb(end.rss)}`);
console.log(`  RSS max (t=${(max.t / 1000).toFixed(2)} s):                                        ${mb(max.rss)}`);
console.log(`  change from 10% to the end: ${change >= 0 ? '+' : ''}${change.toFixed(2)}%  (target: within 5%: ${Math.abs(change) <= 5 ? 'met' : 'NOT met'}); max over the 10% sample: +${(((max.rss - early.rss) / early.rss) * 100).toFixed(2)}%`);
if (process.env.VERBOSE) for (const x of samples) console.log(`    ${(x.t / 1000).toFixed(2)} s  ${mb(x.rss)}  ${x.buffers}`);
