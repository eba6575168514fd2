import { createDefaultRegistry } from '../../src/index.js';
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

// The CLI is tested as users run it: the built dist/ entry point in a child process.
const LAUNCH = join(process.cwd(), 'dist/cli/launch.js');
const INSPECT = join(process.cwd(), 'dist/cli/inspect.js');

function run(bin: string, ...args: string[]): { code: number | null; out: string; err: string } {
  const r = spawnSync(process.execPath, [bin, ...args], { encoding: 'utf8', timeout: 20_000 });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

describe('parallax-launch', () => {
  it('runs to EOS and exits 0', () => {
    const r = run(LAUNCH, 'fakesrc num-buffers=3 ! fakesink');
    expect(r.code).toBe(0);
    expect(r.out).toContain('Got EOS from pipeline "pipeline0".');
    expect(r.out).toMatch(/Execution ended after 0:00:\d\d\.\d{9}/);
  });

  it('joins several arguments into one description, like gst-launch', () => {
    expect(run(LAUNCH, 'fakesrc', 'num-buffers=2', '!', 'fakesink').code).toBe(0);
  });

  it('keeps spaces inside one argument, as gst-launch does', () => {
    const dir = mkdtempSync(join(tmpdir(), 'parallax space-'));
    const file = join(dir, 'my file.bin');
    const r = run(LAUNCH, 'fakesrc', 'num-buffers=2', 'sizetype=fixed', 'sizemax=3', '!', 'filesink', `location=${file}`);
    expect(r.code).toBe(0);
    expect(statSync(file).size).toBe(6);
  });

  it('exits 2 on a bad description and shows the caret', () => {
    const r = run(LAUNCH, 'fakesrc ! fakesnk');
    expect(r.code).toBe(2);
    expect(r.err).toContain('no element "fakesnk" (did you mean fakesink?) at position 11');
    expect(r.err).toContain('fakesrc ! fakesnk\n          ^~~~~~~');
  });

  it('exits 2 when caps cannot be negotiated', () => {
    const r = run(LAUNCH, 'fakesrc ! audio/x-raw ! identity ! video/x-raw ! fakesink');
    expect(r.code).toBe(2);
    expect(r.err).toContain('cannot link capsfilter0:src to identity0:sink: media type audio/x-raw != video/x-raw');
  });

  it('exits 1 on a runtime error and names the element', () => {
    const r = run(LAUNCH, 'fakesrc num-buffers=-1 ! identity error-after=3 ! fakesink');
    expect(r.code).toBe(1);
    expect(r.err).toContain('identity0');
  });

  it('-v prints negotiated caps and set properties', () => {
    const r = run(LAUNCH, '-v', 'fakesrc num-buffers=1 ! audio/x-raw,rate=8000 ! fakesink');
    expect(r.code).toBe(0);
    expect(r.out).toContain('/pipeline0/fakesrc0: num-buffers = 1');
    expect(r.out).toContain('fakesrc0:src: caps = audio/x-raw, rate=(int)8000');
  });

  it('-m prints bus messages', () => {
    const r = run(LAUNCH, '-m', 'fakesrc num-buffers=1 ! fakesink');
    expect(r.out).toContain('Got message: pipeline0: state changed from idle to running');
    expect(r.out).toContain('Got message: eos from pipeline0');
  });

  it('--dry-run negotiates and prints the graph without running', () => {
    const r = run(LAUNCH, '--dry-run', 'fakesrc num-buffers=-1 ! queue ! fakesink');
    expect(r.code).toBe(0);
    expect(r.out).toContain('fakesrc0:src -> queue0:sink');
    expect(r.out).toContain('queue0:src -> fakesink0:sink');
    expect(r.out).not.toContain('Got EOS');
  });

  it('--dot writes a Graphviz graph with pads and caps', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'parallax-dot-')), 'g.dot');
    const r = run(LAUNCH, '--dot', file, '--dry-run', 'fakesrc ! audio/x-raw,rate=8000 ! fakesink');
    expect(r.code).toBe(0);
    const dot = readFileSync(file, 'utf8');
    expect(dot).toMatch(/^digraph "pipeline0" \{/);
    expect(dot).toContain('"fakesrc0:src" -> "capsfilter0:sink"');
    expect(dot).toContain('rate=(int)8000');
  });

  it('reports a pipeline that can never progress instead of exiting quietly', () => {
    const r = run(LAUNCH, 'appsrc ! fakesink');
    expect(r.code).toBe(1);
    expect(r.err).toContain('ERROR: pipeline stalled: nothing can make progress (still waiting: appsrc0)');
  });

  it('-q prints nothing on success; -- ends the options', () => {
    const r = run(LAUNCH, '-q', '--', 'fakesrc', 'num-buffers=1', '!', 'fakesink');
    expect(r.code).toBe(0);
    expect(r.out).toBe('');
  });

  it('prints usage without a pipeline, and exits 2', () => {
    const r = run(LAUNCH);
    expect(r.code).toBe(2);
    expect(r.err).toContain('usage: parallax-launch');
    expect(run(LAUNCH, '--help').out).toContain('exit status: 0 on EOS');
  });

  it('rejects unknown options with usage and exit 2', () => {
    const r = run(LAUNCH, '--bogus', 'fakesrc ! fakesink');
    expect(r.code).toBe(2);
    expect(r.err).toContain('unknown option --bogus');
  });

  it('-e sends EOS on Ctrl-C so the sink finishes its file', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'parallax-e-')), 'out.bin');
    const child = spawn(process.execPath, [LAUNCH, '-e', `fakesrc num-buffers=-1 is-live=true datarate=64000 sizetype=fixed sizemax=64 ! filesink location=${file}`]);
    let out = '';
    child.stdout.on('data', (d: Uint8Array) => (out += String(d)));
    await new Promise((r) => setTimeout(r, 400));
    child.kill('SIGINT');
    const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
    expect(code).toBe(0);
    expect(out).toContain('sending EOS');
    expect(out).toContain('Got EOS');
    expect(statSync(file).size % 64).toBe(0);
    expect(statSync(file).size).toBeGreaterThan(0);
  });
});

