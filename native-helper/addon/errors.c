/*
 * Errors. A failing syscall becomes an Error shaped like Node's own system errors:
 *   message "memfd_create failed: Operation not permitted (EPERM)",
 *   .code "EPERM", .errno 1 (positive, as in <errno.h>), .syscall "memfd_create".
 * A bad argument becomes a TypeError (code ERR_INVALID_ARG_TYPE) or RangeError (code
 * ERR_OUT_OF_RANGE) whose message starts with the export's name.
 */
#include "addon.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

static const char *errno_name(int err) {
  switch (err) {
#define E(x) case x: return #x;
    E(EPERM) E(ENOENT) E(ESRCH) E(EINTR) E(EIO) E(ENXIO) E(E2BIG) E(EBADF) E(ECHILD) E(EAGAIN)
    E(ENOMEM) E(EACCES) E(EFAULT) E(EBUSY) E(EEXIST) E(ENODEV) E(ENOTDIR) E(EISDIR) E(EINVAL)
    E(ENFILE) E(EMFILE) E(ENOTTY) E(EFBIG) E(ENOSPC) E(ESPIPE) E(EROFS) E(EPIPE) E(ERANGE)
    E(ENOSYS) E(ETIMEDOUT) E(ENOTSOCK) E(EMSGSIZE) E(EPROTOTYPE) E(EOPNOTSUPP) E(ECONNRESET)
    E(ENOTCONN) E(ECONNREFUSED) E(EOVERFLOW) E(ETXTBSY) E(EDEADLK) E(EAFNOSUPPORT)
    E(EADDRINUSE) E(ECONNABORTED) E(ENAMETOOLONG) E(ENOBUFS) E(ELOOP)
#undef E
    default: return "EUNKNOWN";
  }
}

napi_value throw_syscall_error(napi_env env, const char *syscall, int err) {
  char msg[256];
  snprintf(msg, sizeof msg, "%s failed: %s (%s)", syscall, strerror(err), errno_name(err));
  napi_value message, code, error, value;
  napi_create_string_utf8(env, msg, NAPI_AUTO_LENGTH, &message);
  napi_create_string_utf8(env, errno_name(err), NAPI_AUTO_LENGTH, &code);
  napi_create_error(env, code, message, &error);
  napi_create_int32(env, err, &value);
  napi_set_named_property(env, error, "errno", value);
  napi_create_string_utf8(env, syscall, NAPI_AUTO_LENGTH, &value);
  napi_set_named_property(env, error, "syscall", value);
  napi_throw(env, error);
  return NULL;
}

static napi_value throw_formatted(napi_env env, bool range, const char *fn, const char *fmt, va_list ap) {
  char msg[320];
  int n = snprintf(msg, sizeof msg, "%s: ", fn);
  if (n < 0 || (size_t)n >= sizeof msg) n = 0;
  vsnprintf(msg + n, sizeof msg - (size_t)n, fmt, ap);
  if (range)
    napi_throw_range_error(env, "ERR_OUT_OF_RANGE", msg);
  else
    napi_throw_type_error(env, "ERR_INVALID_ARG_TYPE", msg);
  return NULL;
}

napi_value throw_type_error(napi_env env, const char *fn, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  throw_formatted(env, false, fn, fmt, ap);
  va_end(ap);
  return NULL;
}

napi_value throw_range_error(napi_env env, const char *fn, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  throw_formatted(env, true, fn, fmt, ap);
  va_end(ap);
  return NULL;
}

/* A Node-API call itself failed (rare: out of memory, or a runtime that refuses the call). */
napi_value throw_napi_failure(napi_env env, const char *fn, const char *what, napi_status status) {
  bool pending = false;
  napi_is_exception_pending(env, &pending);
  if (pending) return NULL;
  const napi_extended_error_info *info = NULL;
  napi_get_last_error_info(env, &info);
  char msg[320];
  snprintf(msg, sizeof msg, "%s: %s failed (napi_status %d%s%s)", fn, what, (int)status,
           info && info->error_message ? ": " : "", info && info->error_message ? info->error_message : "");
  napi_throw_error(env, "ERR_NAPI", msg);
  return NULL;
}
