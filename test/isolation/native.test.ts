// The Node-API addon of native-helper/, on real memfds, real mappings and real child processes.
// Linux only (isolation is); on Linux a missing build is a failure, not a skip, so a broken
// install-time build cannot pass CI unnoticed.
import { spawn } from 'node:child_process';
import { closeSync, ftruncateSync, mkdirSync, mkdtempSync, openSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { IsolationUnavailableError, loadNative, loadNativeAt, requireNative, type NativeHelper } from '../../src/isolation/native.js';

const CHILD = fileURLToPath(new URL('../fixtures/isolation/child.mjs', import.meta.url));
const SIZE = 64 * 1024;

const opened: number[] = [];
/** Tracks an fd so that it is closed after the test, pass or fail. */
function track(fd: number): number {
  opened.push(fd);
  return fd;
}
afterEach(() => {
  for (const fd of opened.splice(0)) closeSync(fd);
});

interface ChildResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  out: Record<string, unknown>;
  stderr: string;
}

/** Runs the fixture with `fd` as its fd 3; resolves with its exit and its one JSON line. */
function runChild(fd: number, ...args: string[]): Promise<ChildResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CHILD, ...args], { stdio: ['ignore', 'pipe', 'pipe', fd] });
    let stdout = '';
    let stderr = '';
    child.stdout?.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code, signal) => {
      const line = stdout.trim().split('\n').pop() ?? '';
      resolve({ code, signal, out: line ? (JSON.parse(line) as Record<string, unknown>) : {}, stderr });
    });
  });
}

function openFdCount(): number {
  return readdirSync('/proc/self/fd').length;
}

