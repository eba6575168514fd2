/*
 * A message channel on a SEQPACKET socket, read without blocking the event loop.
 *
 * openChannel(socketFd, onMessage, onClose, maxBytes = 65536) : { close(), ref(), unref() }
 *   onMessage(bytes: Uint8Array, fds: number[], truncated: boolean) is called on the JS thread
 *   for each record, in order; received fds are close-on-exec and owned by the callback.
 *   onClose(errno) is called once when the stream ends: 0 for an orderly end (the peer closed),
 *   an errno when recvmsg failed. After close() neither is called again.
 *
 * Why a thread: Node-API has no portable way to put an fd into the runtime's own poller (libuv in
 * Node, tokio in Deno, Bun's own loop), but every one of them has threadsafe functions. So a
 * reader pthread blocks in poll() on the socket and on an eventfd, and hands each record to the
 * JS thread through the threadsafe function: no polling, no timers, and one wake-up per record.
 *
 * Ownership and shutdown (the contract between the two threads):
 *   - The channel dup()s the socket, so the caller may close its fd at any time; the reader only
 *     ever touches its own copy.
 *   - close() (JS thread) sets `closed`, writes the eventfd, and joins the reader. The reader
 *     checks the eventfd in every poll, so the join is prompt. The threadsafe function's queue
 *     is unbounded, so the reader never blocks in napi_call_threadsafe_function and cannot
 *     deadlock against the join.
 *   - Records the reader queued before close() reach call_js after `closed` is set: call_js drops
 *     them and closes their fds, so nothing is delivered after close() and nothing leaks.
 *   - The reader holds the threadsafe function and releases it as its last act, whether it
 *     stopped for close(), for the end of the stream or for an error, so a channel whose peer
 *     hung up stops keeping the event loop alive by itself.
 *   - The struct has two owners, the JS handle (until it is collected) and the threadsafe
 *     function (until its finalizer, after the last queued call); the last one frees it. Both
 *     finalizers run on the JS thread. The socket copy and the eventfd close at close() or in
 *     the function's finalizer, whichever comes first, after the reader is joined.
 *   - A record with more bytes than maxBytes, or more fds than fit, arrives with truncated=true
 *     (MSG_TRUNC / MSG_CTRUNC): the peer is then misbehaving, and the receiver decides.
 */
#include "addon.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <unistd.h>

#define MAX_FDS 253 /* SCM_MAX_FD */

typedef struct {
  int fd;       /* the channel's own dup of the socket */
  int wake_fd;  /* eventfd: close() tells the reader to stop */
  size_t max_bytes;
  pthread_t reader;
  bool reader_started; /* not yet joined */
  int owners;          /* the JS handle and the threadsafe function; freed at 0 (JS thread only) */
  atomic_bool closed;
  napi_threadsafe_function tsfn;
  napi_ref on_message;
  napi_ref on_close;
} channel_t;

typedef struct {
  bool is_close;
  int err;        /* is_close: 0 or errno */
  bool truncated;
  size_t len;
  int nfds;
  int fds[MAX_FDS];
  uint8_t bytes[]; /* len bytes */
} record_t;

static void close_fds(record_t *r) {
  for (int i = 0; i < r->nfds; i++) close(r->fds[i]);
  r->nfds = 0;
}

static void deliver(channel_t *ch, record_t *r) {
  if (napi_call_threadsafe_function(ch->tsfn, r, napi_tsfn_nonblocking) != napi_ok) {
    close_fds(r); /* the function is closing: the record has nowhere to go */
    free(r);
  }
}

