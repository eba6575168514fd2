// The sandbox, end to end: a hostile host (test/fixtures/isolation/sandbox-hostile.mjs) runs in
// the helper's full sandbox (namespaces, read-only root, rlimits, no_new_privs, Landlock, seccomp),
// applies sandboxLockdown(), tries one hostile action and reports the outcome. Each test checks
// the exact outcome and that the supervisor (this process) and the helper are still fine.
import { readlinkSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { IsolationHelper, sandboxPolicyFor, type ChildExit, type SandboxPolicy } from '../../src/isolation/helper-client.js';
import { MsgType, RecordWriter } from '../../src/isolation/helper-protocol.js';
import { loadNative } from '../../src/isolation/native.js';

const HOSTILE = fileURLToPath(new URL('../fixtures/isolation/sandbox-hostile.mjs', import.meta.url));
const PROJECT = fileURLToPath(new URL('../../', import.meta.url));

interface Outcome {
  action: string;
  ok: boolean;
  code?: string | null;
  detail: unknown;
  status: { seccompMode: number; seccompFilters: number | null; noNewPrivs: boolean; uid: number; pid: number; namespaces: Record<string, string | null> };
}

describe.skipIf(process.platform !== 'linux')('sandboxed element host', () => {
  let helper!: IsolationHelper;
  let server!: Server;
  let port = 0;
  let connections = 0;
  const policy = (limits: Partial<SandboxPolicy['limits']> = {}): SandboxPolicy => sandboxPolicyFor([PROJECT], { limits });

  beforeAll(async () => {
    helper = await IsolationHelper.start(); // on Linux a missing build fails here, with the build's reason
    server = createServer((s) => {
      connections++;
      s.end();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as { port: number }).port;
  });
  afterAll(async () => {
    await helper?.close();
    server?.close();
  });

  /** Runs the fixture in the sandbox; resolves with its exit, its JSON line (if any) and its stderr. */
  async function run(args: string[], sandbox = policy()): Promise<{ exit: ChildExit; out: Outcome | null; stderr: string; landlock: boolean }> {
    let stdout = '';
    let stderr = '';
    let pid = -1;
    const early: ChildExit[] = [];
    let settle: (e: ChildExit) => void = (e) => early.push(e);
    const offOut = helper.on('output', (o) => {
      if (o.pid !== pid) return;
      if (o.stream === 1) stdout += Buffer.from(o.bytes).toString();
      else stderr += Buffer.from(o.bytes).toString();
    });
    const offExit = helper.on('exit', (e) => e.pid === pid && settle(e));
    try {
      const exited = new Promise<ChildExit>((resolve) => (settle = resolve));
      const started = await helper.spawn({ argv: [process.execPath, HOSTILE, ...args], env: {}, fds: [], sandbox });
      pid = started.pid;
      const exit = await exited;
      const line = stdout.trim().split('\n').pop() ?? '';
      return { exit, out: line ? (JSON.parse(line) as Outcome) : null, stderr, landlock: started.landlock };
    } finally {
      offOut();
      offExit();
      void early;
    }
  }

  /** The helper still answers, and this process is obviously alive to ask. */
  async function expectHelperAlive(): Promise<void> {
    const body = Buffer.from(await helper.rawRequest(MsgType.hello, new RecordWriter().u32(1).bytes()));
    expect(body.readInt32LE(8)).toBe(helper.pid);
  }

  async function hostile(action: string, extra: string[] = [], mode = 'lockdown'): Promise<Outcome> {
    const { exit, out, stderr } = await run([action, mode, ...extra]);
    expect(out, stderr).not.toBeNull();
    expect(exit, stderr).toMatchObject({ code: 0, signal: null });
    await expectHelperAlive();
    return out!;
  }

  it('runs the host as uid 65534 in its own namespaces, seeing only its own processes', async () => {
    const before = await hostile('status', [], 'no-lockdown');
    expect(before.detail).toEqual({ uid: 65534, gid: 65534, pid: 2, ppid: 1 });
    expect(before.status).toMatchObject({ seccompMode: 2, seccompFilters: 1, noNewPrivs: true, uid: 65534, pid: 2 });
    for (const ns of ['user', 'pid', 'net', 'mnt', 'ipc'] as const) {
      expect(before.status.namespaces[ns], ns).toMatch(new RegExp(`^${ns}:\\[\\d+\\]$`));
      expect(before.status.namespaces[ns], ns).not.toBe(readlinkSync(`/proc/self/ns/${ns}`));
    }
    const proc = await hostile('proc', [], 'no-lockdown');
    expect(proc.detail).toEqual([1, 2]); // the sandbox's init and the host
    const after = await hostile('status');
    expect(after.status).toMatchObject({ seccompMode: 2, seccompFilters: null, noNewPrivs: true }); // /proc is closed now
  });

  it('still runs ordinary code after the lockdown: timers, crypto, memory usage', async () => {
    const out = await hostile('runtime');
    // process.memoryUsage() reads /proc/self/stat for the RSS, which can no longer be opened.
    expect(out).toMatchObject({ ok: true, detail: { rss: 'EPERM', random: 8, heap: true } });
  });

  it('reports whether Landlock was applied', async () => {
    const { landlock } = await run(['status', 'lockdown']);
    expect(landlock).toBe(loadNative().ok && helper.landlockAbi > 0);
  });

  it('cannot read /etc/passwd: absent from the root, and open is refused after the lockdown', async () => {
    expect(await hostile('read-passwd', [], 'no-lockdown')).toMatchObject({ ok: false, code: 'ENOENT' });
    expect(await hostile('read-passwd')).toMatchObject({ ok: false, code: 'EPERM' });
  });

  it('cannot write a file, in /tmp or in the project', async () => {
    expect(await hostile('write-project', [], 'no-lockdown')).toMatchObject({ ok: false, code: 'EROFS' });
    expect(await hostile('write-tmp')).toMatchObject({ ok: false, code: 'EPERM' });
    expect(await hostile('write-project')).toMatchObject({ ok: false, code: 'EPERM' });
  });

  it('cannot connect to a TCP server on 127.0.0.1', async () => {
    const before = connections;
    expect(await hostile('connect', [String(port)])).toMatchObject({ ok: false, code: 'EPERM' });
    // Before the lockdown the net namespace has no route out either (and Landlock ≥ 4 refuses TCP).
    expect(await hostile('connect', [String(port)], 'no-lockdown')).toMatchObject({ ok: false });
    expect(connections).toBe(before);
  });

  it('cannot run a program: child_process.exec fails with EPERM', async () => {
    expect(await hostile('exec')).toMatchObject({ ok: false, code: 'EPERM' });
  });

  it('cannot fork-bomb: every fork and spawn fails with EPERM', async () => {
    expect(await hostile('fork-bomb')).toMatchObject({ ok: false, code: 'EPERM', detail: 40 });
  });

  it('cannot kill its parent, and the supervisor and helper survive the attempt', async () => {
    expect(await hostile('kill-parent')).toMatchObject({ ok: false, code: 'EPERM' });
    expect(await hostile('kill-parent', [], 'no-lockdown')).toMatchObject({ ok: false, code: 'EPERM' });
  });

  it('cannot reach another process through ptrace or /proc/<pid>/mem', async () => {
    expect(await hostile('ptrace')).toMatchObject({ ok: false, code: 'EPERM' });
  });

  it('dies alone when it exhausts RLIMIT_AS', async () => {
    const { exit, stderr } = await run(['memory', 'lockdown'], policy({ addressSpaceBytes: 1024 ** 3 }));
    // V8 cannot grow its heap within the limit and aborts; the sandbox's init relays the host's own
    // signal (SIGABRT, not the SIGSEGV a pid-1 abort() would end in).
    expect(exit, stderr).toMatchObject({ code: null, signal: 'SIGABRT', coreDumped: false });
    expect(stderr).toMatch(/JavaScript heap out of memory/);
    await expectHelperAlive();
  }, 30_000);

  it('is killed by RLIMIT_CPU in an endless loop', async () => {
    const t0 = Date.now();
    const { exit } = await run(['cpu', 'lockdown'], policy({ cpuSeconds: 1 }));
    expect(exit).toMatchObject({ code: null, signal: 'SIGKILL' });
    expect(Date.now() - t0).toBeLessThan(5000);
    await expectHelperAlive();
  });

  it('relays signals through the sandbox init: SIGTERM ends the host with SIGTERM', async () => {
    let pid = -1;
    const exited = new Promise<ChildExit>((resolve) => helper.on('exit', (e) => e.pid === pid && resolve(e)));
    const started = new Promise<void>((resolve) => helper.on('output', (o) => o.pid === pid && resolve()));
    ({ pid } = await helper.spawn({ argv: [process.execPath, fileURLToPath(new URL('../fixtures/isolation/sandbox-echo.mjs', import.meta.url)), 'wait'], env: {}, fds: [], sandbox: policy() }));
    await started;
    await helper.kill(pid, 'SIGTERM');
    expect(await exited).toMatchObject({ pid, code: null, signal: 'SIGTERM' });
  });
});
