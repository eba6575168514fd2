// Question: how fast does Parallax read and write an uncompressed 1080p Y4M stream, against
// ffmpeg doing the same remux?
// Method: ffmpeg generates N frames (default 300) of testsrc2 at 1920x1080, yuv420p, as a Y4M
// file in a temporary directory (about 0.93 GB; the page cache holds it for every run). Then,
// alternating, best of RUNS each:
//   - Parallax: `filesrc location=in.y4m blocksize=B ! y4mparse ! y4menc ! filesink location=out.y4m`
//     (async scheduling), timed in process from launch() to the end of run(), preparation
//     included, for B = 4096 (filesrc's default) and B = 1 MiB;
//   - ffmpeg: `ffmpeg -i in.y4m -f yuv4mpegpipe out.y4m` (-y, -v error), the whole process;
//     its start-up and teardown, measured with `-frames:v 1`, is printed beside it.
// Both outputs are checked byte for byte against the input once (y4menc writes ffmpeg's header).
// Metric: wall time and frames/s, the ratio Parallax time / ffmpeg time, and bytes copied per
// frame (y4mparse copies each frame once out of filesrc's blocks; y4menc passes it on).
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { launch } from '../dist/index.js';

const N = Number(process.env.N ?? 300);
const RUNS = Number(process.env.RUNS ?? 3);
const BLOCKS = [4096, 1 << 20];

function ffmpeg(args) {
  execFileSync('ffmpeg', ['-hide_banner', '-v', 'error', '-y', ...args], { stdio: 'ignore' });
}

try {
  execFileSync('ffmpeg', ['-version'], { stdio: 'ignore' });
} catch {
  console.log('ffmpeg not installed (apt-get install ffmpeg): the benchmark needs it to make its input and as the reference');
  process.exit(0);
}

const dir = mkdtempSync(join(tmpdir(), 'parallax-y4m-bench-'));
const input = join(dir, 'in.y4m');
const ours = join(dir, 'parallax.y4m');
const theirs = join(dir, 'ffmpeg.y4m');
const frameBytes = 1920 * 1080 * 3 / 2;

function ffmpegTime(frames) {
  const t0 = performance.now();
  ffmpeg(['-i', input, ...(frames === undefined ? [] : ['-frames:v', String(frames)]), '-f', 'yuv4mpegpipe', theirs]);
  return (performance.now() - t0) / 1000;
}

async function parallaxTime(blocksize) {
  const t0 = performance.now();
  const p = launch(`filesrc location=${input} blocksize=${blocksize} ! y4mparse ! y4menc ! filesink location=${ours}`);
  await p.run();
  const t = (performance.now() - t0) / 1000;
  const copied = p.stats().bytesCopied;
  await p.dispose();
  return { t, copied };
}

try {
  ffmpeg(['-f', 'lavfi', '-i', 'testsrc2=size=1920x1080:rate=25', '-frames:v', String(N), '-pix_fmt', 'yuv420p', '-f', 'yuv4mpegpipe', input]);
  const size = statSync(input).size;
  console.log(`${N} frames of 1080p I420 Y4M (${(size / 1e9).toFixed(2)} GB), best of ${RUNS}, async scheduling`);
  const idle = Math.min(...Array.from({ length: RUNS }, () => ffmpegTime(1)));
  const best = { ffmpeg: Infinity };
  const copiedPerFrame = {};
  for (let r = 0; r < RUNS; r++) {
    for (const b of BLOCKS) {
      const { t, copied } = await parallaxTime(b);
      best[b] = Math.min(best[b] ?? Infinity, t);
      copiedPerFrame[b] = copied / N;
    }
    best.ffmpeg = Math.min(best.ffmpeg, ffmpegTime());
  }
  const same = (a, b) => Buffer.compare(readFileSync(a), readFileSync(b)) === 0;
  const identical = same(ours, input) && same(theirs, input);
  const fps = (t) => `${(N / t).toFixed(0)} fps, ${(size / t / 1e9).toFixed(2)} GB/s`;
  console.log(`  ffmpeg -i in.y4m -f yuv4mpegpipe out.y4m    ${best.ffmpeg.toFixed(3)} s  ${fps(best.ffmpeg)}  (start-up and teardown ${idle.toFixed(3)} s)`);
  for (const b of BLOCKS) {
    console.log(`  parallax filesrc blocksize=${String(b).padEnd(8)} ${best[b].toFixed(3)} s  ${fps(best[b])}  parallax/ffmpeg ${(best[b] / best.ffmpeg).toFixed(2)}x` +
      ` (ffmpeg without start-up: ${(best[b] / (best.ffmpeg - idle)).toFixed(2)}x)  copied ${(copiedPerFrame[b] / frameBytes).toFixed(3)} frames' bytes per frame`);
  }
  console.log(`  outputs byte-identical to the input: ${identical ? 'yes' : 'NO'}`);
  if (!identical) process.exitCode = 1;
} finally {
  rmSync(dir, { recursive: true, force: true });
}
