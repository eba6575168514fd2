// Y4M against ffmpeg 5.1: files ffmpeg writes go through y4mparse ! videoflip ! y4menc and come
// out byte for byte as `ffmpeg -vf vflip` writes them, round-trip byte for byte through
// y4mparse ! y4menc, and ffmpeg reads back what y4menc writes.
//
// Whole files are compared, headers included: y4menc writes ffmpeg's header tag for tag (W H F I
// A C XYSCSS XCOLORRANGE), so no framemd5 detour is needed; framemd5 is only used to check that
// ffmpeg decodes our files to the same pictures.
import { spawnSync } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FFMPEG_MISSING, ffmpeg, makeY4m, run } from './y4m-helpers.js';

let dir = '';
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'parallax-y4m-ffmpeg-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** Pixel formats and the sizes each is tried at: odd, a width not a multiple of 4 or 8, and a tight one. */
const CASES: [string, number, number][] = [
  ['yuv420p', 13, 7], ['yuv420p', 22, 10], ['yuv420p', 64, 48],
  ['yuvj420p', 13, 7], ['yuvj420p', 30, 16],
  ['yuv422p', 13, 7], ['yuv422p', 20, 6], ['yuv422p', 64, 48],
  ['yuv444p', 13, 7], ['yuv444p', 18, 6], ['yuv444p', 64, 48],
  ['gray', 13, 7], ['gray', 10, 4], ['gray', 64, 48],
];

const FLIPS: [string, string][] = [['vertical-flip', 'vflip'], ['horizontal-flip', 'hflip'], ['rotate-180', 'hflip,vflip']];

