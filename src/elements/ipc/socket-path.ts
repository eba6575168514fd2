import { existsSync, lstatSync, unlinkSync, type Stats } from 'node:fs';
import { dirname } from 'node:path';
import { ParallaxError } from '../../errors.js';
import { requireNative } from '../../isolation/native.js';

/** sun_path holds 108 bytes with the terminating NUL. */
export const MAX_SOCKET_PATH_BYTES = 107;

function fail(element: string, message: string, cause?: unknown): never {
  throw new ParallaxError('ELEMENT_ERROR', `${element}: ${message}`, cause === undefined ? undefined : { cause });
}

function kindOf(st: Stats): string {
  if (st.isDirectory()) return 'a directory';
  if (st.isFile()) return 'a regular file';
  if (st.isSymbolicLink()) return 'a symbolic link';
  return 'not a socket';
}

/**
 * Checks the `path` property of an ipc element at start, so that a path that can never work
 * fails at prepare with its reason rather than as a timeout later: unset, longer than a socket
 * address holds, in a directory that does not exist, or naming something that is not a socket.
 */
export function checkSocketPath(element: string, path: unknown): string {
  if (typeof path !== 'string' || path === '') fail(element, 'no socket path: the "path" property is not set');
  const bytes = new TextEncoder().encode(path).byteLength;
  if (bytes > MAX_SOCKET_PATH_BYTES) {
    fail(element, `socket path "${path}" is ${bytes} bytes; a Unix socket path holds at most ${MAX_SOCKET_PATH_BYTES} (choose a shorter directory, such as /tmp)`);
  }
  if (!existsSync(dirname(path))) fail(element, `socket path "${path}": the directory ${dirname(path)} does not exist`);
  let st: Stats | undefined;
  try {
    st = lstatSync(path);
  } catch {
    st = undefined; // nothing there yet: the listener makes it, the connector waits for it
  }
  if (st !== undefined && !st.isSocket()) fail(element, `socket path "${path}" is ${kindOf(st)}, not a socket`);
  return path;
}

/**
 * The listening socket ipcsink owns at its path. It removes the file at close only if the file
 * is still the one it made (same device and inode): a later program may have replaced it.
 */
export class ListeningSocket {
  private constructor(readonly fd: number, readonly path: string, private readonly made: Stats | null) {}

  static open(element: string, path: string): ListeningSocket {
    let fd: number;
    try {
      fd = requireNative().unixListen(path);
    } catch (e) {
      const code = (e as { code?: unknown }).code;
      const why = code === 'EADDRINUSE' ? 'another program is listening on it' : e instanceof Error ? e.message : String(e);
      fail(element, `cannot listen on socket path "${path}": ${why}`, e);
    }
    let made: Stats | null = null;
    try {
      made = lstatSync(path);
    } catch {
      made = null;
    }
    return new ListeningSocket(fd, path, made);
  }

  /** Removes the socket file if it is still ours. The fd is the caller's to close. */
  removeFile(): void {
    if (this.made === null) return;
    try {
      const now = lstatSync(this.path);
      if (now.dev === this.made.dev && now.ino === this.made.ino) unlinkSync(this.path);
    } catch {
      // already gone
    }
  }
}
