/**
 * The other program of an ipc test: a child process that runs one launch line, either through
 * the CLI as a user would (`node dist/cli/launch.js "…"`) or through test/fixtures/ipc/
 * run-pipeline.mjs, which prints the child's stats as JSON.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { requireNative } from '../../../src/isolation/native.js';

export const LAUNCH = join(process.cwd(), 'dist/cli/launch.js');
export const RUN_PIPELINE = fileURLToPath(new URL('../../fixtures/ipc/run-pipeline.mjs', import.meta.url));

export interface Child {
  readonly done: Promise<{ code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string }>;
  kill(): void;
}

/** Runs `line` in a child: with the CLI, or with the stats-printing fixture. */
export function runChild(line: string, via: 'cli' | 'stats' = 'cli'): Child {
  const child = spawn(process.execPath, [via === 'cli' ? LAUNCH : RUN_PIPELINE, line], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Uint8Array) => (stdout += String(d)));
  child.stderr.on('data', (d: Uint8Array) => (stderr += String(d)));
  const done = new Promise<{ code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string }>((resolve) => {
    child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr }));
  });
  return { done, kill: () => child.kill('SIGKILL') };
}

/** A fresh directory with a short path: socket paths hold at most 107 bytes. */
export function socketDir(): string {
  return mkdtempSync(join(tmpdir(), 'pxipc-'));
}

export function openFds(): string[] {
  return readdirSync('/proc/self/fd').sort();
}

/** Waits (polling: this is a test watching another program) until `check` holds. */
export async function until(check: () => boolean, timeoutMs = 10_000): Promise<void> {
  const end = performance.now() + timeoutMs;
  while (!check()) {
    if (performance.now() > end) throw new Error(`timed out after ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

export const fileExists = existsSync;

/**
 * The next record on socket `fd`, read off the event loop (the peer answering it may be in this
 * process, on this loop): empty bytes when the peer hung up.
 */
export function receive(fd: number): Promise<{ bytes: Uint8Array; fds: number[] }> {
  return new Promise((resolve) => {
    const channel = requireNative().openChannel(
      fd,
      (bytes, fds) => {
        channel.close();
        resolve({ bytes, fds });
      },
      () => resolve({ bytes: new Uint8Array(0), fds: [] }),
    );
  });
}
