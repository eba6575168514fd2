/**
 * The Node-API addon of native-helper/ (memfd regions, shared mappings, cross-process futex, fd
 * passing), typed and loaded. The C side documents each call in native-helper/addon/*.c and the
 * contract in native-helper/README.md; this file only describes the shapes and finds the binary.
 *
 * Isolation is Linux-only and needs the addon built at install time with a C compiler. Where it is
 * missing, `loadNative()` returns the reason instead of throwing, and `requireNative()` throws an
 * {@link IsolationUnavailableError} that carries it. In-process pipelines never load this module.
 *
 * Loading is synchronous (createRequire) and cached per thread; the binary's path is fixed relative
 * to the package root, which is two levels up from both src/isolation/ and dist/isolation/.
 */
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The result of {@link NativeHelper.futexWait}. 'ok' may be spurious: re-check the word. */
export type FutexWaitResult = 'ok' | 'not-equal' | 'timed-out';

/** A word-addressable buffer: a mapping from `mapShared`, or a typed array / DataView over one. */
export type FutexBuffer = ArrayBufferLike | ArrayBufferView;

/** A MAP_SHARED mapping of an fd. `shared` is true when `buffer` is a SharedArrayBuffer. */
export interface SharedMapping {
  /** SharedArrayBuffer when `shared`, else a non-shared external ArrayBuffer over the same pages. */
  readonly buffer: ArrayBufferLike;
  /** Atomics load/store/add/CAS work either way; Atomics.wait/notify only on a SharedArrayBuffer. */
  readonly shared: boolean;
}

/** One message from {@link NativeHelper.recvFds}. An empty `bytes` means the peer closed. */
export interface ReceivedFds {
  readonly bytes: Buffer;
  /** Owned by the caller (close-on-exec); close them with closeFd (isolation/fd.ts). */
  readonly fds: number[];
}

export interface SandboxStatus {
  readonly seccompMode: number | null;
  readonly seccompFilters: number | null;
  readonly noNewPrivs: boolean;
  readonly uid: number;
  readonly gid: number;
  readonly pid: number;
  readonly namespaces: Readonly<Record<'user' | 'pid' | 'net' | 'mnt' | 'ipc' | 'uts' | 'cgroup', string | null>>;
}

/** A channel from {@link NativeHelper.openChannel}. */
export interface NativeChannel {
  /** Stops reading and closes the channel's copy of the socket; idempotent. */
  close(): void;
  ref(): void;
  unref(): void;
}

/** A watcher from {@link NativeHelper.watchAccept}. */
export interface NativeAcceptWatch {
  /** Stops accepting; connections accepted but not yet delivered are closed. Idempotent. */
  close(): void;
  ref(): void;
  unref(): void;
}

/**
 * The addon's exports. Errors: a failing syscall throws an Error with `code` ('EPERM'…), `errno`
 * and `syscall`; a bad argument throws a TypeError or RangeError whose message names the call.
 */
