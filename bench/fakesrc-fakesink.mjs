// Question: how fast does the event-loop executor move small buffers, against GStreamer's
// gst-launch-1.0 on the same string and against a Node stream.pipeline in objectMode?
// Method: each contender moves N 64-byte buffers from a source to a sink; best of RUNS wall
// times, measured in this run. Prints buffers/s and the ratios the issue targets.
import { execFileSync } from 'node:child_process';
import { Readable, Writable } from 'node:stream';
import { pipeline as streamPipeline } from 'node:stream/promises';
import { launch } from '../dist/index.js';

const N = Number(process.env.N ?? 2_000_000);
const RUNS = Number(process.env.RUNS ?? 3);

async function best(fn) {
  let min = Infinity;
  for (let i = 0; i < RUNS; i++) {
    const t0 = performance.now();
    await fn();
    min = Math.min(min, performance.now() - t0);
  }
  return min / 1000;
}

function gst(desc) {
  try {
    execFileSync('gst-launch-1.0', ['--version'], { stdio: 'ignore' });
  } catch {
    return undefined;
  }
  return best(async () => execFileSync('gst-launch-1.0', ['-q', ...desc.split(' ')], { stdio: 'ignore' }));
}

async function nodeStreams() {
  let i = 0;
  const src = new Readable({
    objectMode: true,
    read() {
      for (;;) {
        if (i >= N) return void this.push(null);
        if (!this.push(new Uint8Array(64), i++)) return;
      }
    },
  });
  const sink = new Writable({ objectMode: true, write(_chunk, _enc, cb) { cb(); } });
  await streamPipeline(src, sink);
}

const cases = [
  ['direct', `fakesrc num-buffers=${N} sizetype=fixed sizemax=64 ! fakesink`],
  ['queue', `fakesrc num-buffers=${N} sizetype=fixed sizemax=64 ! queue ! fakesink`],
];

const streams = await best(() => nodeStreams());
console.log(`N=${N} buffers of 64 bytes, best of ${RUNS}`);
console.log(`node stream.pipeline objectMode: ${streams.toFixed(3)} s  ${(N / streams / 1e6).toFixed(2)} M buf/s`);
for (const [label, desc] of cases) {
  const ours = await best(() => launch(desc).run());
  const theirs = await gst(desc);
  console.log(`\n[${label}] ${desc}`);
  console.log(`  parallax:        ${ours.toFixed(3)} s  ${(N / ours / 1e6).toFixed(2)} M buf/s`);
  if (theirs === undefined) console.log('  gst-launch-1.0:  not installed (apt-get install gstreamer1.0-tools); column skipped');
  else console.log(`  gst-launch-1.0:  ${theirs.toFixed(3)} s  ${(N / theirs / 1e6).toFixed(2)} M buf/s  -> parallax time / gst time = ${(ours / theirs).toFixed(2)}x (target <= 1.5x)`);
  console.log(`  vs node streams: ${(streams / ours).toFixed(1)}x faster (target >= 10x)`);
}
