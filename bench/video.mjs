// Question: how many 1080p frames per second do videotestsrc and videoconvert make, against
// GStreamer on the same launch strings?
// Method: each string prepared, timed from run() to the pipeline's eos (async scheduling: the
// pipeline is one chain, so a data thread adds only a hop), best of RUNS; reference in the same
// run: the same string in `gst-launch-1.0 -q`, whole process (its start-up and teardown,
// measured with one buffer, printed beside it).
//   1. videotestsrc num-buffers=N ! video/x-raw,format=I420,width=1920,height=1080 ! fakesink
//   2. the same with pattern=black
//   3. videotestsrc num-buffers=M ! video/x-raw,format=RGBA,width=1920,height=1080 ! videoconvert
//      ! video/x-raw,format=I420 ! fakesink  — and, to isolate the conversion, the same without
//      videoconvert (RGBA frames to fakesink): conversion fps = M / (t3 - t3 without convert).
// Metric: frames/s, the ratio to GStreamer (targets: 1 and 2 at least GStreamer's fps; 3 report),
// and stats().bytesCopied.
import { execFileSync } from 'node:child_process';
import { launch } from '../dist/index.js';

const N = Number(process.env.N ?? 2000);
const M = Number(process.env.M ?? 300);
const RUNS = Number(process.env.RUNS ?? 3);
const scheduling = process.env.SCHEDULING ?? 'async';

const CASES = [
  { label: 'smpte I420 1080p', n: N, desc: (n) => `videotestsrc num-buffers=${n} ! video/x-raw,format=I420,width=1920,height=1080 ! fakesink` },
  { label: 'black I420 1080p', n: N, desc: (n) => `videotestsrc pattern=black num-buffers=${n} ! video/x-raw,format=I420,width=1920,height=1080 ! fakesink` },
  { label: 'RGBA source only', n: M, desc: (n) => `videotestsrc num-buffers=${n} ! video/x-raw,format=RGBA,width=1920,height=1080 ! fakesink` },
  { label: 'RGBA -> I420 videoconvert', n: M, desc: (n) => `videotestsrc num-buffers=${n} ! video/x-raw,format=RGBA,width=1920,height=1080 ! videoconvert ! video/x-raw,format=I420 ! fakesink` },
];

function hasGst() {
  try {
    execFileSync('gst-launch-1.0', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

function gstBest(d) {
  let min = Infinity;
  for (let i = 0; i < RUNS; i++) {
    const t0 = performance.now();
    execFileSync('gst-launch-1.0', ['-q', ...d.split(' ')], { stdio: 'ignore' });
    min = Math.min(min, performance.now() - t0);
  }
  return min / 1000;
}

async function parallaxBest(d, n) {
  let best = Infinity;
  let copied = 0;
  for (let i = 0; i < RUNS; i++) {
    const p = launch(d, { scheduling });
    let tEos = 0;
    p.bus.on('eos', (m) => {
      if (m.source === p.name) tEos = performance.now();
    });
    await p.prepare();
    const t0 = performance.now();
    await p.run();
    const out = p.stats().pads['videotestsrc0:src']?.buffers;
    if (out !== n) throw new Error(`${d}: videotestsrc0 pushed ${out} frames, expected ${n}`);
    copied += p.stats().bytesCopied;
    best = Math.min(best, (tEos - t0) / 1000);
    await p.dispose();
  }
  return { t: best, copied };
}

const gst = hasGst();
const idle = gst ? gstBest(CASES[0].desc(1)) : 0;
console.log(`1080p frames, best of ${RUNS}, ${scheduling} scheduling; gst-launch-1.0 ${gst ? `start-up and teardown ${idle.toFixed(3)} s` : 'not installed (apt-get install gstreamer1.0-tools gstreamer1.0-plugins-base): columns skipped'}`);
const results = {};
let copied = 0;
for (const c of CASES) {
  const d = c.desc(c.n);
  const px = await parallaxBest(d, c.n);
  copied += px.copied;
  const g = gst ? gstBest(d) : undefined;
  results[c.label] = { px: px.t, gst: g, n: c.n };
  const fps = (t) => `${(c.n / t).toFixed(0)} fps`;
  const ratio = g === undefined ? '' : `   gst ${g.toFixed(3)} s ${fps(g)}   parallax/gst ${(g / px.t).toFixed(2)}x (gst without start-up: ${((g - idle) / px.t).toFixed(2)}x)`;
  console.log(`  ${c.label.padEnd(27)} parallax ${px.t.toFixed(3)} s ${fps(px.t)}${ratio}`);
}
const conv = results['RGBA -> I420 videoconvert'];
const src = results['RGBA source only'];
const convFps = (t, s) => (M / (t - s)).toFixed(0);
console.log(`\n  conversion alone (convert run minus source-only run): parallax ${convFps(conv.px, src.px)} fps${gst ? `, gst ${convFps(conv.gst, src.gst)} fps` : ''}`);
console.log(`  stats().bytesCopied over all runs: ${copied}`);
if (copied !== 0) process.exitCode = 1;
