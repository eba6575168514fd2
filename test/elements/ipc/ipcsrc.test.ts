import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { FlowResult, Harness, createDefaultRegistry } from '../../../src/index.js';
import { closeFd } from '../../../src/isolation/fd.js';
import { createProcessLink } from '../../../src/isolation/link/create.js';
import { linkRegionBytes } from '../../../src/isolation/link/cross-ring.js';
import { loadNative, requireNative } from '../../../src/isolation/native.js';
import { openFds, socketDir } from './peer.js';

// ipcsrc against a producer played by hand, which answers whatever the test says: every field of
// a hello is another program's word and must be checked before use (src/elements/ipc/protocol.ts).
const registry = createDefaultRegistry();
const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const c of cleanups.splice(0)) c();
});

/** Starts an ipcsrc at a fresh path with a listener there, takes its request; returns both ends. */
async function connected(props: Record<string, unknown> = {}): Promise<{ h: Harness; conn: number; path: string }> {
  const native = requireNative();
  const path = join(socketDir(), 'p.sock');
  const listener = native.unixListen(path);
  cleanups.push(() => closeFd(listener));
  const el = registry.make('ipcsrc', 'ipcsrc0');
  el.set('path', path);
  for (const [k, v] of Object.entries(props)) el.set(k, v);
  const h = new Harness(el);
  await h.start(); // its first connect is made here, so the accept below finds it queued
  const conn = native.unixAccept(listener)!;
  cleanups.push(() => closeFd(conn));
  expect(JSON.parse(new TextDecoder().decode(native.recvFds(conn, 1).bytes))).toEqual({ type: 'connect', version: 1 });
  return { h, conn, path };
}

function send(conn: number, message: unknown, fds: number[] = []): void {
  requireNative().sendFds(conn, fds, new TextEncoder().encode(JSON.stringify(message)));
}

/** A real link's consumer fds, closed after the test. */
function linkFds(capacity = 256): number[] {
  const link = createProcessLink(capacity);
  cleanups.push(() => link.close());
  return [link.consumer.regionFd, link.consumer.regionsSocketFd, link.consumer.doorbellFd];
}

const hello = (over: Record<string, unknown> = {}): Record<string, unknown> =>
  ({ type: 'hello', version: 1, capacity: 256, byteLength: linkRegionBytes(256), caps: 'ANY', ...over });

describe.skipIf(!loadNative().ok)('ipcsrc', () => {
  it.each([
    ['another version', hello({ version: 7 }), 3, 'protocol version 7; this side speaks version 1'],
    ['too few fds', hello(), 1, 'a hello with 1 fds; it carries 3'],
    ['a capacity that is not a power of two', hello({ capacity: 100 }), 3, 'hello.capacity: link capacity must be a power of two from 2 to 4096, got 100'],
    ['a byte length that does not fit the capacity', hello({ byteLength: 64 }), 3, `hello.byteLength 64; a link of 256 records has ${linkRegionBytes(256)}`],
    ['no caps', hello({ caps: 42 }), 3, 'hello.caps 42; expected a caps string'],
    ['an unknown record', { type: 'surprise', version: 1 }, 0, 'record type "surprise"; a producer sends "hello" or "refused"'],
  ])('refuses a hello with %s, naming the field', async (_what, message, nfds, why) => {
    const fdsBefore = openFds();
    const { h, conn, path } = await connected();
    send(conn, message, linkFds().slice(0, nfds));
    expect(await h.step()).toBe(FlowResult.ERROR);
    expect(h.errors()).toEqual([`ipcsrc0: the producer at "${path}" broke the control protocol: ${why}`]);
    await h.stop();
    for (const c of cleanups.splice(0)) c();
    expect(openFds()).toEqual(fdsBefore);
  });

  it('refuses fds that are not what the hello says (a pipe for the region)', async () => {
    const { h, conn, path } = await connected();
    const [, regions, bell] = linkFds();
    send(conn, hello(), [regions!, regions!, bell!]);
    expect(await h.step()).toBe(FlowResult.ERROR);
    expect(h.errors()[0]).toMatch(`ipcsrc0: the producer at "${path}" sent a link this side cannot use: the link region fd is not a memfd sealed against shrink and grow`);
    await h.stop();
  });

  it('says why the producer refused', async () => {
    const { h, conn, path } = await connected();
    send(conn, { type: 'refused', version: 1, reason: 'busy' });
    expect(await h.step()).toBe(FlowResult.ERROR);
    expect(h.errors()).toEqual([`ipcsrc0: the producer at "${path}" refused the connection: busy`]);
    await h.stop();
  });

  it('refuses caps that do not intersect its own, naming both', async () => {
    const { h, conn, path } = await connected({ caps: 'audio/x-raw, rate=(int)8000' });
    send(conn, hello({ caps: 'video/x-raw, width=(int)16' }), linkFds());
    expect(await h.step()).toBe(FlowResult.ERROR);
    expect(h.errors()).toEqual([`ipcsrc0: the producer at "${path}" sends video/x-raw, width=(int)16 (its hello), which does not intersect audio/x-raw, rate=(int)8000, the caps of ipcsrc0:src`]);
    await h.stop();
  });

  it('a producer that hangs up before its hello', async () => {
    const { h, conn, path } = await connected();
    closeFd(conn);
    cleanups.length = 1; // conn is closed already
    expect(await h.step()).toBe(FlowResult.ERROR);
    expect(h.errors()).toEqual([`ipcsrc0: the producer at "${path}" closed the connection before its hello`]);
    await h.stop();
  });

  it('stopping while it waits for a producer is not an error', async () => {
    const el = registry.make('ipcsrc', 'ipcsrc0');
    el.set('path', join(socketDir(), 'nobody.sock'));
    const h = new Harness(el);
    await h.start();
    const step = h.step();
    await h.stop();
    expect(await step).toBe(FlowResult.FLUSHING);
    expect(h.errors()).toEqual([]);
  });
});
