// parallax-helper through its client: real helper process, real children, real fds. Linux only;
// on Linux a missing build is a failure (start() throws the build's reason), not a skip.
import { spawn } from 'node:child_process';
import { closeSync, existsSync, fstatSync, ftruncateSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { HelperRequestError, IsolationHelper, type ChildExit } from '../../src/isolation/helper-client.js';
import { MsgType, RecordWriter, decodeRecord, decodeReply, encodeRecord, encodeSpawn } from '../../src/isolation/helper-protocol.js';
import { HELPER_PATH } from '../../src/isolation/helper-client.js';
import { loadNative, requireNative } from '../../src/isolation/native.js';

const ECHO = fileURLToPath(new URL('../fixtures/isolation/sandbox-echo.mjs', import.meta.url));
const native = loadNative();

const helpers: IsolationHelper[] = [];
async function startHelper(options: Parameters<typeof IsolationHelper.start>[0] = {}): Promise<IsolationHelper> {
  const h = await IsolationHelper.start(options);
  helpers.push(h);
  return h;
}
afterEach(async () => {
  for (const h of helpers.splice(0)) await h.close();
});

/** Collects a child's output and resolves with its exit. */
function watch(h: IsolationHelper): { output: Map<number, string>; order: string[]; exitOf(pid: number): Promise<ChildExit> } {
  const output = new Map<number, string>();
  const order: string[] = [];
  const exits = new Map<number, ChildExit>();
  const waiting = new Map<number, (e: ChildExit) => void>();
  h.on('output', (o) => {
    output.set(o.pid, (output.get(o.pid) ?? '') + Buffer.from(o.bytes).toString());
    order.push(`output ${o.pid} ${o.stream}`);
  });
  h.on('exit', (e) => {
    order.push(`exit ${e.pid}`);
    exits.set(e.pid, e);
    waiting.get(e.pid)?.(e);
  });
  return {
    output,
    order,
    exitOf: (pid) => {
      const seen = exits.get(pid);
      return seen ? Promise.resolve(seen) : new Promise((resolve) => waiting.set(pid, resolve));
    },
  };
}

function until(check: () => boolean, ms = 3000): Promise<void> {
  const deadline = Date.now() + ms;
  return new Promise((resolve, reject) => {
    const tick = (): void => {
      if (check()) resolve();
      else if (Date.now() > deadline) reject(new Error('condition not met in time'));
      else setTimeout(tick, 5);
    };
    tick();
  });
}

function fdCount(pid: number | 'self'): number {
  return readdirSync(`/proc/${pid}/fd`).length;
}

/** Processes whose parent is `pid`, with their state letter. */
function childrenOf(pid: number): { pid: number; state: string }[] {
  const out: { pid: number; state: string }[] = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      if (Number(fields[1]) === pid) out.push({ pid: Number(name), state: fields[0]! });
    } catch {
      // gone meanwhile
    }
  }
  return out;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

