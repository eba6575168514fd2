import { describe, expect, it } from 'vitest';
import { FlowResult } from '../../src/element/flow.js';
import { TestSrc } from '../../src/elements/testing/testsrc.js';
import { Harness } from '../../src/harness/harness.js';

/** Runs a testsrc to EOS and returns each buffer's bytes as hex, with offsets. */
async function run(props: Record<string, unknown>): Promise<{ hex: string[]; offsets: number[]; sequences: number[] }> {
  const src = new TestSrc('testsrc0');
  for (const [k, v] of Object.entries(props)) src.set(k, v);
  const h = await new Harness(src).start();
  while ((await h.step()) === FlowResult.OK);
  const hex: string[] = [];
  const offsets: number[] = [];
  const sequences: number[] = [];
  for (let b = h.pull(); b !== undefined; b = h.pull()) {
    hex.push(globalThis.Buffer.from(b.data).toString('hex'));
    offsets.push(b.offset);
    sequences.push(b.sequence);
    b.release();
  }
  await h.stop();
  return { hex, offsets, sequences };
}

describe('testsrc', () => {
  it('counts bytes across buffers', async () => {
    expect(await run({ 'num-buffers': 3, blocksize: 3 })).toEqual({
      hex: ['000102', '030405', '060708'],
      offsets: [0, 3, 6],
      sequences: [0, 1, 2],
    });
  });

  it('wraps the byte count at 256', async () => {
    const { hex } = await run({ 'num-buffers': 2, blocksize: 200 });
    expect(hex[1]!.slice(0, 12)).toBe('c8c9cacbcccd');
    expect(hex[1]!.slice(110, 116)).toBe('ff0001');
  });

  it.each([
    ['u32le', 8, ['0000000001000000', '0200000003000000']],
    ['u32be', 8, ['0000000000000001', '0000000200000003']],
    // A word split across buffers continues where it stopped.
    ['u32le', 6, ['000000000100', '000002000000'], ],
    ['zero', 4, ['00000000', '00000000']],
  ] as const)('pattern=%s blocksize=%i', async (pattern, blocksize, want) => {
    expect((await run({ 'num-buffers': 2, blocksize, pattern })).hex).toEqual(want);
  });

  it('sends EOS at once with num-buffers=0, and empty buffers with blocksize=0', async () => {
    expect((await run({ 'num-buffers': 0 })).hex).toEqual([]);
    expect((await run({ 'num-buffers': 2, blocksize: 0 })).hex).toEqual(['', '']);
  });

  it('puts its caps property on the src pad', async () => {
    const src = new TestSrc('testsrc0');
    src.set('caps', 'application/x-counter, width=(int)32');
    src.set('num-buffers', 1);
    const h = await new Harness(src).start();
    await h.step();
    expect(h.events.find((e) => e.type === 'caps')?.type).toBe('caps');
    expect(h.outputCaps?.toString()).toContain('application/x-counter');
    h.pull()?.release();
    await h.stop();
  });

  it('runs through launch() into a filesink', async () => {
    const { mkdtemp, readFile, rm } = await import('node:fs/promises');
    const { tmpdir } = await import('node:os');
    const { join } = await import('node:path');
    const { launch } = await import('../../src/index.js');
    const dir = await mkdtemp(join(tmpdir(), 'parallax-testsrc-'));
    const out = join(dir, 'out.bin');
    await launch(`testsrc num-buffers=4 blocksize=5 pattern=u32be ! filesink location=${out}`).run();
    expect(globalThis.Buffer.from(await readFile(out)).toString('hex')).toBe('0000000000000001000000020000000300000004');
    await rm(dir, { recursive: true });
  });
});
