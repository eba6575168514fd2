import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { closeSync, constants, openSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BufferFlags } from '../../src/element/buffer.js';
import { FlowResult } from '../../src/element/flow.js';
import { FdSrc } from '../../src/elements/io/fdsrc.js';
import { Harness } from '../../src/harness/harness.js';
import { copyStats } from '../../src/memory/copy-counter.js';

let dir = '';
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'parallax-fdsrc-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** A FIFO whose read end is open (non-blocking, so opening does not wait) and a shell writing into it. */
function pipe(name: string, script: string): { fd: number; writer: ChildProcess } {
  const path = join(dir, name);
  expect(spawnSync('mkfifo', [path]).status).toBe(0);
  const fd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK);
  const writer = spawn('sh', ['-c', `exec > '${path}'; ${script}`], { stdio: 'ignore' });
  return { fd, writer };
}

async function drain(h: Harness): Promise<{ text: string; sizes: number[]; offsets: number[]; last: FlowResult }> {
  let last: FlowResult = FlowResult.OK;
  while (last === FlowResult.OK) last = await h.step();
  const out = { text: '', sizes: [] as number[], offsets: [] as number[], last };
  for (let b = h.pull(); b !== undefined; b = h.pull()) {
    out.text += new TextDecoder().decode(b.data);
    out.sizes.push(b.size);
    out.offsets.push(b.offset);
    b.release();
  }
  return out;
}

describe('fdsrc', () => {
  it('reads a regular file descriptor in blocks, zero copy, from its current position', async () => {
    const path = join(dir, 'ten.txt');
    await writeFile(path, '0123456789');
    const fd = openSync(path, 'r');
    const src = new FdSrc('fdsrc0');
    src.set('fd', fd);
    src.set('blocksize', 4);
    const h = await new Harness(src).start();
    const before = copyStats().bytesCopied;
    const first = await h.step();
    const b = h.pull()!;
    expect([first, new TextDecoder().decode(b.data), b.offset, b.hasFlag(BufferFlags.DISCONT)]).toEqual([FlowResult.OK, '0123', 0, true]);
    b.release();
    expect(await drain(h)).toEqual({ text: '456789', sizes: [4, 2], offsets: [4, 8], last: FlowResult.EOS });
    expect(copyStats().bytesCopied).toBe(before);
    await h.stop();
    closeSync(fd);
  });

  it('reads a pipe until the writer closes it, without blocking the event loop', async () => {
    const { fd, writer } = pipe('p1', "printf 'abc'; sleep 0.2; printf 'defgh'");
    const src = new FdSrc('fdsrc0');
    src.set('fd', fd);
    src.set('blocksize', 3);
    const h = await new Harness(src).start();
    let ticks = 0;
    const timer = setInterval(() => ticks++, 10);
    const out = await drain(h);
    clearInterval(timer);
    expect(out.text).toBe('abcdefgh');
    expect(out.sizes.every((s) => s <= 3)).toBe(true);
    expect(out.offsets[0]).toBe(0);
    expect(out.last).toBe(FlowResult.EOS);
    // The loop ran while fdsrc waited for the writer's second printf.
    expect(ticks).toBeGreaterThan(5);
    await h.stop();
    writer.kill();
  });

  it('stops at once while a pipe has nothing to read', async () => {
    const { fd, writer } = pipe('p2', 'sleep 10');
    const src = new FdSrc('fdsrc0');
    src.set('fd', fd);
    const h = await new Harness(src).start();
    const step = h.step();
    await new Promise((r) => setTimeout(r, 50));
    await h.stop();
    expect(await step).toBe(FlowResult.FLUSHING);
    writer.kill();
  });

  it('refuses a descriptor that is not open, naming the element and the property', async () => {
    const src = new FdSrc('fdsrc0');
    src.set('fd', 987);
    await expect(new Harness(src).start()).rejects.toThrow('fdsrc0: cannot read fd 987 (property "fd"): EBADF');
  });

  it('runs through launch(): a pipe into a filesink', async () => {
    const { launch } = await import('../../src/index.js');
    const { fd, writer } = pipe('p3', "printf 'through launch'");
    const out = join(dir, 'out.txt');
    await launch(`fdsrc fd=${fd} ! filesink location=${out}`).run();
    expect(await readFile(out, 'utf8')).toBe('through launch');
    writer.kill();
  });

  it.skipIf(!existsDist())('reads standard input in parallax-launch: printf … | parallax-launch "fdsrc ! fdsink"', () => {
    const r = spawnSync(process.execPath, [join(process.cwd(), 'dist/cli/launch.js'), 'fdsrc ! fdsink'], { input: 'from stdin to stdout\n', encoding: 'utf8', timeout: 20_000 });
    expect(r.stderr).toBe('');
    expect(r.stdout).toContain('from stdin to stdout\n');
    expect(r.status).toBe(0);
  });

  it.skipIf(!existsDist())('lets the process exit after a stop while standard input stays open', async () => {
    // The test holds the child's stdin pipe open: only fdsrc letting go of it ends the child.
    const dist = join(process.cwd(), 'dist/index.js');
    // identity stops the pipeline at the first buffer read, with the pipe still open.
    const script = `import { launch } from ${JSON.stringify(dist)};
      await launch('fdsrc fd=0 ! identity error-after=1 ! fakesink').run().catch((e) => console.log(e.message));`;
    const child = spawn(process.execPath, ['--input-type=module', '-e', script], { stdio: ['pipe', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (c: globalThis.Buffer) => (out += c.toString()));
    child.stdin.write('go\n');
    const guard = setTimeout(() => child.kill(), 15_000);
    const code = await new Promise((resolve) => child.on('exit', (c, sig) => resolve(c ?? sig)));
    clearTimeout(guard);
    child.stdin.destroy();
    expect(out).toContain('identity0');
    expect(code).toBe(0);
  }, 20_000);
});

/** The CLI runs from dist/ (built by `npm run build` or `npx rollup -c`). */
function existsDist(): boolean {
  try {
    closeSync(openSync(join(process.cwd(), 'dist/elements/io/fdsrc.js'), 'r'));
    return true;
  } catch {
    return false;
  }
}
