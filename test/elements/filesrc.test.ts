import { chmod, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BufferFlags } from '../../src/element/buffer.js';
import { FlowResult } from '../../src/element/flow.js';
import { AppSink } from '../../src/elements/app/appsink.js';
import { FileSink } from '../../src/elements/io/filesink.js';
import { FileSrc } from '../../src/elements/io/filesrc.js';
import { Pipeline } from '../../src/exec/pipeline.js';
import { linkPads } from '../../src/graph/link.js';
import { Harness } from '../../src/harness/harness.js';

let dir = '';

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'parallax-filesrc-'));
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** Deterministic, non-repeating-ish content so a misplaced block shows. */
function content(size: number): Uint8Array {
  const out = new Uint8Array(size);
  let x = 0x9e3779b9 ^ size;
  for (let i = 0; i < size; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    out[i] = x & 0xff;
  }
  return out;
}

async function fixture(name: string, bytes: Uint8Array | string): Promise<string> {
  const path = join(dir, name);
  await writeFile(path, bytes);
  return path;
}

describe('filesrc', () => {
  it('has GStreamer-style metadata', () => {
    expect(FileSrc.metadata.factory).toBe('filesrc');
    expect(FileSrc.metadata.classification).toBe('Source/File');
    expect(FileSrc.metadata.properties['blocksize']?.default).toBe(4096);
    expect(FileSrc.metadata.properties['num-buffers']?.default).toBe(-1);
  });

  it('reads blocks with byte offsets, sequence numbers and DISCONT on the first', async () => {
    const path = await fixture('ten.bin', '0123456789');
    const src = new FileSrc('filesrc0');
    src.set('location', path);
    src.set('blocksize', 4);
    const h = await new Harness(src).start();
    expect(await h.step()).toBe(FlowResult.OK);
    expect(await h.step()).toBe(FlowResult.OK);
    expect(await h.step()).toBe(FlowResult.OK);
    expect(await h.step()).toBe(FlowResult.EOS);
    const bufs = [h.pull()!, h.pull()!, h.pull()!];
    expect(h.pull()).toBeUndefined();
    expect(bufs.map((b) => new TextDecoder().decode(b.data))).toEqual(['0123', '4567', '89']);
    expect(bufs.map((b) => b.offset)).toEqual([0, 4, 8]);
    expect(bufs.map((b) => b.sequence)).toEqual([0, 1, 2]);
    expect(bufs.map((b) => b.hasFlag(BufferFlags.DISCONT))).toEqual([true, false, false]);
    for (const b of bufs) b.release();
    expect(h.events.map((e) => e.type)).toEqual(['stream-start', 'segment', 'eos']);
    await h.stop();
  });

  it('stops after num-buffers', async () => {
    const path = await fixture('nb.bin', content(100));
    const src = new FileSrc('filesrc0');
    src.set('location', path);
    src.set('blocksize', '10');
    src.set('num-buffers', 2);
    const h = await new Harness(src).start();
    expect(await h.step()).toBe(FlowResult.OK);
    expect(await h.step()).toBe(FlowResult.OK);
    expect(await h.step()).toBe(FlowResult.EOS);
    expect(h.pending).toBe(2);
    await h.stop();
  });

  it('sends EOS at once for an empty file', async () => {
    const path = await fixture('empty.bin', new Uint8Array(0));
    const src = new FileSrc('filesrc0');
    src.set('location', path);
    const h = await new Harness(src).start();
    expect(await h.step()).toBe(FlowResult.EOS);
    expect(h.pending).toBe(0);
    expect(h.events.at(-1)?.type).toBe('eos');
    await h.stop();
  });

  it('rejects blocksize 0', () => {
    expect(() => new FileSrc('filesrc0').set('blocksize', 0)).toThrow(/blocksize/);
  });

  it('fails to start without a location, naming the element', async () => {
    const h = new Harness(new FileSrc('mysrc'));
    await expect(h.start()).rejects.toThrow(/mysrc: .*"location" property is not set/);
  });

  it('fails to start on a missing file, naming the element and the path', async () => {
    const src = new FileSrc('mysrc');
    const path = join(dir, 'does-not-exist.bin');
    src.set('location', path);
    await expect(new Harness(src).start()).rejects.toThrow(`mysrc: cannot open "${path}" for reading: ENOENT`);
  });

  it('fails to start on a directory', async () => {
    const sub = join(dir, 'a-directory');
    await mkdir(sub, { recursive: true });
    const src = new FileSrc('mysrc');
    src.set('location', sub);
    await expect(new Harness(src).start()).rejects.toThrow(new RegExp(`mysrc: cannot (open|read) .*a-directory`));
  });

  it.skipIf(process.platform === 'win32')('refuses a named pipe at once, pointing to fdsrc', async () => {
    const { spawnSync } = await import('node:child_process');
    const fifo = join(dir, 'a.fifo');
    expect(spawnSync('mkfifo', [fifo]).status).toBe(0);
    const src = new FileSrc('mysrc');
    src.set('location', fifo);
    // No writer: opening it would wait for ever, so the refusal must come before the open.
    await expect(new Harness(src).start()).rejects.toThrow(`mysrc: cannot read "${fifo}": it is a named pipe, and filesrc reads files by position; read a stream with fdsrc`);
  });

  it.skipIf(process.platform === 'win32' || process.getuid?.() === 0)('fails to start on an unreadable file', async () => {
    const path = await fixture('secret.bin', 'nope');
    await chmod(path, 0o000);
    const src = new FileSrc('mysrc');
    src.set('location', path);
    await expect(new Harness(src).start()).rejects.toThrow(`mysrc: cannot open "${path}" for reading: EACCES`);
  });

  it('makes Pipeline.run reject with the element and the path', async () => {
    const src = new FileSrc('src');
    const sink = new AppSink('sink');
    const path = join(dir, 'missing', 'file.bin');
    src.set('location', path);
    const p = new Pipeline();
    p.add(src, sink);
    linkPads(src.pad('src')!, sink.pad('sink')!);
    await expect(p.run()).rejects.toThrow(`src failed to start: cannot open "${path}"`);
    expect(p.state).toBe('suspended');
  });

  describe('filesrc ! filesink round trip is byte-exact', () => {
    const sizes = [0, 1, 4095, 4096, 4097, 1 << 20];
    for (const blocksize of [4096, 1000]) {
      for (const size of sizes) {
        it(`${size} bytes, blocksize ${blocksize}`, async () => {
          const bytes = content(size);
          const input = await fixture(`in-${size}-${blocksize}.bin`, bytes);
          const output = join(dir, `out-${size}-${blocksize}.bin`);
          const src = new FileSrc('src');
          src.set('location', input);
          src.set('blocksize', blocksize);
          const sink = new FileSink('sink');
          sink.set('location', output);
          const p = new Pipeline();
          p.add(src, sink);
          linkPads(src.pad('src')!, sink.pad('sink')!);
          await p.run();
          const got = new Uint8Array(await readFile(output));
          expect(got.byteLength).toBe(size);
          expect(Buffer.compare(got, bytes)).toBe(0);
          const stats = p.stats();
          expect(stats.bytesCopied).toBe(0);
          expect(stats.elements['src']?.bytesOut).toBe(size);
          expect(stats.elements['src']?.buffersOut).toBe(Math.ceil(size / blocksize));
          expect(stats.pools.freeSlots).toBe(stats.pools.slots);
        });
      }
    }
  });

  it('filesrc ! appsink is zero copy, with offsets, and every slot comes back', async () => {
    const size = 300_000;
    const bytes = content(size);
    const input = await fixture('zero-copy.bin', bytes);
    const src = new FileSrc('src');
    src.set('location', input);
    src.set('blocksize', 8192);
    const sink = new AppSink('sink');
    const p = new Pipeline();
    p.add(src, sink);
    linkPads(src.pad('src')!, sink.pad('sink')!);
    const done = p.run();
    const got = new Uint8Array(size);
    let expected = 0;
    for await (const buf of sink) {
      expect(buf.offset).toBe(expected);
      got.set(buf.data, expected);
      expected += buf.size;
      buf.release();
    }
    await done;
    expect(expected).toBe(size);
    expect(Buffer.compare(got, bytes)).toBe(0);
    const stats = p.stats();
    expect(stats.bytesCopied).toBe(0);
    expect(stats.pools.freeSlots).toBe(stats.pools.slots);
  });
});
