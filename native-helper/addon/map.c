/*
 * mapShared(fd: number, size: number, writable: boolean, allowShared = true)
 *   : { buffer: SharedArrayBuffer | ArrayBuffer, shared: boolean }
 *
 * Maps the first `size` bytes of `fd` with MAP_SHARED, read-only or read-write, and wraps the
 * mapping in a SharedArrayBuffer when the runtime can (external_sab.c), else in a non-shared
 * external ArrayBuffer. `shared` says which. The mapping lives until the buffer is collected; the
 * finalizer unmaps it (for a SharedArrayBuffer, on whatever thread frees the last reference). The
 * fd may be closed right after this call: the mapping keeps the memory alive.
 *
 * The fd may come from another process, so its size is checked first: a mapping past the end of
 * the file would raise SIGBUS on access. (A memfd from memfdCreate is sealed against shrinking, so
 * the check stays true; an unsealed fd could still be shrunk by its owner later.)
 */
#include "addon.h"

#include <errno.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/stat.h>

typedef struct {
  void *addr;
  size_t len;
} mapping;

static void unmap(void *data, void *hint) {
  mapping *m = hint;
  munmap(m->addr, m->len);
  free(m);
}

static void unmap_with_env(napi_env env, void *data, void *hint) { unmap(data, hint); }

napi_value map_shared_js(napi_env env, napi_callback_info info) {
  static const char *fn = "mapShared";
  GET_ARGS(4);
  int fd;
  uint64_t size;
  if (!arg_fd(env, fn, "fd", argv[0], &fd)) return NULL;
  if (!arg_size(env, fn, "size", argv[1], SIZE_MAX >> 1, &size)) return NULL;
  bool writable = false, allow_shared = true;
  napi_valuetype t;
  napi_typeof(env, argv[2], &t);
  if (t != napi_boolean) return throw_type_error(env, fn, "writable must be a boolean");
  napi_get_value_bool(env, argv[2], &writable);
  napi_typeof(env, argv[3], &t);
  if (t == napi_boolean)
    napi_get_value_bool(env, argv[3], &allow_shared);
  else if (t != napi_undefined)
    return throw_type_error(env, fn, "allowShared must be a boolean or undefined");

  struct stat st;
  if (fstat(fd, &st) != 0) return throw_syscall_error(env, "fstat", errno);
  if (st.st_size < 0 || (uint64_t)st.st_size < size)
    return throw_range_error(env, fn, "size %llu is larger than fd %d (%lld bytes): the mapping would fault",
                             (unsigned long long)size, fd, (long long)st.st_size);

  void *addr = mmap(NULL, (size_t)size, writable ? PROT_READ | PROT_WRITE : PROT_READ, MAP_SHARED, fd, 0);
  if (addr == MAP_FAILED) return throw_syscall_error(env, "mmap", errno);
  mapping *m = malloc(sizeof *m);
  if (m == NULL) {
    munmap(addr, (size_t)size);
    return throw_syscall_error(env, "malloc", ENOMEM);
  }
  m->addr = addr;
  m->len = (size_t)size;

  napi_value buffer;
  bool shared = false;
  if (allow_shared && external_sab_available()) {
    shared = create_external_sab(env, addr, m->len, unmap, m, &buffer) == napi_ok;
    bool pending = false;
    napi_is_exception_pending(env, &pending);
    if (pending) { /* the runtime threw: give up rather than hide its error */
      unmap(addr, m);
      return NULL;
    }
  }
  if (!shared) {
    napi_status s = napi_create_external_arraybuffer(env, addr, m->len, unmap_with_env, m, &buffer);
    if (s != napi_ok) {
      unmap(addr, m);
      return throw_napi_failure(env, fn,
                                "napi_create_external_arraybuffer (this runtime may forbid external buffers, "
                                "e.g. under a V8 sandbox)",
                                s);
    }
  }

  napi_value result, flag;
  napi_create_object(env, &result);
  napi_set_named_property(env, result, "buffer", buffer);
  napi_get_boolean(env, shared, &flag);
  napi_set_named_property(env, result, "shared", flag);
  return result;
}
