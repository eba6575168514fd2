/*
 * Unix SEQPACKET sockets at a filesystem path: how two programs started separately find each
 * other (ipcsink listens, ipcsrc connects). Only the meeting happens here; the data then crosses
 * on a process link whose fds travel over the accepted socket (sendFds).
 *
 * unixListen(path) : number
 *   A listening AF_UNIX SOCK_SEQPACKET socket bound to `path`, close-on-exec and non-blocking. A
 *   path longer than sun_path holds (107 bytes) is a RangeError, not a silently cut name. When
 *   `path` is taken by a socket nobody listens on (its program died without removing it: connect
 *   gives ECONNREFUSED), the file is removed and the bind retried once; anything else at the
 *   path (a live listener, a file, a directory) fails with EADDRINUSE and is never removed.
 *
 * unixAccept(listenFd, nonBlocking = false) : number | null
 *   One connection, close-on-exec. With nonBlocking, null when none is waiting.
 *
 * unixConnect(path) : number
 *   A connected socket, close-on-exec. ENOENT (no such socket yet) and ECONNREFUSED (a stale
 *   socket file) come back as errors with that code, so the caller decides whether to retry.
 *   The connect is non-blocking: a listener whose backlog is full gives EAGAIN instead of
 *   stalling the event loop for as long as that other program wants.
 *
 * watchAccept(listenFd, onConnection(fd), onError(errno)) : { close(), ref(), unref() }
 *   Accepts without blocking the event loop, as openChannel reads (channel.c): a pthread polls
 *   the listening socket and an eventfd, accepts, and hands each fd to the JS thread through a
 *   threadsafe function. onConnection owns the fd. onError is called once, and nothing after it,
 *   when accept fails for a reason that would repeat (EMFILE…): a loop that keeps polling a
 *   readable socket it cannot accept from would spin. The watcher uses its own dup of the
 *   listening socket and sets it non-blocking (a shared file flag), so a connection that goes
 *   away between poll and accept cannot block the thread. After close(), nothing is delivered,
 *   and connections accepted but not yet delivered are closed. It keeps the event loop alive
 *   unless unref()ed. Shutdown and ownership follow channel.c (see there).
 */
#include "addon.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#define BACKLOG 16

/* Reads `path` into a sockaddr; throws (returns false) when it is empty, too long or has a NUL. */
static bool arg_path(napi_env env, const char *fn, napi_value v, struct sockaddr_un *addr) {
  napi_valuetype t;
  napi_typeof(env, v, &t);
  if (t != napi_string) {
    throw_type_error(env, fn, "path must be a string");
    return false;
  }
  memset(addr, 0, sizeof *addr);
  addr->sun_family = AF_UNIX;
  size_t len = 0;
  napi_get_value_string_utf8(env, v, NULL, 0, &len);
  if (len == 0) {
    throw_range_error(env, fn, "path must not be empty");
    return false;
  }
  if (len >= sizeof addr->sun_path) {
    throw_range_error(env, fn, "path is %zu bytes; a Unix socket path holds at most %zu", len, sizeof addr->sun_path - 1);
    return false;
  }
  napi_get_value_string_utf8(env, v, addr->sun_path, sizeof addr->sun_path, &len);
  if (strlen(addr->sun_path) != len) {
    throw_type_error(env, fn, "path must not contain NUL characters (abstract sockets are not supported)");
    return false;
  }
  return true;
}

static napi_value fd_value(napi_env env, int fd) {
  napi_value v;
  napi_create_int32(env, fd, &v);
  return v;
}

