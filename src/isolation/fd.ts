import { requireNative } from './native.js';

/**
 * Closes an OS fd (a memfd, a socket end, an fd received over SCM_RIGHTS). Not node:fs's
 * closeSync: Deno's takes its own resource ids, not OS fds (see native-helper/addon/fd.c).
 */
export function closeFd(fd: number): void {
  requireNative().closeFd(fd);
}

/** The size of the file behind an OS fd (fstat), on every runtime. */
export function fdSize(fd: number): number {
  return requireNative().fdSize(fd);
}