describe.skipIf(FFMPEG_MISSING !== null)('y4m against ffmpeg', () => {
  it.each(CASES)('%s %ix%i: every flip is ffmpeg\'s, byte for byte', async (pixFmt, w, h) => {
    const input = join(dir, `${pixFmt}-${w}x${h}.y4m`);
    makeY4m(input, pixFmt, w, h, 3);
    for (const [method, filter] of FLIPS) {
      const ours = join(dir, `${pixFmt}-${w}x${h}-${method}.y4m`);
      const theirs = join(dir, `${pixFmt}-${w}x${h}-${method}.ffmpeg.y4m`);
      // blocksize 100: frames and headers straddle input buffers.
      const r = await run(`filesrc location=${input} blocksize=100 ! y4mparse ! videoflip method=${method} ! y4menc ! filesink location=${ours}`);
      expect(r.errors).toEqual([]);
      ffmpeg(['-i', input, '-vf', filter, '-strict', '-1', '-f', 'yuv4mpegpipe', theirs]);
      const got = await readFile(ours);
      expect(Buffer.compare(got, await readFile(theirs)), `${pixFmt} ${w}x${h} ${method}`).toBe(0);
      expect(Buffer.compare(got, await readFile(input)), 'the flip changed the pictures').not.toBe(0);
    }
  });

  it.each(CASES)('%s %ix%i: y4mparse ! y4menc gives the file back byte for byte, and ffmpeg reads it', async (pixFmt, w, h) => {
    const input = join(dir, `rt-${pixFmt}-${w}x${h}.y4m`);
    makeY4m(input, pixFmt, w, h, 4);
    const out = join(dir, `rt-${pixFmt}-${w}x${h}.out.y4m`);
    const r = await run(`filesrc location=${input} blocksize=4096 ! y4mparse ! y4menc ! filesink location=${out}`);
    expect(r.errors).toEqual([]);
    expect(Buffer.compare(await readFile(out), await readFile(input))).toBe(0);
    const md5 = (f: string): string => ffmpeg(['-i', f, '-f', 'framemd5', '-']).toString().split('\n').filter((l) => !l.startsWith('#')).join('\n');
    expect(md5(out)).toBe(md5(input));
  });

  it.each(['C420mpeg2 XYSCSS=420MPEG2', 'C420paldv XYSCSS=420PALDV'])('%s: the chroma siting survives a flip as ffmpeg keeps it', async (space) => {
    // ffmpeg's testsrc2 writes 420jpeg: the header is edited to the other siting (the planes are alike).
    const jpeg = join(dir, 'siting-jpeg.y4m');
    makeY4m(jpeg, 'yuv420p', 13, 7, 2);
    const data = await readFile(jpeg);
    const nl = data.indexOf(10);
    const input = join(dir, 'siting.y4m');
    await writeFile(input, Buffer.concat([Buffer.from(data.subarray(0, nl).toString('latin1').replace('C420jpeg XYSCSS=420JPEG', space), 'latin1'), data.subarray(nl)]));
    const ours = join(dir, 'siting.out.y4m');
    const theirs = join(dir, 'siting.ffmpeg.y4m');
    const r = await run(`filesrc location=${input} blocksize=64 ! y4mparse ! videoflip method=vertical-flip ! y4menc ! filesink location=${ours}`);
    expect(r.errors).toEqual([]);
    ffmpeg(['-i', input, '-vf', 'vflip', '-f', 'yuv4mpegpipe', theirs]);
    const got = await readFile(ours);
    expect(got.subarray(0, got.indexOf(10)).toString()).toContain(space);
    expect(Buffer.compare(got, await readFile(theirs))).toBe(0);
  });

  it('a tight layout (I420 64x48) passes frames through without copying their pixels', async () => {
    const input = join(dir, 'tight.y4m');
    makeY4m(input, 'yuv420p', 64, 48, 5);
    const frame = 64 * 48 * 3 / 2;
    const size = (await readFile(input)).byteLength;
    const header = size - 5 * (frame + 6);
    // filesrc's blocks are copied once into frames by y4mparse; y4menc copies nothing but its own header and FRAME lines.
    const r = await run(`filesrc location=${input} blocksize=65536 ! y4mparse ! y4menc ! filesink location=${join(dir, 'tight.out.y4m')}`);
    expect(r.errors).toEqual([]);
    expect(r.copied).toBe(5 * frame + header + 5 * 6);
  });

  // Needs dist/ built (npx rollup -c): the data thread loads videoflip and its kernels from there.
  it('gives the same file in async and hybrid scheduling (videoflip on a data thread)', async () => {
    const input = join(dir, 'hybrid.y4m');
    makeY4m(input, 'yuv444p', 30, 14, 4);
    const files: Buffer[] = [];
    for (const scheduling of ['async', 'hybrid'] as const) {
      const out = join(dir, `hybrid-${scheduling}.y4m`);
      const r = await run(`filesrc location=${input} ! y4mparse ! queue ! videoflip method=clockwise ! queue ! y4menc ! filesink location=${out}`, { scheduling });
      expect(r.errors, scheduling).toEqual([]);
      files.push(await readFile(out));
    }
    expect(Buffer.compare(files[0]!, files[1]!)).toBe(0);
    const theirs = join(dir, 'hybrid.ffmpeg.y4m');
    ffmpeg(['-i', input, '-vf', 'transpose=clock', '-f', 'yuv4mpegpipe', theirs]);
    expect(Buffer.compare(files[0]!, await readFile(theirs))).toBe(0);
  });

  it('ffmpeg reads what y4menc writes: videotestsrc I420, and rawvideoparse frames in every format', async () => {
    const raw = join(dir, 'frames.bin');
    await writeFile(raw, new Uint8Array(200_000).map((_, i) => (i * 7) & 0xff));
    const sources: [string, string, string][] = [
      ['I420', 'yuv420p', 'videotestsrc num-buffers=3 ! video/x-raw,format=I420,width=33,height=17'],
      ...([['I420', 'yuv420p'], ['Y42B', 'yuv422p'], ['Y444', 'yuv444p'], ['GRAY8', 'gray']] as const).map(([format, pixFmt]): [string, string, string] =>
        [format, pixFmt, `filesrc location=${raw} num-buffers=1 blocksize=8192 ! rawvideoparse format=${format} width=33 height=17`]),
    ];
    for (const [format, pixFmt, source] of sources) {
      const out = join(dir, `enc-${format}.y4m`);
      const r = await run(`${source} ! y4menc ! filesink location=${out}`);
      expect(r.errors, source).toEqual([]);
      const frames = ffmpeg(['-i', out, '-f', 'framemd5', '-']).toString().split('\n').filter((l) => /^0,/.test(l));
      expect(frames.length, source).toBeGreaterThan(0);
      const info = spawnSync('ffmpeg', ['-hide_banner', '-i', out], { encoding: 'utf8' }).stderr;
      expect(info, source).toContain(`${pixFmt}`);
      expect(info, source).toContain('33x17');
    }
  });
});
