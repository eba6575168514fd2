import { spawn, spawnSync, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';

// parallax-launch --metrics-port, run as users run it: the built dist/ entry point in a child process.
const LAUNCH = join(process.cwd(), 'dist/cli/launch.js');
const LIVE = 'fakesrc num-buffers=-1 is-live=true datarate=64000 sizetype=fixed sizemax=64 ! queue ! fakesink';

function run(...args: string[]): { code: number | null; out: string; err: string } {
  const r = spawnSync(process.execPath, [LAUNCH, ...args], { encoding: 'utf8', timeout: 20_000 });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

const children: ChildProcessWithoutNullStreams[] = [];
afterEach(() => {
  for (const c of children.splice(0)) if (c.exitCode === null) c.kill('SIGKILL');
});

/** Resolves with the metrics URL once the CLI prints it on stderr. */
function metricsUrl(child: ChildProcessWithoutNullStreams): Promise<string> {
  return new Promise((resolve, reject) => {
    let err = '';
    child.stderr.on('data', (d: Uint8Array) => {
      err += String(d);
      const m = /^metrics: (http:\/\/127\.0\.0\.1:\d+\/metrics)$/m.exec(err);
      if (m !== null) resolve(m[1]!);
    });
    child.on('exit', (code) => reject(new Error(`exited ${code} before printing the metrics URL: ${err}`)));
  });
}

describe('parallax-launch --metrics-port', () => {
  it('serves metrics of the running pipeline, printing the URL on stderr only', async () => {
    // Port 0: the CLI prints the port it bound, so the test needs no free-port guess.
    const child = spawn(process.execPath, [LAUNCH, '--metrics-port', '0', LIVE]);
    children.push(child);
    let out = '';
    child.stdout.on('data', (d: Uint8Array) => (out += String(d)));
    const url = await metricsUrl(child);
    await new Promise((r) => setTimeout(r, 200));
    const res = await fetch(url);
    expect(res.status).toBe(200);
    const text = await res.text();
    expect(text).toContain('parallax_pipeline_state{pipeline="pipeline0",state="running"} 1');
    expect(text).toContain('parallax_link_depth{pipeline="pipeline0",link="queue0:src->fakesink0:sink"}');
    const sent = /^parallax_pad_buffers_total\{pipeline="pipeline0",pad="fakesrc0:src"\} (\d+)$/m.exec(text);
    expect(Number(sent?.[1])).toBeGreaterThan(0);
    child.kill('SIGINT');
    const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
    expect(code).toBe(130);
    expect(out).toContain('Setting pipeline to RUNNING');
    expect(out).not.toContain('metrics:');
  });

  it('exits by itself at EOS, the server closed', () => {
    const r = run('--metrics-port', '0', 'fakesrc num-buffers=3 ! fakesink');
    expect(r.code).toBe(0);
    expect(r.err).toMatch(/^metrics: http:\/\/127\.0\.0\.1:\d+\/metrics$/m);
    expect(r.out).toContain('Got EOS');
  });

  it('still reports a stalled pipeline: the server does not keep it alive', () => {
    const r = run('--metrics-port', '0', 'appsrc ! fakesink');
    expect(r.code).toBe(1);
    expect(r.err).toContain('ERROR: pipeline stalled');
  });

  it('names the port when it is in use, and exits 1', async () => {
    const taken = createServer();
    await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve));
    const port = (taken.address() as { port: number }).port;
    try {
      const r = run('--metrics-port', String(port), 'fakesrc num-buffers=3 ! fakesink');
      expect(r.code).toBe(1);
      expect(r.err).toContain(`ERROR: cannot serve metrics on 127.0.0.1:${port}: port ${port} is already in use`);
      expect(r.out).not.toContain('Setting pipeline to RUNNING');
    } finally {
      await new Promise((resolve) => taken.close(resolve));
    }
  });

  it('rejects a port that is not an integer from 0 to 65535, with usage and exit 2', () => {
    for (const bad of ['65536', 'abc', '-1', '80.5', '']) {
      const r = run('--metrics-port', bad, 'fakesrc ! fakesink');
      expect(r.code).toBe(2);
      expect(r.err).toContain(`--metrics-port needs a port number from 0 to 65535, got "${bad}"`);
      expect(r.err).toContain('usage: parallax-launch');
    }
    expect(run('--metrics-port').err).toContain('--metrics-port needs a value');
    expect(run('--help').out).toContain('--metrics-port PORT');
  });
});
