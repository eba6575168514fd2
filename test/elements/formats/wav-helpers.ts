import { execFileSync, spawnSync } from 'node:child_process';
import { AppSink } from '../../../src/elements/app/appsink.js';
import { FileSrc } from '../../../src/elements/io/filesrc.js';
import { WavParse } from '../../../src/elements/formats/wav/wavparse.js';
import { Pipeline } from '../../../src/exec/pipeline.js';
import { linkPads } from '../../../src/graph/link.js';

/** sox and soxi on PATH, or why not (the sox tests skip, saying so; CI installs sox). */
export const SOX_MISSING: string | null = (() => {
  const r = spawnSync('sox', ['--version'], { encoding: 'utf8' });
  return r.error !== undefined ? `sox not found (${r.error.message}); install it with apt-get install sox` : null;
})();
if (SOX_MISSING !== null) process.stderr.write(`skipping the sox-based WAV tests: ${SOX_MISSING}\n`);

export const FORMATS = [
  { format: 'S16LE', bits: 16, encoding: 'signed-integer' },
  { format: 'S24LE', bits: 24, encoding: 'signed-integer' },
  { format: 'S32LE', bits: 32, encoding: 'signed-integer' },
  { format: 'F32LE', bits: 32, encoding: 'floating-point' },
] as const;
export const RATES = [8000, 44100, 96000] as const;
export const CHANNELS = [1, 2, 6] as const;

export function sox(args: string[]): Buffer {
  return execFileSync('sox', args, { maxBuffer: 64 << 20 });
}

export function soxi(flag: string, path: string): string {
  return execFileSync('soxi', [flag, path], { encoding: 'utf8' }).trim();
}

export interface Parsed {
  bytes: Uint8Array;
  caps: string | null;
  buffers: { offset: number; pts: number; duration: number; size: number }[];
  messages: { type: string; text: string }[];
}

/** Runs `filesrc location=path blocksize=b ! wavparse ! appsink` and collects what came out. */
export async function parseFile(path: string, blocksize = 4096): Promise<Parsed> {
  const src = new FileSrc('src');
  src.set('location', path);
  src.set('blocksize', blocksize);
  const parse = new WavParse('wavparse0');
  const sink = new AppSink('sink');
  const p = new Pipeline();
  p.add(src, parse, sink);
  linkPads(src.pad('src')!, parse.pad('sink')!);
  linkPads(parse.pad('src')!, sink.pad('sink')!);
  const messages: { type: string; text: string }[] = [];
  p.bus.on('message', (m) => {
    if (m.type === 'error') messages.push({ type: 'error', text: m.error.message });
    if (m.type === 'warning') messages.push({ type: 'warning', text: m.message });
  });
  const done = p.run();
  const chunks: Uint8Array[] = [];
  const buffers: Parsed['buffers'] = [];
  const reading = (async () => {
    for await (const b of sink) {
      chunks.push(b.data.slice());
      buffers.push({ offset: b.offset, pts: b.pts, duration: b.duration, size: b.size });
      b.release();
    }
  })();
  try {
    await done;
  } finally {
    await reading;
  }
  const caps = sink.pad('sink')!.caps;
  return { bytes: Buffer.concat(chunks), caps: caps === null ? null : caps.toString(), buffers, messages };
}