static void *reader_main(void *arg) {
  channel_t *ch = arg;
  union {
    char buf[CMSG_SPACE(sizeof(int) * MAX_FDS)];
    struct cmsghdr align;
  } control;
  for (;;) {
    struct pollfd p[2] = {{.fd = ch->fd, .events = POLLIN}, {.fd = ch->wake_fd, .events = POLLIN}};
    if (poll(p, 2, -1) < 0) {
      if (errno == EINTR) continue;
      record_t *r = calloc(1, sizeof *r);
      if (r != NULL) { r->is_close = true; r->err = errno; deliver(ch, r); }
      break;
    }
    if (p[1].revents != 0 || atomic_load(&ch->closed)) break;
    record_t *r = malloc(sizeof *r + ch->max_bytes);
    if (r == NULL) break;
    memset(r, 0, sizeof *r);
    struct iovec iov = {.iov_base = r->bytes, .iov_len = ch->max_bytes};
    struct msghdr msg = {.msg_iov = &iov, .msg_iovlen = 1, .msg_control = control.buf, .msg_controllen = sizeof control.buf};
    ssize_t n = recvmsg(ch->fd, &msg, MSG_CMSG_CLOEXEC | MSG_DONTWAIT);
    if (n < 0 && (errno == EINTR || errno == EAGAIN)) { free(r); continue; }
    for (struct cmsghdr *c = CMSG_FIRSTHDR(&msg); n >= 0 && c != NULL; c = CMSG_NXTHDR(&msg, c)) {
      if (c->cmsg_level != SOL_SOCKET || c->cmsg_type != SCM_RIGHTS) continue;
      int count = (int)((c->cmsg_len - CMSG_LEN(0)) / sizeof(int));
      for (int i = 0; i < count; i++) {
        int fd;
        memcpy(&fd, CMSG_DATA(c) + (size_t)i * sizeof(int), sizeof fd);
        if (r->nfds < MAX_FDS) r->fds[r->nfds++] = fd;
        else close(fd);
      }
    }
    if (n <= 0) { /* 0: the peer closed (SEQPACKET has no empty records from sendFds) */
      close_fds(r);
      r->is_close = true;
      r->err = n < 0 ? errno : 0;
      deliver(ch, r);
      break;
    }
    r->len = (size_t)n;
    r->truncated = (msg.msg_flags & (MSG_TRUNC | MSG_CTRUNC)) != 0;
    deliver(ch, r);
  }
  napi_release_threadsafe_function(ch->tsfn, napi_tsfn_release);
  return NULL;
}

static void call_js(napi_env env, napi_value js_cb, void *context, void *data) {
  channel_t *ch = context;
  record_t *r = data;
  if (env == NULL || atomic_load(&ch->closed)) {
    close_fds(r);
    free(r);
    return;
  }
  napi_value undefined, fn, result;
  napi_get_undefined(env, &undefined);
  if (r->is_close) {
    atomic_store(&ch->closed, true); /* onClose is the last call */
    napi_value err;
    napi_create_int32(env, r->err, &err);
    if (napi_get_reference_value(env, ch->on_close, &fn) == napi_ok) napi_call_function(env, undefined, fn, 1, &err, &result);
    free(r);
    return;
  }
  napi_value args[3], ab;
  void *copy;
  napi_create_arraybuffer(env, r->len, &copy, &ab);
  memcpy(copy, r->bytes, r->len);
  napi_create_typedarray(env, napi_uint8_array, r->len, ab, 0, &args[0]);
  napi_create_array_with_length(env, (size_t)r->nfds, &args[1]);
  for (int i = 0; i < r->nfds; i++) {
    napi_value v;
    napi_create_int32(env, r->fds[i], &v);
    napi_set_element(env, args[1], (uint32_t)i, v);
  }
  napi_get_boolean(env, r->truncated, &args[2]);
  free(r); /* the fds now belong to the callback */
  if (napi_get_reference_value(env, ch->on_message, &fn) == napi_ok) napi_call_function(env, undefined, fn, 3, args, &result);
}

/* Joins the reader (it has stopped, or is about to) and closes what it used. JS thread only. */
static void stop_reader(channel_t *ch) {
  if (!ch->reader_started) return;
  atomic_store(&ch->closed, true);
  uint64_t one = 1;
  ssize_t w = write(ch->wake_fd, &one, sizeof one);
  (void)w; /* an eventfd write only fails on overflow, which still leaves it readable */
  pthread_join(ch->reader, NULL);
  ch->reader_started = false;
  close(ch->fd);
  close(ch->wake_fd);
  ch->fd = ch->wake_fd = -1;
}

static void drop_owner(napi_env env, channel_t *ch) {
  if (--ch->owners > 0) return;
  if (ch->on_message != NULL) napi_delete_reference(env, ch->on_message);
  if (ch->on_close != NULL) napi_delete_reference(env, ch->on_close);
  free(ch);
}

static void finalize_function(napi_env env, void *data, void *hint) {
  channel_t *ch = data;
  stop_reader(ch);
  if (ch->fd >= 0) close(ch->fd); /* the reader never started */
  if (ch->wake_fd >= 0) close(ch->wake_fd);
  ch->fd = ch->wake_fd = -1;
  drop_owner(env, ch);
}