describe.skipIf(process.platform !== 'linux')('parallax-launch --isolate', () => {
  it('runs the matching elements in sandboxed processes, writes the same file, and -v shows the pids', () => {
    const dir = mkdtempSync(join(tmpdir(), 'parallax-isolate-'));
    const line = (file: string): string => `audiotestsrc num-buffers=10 ! audio/x-raw,format=S16LE,rate=8000,channels=1 ! volume volume=0.5 ! filesink location=${file}`;
    const plain = run(LAUNCH, line(join(dir, 'a.raw')));
    const isolated = run(LAUNCH, '-v', '--isolate', 'volume*', '--isolate', 'audiotest*', line(join(dir, 'b.raw')));
    expect(plain.code).toBe(0);
    expect(isolated.code).toBe(0);
    expect(isolated.out).toMatch(/Isolation grouped: 2 element host process\(es\), sandboxed/);
    expect(isolated.out).toMatch(/volume0: element host pid \d+/);
    expect(isolated.out).toMatch(/filesink0: this process/);
    expect(readFileSync(join(dir, 'b.raw')).equals(readFileSync(join(dir, 'a.raw')))).toBe(true);
  });

  it('names a pattern that matches nothing, and a bad mode', () => {
    const r = run(LAUNCH, '--isolate', 'nothing*', 'fakesrc num-buffers=1 ! fakesink');
    expect(r.code).toBe(2);
    expect(r.err).toContain('isolate pattern "nothing*" matches no element (elements: fakesrc0, fakesink0)');
    const m = run(LAUNCH, '--isolation', 'sandboxed', 'fakesrc ! fakesink');
    expect(m.code).toBe(2);
    expect(m.err).toContain('--isolation must be in-process, isolated or grouped, got "sandboxed"');
  });

  it('reports a crashed element with its pid and signal, and exits 1', () => {
    const plugin = join(process.cwd(), 'test/fixtures/isolation/hostile-plugin.mjs');
    const r = run(LAUNCH, '--plugin', plugin, '--isolate', 'crashy*', 'fakesrc num-buffers=100 ! crashy mode=abort after=2 ! fakesink');
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/crashy0 \(element host pid \d+\) was killed by SIGABRT/);
  });
});

describe('parallax-inspect', () => {
  it('lists elements by classification', () => {
    const r = run(INSPECT);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/Source\/Testing:\n(?: {2}\S+.*\n)* {2}fakesrc/);
    expect(r.out).toContain(`Total: ${createDefaultRegistry().list().length} elements`);
    expect(r.out).toMatch(/Source\/Audio:\n {2}audiotestsrc/);
  });

  it('prints one element in detail', () => {
    const r = run(INSPECT, 'queue');
    expect(r.code).toBe(0);
    expect(r.out).toContain('Classification:  Generic');
    expect(r.out).toContain("SINK template: 'sink'");
    expect(r.out).toMatch(/max-size-buffers +: .+\n +flags: readable, writable/);
    expect(r.out).toContain('Default: 200');
  });

  it('suggests a name for an unknown element and exits 1', () => {
    const r = run(INSPECT, 'fakesnk');
    expect(r.code).toBe(1);
    expect(r.err).toContain('No such element "fakesnk" (did you mean fakesink?)');
  });
});
