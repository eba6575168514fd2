import { lstatSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Harness, createDefaultRegistry } from '../../../src/index.js';
import { closeFd } from '../../../src/isolation/fd.js';
import { linkRegionBytes } from '../../../src/isolation/link/cross-ring.js';
import { loadNative, requireNative } from '../../../src/isolation/native.js';
import { fileExists, openFds, receive, socketDir, until } from './peer.js';

// ipcsink driven through the harness, with a consumer played by hand over the addon: the control
// protocol as a consumer sees it (src/elements/ipc/protocol.ts).
const registry = createDefaultRegistry();
const text = (b: Uint8Array): string => new TextDecoder().decode(b);

function sinkAt(path: string, props: Record<string, unknown> = {}): Harness {
  const el = registry.make('ipcsink', 'ipcsink0');
  el.set('path', path);
  for (const [k, v] of Object.entries(props)) el.set(k, v);
  return new Harness(el, { caps: 'audio/x-raw, rate=(int)8000' });
}

/** Connects as a consumer and asks for the link; returns the socket. */
function ask(path: string): number {
  const native = requireNative();
  const fd = native.unixConnect(path);
  native.sendFds(fd, [], new TextEncoder().encode('{"type":"connect","version":1}'));
  return fd;
}

describe.skipIf(!loadNative().ok)('ipcsink', () => {
  it('listens on its path while started and removes the file at stop', async () => {
    const path = join(socketDir(), 's.sock');
    const h = sinkAt(path);
    await h.start();
    expect(lstatSync(path).isSocket()).toBe(true);
    expect(h.element.get('connected')).toBe(false);
    await h.stop();
    expect(fileExists(path)).toBe(false);
  });

  it('answers a consumer with a hello and three fds, refuses a second one, ignores a probe', async () => {
    const fdsBefore = openFds();
    const path = join(socketDir(), 's.sock');
    const h = sinkAt(path);
    await h.start();
    const native = requireNative();
    closeFd(native.unixConnect(path)); // a probe: connects and leaves without asking
    const first = ask(path);
    const hello = await receive(first);
    expect(JSON.parse(text(hello.bytes))).toEqual({ type: 'hello', version: 1, capacity: 256, byteLength: linkRegionBytes(256), caps: 'audio/x-raw, rate=(int)8000' });
    expect(hello.fds).toHaveLength(3);
    await until(() => h.element.get('connected') === true);
    const second = ask(path);
    const refused = await receive(second);
    expect(JSON.parse(text(refused.bytes))).toEqual({ type: 'refused', version: 1, reason: 'another consumer is connected (one at a time)' });
    expect((await receive(second)).bytes.byteLength).toBe(0); // then it hangs up
    for (const fd of [...hello.fds, first, second]) closeFd(fd);
    await until(() => h.errors().length > 0);
    expect(h.errors()).toEqual([`ipcsink0: the consumer at "${path}" disconnected before the end of the stream`]);
    await h.stop();
    expect(openFds()).toEqual(fdsBefore);
  });

  it('refuses a request in another protocol version, naming it', async () => {
    const path = join(socketDir(), 's.sock');
    const h = sinkAt(path);
    await h.start();
    const native = requireNative();
    const fd = native.unixConnect(path);
    native.sendFds(fd, [], new TextEncoder().encode('{"type":"connect","version":2}'));
    const reply = JSON.parse(text((await receive(fd)).bytes)) as { type: string; reason: string };
    expect(reply.type).toBe('refused');
    expect(reply.reason).toBe('bad request: protocol version 2; this side speaks version 1');
    closeFd(fd);
    expect(h.element.get('connected')).toBe(false);
    await h.stop();
  });

  it('wait-for-connection=false: drops and counts buffers until a consumer comes, EOS ends the stream', async () => {
    const path = join(socketDir(), 's.sock');
    const h = sinkAt(path, { 'wait-for-connection': false });
    await h.start();
    for (let i = 0; i < 5; i++) expect(h.push(new Uint8Array(16))).toBe(0);
    expect(h.blocked).toBe(0);
    expect(h.element.get('dropped')).toBe(5);
    h.eos();
    await h.settle();
    expect(h.eosCount).toBe(1);
    await h.stop();
  });

  it('wait-for-connection=true: holds the stream (upstream waits) until a consumer comes', async () => {
    const path = join(socketDir(), 's.sock');
    const h = sinkAt(path);
    await h.start();
    expect(h.push(new Uint8Array(16))).toBe(0);
    expect(h.blocked).toBeGreaterThan(0);
    expect(h.element.get('dropped')).toBe(0);
    const fd = ask(path);
    const hello = await receive(fd);
    await h.settle(); // the held buffer went into the link
    for (const f of [...hello.fds, fd]) closeFd(f);
    await h.stop();
  });
});
