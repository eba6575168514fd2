/*
 * Argument readers. Each one names the export and the argument in its error, so a caller sees
 * "futexWait: byteOffset 6 is not 4-byte aligned" rather than a crash. Values that come from
 * another process (fds, offsets) are checked here before any pointer is formed.
 */
#include "addon.h"

#include <limits.h>
#include <math.h>

static bool arg_number(napi_env env, const char *fn, const char *name, napi_value v, double *out) {
  napi_valuetype t;
  napi_typeof(env, v, &t);
  if (t != napi_number) {
    throw_type_error(env, fn, "%s must be a number", name);
    return false;
  }
  napi_get_value_double(env, v, out);
  return true;
}

bool arg_fd(napi_env env, const char *fn, const char *name, napi_value v, int *out) {
  double d;
  if (!arg_number(env, fn, name, v, &d)) return false;
  if (d != floor(d) || d < 0 || d > INT_MAX) {
    throw_range_error(env, fn, "%s must be a file descriptor (an integer >= 0), got %g", name, d);
    return false;
  }
  *out = (int)d;
  return true;
}

bool arg_size(napi_env env, const char *fn, const char *name, napi_value v, uint64_t max, uint64_t *out) {
  double d;
  if (!arg_number(env, fn, name, v, &d)) return false;
  if (d != floor(d) || d < 1 || d > (double)max) {
    throw_range_error(env, fn, "%s must be an integer from 1 to %llu, got %g", name, (unsigned long long)max, d);
    return false;
  }
  *out = (uint64_t)d;
  return true;
}

bool arg_int32(napi_env env, const char *fn, const char *name, napi_value v, int32_t *out) {
  double d;
  if (!arg_number(env, fn, name, v, &d)) return false;
  /* Int32 or Uint32 bit patterns are both accepted, as Atomics does for Int32Array/Uint32Array. */
  if (d != floor(d) || d < INT32_MIN || d > UINT32_MAX) {
    throw_range_error(env, fn, "%s must be a 32-bit integer, got %g", name, d);
    return false;
  }
  napi_get_value_int32(env, v, out);
  return true;
}

/* An ArrayBuffer, or a typed array / DataView (then the view's own window). */
bool arg_bytes(napi_env env, const char *fn, const char *name, napi_value v, void **data, size_t *len) {
  bool is = false;
  if (napi_is_arraybuffer(env, v, &is) == napi_ok && is)
    return napi_get_arraybuffer_info(env, v, data, len) == napi_ok;
  if (napi_is_typedarray(env, v, &is) == napi_ok && is) {
    napi_typedarray_type type;
    size_t length;
    if (napi_get_typedarray_info(env, v, &type, &length, data, NULL, NULL) != napi_ok) return false;
    static const size_t width[] = {1, 1, 1, 2, 2, 4, 4, 4, 8, 8, 8};
    /* An element type newer than this table gets length 0: every offset is then out of bounds. */
    *len = (size_t)type < sizeof width / sizeof width[0] ? length * width[type] : 0;
    return true;
  }
  if (napi_is_dataview(env, v, &is) == napi_ok && is)
    return napi_get_dataview_info(env, v, len, data, NULL, NULL) == napi_ok;
  /* Runtimes with node_api SharedArrayBuffer support accept a SAB here; Node 20 does not. */
  if (napi_get_arraybuffer_info(env, v, data, len) == napi_ok) return true;
  throw_type_error(env, fn, "%s must be an ArrayBuffer, a typed array or a DataView (for a SharedArrayBuffer, pass a view such as an Int32Array)", name);
  return false;
}

bool arg_word(napi_env env, const char *fn, napi_value buffer, napi_value byte_offset, uint32_t **word) {
  void *data = NULL;
  size_t len = 0;
  if (!arg_bytes(env, fn, "buffer", buffer, &data, &len)) return false;
  double off;
  if (!arg_number(env, fn, "byteOffset", byte_offset, &off)) return false;
  if (off != floor(off) || off < 0) {
    throw_range_error(env, fn, "byteOffset must be an integer >= 0, got %g", off);
    return false;
  }
  if (len < 4 || off > (double)(len - 4)) {
    throw_range_error(env, fn, "byteOffset %g is out of bounds: the word needs 4 bytes and the buffer has %zu", off, len);
    return false;
  }
  uintptr_t addr = (uintptr_t)data + (size_t)off;
  if (addr % 4 != 0) {
    throw_range_error(env, fn, "byteOffset %g is not 4-byte aligned (futex words are 32-bit aligned)", off);
    return false;
  }
  *word = (uint32_t *)addr;
  return true;
}