export interface NativeHelper {
  /** A sealed (no shrink, no grow, seals sealed) memfd of exactly `size` bytes; close-on-exec. */
  memfdCreate(name: string, size: number): number;
  /** Maps the first `size` bytes of `fd`; unmapped when the buffer is collected. */
  mapShared(fd: number, size: number, writable: boolean, allowShared?: boolean): SharedMapping;
  /**
   * Sleeps while the 32-bit word at `byteOffset` equals `expected`, across processes (futex, not
   * Atomics.wait). Blocks the calling thread: data thread or worker only.
   */
  futexWait(buffer: FutexBuffer, byteOffset: number, expected: number, timeoutMs?: number): FutexWaitResult;
  /** Wakes up to `count` (or Infinity) waiters on the word, in any process; returns how many woke. */
  futexWake(buffer: FutexBuffer, byteOffset: number, count: number): number;
  /** A connected AF_UNIX SOCK_SEQPACKET pair (close-on-exec): one message per sendFds. */
  socketPair(): [number, number];
  /**
   * Sends `bytes` (at least 1) with copies of `fds` (at most 253); returns bytes sent. With
   * `nonBlocking` (MSG_DONTWAIT) a full socket returns -1 instead of blocking.
   */
  sendFds(socketFd: number, fds: readonly number[], bytes: ArrayBufferView | ArrayBuffer, nonBlocking?: boolean): number;
  /** Receives one message; more than `maxFds` fds or `maxBytes` bytes is an error (fds closed). */
  recvFds(socketFd: number, maxFds: number, maxBytes?: number, nonBlocking?: false): ReceivedFds;
  /** The same with MSG_DONTWAIT: null when no message is queued, never blocks. */
  recvFds(socketFd: number, maxFds: number, maxBytes: number | undefined, nonBlocking: true): ReceivedFds | null;
  /** The fd's seals (F_GET_SEALS bits, see {@link MemfdSeal}), or -1 when it cannot be sealed (not a memfd). */
  memfdSeals(fd: number): number;
  /**
   * Reads `socketFd` (a copy of it) on a native thread and calls `onMessage` on this thread for
   * each record, then `onClose` once (0 when the peer closed, else an errno). Nothing is called
   * after `close()`. An open channel keeps the event loop alive unless `unref()`ed.
   */
  openChannel(
    socketFd: number,
    onMessage: (bytes: Uint8Array, fds: number[], truncated: boolean) => void,
    onClose: (errno: number) => void,
    maxBytes?: number,
  ): NativeChannel;
  /**
   * A listening AF_UNIX SOCK_SEQPACKET socket at `path` (close-on-exec, non-blocking). A socket
   * file nobody listens on is replaced; anything else there fails with EADDRINUSE. A path over
   * 107 bytes is a RangeError.
   */
  unixListen(path: string): number;
  /** One connection (close-on-exec); with `nonBlocking`, null when none waits. */
  unixAccept(listenFd: number, nonBlocking?: boolean): number | null;
  /** A connected SEQPACKET socket; ENOENT, ECONNREFUSED, EAGAIN (backlog full) throw with that `code`. */
  unixConnect(path: string): number;
  /**
   * Accepts on a native thread and calls `onConnection(fd)` on this thread for each connection
   * (the fd is the callback's), or `onError(errno)` once when accepting cannot go on. Nothing is
   * called after `close()`. Keeps the event loop alive unless `unref()`ed.
   */
  watchAccept(listenFd: number, onConnection: (fd: number) => void, onError: (errno: number) => void): NativeAcceptWatch;
  /**
   * The second seccomp stage of an element host (native-helper/README.md): from now on this
   * process opens no file, socket or program, and signals only itself. Irreversible.
   */
  sandboxLockdown(): void;
  /** What confines this process now: seccomp mode and filters, no_new_privs, ids, namespaces. */
  sandboxStatus(): SandboxStatus;
  /** close(2) of an OS fd: Deno's node:fs closes its own resource ids, not OS fds. */
  closeFd(fd: number): void;
  /** fstat(2)'s size of an OS fd. */
  fdSize(fd: number): number;
  /** Whether mapShared can return a SharedArrayBuffer: declared by the build's headers, found at run time. */
  readonly externalSharedArrayBuffer: { readonly headers: boolean; readonly runtime: boolean };
}

/** The seal bits of {@link NativeHelper.memfdSeals} (linux/fcntl.h). */
export const MemfdSeal = { SEAL: 1, SHRINK: 2, GROW: 4, WRITE: 8, FUTURE_WRITE: 16 } as const;

/** Why isolation cannot run here. `reason` is the sentence to show a user. */
export class IsolationUnavailableError extends Error {
  readonly code = 'ISOLATION_UNAVAILABLE';

  constructor(readonly reason: string, options?: { cause?: unknown }) {
    super(`process isolation is unavailable: ${reason}`, options);
    this.name = 'IsolationUnavailableError';
  }
}

export type NativeLoad =
  | { readonly ok: true; readonly native: NativeHelper; readonly path: string }
  | { readonly ok: false; readonly reason: string; readonly cause?: unknown };

/** Where `npm install` (native-helper/build.mjs) puts the addon. */
export const NATIVE_ADDON_PATH = fileURLToPath(
  new URL('../../native-helper/build/Release/parallax_native.node', import.meta.url),
);

let cached: NativeLoad | undefined;

/** Loads the addon once; never throws. */
export function loadNative(): NativeLoad {
  cached ??= loadNativeAt(NATIVE_ADDON_PATH);
  return cached;
}

/** The addon, or an {@link IsolationUnavailableError} that says why not. */
export function requireNative(): NativeHelper {
  const result = loadNative();
  if (result.ok) return result.native;
  throw new IsolationUnavailableError(result.reason, { cause: result.cause });
}

/**
 * Loads the addon from `path` (not cached). The build's failure note, if any, is read from
 * `BUILD-FAILED.txt` one level above the binary's folder, where native-helper/build.mjs writes it.
 */
export function loadNativeAt(path: string): NativeLoad {
  if (process.platform !== 'linux') {
    return { ok: false, reason: `it needs Linux (memfd, futex, SCM_RIGHTS), and this is ${process.platform}` };
  }
  if (!existsSync(path)) {
    const failed = join(dirname(path), '..', 'BUILD-FAILED.txt');
    const why = existsSync(failed) ? readFileSync(failed, 'utf8').trim() : 'it was never built';
    return {
      ok: false,
      reason: `the native helper is not built (${path} is missing: ${why}); run npm install; the native helper needs a C compiler`,
    };
  }
  try {
    const native = createRequire(import.meta.url)(path) as NativeHelper;
    return { ok: true, native, path };
  } catch (cause) {
    const message = cause instanceof Error ? cause.message : String(cause);
    return {
      ok: false,
      reason: `the native helper at ${path} failed to load (${message}); rebuild it with npm run build:native`,
      cause,
    };
  }
}
