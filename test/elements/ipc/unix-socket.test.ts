import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { closeFd } from '../../../src/isolation/fd.js';
import { loadNative, requireNative } from '../../../src/isolation/native.js';
import { openFds, socketDir } from './peer.js';

// The addon's meeting place (native-helper/addon/unix.c): listen, connect, accept, watch.
describe.skipIf(!loadNative().ok)('unix sockets at a path', () => {
  const native = loadNative().ok ? requireNative() : (null as never);

  it('refuses a path longer than a socket address holds, and an empty one', () => {
    expect(() => native.unixListen(`/tmp/${'x'.repeat(103)}`)).toThrow('unixListen: path is 108 bytes; a Unix socket path holds at most 107');
    expect(() => native.unixConnect('')).toThrow('unixConnect: path must not be empty');
  });

  it('connect reports ENOENT and ECONNREFUSED by code', () => {
    const path = join(socketDir(), 's.sock');
    expect(() => native.unixConnect(path)).toThrow(expect.objectContaining({ code: 'ENOENT', syscall: 'connect' }));
    closeFd(native.unixListen(path)); // the file stays, nobody listens
    expect(() => native.unixConnect(path)).toThrow(expect.objectContaining({ code: 'ECONNREFUSED' }));
  });

  it('replaces a stale socket file, but never a live listener or a file that is not a socket', () => {
    const dir = socketDir();
    const path = join(dir, 's.sock');
    closeFd(native.unixListen(path));
    const live = native.unixListen(path);
    expect(() => native.unixListen(path)).toThrow(expect.objectContaining({ code: 'EADDRINUSE' }));
    closeFd(native.unixAccept(live)!); // the probe of the refused listen
    closeFd(live);
    const file = join(dir, 'data.bin');
    writeFileSync(file, 'keep me');
    expect(() => native.unixListen(file)).toThrow(expect.objectContaining({ code: 'EADDRINUSE' }));
    expect(existsSync(file)).toBe(true);
  });

  it('unixAccept: null when nobody waits (non-blocking), a connection otherwise', () => {
    const path = join(socketDir(), 's.sock');
    const listener = native.unixListen(path);
    expect(native.unixAccept(listener, true)).toBeNull();
    const client = native.unixConnect(path);
    const server = native.unixAccept(listener, true)!;
    native.sendFds(client, [], new Uint8Array([7]));
    expect([...native.recvFds(server, 1).bytes]).toEqual([7]);
    for (const fd of [client, server, listener]) closeFd(fd);
  });

  it('watchAccept delivers each connection on the event loop and nothing after close()', async () => {
    const before = openFds();
    const path = join(socketDir(), 's.sock');
    const listener = native.unixListen(path);
    const got: number[] = [];
    const watch = native.watchAccept(listener, (fd) => got.push(fd), () => got.push(-1));
    const clients = [native.unixConnect(path), native.unixConnect(path)];
    while (got.length < 2) await new Promise((r) => setTimeout(r, 5));
    expect(got.every((fd) => fd >= 0)).toBe(true);
    watch.close();
    const late = native.unixConnect(path); // queued, never delivered
    await new Promise((r) => setTimeout(r, 50));
    expect(got).toHaveLength(2);
    for (const fd of [...got, ...clients, late, listener]) closeFd(fd);
    expect(openFds()).toEqual(before);
  });
});
