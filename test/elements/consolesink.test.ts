import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { FlowResult } from '../../src/element/flow.js';
import { ConsoleSink } from '../../src/elements/testing/consolesink.js';
import { Harness } from '../../src/harness/harness.js';

/** Pushes `chunks` then EOS into a consolesink printing to a collector; returns what it printed. */
async function print(props: Record<string, unknown>, chunks: (string | Uint8Array)[]): Promise<string> {
  const sink = new ConsoleSink('consolesink0');
  for (const [k, v] of Object.entries(props)) sink.set(k, v);
  const out = new PassThrough();
  let text = '';
  out.on('data', (c: globalThis.Buffer) => (text += c.toString('utf8')));
  sink.stream = out;
  const h = await new Harness(sink).start();
  for (const c of chunks) {
    expect(h.push(c)).toBe(FlowResult.OK);
    await h.settle();
  }
  h.eos();
  await h.settle();
  expect(h.eosCount).toBe(1);
  await h.stop();
  await new Promise((r) => setImmediate(r));
  return text;
}

describe('consolesink', () => {
  it('prints a hexdump in fakesink dump=true format, addressed by stream position', async () => {
    expect(await print({}, ['Hello, consolesink', new Uint8Array([0, 1, 0x7f, 0xff])])).toBe(
      '00000000 (0x00000000): 48 65 6c 6c 6f 2c 20 63 6f 6e 73 6f 6c 65 73 69  Hello, consolesi\n' +
      '00000010 (0x00000000): 6e 6b                                            nk              \n' +
      '00000000 (0x00000012): 00 01 7f ff                                      ....            \n',
    );
  });

  it('prints text, joining a character split across buffers', async () => {
    // "é" is c3 a9: the first buffer ends inside it.
    expect(await print({ mode: 'text' }, [new Uint8Array([0x63, 0x61, 0x66, 0xc3]), new Uint8Array([0xa9, 0x0a])])).toBe('café\n');
  });

  it('prints an incomplete character at EOS as U+FFFD', async () => {
    expect(await print({ mode: 'text' }, [new Uint8Array([0x61, 0xe2, 0x82])])).toBe('a\ufffd');
  });

  it('makes upstream wait while the stream asks it to (drain)', async () => {
    const sink = new ConsoleSink('consolesink0');
    sink.set('mode', 'text');
    const out = new PassThrough({ highWaterMark: 4 });
    sink.stream = out;
    const h = await new Harness(sink).start();
    h.push('more than four bytes');
    expect(h.blocked).toBe(1);
    let got = '';
    out.on('data', (c: globalThis.Buffer) => (got += c.toString()));
    await h.settle();
    expect(got).toBe('more than four bytes');
    await h.stop();
  });

  it('runs through launch(), printing to standard output', async () => {
    const { launch } = await import('../../src/index.js');
    const writes: string[] = [];
    const write = process.stdout.write.bind(process.stdout);
    process.stdout.write = ((chunk: string | Uint8Array, ...rest: unknown[]) => {
      writes.push(String(chunk));
      return (write as (c: string | Uint8Array, ...r: unknown[]) => boolean)(chunk, ...rest);
    }) as typeof process.stdout.write;
    try {
      await launch('datasrc data=AB ! consolesink').run();
    } finally {
      process.stdout.write = write;
    }
    expect(writes).toContain('00000000 (0x00000000): 41 42                                            AB              \n');
  });
});
