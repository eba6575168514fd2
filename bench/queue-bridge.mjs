// Question: how fast does a queue that is a thread bridge move small buffers, against GStreamer?
// Method: `fakesrc num-buffers=N sizetype=fixed sizemax=64 ! queue ! fakesink`. Parallax with
// scheduling 'hybrid' (fakesrc on one data thread, fakesink on another, the queue an SPSC ring
// between them), timed two ways: from run() to the pipeline's `eos` message (prepare and worker
// start-up included), and prepared first, so the clock runs from run() on started threads to
// `eos`. References in the same run: the same string in `gst-launch-1.0 -q` (process start-up
// included) and Parallax's async mode (everything on the event loop). Best of RUNS.
// Prints buffers/s, the ratio Parallax buffers/s / GStreamer buffers/s (issue target >= 2x), the
// ring's wake-ups, and checks the counts and stats().bytesCopied.
import { execFileSync } from 'node:child_process';
import { launch } from '../dist/index.js';

const N = Number(process.env.N ?? 2_000_000);
const RUNS = Number(process.env.RUNS ?? 3);
/** A run that takes longer than this is reported as a hang, with the pipeline's state. */
const HANG_MS = Number(process.env.HANG_MS ?? 120_000);
const DESC = `fakesrc num-buffers=${N} sizetype=fixed sizemax=64 ! queue ! fakesink`;

function hasGst() {
  try {
    execFileSync('gst-launch-1.0', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

function gstBest(desc) {
  let min = Infinity;
  for (let i = 0; i < RUNS; i++) {
    const t0 = performance.now();
    execFileSync('gst-launch-1.0', ['-q', ...desc.split(' ')], { stdio: 'ignore' });
    min = Math.min(min, performance.now() - t0);
  }
  return min / 1000;
}

/**
 * One Parallax run. Returns seconds from run() to `eos` (and to run() resolving, which adds the
 * teardown of the threads), after checking what the pipeline says it moved.
 */
async function parallaxOnce(scheduling, prepared) {
  const p = launch(DESC, { scheduling });
  let tEos = 0;
  p.bus.on('eos', (m) => {
    if (m.source === p.name) tEos = performance.now();
  });
  if (prepared) await p.prepare();
  const watchdog = setTimeout(() => {
    const s = p.stats();
    console.error(`HANG: ${scheduling} run not done after ${HANG_MS} ms; state ${p.state}; running tasks ${JSON.stringify(p.runningTasks())}; pads ${JSON.stringify(s.pads)}; links ${JSON.stringify(s.links)}`);
    process.exit(2);
  }, HANG_MS);
  const t0 = performance.now();
  await p.run();
  const tDone = performance.now();
  clearTimeout(watchdog);
  const s = p.stats();
  const sent = s.pads['fakesrc0:src']?.buffers;
  if (sent !== N) throw new Error(`${scheduling}: fakesrc0:src pushed ${sent} buffers, expected ${N}`);
  if (tEos === 0) throw new Error(`${scheduling}: run() resolved without an eos message`);
  const wakeups = Object.values(s.links).reduce((a, l) => a + l.wakeups, 0);
  const threads = p.plan?.threadCount ?? 0;
  await p.dispose();
  return { toEos: (tEos - t0) / 1000, toReturn: (tDone - t0) / 1000, bytesCopied: s.bytesCopied, wakeups, threads };
}

async function parallaxBest(scheduling, prepared) {
  let best = null;
  let copied = 0;
  const times = [];
  for (let i = 0; i < RUNS; i++) {
    const r = await parallaxOnce(scheduling, prepared);
    copied += r.bytesCopied;
    times.push(r.toEos);
    if (best === null || r.toEos < best.toEos) best = r;
  }
  return { ...best, copied, times };
}

const rate = (s) => `${(N / s / 1e6).toFixed(2)} M buf/s`;
const fmt = (r) => `${r.toEos.toFixed(3)} s  ${rate(r.toEos)}  (all runs ${r.times.map((t) => t.toFixed(3)).join(', ')} s; run() resolved ${r.toReturn.toFixed(3)} s)`;

console.log(`N=${N} buffers of 64 bytes through a queue, best of ${RUNS}`);
console.log(`  ${DESC}`);

const cold = await parallaxBest('hybrid', false);
const warm = await parallaxBest('hybrid', true);
const asyncRef = await parallaxBest('async', true);
const gst = hasGst() ? gstBest(DESC) : undefined;
// Process start-up and teardown of gst-launch, for reading its column: one buffer through the same string.
const gstIdle = gst === undefined ? undefined : gstBest(DESC.replace(`num-buffers=${N}`, 'num-buffers=1'));

console.log(`\n  parallax hybrid, run() incl. prepare -> eos:   ${fmt(cold)}`);
console.log(`  parallax hybrid, prepared, run() -> eos:      ${fmt(warm)}`);
console.log(`    data threads: ${warm.threads}; ring wake-ups in the best prepared run: ${warm.wakeups} (${(warm.wakeups / N).toFixed(2)} per buffer)`);
console.log(`  parallax async (reference), run() -> eos:     ${fmt(asyncRef)}`);
if (gst === undefined) {
  console.log('  gst-launch-1.0:  not installed (apt-get install gstreamer1.0-tools); column skipped');
} else {
  console.log(`  gst-launch-1.0 -q (whole process):            ${gst.toFixed(3)} s  ${rate(gst)}  (1 buffer: ${gstIdle.toFixed(3)} s of start-up and teardown)`);
  console.log(`\n  parallax buf/s / gst buf/s (issue target >= 2x):`);
  console.log(`    hybrid incl. prepare: ${(gst / cold.toEos).toFixed(2)}x   hybrid prepared: ${(gst / warm.toEos).toFixed(2)}x   async: ${(gst / asyncRef.toEos).toFixed(2)}x`);
}
const copied = cold.copied + warm.copied;
console.log(`\n  stats().bytesCopied summed over the ${2 * RUNS} hybrid runs: ${copied} ${copied === 0 ? '(=== 0)' : '(NOT 0)'}`);
if (copied !== 0) process.exitCode = 1;
