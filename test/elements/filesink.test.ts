import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FlowResult } from '../../src/element/flow.js';
import { AppSrc } from '../../src/elements/app/appsrc.js';
import { FileSink } from '../../src/elements/io/filesink.js';
import { Pipeline } from '../../src/exec/pipeline.js';
import { linkPads } from '../../src/graph/link.js';
import { Harness } from '../../src/harness/harness.js';

let dir = '';

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'parallax-filesink-'));
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('filesink', () => {
  it('has GStreamer-style metadata with the basesink properties', () => {
    expect(FileSink.metadata.factory).toBe('filesink');
    expect(FileSink.metadata.classification).toBe('Sink/File');
    const props = Object.keys(FileSink.metadata.properties);
    expect(props).toEqual(expect.arrayContaining(['sync', 'ts-offset', 'location', 'append']));
  });

  it('writes every buffer in order, then finishes at EOS', async () => {
    const path = join(dir, 'ordered.txt');
    const sink = new FileSink('filesink0');
    sink.set('location', path);
    const h = await new Harness(sink).start();
    const expected: string[] = [];
    for (let i = 0; i < 200; i++) {
      const line = `line ${i}\n`;
      expected.push(line);
      // No settling between pushes: writes are in flight and the base class must keep order.
      expect(h.push(line)).toBe(FlowResult.OK);
    }
    h.eos();
    await h.settle();
    expect(h.eosCount).toBe(1);
    expect(await readFile(path, 'utf8')).toBe(expected.join(''));
    expect(h.errors()).toEqual([]);
    await h.stop();
  });

  it('truncates by default and appends with append=true', async () => {
    const path = join(dir, 'append.txt');
    await writeFile(path, 'old content;');
    const first = new FileSink('filesink0');
    first.set('location', path);
    let h = await new Harness(first).start();
    h.push('one;');
    h.eos();
    await h.settle();
    await h.stop();
    expect(await readFile(path, 'utf8')).toBe('one;');

    const second = new FileSink('filesink1');
    second.set('location', path);
    second.set('append', 'true');
    h = await new Harness(second).start();
    h.push('two;');
    h.eos();
    await h.settle();
    await h.stop();
    expect(await readFile(path, 'utf8')).toBe('one;two;');
  });

  it('writes zero-length buffers as nothing', async () => {
    const path = join(dir, 'empty-bufs.bin');
    const sink = new FileSink('filesink0');
    sink.set('location', path);
    const h = await new Harness(sink).start();
    h.push(new Uint8Array(0));
    h.push('x');
    h.push(new Uint8Array(0));
    h.eos();
    await h.settle();
    await h.stop();
    expect(await readFile(path, 'utf8')).toBe('x');
  });

  it('fails to start without a location, naming the element', async () => {
    await expect(new Harness(new FileSink('mysink')).start()).rejects.toThrow(/mysink: .*"location" property is not set/);
  });

  it('fails to start when the file cannot be created, naming the element and the path', async () => {
    const path = join(dir, 'no-such-dir', 'out.bin');
    const sink = new FileSink('mysink');
    sink.set('location', path);
    await expect(new Harness(sink).start()).rejects.toThrow(`mysink: cannot open "${path}" for writing: ENOENT`);
  });

  it('stop() is safe after a failed start and twice', async () => {
    const sink = new FileSink('mysink');
    await sink.stop();
    await sink.stop();
  });

  it('appsrc ! filesink writes what the application pushed', async () => {
    const path = join(dir, 'from-appsrc.bin');
    const src = new AppSrc('src');
    const sink = new FileSink('sink');
    sink.set('location', path);
    const p = new Pipeline();
    p.add(src, sink);
    linkPads(src.pad('src')!, sink.pad('sink')!);
    const chunks: Uint8Array[] = [];
    for (let i = 0; i < 100; i++) {
      const c = new Uint8Array(37 + i).fill(i);
      chunks.push(c);
      src.push(c);
    }
    src.endOfStream();
    await p.run();
    const got = new Uint8Array(await readFile(path));
    const want = new Uint8Array(chunks.reduce((n, c) => n + c.byteLength, 0));
    let at = 0;
    for (const c of chunks) {
      want.set(c, at);
      at += c.byteLength;
    }
    expect(got).toEqual(want);
  });

  it.skipIf(process.platform === 'win32')('on a pipe, a segment that goes back is dropped with a warning: wavenc\'s stream stays whole', async () => {
    const { spawn, spawnSync } = await import('node:child_process');
    const { launch } = await import('../../src/index.js');
    const fifo = join(dir, 'out.fifo');
    expect(spawnSync('mkfifo', [fifo]).status).toBe(0);
    const reader = spawn('cat', [fifo]);
    const chunks: globalThis.Buffer[] = [];
    reader.stdout.on('data', (c: globalThis.Buffer) => chunks.push(c));
    const closed = new Promise((r) => reader.on('close', r));
    const line = 'audiotestsrc num-buffers=3 samplesperbuffer=100 ! audio/x-raw,format=S16LE,rate=8000,channels=1 ! wavenc';
    const p = launch(`${line} ! filesink location=${fifo}`);
    const warnings: string[] = [];
    p.bus.on('warning', (m) => warnings.push(m.message));
    await p.run();
    await closed;
    const piped = globalThis.Buffer.concat(chunks);
    expect(warnings.some((w) => w.includes('cannot go to byte 0') && w.includes('not a regular file'))).toBe(true);
    const file = join(dir, 'out.wav');
    await launch(`${line} ! filesink location=${file}`).run();
    const written = await readFile(file);
    // Same length: nothing appended; the pipe keeps the first header's "until the end" sizes.
    expect(piped.byteLength).toBe(written.byteLength);
    expect(piped.readUInt32LE(4)).toBe(0xffffffff);
    expect(written.readUInt32LE(4)).toBe(written.byteLength - 8);
    expect(piped.subarray(44).equals(written.subarray(44))).toBe(true);
  });

  it('with append=true, a segment that goes back is dropped with a warning: the appended WAV stays whole', async () => {
    const { launch } = await import('../../src/index.js');
    const path = join(dir, 'appended.wav');
    await writeFile(path, 'OLD!');
    const line = 'audiotestsrc num-buffers=3 samplesperbuffer=100 ! audio/x-raw,format=S16LE,rate=8000,channels=1 ! wavenc';
    const p = launch(`${line} ! filesink append=true location=${path}`);
    const warnings: string[] = [];
    p.bus.on('warning', (m) => warnings.push(m.message));
    await p.run();
    const got = await readFile(path);
    expect(warnings.some((w) => w.includes('cannot go to byte 0') && w.includes('append=true always writes at the end'))).toBe(true);
    // The old bytes, then one WAV stream with the "until the end" sizes: 44 header bytes and 300 samples.
    expect(got.subarray(0, 4).toString()).toBe('OLD!');
    expect(got.byteLength).toBe(4 + 44 + 600);
    expect(got.subarray(4, 8).toString()).toBe('RIFF');
    expect(got.readUInt32LE(8)).toBe(0xffffffff);
  });

  it.skipIf(process.platform === 'win32')('on a named pipe whose reader stopped reading, aborting the run ends it at once', async () => {
    const { spawn, spawnSync } = await import('node:child_process');
    const { launch } = await import('../../src/index.js');
    const fifo = join(dir, 'stalled.fifo');
    expect(spawnSync('mkfifo', [fifo]).status).toBe(0);
    // A reader that opens the pipe and never reads: the pipe fills (64 KiB) and writes wait.
    const reader = spawn('sh', ['-c', `exec 3<${fifo}; exec sleep 30`]);
    try {
      const p = launch(`fakesrc num-buffers=100000 sizetype=fixed sizemax=4096 ! filesink location=${fifo}`);
      const ac = new AbortController();
      const run = p.run({ signal: ac.signal });
      await new Promise((r) => setTimeout(r, 300));
      expect(p.stats().pads['fakesrc0:src']!.buffers).toBeLessThan(100);
      ac.abort();
      await expect(run).rejects.toThrow(/aborted/);
      expect(p.state).toBe('suspended');
    } finally {
      reader.kill();
    }
  });

  it.skipIf(process.platform === 'win32')('a named pipe is written in full and in order to a reader that reads slowly', async () => {
    const { spawn, spawnSync } = await import('node:child_process');
    const { launch } = await import('../../src/index.js');
    const fifo = join(dir, 'slow.fifo');
    const copy = join(dir, 'slow.copy');
    expect(spawnSync('mkfifo', [fifo]).status).toBe(0);
    // The reader opens the pipe 200 ms after the pipeline starts: start() waits for it.
    const reader = spawn('sh', ['-c', `sleep 0.2; cat ${fifo} > ${copy}`]);
    const closed = new Promise((r) => reader.on('close', r));
    const p = launch(`fakesrc num-buffers=300 sizetype=fixed sizemax=1000 filltype=pattern ! filesink location=${fifo}`);
    await p.run();
    await closed;
    const got = await readFile(copy);
    expect(got.byteLength).toBe(300_000);
    expect(p.stats().bytesCopied).toBe(0);
    // filltype=pattern writes i % 256 at offset i of each buffer.
    for (let b = 0; b < 300; b += 37) expect(got[b * 1000 + 7]).toBe(7);
  });

  it.skipIf(process.platform === 'win32')('on a named pipe that no reader ever opens, aborting the run ends it at once', async () => {
    const { spawnSync } = await import('node:child_process');
    const { launch } = await import('../../src/index.js');
    const fifo = join(dir, 'unread.fifo');
    expect(spawnSync('mkfifo', [fifo]).status).toBe(0);
    const p = launch(`fakesrc num-buffers=100 sizetype=fixed sizemax=64 ! filesink location=${fifo}`);
    const ac = new AbortController();
    const run = p.run({ signal: ac.signal });
    // Prepared and running: the wait for a reader is in the first write, not in start().
    for (let i = 0; i < 500 && p.state !== 'running'; i++) await new Promise((r) => setTimeout(r, 10));
    expect(p.state).toBe('running');
    ac.abort();
    await expect(run).rejects.toThrow(/aborted/);
    expect(p.state).toBe('suspended');
  });

  it.skipIf(process.platform === 'win32')('an empty stream still opens the named pipe, so its reader sees the end', async () => {
    const { spawn, spawnSync } = await import('node:child_process');
    const { launch } = await import('../../src/index.js');
    const fifo = join(dir, 'empty.fifo');
    expect(spawnSync('mkfifo', [fifo]).status).toBe(0);
    const reader = spawn('cat', [fifo]);
    let got = 0;
    reader.stdout.on('data', (c: globalThis.Buffer) => (got += c.byteLength));
    const exited = new Promise<number | null>((r) => reader.on('close', (code) => r(code)));
    await launch(`fakesrc num-buffers=0 ! filesink location=${fifo}`).run();
    expect(await exited).toBe(0);
    expect(got).toBe(0);
  });

  it.skipIf(process.platform === 'win32')('a reader of a named pipe gets its end when the run stops before the first write', async () => {
    const { spawn, spawnSync } = await import('node:child_process');
    const { launch } = await import('../../src/index.js');
    const fifo = join(dir, 'never-written.fifo');
    expect(spawnSync('mkfifo', [fifo]).status).toBe(0);
    const reader = spawn('cat', [fifo]);
    const exited = new Promise<number | null>((r) => reader.on('close', (code) => r(code)));
    // appsrc never pushes: the run is aborted with nothing written.
    const p = launch(`appsrc ! filesink location=${fifo}`);
    const ac = new AbortController();
    const run = p.run({ signal: ac.signal });
    for (let i = 0; i < 500 && p.state !== 'running'; i++) await new Promise((r) => setTimeout(r, 10));
    ac.abort();
    await expect(run).rejects.toThrow(/aborted/);
    expect(await exited).toBe(0);
  });
});
