// openChannel: records of a SEQPACKET socket delivered on the event loop by a native reader thread,
// with their fds, in order; the end of the stream reported once; nothing after close(); no fd left.
import { closeSync, fstatSync, readdirSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { requireNative, type NativeHelper } from '../../src/isolation/native.js';

function openFdCount(): number {
  return readdirSync('/proc/self/fd').length;
}

function until(check: () => boolean, ms = 2000): Promise<void> {
  const deadline = Date.now() + ms;
  return new Promise((resolve, reject) => {
    const tick = (): void => {
      if (check()) resolve();
      else if (Date.now() > deadline) reject(new Error('condition not met in time'));
      else setTimeout(tick, 2);
    };
    tick();
  });
}

describe.skipIf(process.platform !== 'linux')('native channel', () => {
  let native!: NativeHelper;
  beforeAll(() => {
    native = requireNative();
  });

  it('delivers every record in order with its fds, then the end of the stream once', async () => {
    const before = openFdCount();
    const [a, b] = native.socketPair();
    const [p, q] = native.socketPair();
    const got: string[] = [];
    const fdKinds: boolean[] = [];
    const closes: number[] = [];
    const channel = native.openChannel(
      b,
      (bytes, fds, truncated) => {
        expect(truncated).toBe(false);
        got.push(Buffer.from(bytes).toString());
        for (const fd of fds) {
          fdKinds.push(fstatSync(fd).isSocket());
          closeSync(fd);
        }
      },
      (errno) => closes.push(errno),
    );
    closeSync(b); // the channel reads its own copy
    for (let i = 0; i < 2000; i++) native.sendFds(a, i % 500 === 0 ? [p] : [], Buffer.from(`m${i}`));
    closeSync(a);
    await until(() => closes.length > 0);
    expect(got).toEqual(Array.from({ length: 2000 }, (_, i) => `m${i}`));
    expect(fdKinds).toEqual([true, true, true, true]);
    expect(closes).toEqual([0]);
    channel.close();
    channel.close(); // idempotent
    closeSync(p);
    closeSync(q);
    expect(openFdCount()).toBe(before);
  });

  it('flags a record larger than maxBytes as truncated instead of dropping it', async () => {
    const [a, b] = native.socketPair();
    const seen: [number, boolean][] = [];
    const channel = native.openChannel(b, (bytes, _fds, truncated) => seen.push([bytes.byteLength, truncated]), () => {}, 16);
    native.sendFds(a, [], new Uint8Array(100));
    native.sendFds(a, [], new Uint8Array(16));
    await until(() => seen.length === 2);
    expect(seen).toEqual([[16, true], [16, false]]);
    channel.close();
    closeSync(a);
    closeSync(b);
  });

  it('calls nothing after close(), and the fds of undelivered records are closed', async () => {
    const before = openFdCount();
    const [a, b] = native.socketPair();
    const [p, q] = native.socketPair();
    let calls = 0;
    const channel = native.openChannel(b, (_bytes, fds) => { calls++; fds.forEach((fd) => closeSync(fd)); }, () => calls++);
    channel.close();
    for (let i = 0; i < 10; i++) native.sendFds(a, [p], Buffer.from('late'));
    closeSync(a);
    await new Promise((r) => setTimeout(r, 30));
    expect(calls).toBe(0);
    closeSync(b); // the records were never read: closing the last copy of the socket frees their fds
    closeSync(p);
    closeSync(q);
    expect(openFdCount()).toBe(before);
  });

  it('names a bad argument', () => {
    expect(() => native.openChannel(-1, () => {}, () => {})).toThrow(/openChannel: socketFd/);
    const [a, b] = native.socketPair();
    expect(() => native.openChannel(a, 'x' as never, () => {})).toThrow(/openChannel: onMessage must be a function/);
    expect(() => native.openChannel(a, () => {}, () => {}, 0)).toThrow(/openChannel: maxBytes must be an integer from 1/);
    closeSync(a);
    closeSync(b);
  });

  it('an unref()ed channel does not keep the process alive', async () => {
    const { spawnSync } = await import('node:child_process');
    const { NATIVE_ADDON_PATH } = await import('../../src/isolation/native.js');
    const script = `const n=require(${JSON.stringify(NATIVE_ADDON_PATH)});const [a,b]=n.socketPair();` +
      `const c=n.openChannel(b,()=>{},()=>{});c.unref();console.log('done')`;
    const run = spawnSync(process.execPath, ['-e', script], { encoding: 'utf8', timeout: 5000 });
    expect(run.signal).toBeNull();
    expect(run.stdout.trim()).toBe('done');
  });
});
