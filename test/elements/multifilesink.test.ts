import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Buffer } from '../../src/element/buffer.js';
import { FlowResult } from '../../src/element/flow.js';
import { MultiFileSink } from '../../src/elements/io/multifilesink.js';
import { Harness } from '../../src/harness/harness.js';
import { copyStats } from '../../src/memory/copy-counter.js';

let dir = '';
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'parallax-multifilesink-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** Pushes `chunks` then EOS; returns the files left, name → content. */
async function run(props: Record<string, unknown>, chunks: string[]): Promise<Record<string, string>> {
  const sink = new MultiFileSink('multifilesink0');
  sink.set('location', join(dir, 'out-%02d.bin'));
  for (const [k, v] of Object.entries(props)) sink.set(k, v);
  const h = await new Harness(sink).start();
  for (const c of chunks) {
    expect(h.push(c)).toBe(FlowResult.OK);
    await h.settle();
  }
  h.eos();
  await h.settle();
  expect(h.eosCount).toBe(1);
  expect(h.errors()).toEqual([]);
  await h.stop();
  const files: Record<string, string> = {};
  for (const name of (await readdir(dir)).sort()) files[name] = await readFile(join(dir, name), 'utf8');
  return files;
}

describe('multifilesink', () => {
  it('writes one file per buffer', async () => {
    expect(await run({}, ['a', 'bb', 'ccc'])).toEqual({ 'out-00.bin': 'a', 'out-01.bin': 'bb', 'out-02.bin': 'ccc' });
  });

  it('starts at index', async () => {
    expect(await run({ index: 98 }, ['a', 'bb', 'ccc'])).toEqual({ 'out-98.bin': 'a', 'out-99.bin': 'bb', 'out-100.bin': 'ccc' });
  });

  it('keeps only the newest max-files files', async () => {
    expect(await run({ 'max-files': 2 }, ['a', 'bb', 'ccc', 'dddd'])).toEqual({ 'out-02.bin': 'ccc', 'out-03.bin': 'dddd' });
  });

  it.each([
    [5, ['ab', 'cd', 'ef', 'g'], { 'out-00.bin': 'abcd', 'out-01.bin': 'efg' }],
    [4, ['ab', 'cd', 'ef', 'g'], { 'out-00.bin': 'abcd', 'out-01.bin': 'efg' }],
    // A buffer larger than max-file-size gets a file of its own, never split.
    [3, ['a', 'bcdef', 'g'], { 'out-00.bin': 'a', 'out-01.bin': 'bcdef', 'out-02.bin': 'g' }],
  ] as const)('next-file=max-size max-file-size=%i', async (max, chunks, files) => {
    expect(await run({ 'next-file': 'max-size', 'max-file-size': max }, [...chunks])).toEqual(files);
  });

  it.each([
    [{ 'max-files': 1 }, ['a', 'bb', 'ccc'], { 'last.bin': 'ccc' }],
    [{ 'max-files': 2 }, ['a', 'bb', 'ccc'], { 'last.bin': 'ccc' }],
    [{ 'max-files': 1, 'next-file': 'max-size', 'max-file-size': 3 }, ['ab', 'cd', 'e'], { 'last.bin': 'cde' }],
  ] as const)('a location without a conversion, %j: the last file stays, max-files never deletes the one just written', async (props, chunks, files) => {
    expect(await run({ location: join(dir, 'last.bin'), ...props }, [...chunks])).toEqual(files);
  });

  it('every run starts again from the index set, not where the last run stopped', async () => {
    const { launch } = await import('../../src/index.js');
    const p = launch(`testsrc num-buffers=2 blocksize=1 ! multifilesink name=m location=${join(dir, 'r-%d.bin')}`);
    await p.run();
    expect(p.get('m')!.get('index')).toBe(0);
    await p.run();
    expect((await readdir(dir)).sort()).toEqual(['r-0.bin', 'r-1.bin']);
    p.get('m')!.set('index', 10);
    await p.run();
    await p.run();
    expect((await readdir(dir)).sort()).toEqual(['r-0.bin', 'r-1.bin', 'r-10.bin', 'r-11.bin']);
    await p.dispose();
  });

  it('max-files counts files in max-size mode too', async () => {
    expect(await run({ 'next-file': 'max-size', 'max-file-size': 2, 'max-files': 1 }, ['ab', 'cd', 'ef'])).toEqual({ 'out-02.bin': 'ef' });
  });

  it('writes from the slot without a copy', async () => {
    const sink = new MultiFileSink('multifilesink0');
    sink.set('location', join(dir, 'z-%d'));
    const h = await new Harness(sink).start();
    const bufs = [1, 2, 3].map(() => Buffer.allocate(h.allocator, 1000));
    const before = copyStats().bytesCopied;
    for (const b of bufs) h.push(b);
    await h.settle();
    expect(copyStats().bytesCopied).toBe(before);
    await h.stop();
    expect((await readdir(dir)).length).toBe(3);
  });

  it('reports a file it cannot create, naming the element, the path and the index', async () => {
    const sink = new MultiFileSink('multifilesink0');
    sink.set('location', join(dir, 'missing-dir', 'f-%d'));
    const h = await new Harness(sink).start();
    h.push('x');
    await h.settle();
    expect(h.errors()[0]).toContain(`multifilesink0: cannot open "${join(dir, 'missing-dir', 'f-0')}" (index 0) for writing: ENOENT`);
    expect(h.push('y')).toBe(FlowResult.ERROR);
    await h.stop();
  });

  it('refuses a pattern with two conversions at start', async () => {
    const sink = new MultiFileSink('multifilesink0');
    sink.set('location', join(dir, '%d-%d'));
    await expect(new Harness(sink).start()).rejects.toThrow('a second conversion');
  });

  it('runs through launch()', async () => {
    const { launch } = await import('../../src/index.js');
    await launch(`testsrc num-buffers=3 blocksize=2 ! multifilesink location=${join(dir, 'l-%d.bin')}`).run();
    const files = await Promise.all([0, 1, 2].map(async (i) => globalThis.Buffer.from(await readFile(join(dir, `l-${i}.bin`))).toString('hex')));
    expect(files).toEqual(['0001', '0203', '0405']);
  });
});
