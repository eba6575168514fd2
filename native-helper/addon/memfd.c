/*
 * memfdCreate(name: string, size: number): number
 *
 * Creates an anonymous memory file of exactly `size` bytes and returns its fd (close-on-exec).
 * The region is sealed against shrink and grow, and the seals themselves are sealed: a peer that
 * receives the fd can never make a mapping of it fault with SIGBUS by truncating it, nor grow it.
 * ftruncate to any other size then fails with EPERM. Writes within the size are still allowed.
 */
#include "addon.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#ifndef MFD_ALLOW_SEALING
#include <linux/memfd.h>
#endif

/* Largest size accepted: within a JS safe integer and off_t. */
#define MEMFD_MAX_SIZE ((uint64_t)1 << 46)

napi_value memfd_create_js(napi_env env, napi_callback_info info) {
  static const char *fn = "memfdCreate";
  GET_ARGS(2);
  napi_valuetype t;
  napi_typeof(env, argv[0], &t);
  if (t != napi_string) return throw_type_error(env, fn, "name must be a string");
  char name[250]; /* the kernel limit: 249 bytes plus NUL */
  size_t name_len = 0;
  napi_get_value_string_utf8(env, argv[0], NULL, 0, &name_len);
  if (name_len >= sizeof name) return throw_range_error(env, fn, "name is %zu bytes; at most 249", name_len);
  napi_get_value_string_utf8(env, argv[0], name, sizeof name, &name_len);
  if (strlen(name) != name_len) return throw_type_error(env, fn, "name must not contain NUL characters");
  uint64_t size;
  if (!arg_size(env, fn, "size", argv[1], MEMFD_MAX_SIZE, &size)) return NULL;

  int fd = memfd_create(name, MFD_CLOEXEC | MFD_ALLOW_SEALING);
  if (fd < 0) return throw_syscall_error(env, "memfd_create", errno);
  if (ftruncate(fd, (off_t)size) != 0) {
    int err = errno;
    close(fd);
    return throw_syscall_error(env, "ftruncate", err);
  }
  if (fcntl(fd, F_ADD_SEALS, F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_SEAL) != 0) {
    int err = errno;
    close(fd);
    return throw_syscall_error(env, "fcntl(F_ADD_SEALS)", err);
  }
  napi_value result;
  napi_create_int32(env, fd, &result);
  return result;
}