describe.skipIf(process.platform !== 'linux')('isolation helper', () => {
  it('is built, and answers HELLO with its version, pid and the Landlock ABI', async () => {
    expect(native.ok, native.ok ? '' : native.reason).toBe(true);
    expect(existsSync(HELPER_PATH)).toBe(true);
    const h = await startHelper();
    expect(h.landlockAbi).toBeGreaterThanOrEqual(0);
    const body = Buffer.from(await h.rawRequest(MsgType.hello, new RecordWriter().u32(1).bytes()));
    expect(body.readUInt32LE(0)).toBe(1);
    expect(body.readInt32LE(8)).toBe(h.pid);
    await expect(h.rawRequest(MsgType.hello, new RecordWriter().u32(2).bytes())).rejects.toMatchObject({ code: 'EPROTONOSUPPORT' });
  });

  it('creates a sealed memfd region of the right size: resizing it fails', async () => {
    const h = await startHelper();
    const fd = await h.createRegion('parallax-test', 3 * 4096 + 5);
    try {
      expect(fstatSync(fd).size).toBe(3 * 4096 + 5);
      expect(() => ftruncateSync(fd, 1)).toThrow(expect.objectContaining({ code: 'EPERM' }));
      expect(() => ftruncateSync(fd, 1 << 20)).toThrow(expect.objectContaining({ code: 'EPERM' }));
      const map = requireNative().mapShared(fd, 4096, true);
      new Uint8Array(map.buffer)[7] = 42; // writes within the size are fine
    } finally {
      closeSync(fd);
    }
    await expect(h.createRegion('empty', 0)).rejects.toMatchObject({ code: 'EINVAL', request: 'CREATE_REGION' });
  });

  it('spawns without a sandbox: fds in order, output forwarded before the exit code', async () => {
    const h = await startHelper();
    const w = watch(h);
    const [a, b] = requireNative().socketPair();
    const region = await h.createRegion('passed', 8192);
    try {
      const { pid, landlock, namespaces, seccomp } = await h.spawn({
        argv: [process.execPath, ECHO, '3', 'hello ', 'on stderr'],
        env: { PARALLAX_TEST: 'env-ok' },
        fds: [b, region],
        sandbox: null,
      });
      expect({ landlock, namespaces, seccomp }).toEqual({ landlock: false, namespaces: false, seccomp: false });
      const exit = await w.exitOf(pid);
      expect(exit).toEqual({ pid, code: 3, signal: null, coreDumped: false });
      const out = w.output.get(pid) ?? '';
      expect(out).toMatch(/^hello \{/);
      const report = JSON.parse(out.slice('hello '.length).split('\n')[0]!) as { fds: { fd: number; socket: boolean; size: number }[]; env: string; ppid: number };
      expect(report.fds[0]).toMatchObject({ fd: 3, socket: true });
      expect(report.fds[1]).toMatchObject({ fd: 4, socket: false, size: 8192 });
      expect(report.env).toBe('env-ok');
      expect(report.ppid).toBe(h.pid);
      expect(out).toContain('on stderr');
      expect(w.order.indexOf(`exit ${pid}`)).toBe(w.order.length - 1);
    } finally {
      closeSync(a);
      closeSync(b);
      closeSync(region);
    }
  });

  it('reports SIGKILL within 100 ms of KILL', async () => {
    const h = await startHelper();
    const w = watch(h);
    const { pid } = await h.spawn({ argv: [process.execPath, ECHO, 'wait'], env: {}, fds: [], sandbox: null });
    await until(() => (w.output.get(pid) ?? '').includes('\n'));
    const t0 = performance.now();
    await h.kill(pid, 'SIGKILL');
    const exit = await w.exitOf(pid);
    expect(performance.now() - t0).toBeLessThan(100);
    expect(exit).toEqual({ pid, code: null, signal: 'SIGKILL', coreDumped: false });
    await expect(h.kill(pid, 'SIGKILL')).rejects.toMatchObject({ code: 'ESRCH', request: 'KILL' });
    await expect(h.kill(1, 'SIGKILL')).rejects.toThrow(/pid 1 is not a running child of this helper/);
  });

  it('rejects malformed requests with error replies, closes their fds, and keeps working', async () => {
    const h = await startHelper();
    const strays: { id: number; errno: number; message: string }[] = [];
    h.on('stray', (s) => strays.push(s));
    const baseline = fdCount(h.pid);
    const [a, b] = requireNative().socketPair();
    try {
      h.sendRaw(Buffer.from([1, 2, 3]), [a, b]);
      h.sendRaw(encodeRecord(MsgType.hello, 77, new Uint8Array(4)).subarray(0, 14));
      const bad = Buffer.from(encodeRecord(MsgType.hello, 78, new Uint8Array(4)));
      bad.writeUInt32LE(999, 8); // a length that disagrees with the record
      h.sendRaw(bad);
      h.sendRaw(encodeRecord(MsgType.hello, 0, new RecordWriter().u32(1).bytes()));
      await until(() => strays.length === 4);
      expect(strays.map((s) => s.id)).toEqual([0, 77, 78, 0]);
      expect(strays.every((s) => s.errno > 0)).toBe(true);
      expect(strays[0]!.message).toMatch(/shorter than the 12-byte header/);

      const errors: unknown[] = [];
      const expectRefused = async (p: Promise<unknown>): Promise<void> => {
        const e = await p.then(() => null, (err: unknown) => err);
        expect(e).toBeInstanceOf(HelperRequestError);
        errors.push(e);
      };
      await expectRefused(h.rawRequest(999, new Uint8Array(3)));
      await expectRefused(h.rawRequest(MsgType.hello, new Uint8Array(0), [a]));
      await expectRefused(h.rawRequest(MsgType.kill, new Uint8Array(5)));
      await expectRefused(h.rawRequest(MsgType.createRegion, new RecordWriter().u64(4096).u32(1 << 30).bytes()));
      await expectRefused(h.rawRequest(MsgType.spawn, new Uint8Array(47)));
      const spawnWith = (argv: string[], paths: string[], flags = 0, extra = new Uint8Array(0)): Uint8Array =>
        Buffer.concat([encodeSpawn({ flags, argv, env: [], paths, addressSpaceBytes: 0, openFiles: 0, cpuSeconds: 0, threads: 0 }), extra]);
      await expectRefused(h.rawRequest(MsgType.spawn, spawnWith([], [])));
      await expectRefused(h.rawRequest(MsgType.spawn, spawnWith(['relative'], [])));
      await expectRefused(h.rawRequest(MsgType.spawn, spawnWith([process.execPath], ['/usr/../etc'], 1)));
      await expectRefused(h.rawRequest(MsgType.spawn, spawnWith([process.execPath], [], 2)));
      await expectRefused(h.rawRequest(MsgType.spawn, spawnWith([process.execPath], [], 0, new Uint8Array(1))));
      await expectRefused(h.rawRequest(MsgType.spawn, spawnWith(['/nonexistent/runtime'], []), [a]));
      await expectRefused(h.rawRequest(MsgType.spawn, spawnWith([`${process.execPath}\u0000x`], [])));
      expect((errors[0] as HelperRequestError).message).toMatch(/unknown request type 999/);
      expect((errors.at(-2) as HelperRequestError).message).toMatch(/SPAWN: execve \/nonexistent\/runtime: No such file/);
      expect((errors.at(-2) as HelperRequestError).code).toBe('ENOENT');

      // Random records, some with fds.
      let seed = 12345;
      const rand = (): number => (seed = (seed * 1103515245 + 12345) >>> 0) / 2 ** 32;
      for (let i = 0; i < 300; i++) {
        const junk = Buffer.alloc(1 + Math.floor(rand() * 200));
        for (let j = 0; j < junk.length; j++) junk[j] = Math.floor(rand() * 256);
        if (junk.length >= 12 && rand() < 0.5) junk.writeUInt32LE(1 + Math.floor(rand() * 5), 0);
        if (junk.length >= 12 && rand() < 0.5) junk.writeUInt32LE(junk.length - 12, 8);
        if (junk.length >= 12 && junk.readUInt32LE(0) === MsgType.shutdown) junk.writeUInt32LE(MsgType.kill, 0);
        h.sendRaw(junk, rand() < 0.2 ? [a] : []);
      }
      const body = Buffer.from(await h.rawRequest(MsgType.hello, new RecordWriter().u32(1).bytes()));
      expect(body.readUInt32LE(0)).toBe(1);
      expect(fdCount(h.pid)).toBe(baseline);
    } finally {
      closeSync(a);
      closeSync(b);
    }
  });

  it('kills its children and exits when the supervisor side of the socket closes', async () => {
    const nat = requireNative();
    const [mine, theirs] = nat.socketPair();
    const helper = spawn(HELPER_PATH, [], { stdio: ['ignore', 'ignore', 'inherit', theirs] });
    closeSync(theirs);
    const helperExit = new Promise<number | null>((resolve) => helper.once('exit', (code) => resolve(code)));
    const replies: { errno: number; pid: number }[] = [];
    const channel = nat.openChannel(mine, (bytes) => {
      const rec = decodeRecord(bytes);
      if (rec.type !== MsgType.reply) return;
      const r = decodeReply(rec.payload);
      replies.push({ errno: r.errno, pid: r.errno === 0 ? r.body.i32() : -1 });
    }, () => {});
    const spawnRecord = (id: number): Uint8Array =>
      encodeRecord(MsgType.spawn, id, encodeSpawn({ flags: 0, argv: [process.execPath, ECHO, 'wait'], env: [], paths: [], addressSpaceBytes: 0, openFiles: 0, cpuSeconds: 0, threads: 0 }));
    nat.sendFds(mine, [], spawnRecord(1));
    nat.sendFds(mine, [], spawnRecord(2));
    await until(() => replies.length === 2);
    const pids = replies.map((r) => r.pid);
    expect(pids.every((p) => p > 0 && alive(p))).toBe(true);
    channel.close();
    closeSync(mine); // the supervisor "dies": its end of the socket closes
    expect(await helperExit).toBe(0);
    for (const pid of pids) expect(alive(pid)).toBe(false);
  });

  it('leaves no zombies and no leaked fds, in itself or in the supervisor', async () => {
    const before = fdCount('self');
    const h = await startHelper();
    const w = watch(h);
    const helperBaseline = fdCount(h.pid);
    const pids: number[] = [];
    for (let i = 0; i < 6; i++) {
      const { pid } = await h.spawn({ argv: [process.execPath, ECHO, String(i), 'x'], env: {}, fds: [], sandbox: null });
      pids.push(pid);
    }
    const exits = await Promise.all(pids.map((p) => w.exitOf(p)));
    expect(exits.map((e) => e.code)).toEqual([0, 1, 2, 3, 4, 5]);
    expect(childrenOf(h.pid)).toEqual([]);
    expect(fdCount(h.pid)).toBe(helperBaseline);
    const { pid: waiting } = await h.spawn({ argv: [process.execPath, ECHO, 'wait'], env: {}, fds: [], sandbox: null });
    expect(childrenOf(h.pid).map((c) => c.pid)).toEqual([waiting]);
    await h.close();
    expect(alive(waiting)).toBe(false);
    expect(h.exitStatus).toEqual({ code: 0, signal: null });
    expect(fdCount('self')).toBe(before);
  });

  it('says why when the helper binary is missing', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'parallax-helper-'));
    try {
      await expect(IsolationHelper.start({ helperPath: join(dir, 'parallax-helper') })).rejects.toMatchObject({
        code: 'ISOLATION_UNAVAILABLE',
        message: expect.stringMatching(/is missing: it was never built\); run npm install/),
      });
    } finally {
      rmSync(dir, { recursive: true });
    }
  });
});