static int listen_at(const struct sockaddr_un *addr) {
  int fd = socket(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
  if (fd < 0) return -1;
  if (bind(fd, (const struct sockaddr *)addr, sizeof *addr) == 0 && listen(fd, BACKLOG) == 0) return fd;
  int err = errno;
  close(fd);
  errno = err;
  return -1;
}

/* The errno of a non-blocking connect to `addr` (0: connected), closing the socket unless kept. */
static int connect_to(const struct sockaddr_un *addr, int *keep) {
  int fd = socket(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
  if (fd < 0) return errno;
  int err = connect(fd, (const struct sockaddr *)addr, sizeof *addr) == 0 ? 0 : errno;
  if (err == 0 && keep != NULL) {
    *keep = fd;
    return 0;
  }
  close(fd);
  return err;
}

/* Whether `addr` names a socket file that nobody listens on: only such a file may be removed. */
static bool stale_socket(const struct sockaddr_un *addr) {
  struct stat st;
  if (lstat(addr->sun_path, &st) != 0 || !S_ISSOCK(st.st_mode)) return false;
  return connect_to(addr, NULL) == ECONNREFUSED;
}

napi_value unix_listen_js(napi_env env, napi_callback_info info) {
  GET_ARGS(1);
  struct sockaddr_un addr;
  if (!arg_path(env, "unixListen", argv[0], &addr)) return NULL;
  int fd = listen_at(&addr);
  if (fd < 0 && errno == EADDRINUSE && stale_socket(&addr)) {
    /* Another program could bind between the probe and the unlink; then our bind fails below. */
    if (unlink(addr.sun_path) != 0 && errno != ENOENT) return throw_syscall_error(env, "unlink", errno);
    fd = listen_at(&addr);
  }
  if (fd < 0) return throw_syscall_error(env, "bind", errno);
  return fd_value(env, fd);
}

/* accept4 that never blocks: -1 with errno EAGAIN when nobody is waiting. */
static int accept_now(int listen_fd) {
  int fd;
  do fd = accept4(listen_fd, NULL, NULL, SOCK_CLOEXEC);
  while (fd < 0 && (errno == EINTR || errno == ECONNABORTED));
  return fd;
}

napi_value unix_accept_js(napi_env env, napi_callback_info info) {
  static const char *fn = "unixAccept";
  GET_ARGS(2);
  int listen_fd;
  if (!arg_fd(env, fn, "listenFd", argv[0], &listen_fd)) return NULL;
  napi_valuetype t;
  napi_typeof(env, argv[1], &t);
  bool non_blocking = false;
  if (t == napi_boolean) napi_get_value_bool(env, argv[1], &non_blocking);
  else if (t != napi_undefined) return throw_type_error(env, fn, "nonBlocking must be a boolean or undefined");
  for (;;) {
    int fd = accept_now(listen_fd);
    if (fd >= 0) return fd_value(env, fd);
    if (errno != EAGAIN && errno != EWOULDBLOCK) return throw_syscall_error(env, "accept4", errno);
    if (non_blocking) {
      napi_value none;
      napi_get_null(env, &none);
      return none;
    }
    struct pollfd p = {.fd = listen_fd, .events = POLLIN};
    if (poll(&p, 1, -1) < 0 && errno != EINTR) return throw_syscall_error(env, "poll", errno);
  }
}

napi_value unix_connect_js(napi_env env, napi_callback_info info) {
  GET_ARGS(1);
  struct sockaddr_un addr;
  if (!arg_path(env, "unixConnect", argv[0], &addr)) return NULL;
  int fd = -1;
  int err = connect_to(&addr, &fd);
  if (err != 0) return throw_syscall_error(env, "connect", err);
  /* Blocking again, like socketPair's sockets: sendFds/recvFds choose per call. */
  int flags = fcntl(fd, F_GETFL);
  if (flags < 0 || fcntl(fd, F_SETFL, flags & ~O_NONBLOCK) != 0) {
    err = errno;
    close(fd);
    return throw_syscall_error(env, "fcntl(F_SETFL)", err);
  }
  return fd_value(env, fd);
}

/* ---- watchAccept ------------------------------------------------------------------------- */

typedef struct {
  int fd;      /* the watcher's own dup of the listening socket */
  int wake_fd; /* eventfd: close() tells the reader to stop */
  pthread_t reader;
  bool reader_started;
  int owners; /* the JS handle and the threadsafe function; freed at 0 (JS thread only) */
  atomic_bool closed;
  napi_threadsafe_function tsfn;
  napi_ref on_connection;
  napi_ref on_error;
} watch_t;

typedef struct {
  int fd;  /* accepted, or -1 for an error */
  int err;
} accepted_t;

static bool deliver(watch_t *w, int fd, int err) {
  accepted_t *a = malloc(sizeof *a);
  if (a == NULL) {
    if (fd >= 0) close(fd);
    return false;
  }
  a->fd = fd;
  a->err = err;
  if (napi_call_threadsafe_function(w->tsfn, a, napi_tsfn_nonblocking) != napi_ok) {
    if (fd >= 0) close(fd); /* the function is closing: the connection has nowhere to go */
    free(a);
    return false;
  }
  return true;
}

static void *watch_main(void *arg) {
  watch_t *w = arg;
  for (;;) {
    struct pollfd p[2] = {{.fd = w->fd, .events = POLLIN}, {.fd = w->wake_fd, .events = POLLIN}};
    if (poll(p, 2, -1) < 0) {
      if (errno == EINTR) continue;
      deliver(w, -1, errno);
      break;
    }
    if (p[1].revents != 0 || atomic_load(&w->closed)) break;
    if (p[0].revents & (POLLERR | POLLNVAL)) {
      deliver(w, -1, (p[0].revents & POLLNVAL) ? EBADF : EINVAL);
      break;
    }
    int fd = accept_now(w->fd);
    if (fd >= 0) {
      deliver(w, fd, 0);
      continue;
    }
    if (errno == EAGAIN || errno == EWOULDBLOCK) continue; /* the client left before we accepted */
    deliver(w, -1, errno);
    break;
  }
  napi_release_threadsafe_function(w->tsfn, napi_tsfn_release);
  return NULL;
}

static void call_js(napi_env env, napi_value js_cb, void *context, void *data) {
  watch_t *w = context;
  accepted_t *a = data;
  if (env == NULL || atomic_load(&w->closed)) {
    if (a->fd >= 0) close(a->fd);
    free(a);
    return;
  }
  napi_value undefined, fn, arg, result;
  napi_get_undefined(env, &undefined);
  bool is_error = a->fd < 0;
  if (is_error) atomic_store(&w->closed, true); /* onError is the last call */
  napi_create_int32(env, is_error ? a->err : a->fd, &arg);
  free(a);
  if (napi_get_reference_value(env, is_error ? w->on_error : w->on_connection, &fn) == napi_ok)
    napi_call_function(env, undefined, fn, 1, &arg, &result);
}

static void stop_reader(watch_t *w) {
  if (!w->reader_started) return;
  atomic_store(&w->closed, true);
  uint64_t one = 1;
  ssize_t n = write(w->wake_fd, &one, sizeof one);
  (void)n; /* an eventfd write only fails on overflow, which still leaves it readable */
  pthread_join(w->reader, NULL);
  w->reader_started = false;
  close(w->fd);
  close(w->wake_fd);
  w->fd = w->wake_fd = -1;
}

static void drop_owner(napi_env env, watch_t *w) {
  if (--w->owners > 0) return;
  if (w->on_connection != NULL) napi_delete_reference(env, w->on_connection);
  if (w->on_error != NULL) napi_delete_reference(env, w->on_error);
  free(w);
}

static void finalize_function(napi_env env, void *data, void *hint) {
  watch_t *w = data;
  stop_reader(w);
  if (w->fd >= 0) close(w->fd); /* the reader never started */
  if (w->wake_fd >= 0) close(w->wake_fd);
  w->fd = w->wake_fd = -1;
  drop_owner(env, w);
}

static void finalize_handle(napi_env env, void *data, void *hint) {
  drop_owner(env, data);
}

static watch_t *watch_of(napi_env env, napi_callback_info info) {
  napi_value self;
  void *data = NULL;
  if (napi_get_cb_info(env, info, NULL, NULL, &self, NULL) != napi_ok) return NULL;
  if (napi_unwrap(env, self, &data) != napi_ok) return NULL;
  return data;
}

static napi_value watch_close_js(napi_env env, napi_callback_info info) {
  watch_t *w = watch_of(env, info);
  if (w != NULL) stop_reader(w);
  return NULL;
}

static napi_value watch_ref_js(napi_env env, napi_callback_info info) {
  watch_t *w = watch_of(env, info);
  if (w != NULL && w->reader_started) napi_ref_threadsafe_function(env, w->tsfn);
  return NULL;
}

static napi_value watch_unref_js(napi_env env, napi_callback_info info) {
  watch_t *w = watch_of(env, info);
  if (w != NULL && w->reader_started) napi_unref_threadsafe_function(env, w->tsfn);
  return NULL;
}

napi_value watch_accept_js(napi_env env, napi_callback_info info) {
  static const char *fn = "watchAccept";
  GET_ARGS(3);
  int listen_fd;
  if (!arg_fd(env, fn, "listenFd", argv[0], &listen_fd)) return NULL;
  napi_valuetype t;
  for (int i = 1; i <= 2; i++) {
    napi_typeof(env, argv[i], &t);
    if (t != napi_function) return throw_type_error(env, fn, "%s must be a function", i == 1 ? "onConnection" : "onError");
  }
  watch_t *w = calloc(1, sizeof *w);
  if (w == NULL) return throw_syscall_error(env, "calloc", ENOMEM);
  w->fd = fcntl(listen_fd, F_DUPFD_CLOEXEC, 0);
  if (w->fd < 0) { int e = errno; free(w); return throw_syscall_error(env, "dup", e); }
  int flags = fcntl(w->fd, F_GETFL);
  if (flags < 0 || fcntl(w->fd, F_SETFL, flags | O_NONBLOCK) != 0) {
    int e = errno; close(w->fd); free(w); return throw_syscall_error(env, "fcntl(F_SETFL)", e);
  }
  w->wake_fd = eventfd(0, EFD_CLOEXEC);
  if (w->wake_fd < 0) { int e = errno; close(w->fd); free(w); return throw_syscall_error(env, "eventfd", e); }
  napi_create_reference(env, argv[1], 1, &w->on_connection);
  napi_create_reference(env, argv[2], 1, &w->on_error);

  napi_value name;
  napi_create_string_utf8(env, "parallax-accept", NAPI_AUTO_LENGTH, &name);
  w->owners = 1;
  napi_status s = napi_create_threadsafe_function(env, NULL, NULL, name, 0, 1, w, finalize_function, w, call_js, &w->tsfn);
  if (s != napi_ok) {
    finalize_function(env, w, NULL);
    return throw_napi_failure(env, fn, "napi_create_threadsafe_function", s);
  }
  int err = pthread_create(&w->reader, NULL, watch_main, w);
  if (err != 0) {
    napi_release_threadsafe_function(w->tsfn, napi_tsfn_abort); /* its finalizer frees w */
    return throw_syscall_error(env, "pthread_create", err);
  }
  w->reader_started = true;

  napi_value handle, f;
  napi_create_object(env, &handle);
  w->owners++;
  napi_wrap(env, handle, w, finalize_handle, NULL, NULL);
  static const struct { const char *name; napi_callback cb; } methods[] = {
    {"close", watch_close_js}, {"ref", watch_ref_js}, {"unref", watch_unref_js}};
  for (size_t i = 0; i < sizeof methods / sizeof methods[0]; i++) {
    napi_create_function(env, methods[i].name, NAPI_AUTO_LENGTH, methods[i].cb, NULL, &f);
    napi_set_named_property(env, handle, methods[i].name, f);
  }
  return handle;
}