describe.skipIf(process.platform !== 'linux')('native helper addon', () => {
  // In beforeAll, not at collection: a skipped suite still collects. A missing build fails here, with the reason.
  let native!: NativeHelper;
  beforeAll(() => {
    native = requireNative();
  });

  it('loads from the package root', () => {
    const load = loadNative();
    expect(load.ok).toBe(true);
    expect(load.ok && load.path).toMatch(/native-helper\/build\/Release\/parallax_native\.node$/);
  });

  it('says why when the addon is not built, quoting the build failure', () => {
    const dir = mkdtempSync(join(tmpdir(), 'parallax-native-'));
    try {
      const missing = loadNativeAt(join(dir, 'Release', 'parallax_native.node'));
      expect(missing.ok).toBe(false);
      expect(!missing.ok && missing.reason).toMatch(/is missing: it was never built\); run npm install; the native helper needs a C compiler$/);
      writeFileSync(join(dir, 'BUILD-FAILED.txt'), 'the build failed: cc not found\n');
      const failed = loadNativeAt(join(dir, 'Release', 'parallax_native.node'));
      expect(!failed.ok && failed.reason).toMatch(/is missing: the build failed: cc not found\)/);
      mkdirSync(join(dir, 'Release'));
      writeFileSync(join(dir, 'Release', 'parallax_native.node'), 'not an ELF file');
      const broken = loadNativeAt(join(dir, 'Release', 'parallax_native.node'));
      expect(!broken.ok && broken.reason).toMatch(/failed to load \(.*\); rebuild it with npm run build:native/);
    } finally {
      rmSync(dir, { recursive: true });
    }
    const error = new IsolationUnavailableError('it needs Linux');
    expect(error).toMatchObject({ code: 'ISOLATION_UNAVAILABLE', message: 'process isolation is unavailable: it needs Linux' });
  });

  describe('memfdCreate', () => {
    it('creates a region of the given size, sealed against grow and shrink', () => {
      const fd = track(native.memfdCreate('parallax-test', SIZE));
      expect(native.mapShared(fd, SIZE, false).buffer.byteLength).toBe(SIZE);
      expect(() => ftruncateSync(fd, SIZE * 2)).toThrow(expect.objectContaining({ code: 'EPERM' }));
      expect(() => ftruncateSync(fd, SIZE / 2)).toThrow(expect.objectContaining({ code: 'EPERM' }));
      expect(() => ftruncateSync(fd, SIZE)).not.toThrow();
    });

    it('refuses bad names and sizes with clear messages', () => {
      expect(() => native.memfdCreate('x', 0)).toThrow(/memfdCreate: size must be an integer from 1/);
      expect(() => native.memfdCreate('x', 1.5)).toThrow(RangeError);
      expect(() => native.memfdCreate(42 as unknown as string, 8)).toThrow(/memfdCreate: name must be a string/);
      expect(() => native.memfdCreate('n'.repeat(300), 8)).toThrow(/at most 249/);
    });
  });

  describe('mapShared', () => {
    it('maps the same pages twice: a write through one is read through the other', () => {
      const fd = track(native.memfdCreate('twice', SIZE));
      const a = new Uint8Array(native.mapShared(fd, SIZE, true).buffer);
      const b = new Uint8Array(native.mapShared(fd, SIZE, false).buffer);
      a.set([1, 2, 3, 250], SIZE - 4);
      expect([...b.subarray(SIZE - 4)]).toEqual([1, 2, 3, 250]);
    });

    it('reports SharedArrayBuffer or ArrayBuffer truthfully', () => {
      const fd = track(native.memfdCreate('kind', SIZE));
      const m = native.mapShared(fd, SIZE, true);
      expect(m.shared).toBe(m.buffer instanceof SharedArrayBuffer);
      expect(m.shared).toBe(native.externalSharedArrayBuffer.runtime);
      const plain = native.mapShared(fd, SIZE, true, false);
      expect(plain.shared).toBe(false);
      expect(plain.buffer).toBeInstanceOf(ArrayBuffer);
      // Atomics read-modify-write works on the non-shared mapping; wait does not (futexWait does).
      const words = new Int32Array(plain.buffer);
      expect(Atomics.compareExchange(words, 0, 0, 7)).toBe(0);
      expect(Atomics.add(words, 0, 1)).toBe(7);
      expect(Atomics.load(new Int32Array(m.buffer), 0)).toBe(8);
      expect(Atomics.notify(words, 0)).toBe(0);
      expect(() => Atomics.wait(words, 0, 8, 0)).toThrow(TypeError);
    });

    it('refuses a mapping past the end of the fd, a bad fd, and writing through a read-only fd', () => {
      const fd = track(native.memfdCreate('small', 4096));
      expect(() => native.mapShared(fd, 8192, false)).toThrow(/mapShared: size 8192 is larger than fd \d+ \(4096 bytes\)/);
      expect(() => native.mapShared(1_000_000, 4096, false)).toThrow(
        expect.objectContaining({ code: 'EBADF', syscall: 'fstat', errno: 9, message: 'fstat failed: Bad file descriptor (EBADF)' }),
      );
      const readOnly = track(openSync(`/proc/self/fd/${fd}`, 'r'));
      expect(native.mapShared(readOnly, 4096, false).buffer.byteLength).toBe(4096);
      expect(() => native.mapShared(readOnly, 4096, true)).toThrow(expect.objectContaining({ code: 'EACCES', syscall: 'mmap' }));
      expect(() => native.mapShared(fd, 4096, 'yes' as unknown as boolean)).toThrow(/writable must be a boolean/);
    });
  });

  describe('a child process', () => {
    it('maps the fd it inherits and writes; the parent sees the bytes', async () => {
      const fd = track(native.memfdCreate('child-write', SIZE));
      const bytes = new Uint8Array(native.mapShared(fd, SIZE, false).buffer);
      const child = await runChild(fd, 'write', String(SIZE));
      expect(child.stderr).toBe('');
      expect(child.code).toBe(0);
      expect(child.out.shared).toBe(native.externalSharedArrayBuffer.runtime);
      expect(bytes[63]).toBe(0);
      for (let i = 0; i < 256; i++) expect(bytes[64 + i]).toBe(i);
      expect(bytes[64 + 256]).toBe(0);
    });

    it('wakes the parent blocked in futexWait', async () => {
      const fd = track(native.memfdCreate('child-wake', SIZE));
      const words = new Int32Array(native.mapShared(fd, SIZE, true).buffer);
      const exited = runChild(fd, 'wake', String(SIZE));
      const started = performance.now();
      // Blocks this thread until the child's futexWake; the child runs on its own.
      expect(native.futexWait(words, 0, 0, 10_000)).toBe('ok');
      expect(performance.now() - started).toBeLessThan(10_000);
      const child = await exited;
      expect(child.code).toBe(0);
      expect(child.out.woken).toBe(1);
      expect(Atomics.load(words, 0)).toBe(1);
    });

    it('Atomics.add from both processes gives the exact total', async () => {
      const N = 200_000;
      const fd = track(native.memfdCreate('child-add', SIZE));
      const words = new Int32Array(native.mapShared(fd, SIZE, true).buffer);
      const exited = runChild(fd, 'add', String(SIZE), String(N));
      const deadline = performance.now() + 10_000;
      while (Atomics.load(words, 1) === 0 && performance.now() < deadline) native.futexWait(words, 4, 0, 1000);
      expect(Atomics.load(words, 1)).toBe(1);
      Atomics.store(words, 2, 1); // SYNC POINT with the child's futexWait on word 2: go
      native.futexWake(words, 8, Infinity);
      for (let i = 0; i < N; i++) Atomics.add(words, 3, 1);
      const child = await exited;
      expect(child.code).toBe(0);
      expect(child.out.added).toBe(N);
      expect(Atomics.load(words, 3)).toBe(2 * N);
    });

    it('receives a memfd over the socket, writes into it and answers', async () => {
      const [mine, theirs] = native.socketPair().map(track) as [number, number];
      const fd = track(native.memfdCreate('child-recv', SIZE));
      const bytes = Buffer.from(native.mapShared(fd, SIZE, false).buffer);
      const exited = runChild(theirs, 'recv');
      expect(native.sendFds(mine, [fd], Buffer.from(`size ${SIZE}`))).toBe(`size ${SIZE}`.length);
      const child = await exited;
      expect(child.stderr).toBe('');
      expect(child.out).toEqual({ text: `size ${SIZE}`, fds: 1 });
      const answer = native.recvFds(mine, 1);
      expect(answer.bytes.toString()).toBe('done');
      expect(answer.fds).toEqual([]);
      expect(bytes.subarray(0, 20).toString()).toBe('written by the child');
    });
  });

  describe('futexWait / futexWake', () => {
    it('times out when nobody wakes, and reports a changed word at once', () => {
      const fd = track(native.memfdCreate('futex', 4096));
      const words = new Int32Array(native.mapShared(fd, 4096, true).buffer);
      const started = performance.now();
      expect(native.futexWait(words, 0, 0, 50)).toBe('timed-out');
      expect(performance.now() - started).toBeGreaterThanOrEqual(45);
      expect(native.futexWait(words, 0, 1, 5000)).toBe('not-equal');
      expect(native.futexWait(words, 0, 0, 0)).toBe('timed-out');
      expect(native.futexWake(words, 0, 1)).toBe(0);
    });

    it('checks bounds, alignment and arguments with clear errors', () => {
      const fd = track(native.memfdCreate('futex-args', 4096));
      const { buffer } = native.mapShared(fd, 4096, true);
      expect(() => native.futexWait(buffer, 2, 0, 0)).toThrow(/futexWait: byteOffset 2 is not 4-byte aligned/);
      expect(() => native.futexWake(buffer, 4096, 1)).toThrow(/futexWake: byteOffset 4096 is out of bounds: .*4096/);
      expect(() => native.futexWake(buffer, 4093, 1)).toThrow(/out of bounds/);
      expect(() => native.futexWait(buffer, -4, 0, 0)).toThrow(/byteOffset must be an integer >= 0/);
      // A view's offset counts from the view's own start.
      const view = new Int32Array(buffer, 4092, 1);
      expect(native.futexWait(view, 0, 0, 0)).toBe('timed-out');
      expect(() => native.futexWait(view, 4, 0, 0)).toThrow(/out of bounds/);
      expect(() => native.futexWait(new Uint8Array(buffer, 1, 8), 0, 0, 0)).toThrow(/not 4-byte aligned/);
      expect(() => native.futexWait(buffer, 0, 0, -1)).toThrow(/timeoutMs must be >= 0/);
      expect(() => native.futexWake(buffer, 0, 1.5)).toThrow(/count must be an integer/);
      expect(() => native.futexWait({} as ArrayBuffer, 0, 0, 0)).toThrow(/buffer must be an ArrayBuffer, a typed array or a DataView/);
    });
  });

  describe('sendFds / recvFds', () => {
    it('passes fds and bytes across a socketpair', () => {
      const [a, b] = native.socketPair().map(track) as [number, number];
      const fd = track(native.memfdCreate('passed', 4096));
      new Uint8Array(native.mapShared(fd, 4096, true).buffer)[10] = 42;
      expect(native.sendFds(a, [fd, fd], new Uint8Array([7, 8, 9]))).toBe(3);
      const got = native.recvFds(b, 4);
      got.fds.forEach(track);
      expect([...got.bytes]).toEqual([7, 8, 9]);
      expect(got.fds).toHaveLength(2);
      expect(got.fds).not.toContain(fd);
      expect(new Uint8Array(native.mapShared(got.fds[0] ?? -1, 4096, false).buffer)[10]).toBe(42);
    });

    it('closes every fd of a message with more fds than maxFds', () => {
      const [a, b] = native.socketPair().map(track) as [number, number];
      const fd = track(native.memfdCreate('too-many', 4096));
      const before = openFdCount();
      native.sendFds(a, [fd, fd, fd], Buffer.from('x'));
      expect(() => native.recvFds(b, 1)).toThrow(/recvFds: the message carried more than maxFds \(1\) fds/);
      expect(openFdCount()).toBe(before);
    });

    it('reports end of stream, bad sockets and bad arguments', () => {
      const [a, b] = native.socketPair();
      closeSync(a);
      expect(native.recvFds(track(b), 1)).toEqual({ bytes: Buffer.alloc(0), fds: [] });
      const file = track(native.memfdCreate('not-a-socket', 4096));
      expect(() => native.sendFds(file, [], Buffer.from('x'))).toThrow(
        expect.objectContaining({ code: 'ENOTSOCK', syscall: 'sendmsg' }),
      );
      expect(() => native.sendFds(b, [], Buffer.alloc(0))).toThrow(/at least 1 byte/);
      expect(() => native.sendFds(b, [-1], Buffer.from('x'))).toThrow(/sendFds: fds\[0\] must be a file descriptor/);
      expect(() => native.recvFds(b, 0)).toThrow(/maxFds must be an integer from 1 to 253/);
    });
  });
});
