// What the Y4M tests share: whether ffmpeg is here, generating Y4M files with it, running a
// Parallax launch line to EOS with its messages, and a tiny Y4M writer for literal tables.
import { execFileSync, spawnSync } from 'node:child_process';
import { launch, type PipelineOptions } from '../../../src/index.js';

/** ffmpeg on PATH, or why not (the ffmpeg tests skip, saying so; CI installs ffmpeg). */
export const FFMPEG_MISSING: string | null = (() => {
  const r = spawnSync('ffmpeg', ['-version'], { encoding: 'utf8' });
  return r.error !== undefined ? `ffmpeg not found (${r.error.message}); install it with apt-get install ffmpeg` : null;
})();
if (FFMPEG_MISSING !== null) process.stderr.write(`skipping the ffmpeg-based Y4M tests: ${FFMPEG_MISSING}\n`);

export function ffmpeg(args: string[]): Buffer {
  return execFileSync('ffmpeg', ['-hide_banner', '-v', 'error', '-y', ...args], { maxBuffer: 256 << 20 });
}

/**
 * A Y4M file of `frames` frames of ffmpeg's testsrc2 at `width` x `height` in `pixFmt`
 * (yuv420p, yuvj420p, yuv422p, yuv444p, gray). testsrc2 draws even sizes only, so an odd size
 * is scaled from the next even one; `-strict -1` lets ffmpeg write gray.
 */
export function makeY4m(path: string, pixFmt: string, width: number, height: number, frames: number): void {
  const ew = width + (width & 1);
  const eh = height + (height & 1);
  const scale = ew === width && eh === height ? [] : ['-vf', `scale=${width}:${height},setsar=1`];
  ffmpeg(['-f', 'lavfi', '-i', `testsrc2=size=${ew}x${eh}:rate=25`, '-frames:v', String(frames), ...scale,
    '-pix_fmt', pixFmt, '-strict', '-1', '-f', 'yuv4mpegpipe', path]);
}

export interface Run {
  errors: string[];
  warnings: string[];
  copied: number;
  caps: Map<string, string>;
}

/** Runs `desc` to EOS (or its first error) and reports the messages, caps and bytes copied. */
export async function run(desc: string, options: PipelineOptions = {}): Promise<Run> {
  const p = launch(desc, options);
  const errors: string[] = [];
  const warnings: string[] = [];
  const caps = new Map<string, string>();
  p.bus.on('error', (m) => errors.push(m.error.message));
  p.bus.on('warning', (m) => warnings.push(m.message));
  p.bus.on('caps', (m) => caps.set(m.pad, String(m.caps)));
  try {
    await p.run();
  } catch (e) {
    if (errors.length === 0) errors.push(e instanceof Error ? e.message : String(e));
  }
  const copied = p.stats().bytesCopied;
  await p.dispose();
  return { errors, warnings, copied, caps };
}

/** A Y4M stream: `header` (without the newline), then each frame's tight bytes after `FRAME\n`. */
export function y4m(header: string, frames: (Uint8Array | number[])[], frameLine = 'FRAME'): Uint8Array {
  const enc = new TextEncoder();
  const parts: number[] = [...enc.encode(`${header}\n`)];
  for (const f of frames) parts.push(...enc.encode(`${frameLine}\n`), ...f);
  return new Uint8Array(parts);
}
