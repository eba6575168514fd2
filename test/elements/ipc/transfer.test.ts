import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { launch } from '../../../src/index.js';
import { loadNative, requireNative } from '../../../src/isolation/native.js';
import { closeFd } from '../../../src/isolation/fd.js';
import { fileExists, openFds, runChild, socketDir } from './peer.js';

// Two pipelines in two processes, started separately in either order, joined by ipcsink and
// ipcsrc: the bytes that arrive are the bytes an in-process run writes, and both ends exit 0.
const CAPS = 'audio/x-raw,format=S16LE,rate=8000,channels=1';
const PRODUCE = `audiotestsrc num-buffers=50 ! ${CAPS}`;

describe.skipIf(!loadNative().ok)('ipcsink → ipcsrc across processes', () => {
  const dir = socketDir();
  const reference = join(dir, 'reference.raw');
  beforeAll(async () => {
    await launch(`${PRODUCE} ! filesink location=${reference}`).run();
  });

  it('producer here, consumer started after it: byte-exact, EOS, both exit 0, no fd left', async () => {
    const sock = join(dir, 'a.sock');
    const out = join(dir, 'a.raw');
    const fdsBefore = openFds();
    const producer = launch(`${PRODUCE} ! ipcsink path=${sock}`);
    const running = producer.run();
    const child = runChild(`ipcsrc path=${sock} caps=${CAPS} ! filesink location=${out}`);
    await expect(running).resolves.toBeUndefined();
    const r = await child.done;
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Got EOS');
    expect(readFileSync(out)).toEqual(readFileSync(reference));
    expect(fileExists(sock)).toBe(false);
    expect(openFds()).toEqual(fdsBefore);
  }, 20_000);

  it('consumer started first: it waits for the producer', async () => {
    const sock = join(dir, 'b.sock');
    const out = join(dir, 'b.raw');
    const child = runChild(`ipcsrc path=${sock} caps=${CAPS} ! filesink location=${out}`);
    await new Promise((r) => setTimeout(r, 300));
    await launch(`${PRODUCE} ! ipcsink path=${sock}`).run();
    const r = await child.done;
    expect(r.code).toBe(0);
    expect(readFileSync(out)).toEqual(readFileSync(reference));
  }, 20_000);

  it('consumer here, producer in the child, started in either order', async () => {
    for (const consumerFirst of [true, false]) {
      const sock = join(dir, `c${consumerFirst ? 1 : 2}.sock`);
      const out = join(dir, `c${consumerFirst ? 1 : 2}.raw`);
      const fdsBefore = openFds();
      const consumer = launch(`ipcsrc path=${sock} caps=${CAPS} ! filesink location=${out}`);
      let child;
      if (consumerFirst) {
        const running = consumer.run();
        child = runChild(`${PRODUCE} ! ipcsink path=${sock}`);
        await running;
      } else {
        child = runChild(`${PRODUCE} ! ipcsink path=${sock}`);
        await new Promise((r) => setTimeout(r, 300));
        await consumer.run();
      }
      const r = await child.done;
      expect(r.code).toBe(0);
      expect(r.stderr).toBe('');
      expect(readFileSync(out)).toEqual(readFileSync(reference));
      expect(openFds()).toEqual(fdsBefore);
    }
  }, 30_000);

  it('replaces a stale socket file left by a program that died', async () => {
    const sock = join(dir, 'stale.sock');
    closeFd(requireNative().unixListen(sock));
    expect(fileExists(sock)).toBe(true); // nobody listens on it now
    const out = join(dir, 'stale.raw');
    const running = launch(`${PRODUCE} ! ipcsink path=${sock}`).run();
    const child = runChild(`ipcsrc path=${sock} caps=${CAPS} ! filesink location=${out}`);
    await running;
    expect((await child.done).code).toBe(0);
    expect(readFileSync(out)).toEqual(readFileSync(reference));
  }, 20_000);

  it('a consumer that ends the stream itself (EOS from downstream) ends the producer with EOS, not an error', async () => {
    const sock = join(dir, 'early.sock');
    const producer = launch(`fakesrc num-buffers=-1 sizetype=fixed sizemax=256 ! ipcsink path=${sock}`);
    const running = producer.run();
    const child = runChild(`ipcsrc path=${sock} ! fakesink num-buffers=20`);
    await expect(running).resolves.toBeUndefined();
    expect((await child.done).code).toBe(0);
  }, 20_000);
});
