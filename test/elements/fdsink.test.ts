import { spawn, spawnSync } from 'node:child_process';
import { closeSync, constants, openSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Buffer } from '../../src/element/buffer.js';
import { FlowResult } from '../../src/element/flow.js';
import { FdSink } from '../../src/elements/io/fdsink.js';
import { Harness } from '../../src/harness/harness.js';
import { copyStats } from '../../src/memory/copy-counter.js';

let dir = '';
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'parallax-fdsink-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function pushAll(h: Harness, chunks: string[]): Promise<void> {
  for (const c of chunks) {
    expect(h.push(c)).toBe(FlowResult.OK);
    await h.settle();
  }
  h.eos();
  await h.settle();
}

describe('fdsink', () => {
  it('defaults to standard output, like GStreamer', () => {
    expect(FdSink.metadata.properties['fd']?.default).toBe(1);
  });

  it('writes buffers in order to a file descriptor, from the slot', async () => {
    const path = join(dir, 'out.txt');
    const fd = openSync(path, 'w');
    const sink = new FdSink('fdsink0');
    sink.set('fd', fd);
    const h = await new Harness(sink).start();
    const bufs = [Buffer.allocate(h.allocator, 3), Buffer.allocate(h.allocator, 3)];
    for (const b of bufs) b.data.set([0x21, 0x21, 0x21]);
    const before = copyStats().bytesCopied;
    for (const b of bufs) h.push(b);
    await h.settle();
    expect(copyStats().bytesCopied).toBe(before);
    await pushAll(h, ['one ', 'two ', 'three']);
    await h.stop();
    closeSync(fd);
    expect(await readFile(path, 'utf8')).toBe('!!!!!!one two three');
  });

  it('writes to a pipe, and the reader sees its end when the pipeline stops', async () => {
    const fifo = join(dir, 'w1');
    expect(spawnSync('mkfifo', [fifo]).status).toBe(0);
    const reader = spawn('cat', [fifo]);
    let got = '';
    reader.stdout.on('data', (c: globalThis.Buffer) => (got += c.toString()));
    const closed = new Promise((r) => reader.on('close', r));
    const fd = openSync(fifo, constants.O_WRONLY);
    const sink = new FdSink('fdsink0');
    sink.set('fd', fd);
    const h = await new Harness(sink).start();
    await pushAll(h, ['piped ', 'bytes']);
    expect(h.eosCount).toBe(1);
    await h.stop();
    await closed;
    expect(got).toBe('piped bytes');
  });

  it('reports a reader that went away (EPIPE), naming the element, the fd and the byte offset', async () => {
    const fifo = join(dir, 'w2');
    expect(spawnSync('mkfifo', [fifo]).status).toBe(0);
    const reader = spawn('sh', ['-c', `exec < '${fifo}'; exit 0`]);
    const exited = new Promise((r) => reader.on('exit', r));
    const fd = openSync(fifo, constants.O_WRONLY);
    await exited;
    const sink = new FdSink('fdsink0');
    sink.set('fd', fd);
    const h = await new Harness(sink).start();
    h.push('lost');
    await h.settle();
    expect(h.errors()[0]).toMatch(new RegExp(`^fdsink0: writing to fd ${fd} \\(a pipe\\) at byte 0 failed: .*EPIPE`));
    expect(h.push('more')).toBe(FlowResult.ERROR);
    await h.stop();
  });

  it('stops with a named error, not a crash, when the reader of standard output goes away (EPIPE)', async () => {
    // As `parallax-launch "testsrc ! fdsink" | head -c 100`: the built CLI in a child process.
    const child = spawn(process.execPath, [join(process.cwd(), 'dist/cli/launch.js'), '-q', 'testsrc blocksize=64 ! fdsink'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let err = '';
    child.stderr.on('data', (c: globalThis.Buffer) => (err += c.toString()));
    child.stdout.once('data', () => child.stdout.destroy());
    const code = await new Promise((resolve) => child.on('exit', resolve));
    expect(err).not.toContain('Unhandled');
    expect(err).toMatch(/fdsink0: writing to fd 1 \(a (pipe|socket)\) at byte \d+ failed: write EPIPE/);
    expect(code).toBe(1);
  });

  it('refuses a descriptor that is not open', async () => {
    const sink = new FdSink('fdsink0');
    sink.set('fd', 987);
    await expect(new Harness(sink).start()).rejects.toThrow('fdsink0: cannot write to fd 987 (property "fd"): EBADF');
  });

  it('runs through launch()', async () => {
    const { launch } = await import('../../src/index.js');
    const path = join(dir, 'launch.txt');
    const fd = openSync(path, 'w');
    await launch(`datasrc data="via launch" blocksize=4 ! fdsink fd=${fd}`).run();
    closeSync(fd);
    expect(await readFile(path, 'utf8')).toBe('via launch');
  });
});
