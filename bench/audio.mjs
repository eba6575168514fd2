// Question 1: how many audio frames per second does audiotestsrc ! volume ! fakesink make, against
// GStreamer on the same launch string?
// Method: `audiotestsrc samplesperbuffer=256 num-buffers=N ! audio/x-raw,format=F32LE,rate=48000,
// channels=2 ! volume volume=0.5 ! fakesink`, prepared, timed from run() to the pipeline's eos, in
// async and hybrid scheduling, best of RUNS. Reference in the same run: the same string in
// `gst-launch-1.0 -q`, whole process (its start-up and teardown, measured with num-buffers=1, is
// printed beside it). Frames/s = N x 256 / time.
//
// Question 2: how much faster is the WebAssembly volume kernel than its JS reference?
// Method: both kernels scale the same 256-frame stereo F32 buffer (512 samples) in place, in the
// same shared memory, BUFFERS times per round, best of RUNS rounds; and the same for S16.
// Metric: ns per buffer and the speed-up.
import { execFileSync } from 'node:child_process';
import { launch } from '../dist/index.js';
import { KernelHost } from '../dist/wasm/kernel-host.js';
import { Arena } from '../dist/memory/arena.js';
import { volume_f32, volume_s16 } from '../dist/elements/audio/reference/volume.js';

const N = Number(process.env.N ?? 100_000);
const RUNS = Number(process.env.RUNS ?? 5);
const BUFFERS = Number(process.env.BUFFERS ?? 200_000);
const FRAMES = 256;
const desc = (n) => `audiotestsrc samplesperbuffer=${FRAMES} num-buffers=${n} ! audio/x-raw,format=F32LE,rate=48000,channels=2 ! volume volume=0.5 ! fakesink`;

function gstBest(d) {
  let min = Infinity;
  for (let i = 0; i < RUNS; i++) {
    const t0 = performance.now();
    execFileSync('gst-launch-1.0', ['-q', ...d.split(' ')], { stdio: 'ignore' });
    min = Math.min(min, performance.now() - t0);
  }
  return min / 1000;
}

function hasGst() {
  try {
    execFileSync('gst-launch-1.0', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

async function parallaxBest(scheduling) {
  let best = Infinity;
  let copied = 0;
  for (let i = 0; i < RUNS; i++) {
    const p = launch(desc(N), { scheduling });
    let tEos = 0;
    p.bus.on('eos', (m) => {
      if (m.source === p.name) tEos = performance.now();
    });
    await p.prepare();
    const t0 = performance.now();
    await p.run();
    const s = p.stats();
    if (s.pads['volume0:src']?.buffers !== N) throw new Error(`${scheduling}: volume0 pushed ${s.pads['volume0:src']?.buffers} buffers, expected ${N}`);
    copied += s.bytesCopied;
    best = Math.min(best, (tEos - t0) / 1000);
    await p.dispose();
  }
  return { t: best, copied };
}

function kernelBench() {
  const arena = Arena.create(16 * 1024 * 1024);
  const host = KernelHost.for(arena);
  const wasm = host.builtins;
  const mem = host.buffer;
  const at = host.carveState(FRAMES * 2 * 4);
  const f32 = new Float32Array(mem, at, FRAMES * 2);
  const i16 = new Int16Array(mem, at, FRAMES * 2);
  const time = (fn) => {
    let best = Infinity;
    for (let r = 0; r < RUNS; r++) {
      const t0 = performance.now();
      for (let i = 0; i < BUFFERS; i++) fn();
      best = Math.min(best, performance.now() - t0);
    }
    return (best * 1e6) / BUFFERS; // ns per buffer
  };
  // Volume 1.0001 keeps the values bounded over many passes without being the pass-through 1.
  f32.fill(0.25);
  const wasmF32 = time(() => wasm.volume_f32(at, FRAMES * 2, 1.0001));
  f32.fill(0.25);
  const jsF32 = time(() => volume_f32(mem, at, FRAMES * 2, 1.0001));
  i16.fill(1000);
  const wasmS16 = time(() => wasm.volume_s16(at, FRAMES * 2, 0.999));
  i16.fill(1000);
  const jsS16 = time(() => volume_s16(mem, at, FRAMES * 2, 0.999));
  return { wasmF32, jsF32, wasmS16, jsS16 };
}

console.log(`1. ${desc(N)}`);
console.log(`   N=${N} buffers of ${FRAMES} frames, best of ${RUNS}`);
const asyncR = await parallaxBest('async');
const hybridR = await parallaxBest('hybrid');
const fps = (t) => `${((N * FRAMES) / t / 1e6).toFixed(1)} M frames/s`;
console.log(`   parallax async,  run() -> eos: ${asyncR.t.toFixed(3)} s  ${fps(asyncR.t)}`);
console.log(`   parallax hybrid, run() -> eos: ${hybridR.t.toFixed(3)} s  ${fps(hybridR.t)}`);
if (hasGst()) {
  const gst = gstBest(desc(N));
  const idle = gstBest(desc(1));
  console.log(`   gst-launch-1.0 -q (whole process): ${gst.toFixed(3)} s  ${fps(gst)}  (1 buffer: ${idle.toFixed(3)} s of start-up and teardown)`);
  console.log(`   parallax frames/s / gst frames/s (target >= 2x): async ${(gst / asyncR.t).toFixed(2)}x, hybrid ${(gst / hybridR.t).toFixed(2)}x; against gst without its start-up: async ${((gst - idle) / asyncR.t).toFixed(2)}x`);
} else {
  console.log('   gst-launch-1.0 not installed (apt-get install gstreamer1.0-tools gstreamer1.0-plugins-base); column skipped');
}
console.log(`   stats().bytesCopied over all runs: ${asyncR.copied + hybridR.copied}`);

const k = kernelBench();
console.log(`\n2. volume kernel on ${FRAMES * 2} samples in place, ns per buffer, best of ${RUNS} x ${BUFFERS}`);
console.log(`   F32: wasm ${k.wasmF32.toFixed(1)} ns, JS reference ${k.jsF32.toFixed(1)} ns: ${(k.jsF32 / k.wasmF32).toFixed(1)}x`);
console.log(`   S16: wasm ${k.wasmS16.toFixed(1)} ns, JS reference ${k.jsS16.toFixed(1)} ns: ${(k.jsS16 / k.wasmS16).toFixed(1)}x`);
if (asyncR.copied + hybridR.copied !== 0) process.exitCode = 1;
