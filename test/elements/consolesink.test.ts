import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { PassThrough, Writable } from 'node:stream';
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

  it('stops the pipeline with an error naming itself when its stream is destroyed', async () => {
    const { launch } = await import('../../src/index.js');
    const p = launch('testsrc num-buffers=5 blocksize=16 ! consolesink');
    let writes = 0;
    const w: Writable = new Writable({
      write(_c, _e, cb) {
        cb();
        if (++writes === 2) w.destroy();
      },
    });
    (p.get('consolesink0') as ConsoleSink).stream = w;
    await expect(p.run()).rejects.toThrow('consolesink0: cannot print to its stream: it was closed');
    expect(writes).toBe(2);
  });

  it('a stream that never drains does not hold up a stop', async () => {
    const { launch } = await import('../../src/index.js');
    const p = launch('testsrc blocksize=64 ! consolesink');
    const ac = new AbortController();
    (p.get('consolesink0') as ConsoleSink).stream = new Writable({
      highWaterMark: 1,
      write() {
        ac.abort(); // and never call back
      },
    });
    await expect(p.run({ signal: ac.signal })).rejects.toThrow(/aborted/);
  });

  it('stops with a named error, not a crash, when the reader of standard output goes away (EPIPE)', async () => {
    // As `parallax-launch "testsrc ! consolesink" | head -c 100`: the built CLI in a child process.
    const child = spawn(process.execPath, [join(process.cwd(), 'dist/cli/launch.js'), '-q', 'testsrc blocksize=64 ! consolesink'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let err = '';
    child.stderr.on('data', (c: globalThis.Buffer) => (err += c.toString()));
    child.stdout.once('data', () => child.stdout.destroy());
    const code = await new Promise((resolve) => child.on('exit', resolve));
    expect(err).not.toContain('Unhandled');
    expect(err).toContain('consolesink0: cannot print to standard output: write EPIPE (the reader went away)');
    expect(code).toBe(1);
  });
});
