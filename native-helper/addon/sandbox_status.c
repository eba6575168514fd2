/*
 * sandboxStatus(): { seccompMode, seccompFilters, noNewPrivs, uid, gid, pid, namespaces }
 *
 * What the current process can tell about its own sandbox, for logs and tests:
 *   seccompMode     0 off, 1 strict, 2 filter: the "Seccomp:" line of /proc/self/status, or
 *                   prctl(PR_GET_SECCOMP) once the lockdown forbids opening /proc.
 *   seccompFilters  how many filters are stacked ("Seccomp_filters:"), or null when unreadable.
 *   noNewPrivs      prctl(PR_GET_NO_NEW_PRIVS).
 *   uid, gid, pid   as seen inside (65534 and pid 2 in a helper sandbox with namespaces).
 *   namespaces      { user, pid, net, mnt, ipc, uts, cgroup }: the /proc/self/ns link of each
 *                   ("net:[4026532008]"), or null; compare with the supervisor's to see that they
 *                   differ. readlink stays allowed after the lockdown.
 */
#include "addon.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <unistd.h>

/* The number after `key` in /proc/self/status, or -1. */
static long status_field(const char *text, const char *key) {
  const char *at = strstr(text, key);
  return at == NULL ? -1 : strtol(at + strlen(key), NULL, 10);
}

static void set_number(napi_env env, napi_value obj, const char *name, double v, bool null_if_negative) {
  napi_value value;
  if (null_if_negative && v < 0) napi_get_null(env, &value);
  else napi_create_double(env, v, &value);
  napi_set_named_property(env, obj, name, value);
}

napi_value sandbox_status_js(napi_env env, napi_callback_info info) {
  char text[8192];
  ssize_t got = -1;
  int fd = open("/proc/self/status", O_RDONLY | O_CLOEXEC);
  if (fd >= 0) {
    got = read(fd, text, sizeof text - 1);
    close(fd);
  }
  long mode = -1, filters = -1;
  if (got > 0) {
    text[got] = 0;
    mode = status_field(text, "\nSeccomp:");
    filters = status_field(text, "\nSeccomp_filters:");
  }
  if (mode < 0) mode = prctl(PR_GET_SECCOMP, 0, 0, 0, 0);

  napi_value result, value, ns;
  napi_create_object(env, &result);
  set_number(env, result, "seccompMode", (double)mode, true);
  set_number(env, result, "seccompFilters", (double)filters, true);
  napi_get_boolean(env, prctl(PR_GET_NO_NEW_PRIVS, 0, 0, 0, 0) == 1, &value);
  napi_set_named_property(env, result, "noNewPrivs", value);
  set_number(env, result, "uid", (double)getuid(), false);
  set_number(env, result, "gid", (double)getgid(), false);
  set_number(env, result, "pid", (double)getpid(), false);

  napi_create_object(env, &ns);
  static const char *const kinds[] = {"user", "pid", "net", "mnt", "ipc", "uts", "cgroup"};
  for (size_t i = 0; i < sizeof kinds / sizeof kinds[0]; i++) {
    char path[64], link[128];
    snprintf(path, sizeof path, "/proc/self/ns/%s", kinds[i]);
    ssize_t n = readlink(path, link, sizeof link - 1);
    if (n >= 0) {
      link[n] = 0;
      napi_create_string_utf8(env, link, (size_t)n, &value);
    } else {
      napi_get_null(env, &value);
    }
    napi_set_named_property(env, ns, kinds[i], value);
  }
  napi_set_named_property(env, result, "namespaces", ns);
  return result;
}
