// Question: how fast does Parallax halve the volume of a WAV file, against sox doing the same?
// Method: sox makes a 60-second 48 kHz stereo S16LE WAV (440 Hz left, 554 Hz right, -1 dBFS).
// Parallax runs `filesrc location=in.wav blocksize=B ! wavparse ! volume volume=0.5 ! wavenc !
// filesink location=out.wav` (built from dist/; timed from run() to its end, whole pipeline
// including opening and closing the files, best of RUNS, for B = 4096 (filesrc's default) and
// 65536). Reference in the same run: `sox in.wav out.wav vol 0.5` (whole process, best of RUNS;
// its start-up is measured with a 10 ms file and printed beside it). The outputs are compared
// sample by sample: Parallax against sox's (which dithers by default at 16 bits) and against
// `sox -D` (no dither); every sample must agree within ±1.
// Metric: seconds, audio seconds per wall second, the ratio sox time / Parallax time; bytes copied.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { launch } from '../dist/index.js';

const RUNS = Number(process.env.RUNS ?? 5);
const SECONDS = Number(process.env.SECONDS ?? 60);
const dir = mkdtempSync(join(tmpdir(), 'parallax-wav-volume-'));
const input = join(dir, 'in.wav');
const tiny = join(dir, 'tiny.wav');

execFileSync('sox', ['-V1', '-n', '-r', '48000', '-c', '2', '-b', '16', '-e', 'signed-integer', input, 'synth', String(SECONDS), 'sine', '440', 'sine', '554', 'gain', '-1']);
execFileSync('sox', ['-V1', '-n', '-r', '48000', '-c', '2', '-b', '16', '-e', 'signed-integer', tiny, 'synth', '0.01', 'sine', '440']);

/** The samples of a WAV file's data chunk (S16LE). */
function samples(path) {
  const b = readFileSync(path);
  let at = 12;
  while (at + 8 <= b.length) {
    const id = b.toString('latin1', at, at + 4);
    const size = b.readUInt32LE(at + 4);
    if (id === 'data') return new Int16Array(b.buffer.slice(b.byteOffset + at + 8, b.byteOffset + at + 8 + Math.min(size, b.length - at - 8)));
    at += 8 + size + (size & 1);
  }
  throw new Error(`${path}: no data chunk`);
}

function compare(a, b) {
  if (a.length !== b.length) return { ok: false, why: `${a.length} samples against ${b.length}` };
  let max = 0;
  let differ = 0;
  for (let i = 0; i < a.length; i++) {
    const d = Math.abs(a[i] - b[i]);
    if (d > 0) differ++;
    if (d > max) max = d;
  }
  return { ok: max <= 1, max, differ, n: a.length };
}

function soxBest(args) {
  let best = Infinity;
  for (let i = 0; i < RUNS; i++) {
    const t0 = performance.now();
    execFileSync('sox', args, { stdio: 'ignore' });
    best = Math.min(best, performance.now() - t0);
  }
  return best / 1000;
}

async function parallaxBest(blocksize, out) {
  let best = Infinity;
  let copied = 0;
  for (let i = 0; i < RUNS; i++) {
    const p = launch(`filesrc location=${input} blocksize=${blocksize} ! wavparse ! volume volume=0.5 ! wavenc ! filesink location=${out}`);
    const t0 = performance.now();
    await p.run();
    best = Math.min(best, performance.now() - t0);
    copied = p.stats().bytesCopied;
    await p.dispose();
  }
  return { t: best / 1000, copied };
}

const soxOut = join(dir, 'sox.wav');
const soxPlainOut = join(dir, 'sox-nodither.wav');
const tSox = soxBest([input, soxOut, 'vol', '0.5']);
const tSoxStart = soxBest([tiny, join(dir, 'tiny-out.wav'), 'vol', '0.5']);
soxBest(['-D', input, soxPlainOut, 'vol', '0.5']);
const ref = samples(soxOut);
const refPlain = samples(soxPlainOut);

const fmt = (t) => `${t.toFixed(3)} s`;
console.log(`input: ${SECONDS} s, 48 kHz stereo S16LE (${(readFileSync(input).length / 1e6).toFixed(2)} MB); best of ${RUNS}`);
console.log(`sox in.wav out.wav vol 0.5: ${fmt(tSox)} (${(SECONDS / tSox).toFixed(0)}x real time; start-up and teardown ${fmt(tSoxStart)})`);
let failed = false;
for (const blocksize of [4096, 65536]) {
  const out = join(dir, `parallax-${blocksize}.wav`);
  const { t, copied } = await parallaxBest(blocksize, out);
  const got = samples(out);
  const vsSox = compare(got, ref);
  const vsPlain = compare(got, refPlain);
  if (!vsSox.ok || !vsPlain.ok) failed = true;
  console.log(`parallax blocksize=${blocksize}: ${fmt(t)} (${(SECONDS / t).toFixed(0)}x real time), sox time / parallax time = ${(tSox / t).toFixed(2)}x; bytes copied ${copied}`);
  console.log(`  vs sox: ${vsSox.ok ? 'within ±1' : 'DIFFER'} (max ${vsSox.max ?? '-'}, ${vsSox.differ ?? '-'} of ${vsSox.n ?? '-'} samples differ${vsSox.why ? `; ${vsSox.why}` : ''}); vs sox -D: max ${vsPlain.max ?? '-'}, ${vsPlain.differ ?? '-'} differ`);
}
rmSync(dir, { recursive: true, force: true });
if (failed) {
  console.error('outputs disagree by more than ±1');
  process.exit(1);
}
