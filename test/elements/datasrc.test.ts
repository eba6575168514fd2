import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BufferFlags } from '../../src/element/buffer.js';
import { FlowResult } from '../../src/element/flow.js';
import { DataSrc } from '../../src/elements/testing/datasrc.js';
import { Harness } from '../../src/harness/harness.js';

let dir = '';
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'parallax-datasrc-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function run(props: Record<string, unknown>): Promise<{ hex: string[]; offsets: number[]; discont: boolean[] }> {
  const src = new DataSrc('datasrc0');
  for (const [k, v] of Object.entries(props)) src.set(k, v);
  const h = await new Harness(src).start();
  while ((await h.step()) === FlowResult.OK);
  const out = { hex: [] as string[], offsets: [] as number[], discont: [] as boolean[] };
  for (let b = h.pull(); b !== undefined; b = h.pull()) {
    out.hex.push(globalThis.Buffer.from(b.data).toString('hex'));
    out.offsets.push(b.offset);
    out.discont.push(b.hasFlag(BufferFlags.DISCONT));
    b.release();
  }
  expect(h.events.at(-1)?.type).toBe('eos');
  await h.stop();
  return out;
}

describe('datasrc', () => {
  it.each([
    ['text', 'Hi!', ['486921']],
    ['text', 'é', ['c3a9']],
    ['hex', '00 ff:10\n7F', ['00ff107f']],
    ['hex', '', []],
    ['base64', 'AAEC/w==', ['000102ff']],
    ['base64', 'AAEC/w', ['000102ff']],
    ['base64', 'SGVs\n bG8=', ['48656c6c6f']],
    ['base64', 'SGk', ['4869']],
    ['base64', '', []],
  ] as const)('encoding=%s data=%j', async (encoding, data, hex) => {
    expect((await run({ data, encoding })).hex).toEqual(hex);
  });

  it('splits the payload into blocksize buffers, with offsets and DISCONT on the first', async () => {
    expect(await run({ data: '0102030405', encoding: 'hex', blocksize: 2 })).toEqual({
      hex: ['0102', '0304', '05'], offsets: [0, 2, 4], discont: [true, false, false],
    });
  });

  it('reads its payload from a file', async () => {
    const path = join(dir, 'payload.bin');
    await writeFile(path, new Uint8Array([9, 8, 7]));
    expect((await run({ location: path })).hex).toEqual(['090807']);
  });

  it.each([
    [{ data: '0g', encoding: 'hex' }, 'datasrc0: bad "data" (encoding=hex): "g" at character 1 is not a hex digit'],
    [{ data: '001', encoding: 'hex' }, 'datasrc0: bad "data" (encoding=hex): hex digit "1" at character 2 has no partner (bytes are two digits)'],
    [{ data: '0 1', encoding: 'hex' }, 'hex digit "0" at character 0 has no partner'],
    [{ data: 'AA*A', encoding: 'base64' }, 'datasrc0: bad "data" (encoding=base64): "*" at character 2 is not a base64 character'],
    [{ data: 'AA=A', encoding: 'base64' }, '"A" at character 3 comes after the "=" padding at character 2'],
    [{ data: 'AAAAA', encoding: 'base64' }, 'datasrc0: bad "data" (encoding=base64): "A" at character 4 is alone in the last group of four'],
    [{ data: 'AAAA\nB', encoding: 'base64' }, '"B" at character 5 is alone in the last group of four'],
    [{ data: 'SGk-', encoding: 'base64' }, '"-" at character 3 is not a base64 character (this is base64url; standard base64 uses + and /)'],
    [{ data: 'AAAA=', encoding: 'base64' }, '"=" at character 4 pads a group of four that is already complete'],
    [{ data: '====', encoding: 'base64' }, '"=" at character 0 pads a group of four that is already complete'],
    [{ data: 'AA=', encoding: 'base64' }, '1 "=" at character 2: the last group has 2 characters, so it takes 2'],
    [{ data: 'AAA==', encoding: 'base64' }, '2 "=" at character 3: the last group has 3 characters, so it takes 1'],
    [{ data: 'AB==', encoding: 'base64' }, '"B" at character 1 sets bits past the end of the data (the last character of a group of 2 has its low 4 bits zero)'],
    [{ data: 'AAB', encoding: 'base64' }, '"B" at character 2 sets bits past the end of the data (the last character of a group of 3 has its low 2 bits zero)'],
    [{}, 'datasrc0: set exactly one of the "data" and "location" properties (neither is set)'],
    [{ data: 'x', location: '/x' }, '(both are set)'],
    [{ location: '/nonexistent/p.bin' }, 'datasrc0: cannot read "location" file "/nonexistent/p.bin": ENOENT'],
  ] as const)('refuses %j at start', async (props, message) => {
    const src = new DataSrc('datasrc0');
    for (const [k, v] of Object.entries(props)) src.set(k, v);
    await expect(new Harness(src).start()).rejects.toThrow(message);
  });

  it('runs through launch()', async () => {
    const { launch } = await import('../../src/index.js');
    const out = join(dir, 'out.bin');
    await launch(`datasrc data="SGVsbG8=" encoding=base64 blocksize=2 ! filesink location=${out}`).run();
    expect(await readFile(out, 'utf8')).toBe('Hello');
  });
});