const valgrind = ['/usr/bin/valgrind', '/usr/local/bin/valgrind'].find((p) => existsSync(p));

describe.skipIf(process.platform !== 'linux' || valgrind === undefined)('isolation helper under valgrind', () => {
  it('has no memory errors, leaks or leaked fds over a whole session', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'parallax-valgrind-'));
    try {
      const h = await IsolationHelper.start({
        wrapper: [valgrind!, '--error-exitcode=99', '--leak-check=full', '--errors-for-leak-kinds=definite,indirect,possible', '--track-fds=yes', `--log-file=${join(dir, 'vg.%p.log')}`],
        stderr: 'ignore',
      });
      const w = watch(h);
      const region = await h.createRegion('valgrind', 4096);
      closeSync(region);
      const { pid } = await h.spawn({ argv: [process.execPath, ECHO, '7', 'under valgrind'], env: {}, fds: [], sandbox: null });
      expect(await w.exitOf(pid)).toMatchObject({ code: 7 });
      await h.close();
      const log = readFileSync(join(dir, `vg.${h.pid}.log`), 'utf8');
      expect(h.exitStatus, log).toEqual({ code: 0, signal: null });
      expect(log).toMatch(/ERROR SUMMARY: 0 errors/);
      // Every fd still open at exit must be stdio or one the helper inherited (valgrind's log, the
      // test runner's own); none may come from the helper.
      const fdReport = log.slice(log.indexOf('FILE DESCRIPTORS'), log.indexOf('HEAP SUMMARY'));
      const opened = fdReport.split(/Open file descriptor /).slice(1);
      expect(opened.filter((entry) => !entry.includes('<inherited from parent>')), fdReport).toEqual([]);
    } finally {
      rmSync(dir, { recursive: true });
    }
  }, 60_000);
});
