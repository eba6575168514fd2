import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BufferFlags } from '../../src/element/buffer.js';
import { FlowResult } from '../../src/element/flow.js';
import { MultiFileSrc } from '../../src/elements/io/multifilesrc.js';
import type { FakeSink } from '../../src/elements/testing/fakesink.js';
import { Harness } from '../../src/harness/harness.js';
import { copyStats } from '../../src/memory/copy-counter.js';

let dir = '';
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'parallax-multifilesrc-'));
  // frame-00000.raw … frame-00003.raw hold "a", "bb", "ccc", "dddd".
  for (const [i, text] of ['a', 'bb', 'ccc', 'dddd'].entries()) await writeFile(join(dir, `frame-${String(i).padStart(5, '0')}.raw`), text);
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

interface Out { texts: string[]; offsets: number[]; pts: number[]; last: FlowResult; errors: string[] }

async function run(props: Record<string, unknown>, maxSteps = 20): Promise<Out> {
  const src = new MultiFileSrc('multifilesrc0');
  src.set('location', join(dir, 'frame-%05d.raw'));
  for (const [k, v] of Object.entries(props)) src.set(k, v);
  const h = await new Harness(src).start();
  let last: FlowResult = FlowResult.OK;
  for (let i = 0; i < maxSteps && last === FlowResult.OK; i++) last = await h.step();
  const out: Out = { texts: [], offsets: [], pts: [], last, errors: h.errors() };
  for (let b = h.pull(); b !== undefined; b = h.pull()) {
    out.texts.push(new TextDecoder().decode(b.data));
    out.offsets.push(b.offset);
    out.pts.push(b.pts);
    b.release();
  }
  await h.stop();
  return out;
}

describe('multifilesrc', () => {
  it('reads one buffer per file until a file is missing', async () => {
    const out = await run({});
    expect(out.texts).toEqual(['a', 'bb', 'ccc', 'dddd']);
    expect(out.offsets).toEqual([0, 1, 3, 6]);
    expect(out.last).toBe(FlowResult.EOS);
  });

  it.each([
    [{ 'start-index': 1, 'stop-index': 2 }, ['bb', 'ccc']],
    [{ index: 2 }, ['ccc', 'dddd']],
    [{ index: 3, 'start-index': 1 }, ['dddd']],
    [{ 'start-index': 2, loop: true }, ['ccc', 'dddd', 'ccc', 'dddd', 'ccc']],
    [{ 'start-index': 1, 'stop-index': 2, loop: true }, ['bb', 'ccc', 'bb', 'ccc', 'bb']],
  ] as const)('%j reads %j', async (props, texts) => {
    expect((await run(props, 5)).texts).toEqual(texts);
  });

  it('stamps one frame per file when caps has a framerate, and flags the first DISCONT', async () => {
    const src = new MultiFileSrc('multifilesrc0');
    src.set('location', join(dir, 'frame-%05d.raw'));
    src.set('caps', 'application/x-frames, framerate=(fraction)25/1');
    src.set('stop-index', 2);
    const h = await new Harness(src).start();
    while ((await h.step()) === FlowResult.OK);
    const bufs = [h.pull()!, h.pull()!, h.pull()!];
    expect(bufs.map((b) => [b.pts, b.duration])).toEqual([[0, 40e6], [40e6, 40e6], [80e6, 40e6]]);
    expect(bufs.map((b) => b.hasFlag(BufferFlags.DISCONT))).toEqual([true, false, false]);
    expect(h.outputCaps?.toString()).toContain('application/x-frames');
    for (const b of bufs) b.release();
    await h.stop();
  });

  it('reads files into slots without a copy', async () => {
    const before = copyStats().bytesCopied;
    await run({});
    expect(copyStats().bytesCopied).toBe(before);
  });

  it('reports a missing first file, naming the element, the path and the index', async () => {
    const out = await run({ index: 7 });
    expect(out.last).toBe(FlowResult.ERROR);
    expect(out.errors).toEqual([`multifilesrc0: cannot open "${join(dir, 'frame-00007.raw')}" (index 7) for reading: no such file`]);
  });

  it('does not spin when loop=true finds no file at all', async () => {
    const out = await run({ index: 50, 'start-index': 50, loop: true });
    expect(out.last).toBe(FlowResult.ERROR);
    expect(out.texts).toEqual([]);
  });

  it('refuses a bad pattern at start', async () => {
    const src = new MultiFileSrc('multifilesrc0');
    src.set('location', join(dir, 'frame-%s.raw'));
    await expect(new Harness(src).start()).rejects.toThrow(/multifilesrc0: bad "location" pattern .*"%s" is not an integer conversion/);
  });

  it('every run starts again from index or start-index, not where the last run stopped', async () => {
    const { launch } = await import('../../src/index.js');
    const p = launch(`multifilesrc name=m location=${join(dir, 'frame-%05d.raw')} start-index=1 stop-index=2 ! fakesink name=k signal-handoffs=true`);
    const texts: string[] = [];
    (p.get('k') as FakeSink).on('handoff', (b) => texts.push(new TextDecoder().decode(b.data)));
    await p.run();
    await p.run();
    expect(texts).toEqual(['bb', 'ccc', 'bb', 'ccc']);
    expect(p.get('m')!.get('index')).toBe(0);
    await p.dispose();
  });

  it('runs through launch() into a multifilesink and back', async () => {
    const { launch } = await import('../../src/index.js');
    const { readFile } = await import('node:fs/promises');
    const out = join(dir, 'copy-%03d.bin');
    await launch(`multifilesrc location=${join(dir, 'frame-%05d.raw')} start-index=1 ! multifilesink location=${out} index=10`).run();
    expect(await Promise.all([10, 11, 12].map((i) => readFile(join(dir, `copy-0${i}.bin`), 'utf8')))).toEqual(['bb', 'ccc', 'dddd']);
  });
});
