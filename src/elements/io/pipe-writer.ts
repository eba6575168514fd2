import { close, constants, open } from 'node:fs';
import { Socket } from 'node:net';

/** How often to look for a reader of a named pipe that has none yet, in ms. */
const READER_POLL_MS = 20;

/**
 * Opens the named pipe `path` for writing without holding a thread.
 *
 * A blocking open waits in libuv's thread pool until a reader opens the pipe, and a blocking
 * write waits there while the reader is not reading: neither can be cancelled, so a stalled
 * reader would hang stop() and keep the process alive. A non-blocking open fails with ENXIO
 * while there is no reader, so it is retried until there is one (or `giveUp()` says stop, then
 * null); the descriptor is then driven by a libuv stream handle, whose writes wait in the event
 * loop and end at once when the handle is destroyed.
 *
 * Main thread only.
 */
export async function openPipeForWriting(path: string, giveUp: () => boolean): Promise<Socket | null> {
  for (;;) {
    if (giveUp()) return null;
    const fd = await new Promise<number | null>((resolve, reject) => {
      open(path, constants.O_WRONLY | constants.O_NONBLOCK, (err, fd) => {
        if (err === null) resolve(fd);
        else if (err.code === 'ENXIO') resolve(null);
        else reject(err);
      });
    });
    if (fd !== null) return new Socket({ fd, readable: false, writable: true });
    await new Promise((resolve) => setTimeout(resolve, READER_POLL_MS));
  }
}

/**
 * Writes `views` to `pipe` in one writev (no copy: the handle writes from the views' memory).
 * Resolves once the kernel took every byte; the caller keeps the views alive until then. Rejects
 * with the write's error (EPIPE: the reader closed its end), or when the handle is destroyed.
 */
export function writeToPipe(pipe: Socket, views: readonly Uint8Array[]): Promise<void> {
  return new Promise((resolve, reject) => {
    if (views.length === 0) {
      resolve();
      return;
    }
    pipe.cork();
    for (let i = 0; i < views.length - 1; i++) pipe.write(views[i]!);
    pipe.write(views[views.length - 1]!, (e) => (e == null ? resolve() : reject(e)));
    pipe.uncork();
  });
}

/** Ends `pipe` once what was written is flushed, then closes it; a destroyed pipe is left as it is. */
export function closePipe(pipe: Socket): Promise<void> {
  if (pipe.destroyed) return Promise.resolve();
  return new Promise((resolve) => {
    pipe.once('close', () => resolve());
    pipe.end();
  });
}

/**
 * Opens and closes `path` at once, if it has a reader: a reader blocked in open() gets its
 * end-of-file even though nothing was written (a run that failed or stopped first). Without a
 * reader (ENXIO) or on any error, nothing happens.
 */
export function touchPipe(path: string): Promise<void> {
  return new Promise((resolve) => {
    open(path, constants.O_WRONLY | constants.O_NONBLOCK, (err, fd) => {
      if (err !== null) resolve();
      else close(fd, () => resolve());
    });
  });
}
