import { fstat, type Stats } from 'node:fs';
import { isatty } from 'node:tty';

/**
 * How fdsrc and fdsink drive a file descriptor, decided once at start from `fstat`:
 *
 * - `file`: a regular file, a block device or a non-terminal character device (/dev/null,
 *   /dev/zero). Reads and writes go through libuv's thread pool straight from or into a pool slot
 *   (no copy) and never block the event loop; they never wait on another process either.
 * - `stream`: a pipe, a socket or a terminal. A read on those can wait for ever for a writer, so
 *   they are driven by a libuv stream handle (poll-based, non-blocking) that can be stopped at
 *   any time: a blocking read on the thread pool could not be cancelled and would keep the
 *   process alive.
 *
 * Main thread only.
 */
export type FdKind = 'file' | 'stream';

export interface FdInfo {
  readonly kind: FdKind;
  readonly tty: boolean;
  readonly stats: Stats;
}

/** Classifies `fd`, or rejects with the OS error (EBADF for a descriptor that is not open). */
export function fdInfo(fd: number): Promise<FdInfo> {
  return new Promise((resolve, reject) => {
    fstat(fd, (err, stats) => {
      if (err !== null) {
        reject(err);
        return;
      }
      const tty = isatty(fd);
      const file = !tty && (stats.isFile() || stats.isBlockDevice() || stats.isCharacterDevice());
      resolve({ kind: file ? 'file' : 'stream', tty, stats });
    });
  });
}

/** What `fstat` says `fd` is, for messages: "a pipe", "a regular file", … */
export function describeFd(info: FdInfo): string {
  const s = info.stats;
  if (info.tty) return 'a terminal';
  if (s.isFile()) return 'a regular file';
  if (s.isFIFO()) return 'a pipe';
  if (s.isSocket()) return 'a socket';
  if (s.isCharacterDevice()) return 'a character device';
  if (s.isBlockDevice()) return 'a block device';
  return 'a descriptor';
}
