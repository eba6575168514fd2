/*
 * Raw fds for runtimes whose node:fs does not take them.
 *
 * closeFd(fd) : void      close(2); EBADF is an error, EINTR is not retried (Linux closes anyway).
 * fdSize(fd) : number     fstat(2)'s st_size.
 *
 * Why: Deno's node:fs closeSync and fstatSync take Deno resource ids, not the OS fds that
 * memfd_create, socketpair and SCM_RIGHTS hand out, so the isolation code closes and sizes its
 * fds here, the same way on every runtime.
 */
#include "addon.h"

#include <errno.h>
#include <sys/stat.h>
#include <unistd.h>

napi_value close_fd_js(napi_env env, napi_callback_info info) {
  GET_ARGS(1);
  int fd;
  if (!arg_fd(env, "closeFd", "fd", argv[0], &fd)) return NULL;
  if (close(fd) != 0 && errno != EINTR) return throw_syscall_error(env, "close", errno);
  return NULL;
}

napi_value fd_size_js(napi_env env, napi_callback_info info) {
  GET_ARGS(1);
  int fd;
  if (!arg_fd(env, "fdSize", "fd", argv[0], &fd)) return NULL;
  struct stat st;
  if (fstat(fd, &st) != 0) return throw_syscall_error(env, "fstat", errno);
  napi_value result;
  napi_create_int64(env, (int64_t)st.st_size, &result);
  return result;
}