static void finalize_handle(napi_env env, void *data, void *hint) {
  drop_owner(env, data);
}

static channel_t *channel_of(napi_env env, napi_callback_info info) {
  napi_value self;
  void *data = NULL;
  if (napi_get_cb_info(env, info, NULL, NULL, &self, NULL) != napi_ok) return NULL;
  if (napi_unwrap(env, self, &data) != napi_ok) return NULL;
  return data;
}

/* Stops the reader; idempotent. Nothing is delivered after it returns. */
static napi_value channel_close_js(napi_env env, napi_callback_info info) {
  channel_t *ch = channel_of(env, info);
  if (ch != NULL) stop_reader(ch);
  return NULL;
}

/* ref/unref: whether an open channel keeps the event loop alive (it does by default). */
static napi_value channel_ref_js(napi_env env, napi_callback_info info) {
  channel_t *ch = channel_of(env, info);
  if (ch != NULL && ch->reader_started) napi_ref_threadsafe_function(env, ch->tsfn);
  return NULL;
}

static napi_value channel_unref_js(napi_env env, napi_callback_info info) {
  channel_t *ch = channel_of(env, info);
  if (ch != NULL && ch->reader_started) napi_unref_threadsafe_function(env, ch->tsfn);
  return NULL;
}

napi_value open_channel_js(napi_env env, napi_callback_info info) {
  static const char *fn = "openChannel";
  GET_ARGS(4);
  int sock;
  uint64_t max_bytes = 65536;
  if (!arg_fd(env, fn, "socketFd", argv[0], &sock)) return NULL;
  napi_valuetype t;
  for (int i = 1; i <= 2; i++) {
    napi_typeof(env, argv[i], &t);
    if (t != napi_function) return throw_type_error(env, fn, "%s must be a function", i == 1 ? "onMessage" : "onClose");
  }
  napi_typeof(env, argv[3], &t);
  if (t != napi_undefined && !arg_size(env, fn, "maxBytes", argv[3], 1 << 24, &max_bytes)) return NULL;

  channel_t *ch = calloc(1, sizeof *ch);
  if (ch == NULL) return throw_syscall_error(env, "calloc", ENOMEM);
  ch->max_bytes = (size_t)max_bytes;
  ch->fd = fcntl(sock, F_DUPFD_CLOEXEC, 0);
  if (ch->fd < 0) { int e = errno; free(ch); return throw_syscall_error(env, "dup", e); }
  ch->wake_fd = eventfd(0, EFD_CLOEXEC);
  if (ch->wake_fd < 0) { int e = errno; close(ch->fd); free(ch); return throw_syscall_error(env, "eventfd", e); }
  napi_create_reference(env, argv[1], 1, &ch->on_message);
  napi_create_reference(env, argv[2], 1, &ch->on_close);

  napi_value name;
  napi_create_string_utf8(env, "parallax-channel", NAPI_AUTO_LENGTH, &name);
  ch->owners = 1; /* the threadsafe function; the handle becomes the second below */
  napi_status s = napi_create_threadsafe_function(env, NULL, NULL, name, 0, 1, ch, finalize_function, ch, call_js, &ch->tsfn);
  if (s != napi_ok) {
    finalize_function(env, ch, NULL);
    return throw_napi_failure(env, fn, "napi_create_threadsafe_function", s);
  }
  int err = pthread_create(&ch->reader, NULL, reader_main, ch);
  if (err != 0) {
    napi_release_threadsafe_function(ch->tsfn, napi_tsfn_abort); /* its finalizer frees ch */
    return throw_syscall_error(env, "pthread_create", err);
  }
  ch->reader_started = true;

  napi_value handle, f;
  napi_create_object(env, &handle);
  ch->owners++;
  napi_wrap(env, handle, ch, finalize_handle, NULL, NULL);
  static const struct { const char *name; napi_callback cb; } methods[] = {
    {"close", channel_close_js}, {"ref", channel_ref_js}, {"unref", channel_unref_js}};
  for (size_t i = 0; i < sizeof methods / sizeof methods[0]; i++) {
    napi_create_function(env, methods[i].name, NAPI_AUTO_LENGTH, methods[i].cb, NULL, &f);
    napi_set_named_property(env, handle, methods[i].name, f);
  }
  return handle;
}
