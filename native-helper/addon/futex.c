/*
 * futexWait(buffer, byteOffset, expected, timeoutMs?) : 'ok' | 'not-equal' | 'timed-out'
 * futexWake(buffer, byteOffset, count) : number of waiters woken
 *
 * Why: Atomics.wait/notify are emulated inside V8 with a process-local wait list keyed by the
 * backing store, so a notify in one process never reaches a waiter in another (nor a second
 * mapping of the same memfd in the same process). A real futex on a MAP_SHARED word is keyed by
 * the file page, so it crosses processes. The shared (non-_PRIVATE) operations are used for that
 * reason.
 *
 * `buffer` is a mapping from mapShared (or a view of it); `byteOffset` names a 32-bit word inside
 * it and must be 4-byte aligned. The value pattern is the same as Atomics.wait's: read the word,
 * decide to sleep, then futexWait(…, valueYouRead) — the kernel sleeps only if the word still
 * holds that value, so a wake between the read and the wait is never lost. 'ok' may be spurious
 * (or a wake meant for another word value): re-check the word after it.
 *
 * futexWait blocks the calling thread: call it from a data thread or a worker, not from a thread
 * whose event loop must keep running. timeoutMs: a number >= 0, or Infinity/undefined for no
 * limit. EINTR (a signal) is retried with the time that remains.
 */
#include "addon.h"

#include <errno.h>
#include <limits.h>
#include <linux/futex.h>
#include <math.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

static long futex(uint32_t *word, int op, uint32_t val, const struct timespec *timeout) {
  return syscall(SYS_futex, word, op, val, timeout, NULL, 0);
}

static double now_ms(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static napi_value string(napi_env env, const char *s) {
  napi_value v;
  napi_create_string_utf8(env, s, NAPI_AUTO_LENGTH, &v);
  return v;
}

napi_value futex_wait_js(napi_env env, napi_callback_info info) {
  static const char *fn = "futexWait";
  GET_ARGS(4);
  uint32_t *word;
  int32_t expected;
  if (!arg_word(env, fn, argv[0], argv[1], &word)) return NULL;
  if (!arg_int32(env, fn, "expected", argv[2], &expected)) return NULL;
  double timeout_ms = INFINITY;
  napi_valuetype t;
  napi_typeof(env, argv[3], &t);
  if (t == napi_number) {
    napi_get_value_double(env, argv[3], &timeout_ms);
    if (isnan(timeout_ms) || timeout_ms < 0)
      return throw_range_error(env, fn, "timeoutMs must be >= 0 or Infinity, got %g", timeout_ms);
  } else if (t != napi_undefined) {
    return throw_type_error(env, fn, "timeoutMs must be a number or undefined");
  }

  const double deadline = isinf(timeout_ms) ? INFINITY : now_ms() + timeout_ms;
  for (;;) {
    struct timespec ts, *tsp = NULL;
    if (!isinf(deadline)) {
      double left = deadline - now_ms();
      if (left < 0) left = 0;
      ts.tv_sec = (time_t)(left / 1e3);
      ts.tv_nsec = (long)((left - (double)ts.tv_sec * 1e3) * 1e6);
      if (ts.tv_nsec >= 1000000000L) ts.tv_nsec = 999999999L;
      tsp = &ts;
    }
    if (futex(word, FUTEX_WAIT, (uint32_t)expected, tsp) == 0) return string(env, "ok");
    switch (errno) {
      case EAGAIN: return string(env, "not-equal");
      case ETIMEDOUT: return string(env, "timed-out");
      case EINTR: continue; /* a signal: wait again for what remains */
      default: return throw_syscall_error(env, "futex(FUTEX_WAIT)", errno);
    }
  }
}

napi_value futex_wake_js(napi_env env, napi_callback_info info) {
  static const char *fn = "futexWake";
  GET_ARGS(3);
  uint32_t *word;
  if (!arg_word(env, fn, argv[0], argv[1], &word)) return NULL;
  double count;
  napi_valuetype t;
  napi_typeof(env, argv[2], &t);
  if (t != napi_number) return throw_type_error(env, fn, "count must be a number");
  napi_get_value_double(env, argv[2], &count);
  if (isnan(count) || count < 0 || (count != floor(count) && !isinf(count)))
    return throw_range_error(env, fn, "count must be an integer >= 0 or Infinity, got %g", count);
  uint32_t n = count >= INT_MAX ? INT_MAX : (uint32_t)count;
  long woken = futex(word, FUTEX_WAKE, n, NULL);
  if (woken < 0) return throw_syscall_error(env, "futex(FUTEX_WAKE)", errno);
  napi_value result;
  napi_create_int64(env, woken, &result);
  return result;
}
