/*
 * Passing fds between processes over a Unix socket (SCM_RIGHTS).
 *
 * socketPair() : [number, number]
 *   A connected AF_UNIX SOCK_SEQPACKET pair, close-on-exec. Node has no public way to get the fd of
 *   a net.Socket, so the addon makes its own sockets; one end can be handed to a child process as
 *   an extra stdio entry (spawn(..., { stdio: ['ignore', 'inherit', 'inherit', fd] }) → fd 3).
 *   SEQPACKET keeps message boundaries, so each sendFds arrives as exactly one recvFds.
 *
 * sendFds(socketFd, fds: number[], bytes: ArrayBufferView | ArrayBuffer, nonBlocking = false)
 *   : number (bytes sent, or -1 when nonBlocking and the socket is full)
 *   Sends `bytes` (at least 1: fds travel with a data message) and a copy of each fd in `fds`
 *   (at most 253, the kernel's SCM_MAX_FD). The caller still owns and must close its own fds.
 *
 * recvFds(socketFd, maxFds, maxBytes = 4096, nonBlocking = false) : { bytes: Buffer, fds: number[] } | null
 *   Receives one message. Received fds are close-on-exec and owned by the caller. An empty `bytes`
 *   means the peer closed the socket. A message with more fds than maxFds, or more bytes than
 *   maxBytes, is an error, and every fd it brought is closed: nothing leaks from a hostile peer.
 *   With nonBlocking, null means no message is queued (EAGAIN).
 *
 * Both block when the socket is blocking (the sockets from socketPair are) unless nonBlocking is
 * true (MSG_DONTWAIT, per call: the socket's own mode is not changed, so the peer and other users
 * of the same socket are not affected). Why the non-blocking forms: a process link's consumer
 * reads a region announcement on the event loop and must never wait for a hostile producer's
 * message, and a producer must never block on a consumer that stopped reading.
 *
 * memfdSeals(fd) : number
 *   The fd's seals (F_GET_SEALS: F_SEAL_SEAL 1, SHRINK 2, GROW 4, WRITE 8, FUTURE_WRITE 16), or -1
 *   when the fd cannot carry seals (not a memfd). A consumer checks a received region with it: a
 *   region its producer could still shrink would fault (SIGBUS) a reader of the mapping.
 */
#include "addon.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <sys/socket.h>
#include <unistd.h>

#define MAX_FDS 253 /* SCM_MAX_FD */

/* An optional boolean argument: undefined is `false`. */
static bool arg_optional_bool(napi_env env, const char *fn, const char *name, napi_value v, bool *out) {
  napi_valuetype t;
  napi_typeof(env, v, &t);
  if (t == napi_undefined) return true;
  if (t != napi_boolean) {
    throw_type_error(env, fn, "%s must be a boolean or undefined", name);
    return false;
  }
  napi_get_value_bool(env, v, out);
  return true;
}

napi_value socket_pair_js(napi_env env, napi_callback_info info) {
  int sv[2];
  if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv) != 0)
    return throw_syscall_error(env, "socketpair", errno);
  napi_value result, v;
  napi_create_array_with_length(env, 2, &result);
  for (uint32_t i = 0; i < 2; i++) {
    napi_create_int32(env, sv[i], &v);
    napi_set_element(env, result, i, v);
  }
  return result;
}

napi_value send_fds_js(napi_env env, napi_callback_info info) {
  static const char *fn = "sendFds";
  GET_ARGS(4);
  int sock;
  if (!arg_fd(env, fn, "socketFd", argv[0], &sock)) return NULL;
  bool is_array = false;
  napi_is_array(env, argv[1], &is_array);
  if (!is_array) return throw_type_error(env, fn, "fds must be an array of file descriptors");
  uint32_t count;
  napi_get_array_length(env, argv[1], &count);
  if (count > MAX_FDS) return throw_range_error(env, fn, "fds has %u entries; at most %d", count, MAX_FDS);
  int fds[MAX_FDS];
  for (uint32_t i = 0; i < count; i++) {
    napi_value v;
    char name[16];
    snprintf(name, sizeof name, "fds[%u]", i);
    napi_get_element(env, argv[1], i, &v);
    if (!arg_fd(env, fn, name, v, &fds[i])) return NULL;
  }
  void *data;
  size_t len;
  if (!arg_bytes(env, fn, "bytes", argv[2], &data, &len)) return NULL;
  if (len == 0) return throw_range_error(env, fn, "bytes must hold at least 1 byte: fds travel with a data message");
  bool non_blocking = false;
  if (!arg_optional_bool(env, fn, "nonBlocking", argv[3], &non_blocking)) return NULL;

  struct iovec iov = {.iov_base = data, .iov_len = len};
  union { /* aligned storage for the control message */
    char buf[CMSG_SPACE(sizeof(int) * MAX_FDS)];
    struct cmsghdr align;
  } control;
  struct msghdr msg = {.msg_iov = &iov, .msg_iovlen = 1};
  if (count > 0) {
    memset(&control, 0, sizeof control);
    msg.msg_control = control.buf;
    msg.msg_controllen = CMSG_SPACE(sizeof(int) * count);
    struct cmsghdr *c = CMSG_FIRSTHDR(&msg);
    c->cmsg_level = SOL_SOCKET;
    c->cmsg_type = SCM_RIGHTS;
    c->cmsg_len = CMSG_LEN(sizeof(int) * count);
    memcpy(CMSG_DATA(c), fds, sizeof(int) * count);
  }
  ssize_t sent;
  do sent = sendmsg(sock, &msg, MSG_NOSIGNAL | (non_blocking ? MSG_DONTWAIT : 0));
  while (sent < 0 && errno == EINTR);
  if (sent < 0 && non_blocking && (errno == EAGAIN || errno == EWOULDBLOCK)) sent = -1;
  else if (sent < 0) return throw_syscall_error(env, "sendmsg", errno);
  napi_value result;
  napi_create_int64(env, sent, &result);
  return result;
}

static void close_received(struct msghdr *msg) {
  for (struct cmsghdr *c = CMSG_FIRSTHDR(msg); c != NULL; c = CMSG_NXTHDR(msg, c)) {
    if (c->cmsg_level != SOL_SOCKET || c->cmsg_type != SCM_RIGHTS) continue;
    size_t n = (c->cmsg_len - CMSG_LEN(0)) / sizeof(int);
    for (size_t i = 0; i < n; i++) {
      int fd;
      memcpy(&fd, CMSG_DATA(c) + i * sizeof(int), sizeof fd);
      close(fd);
    }
  }
}

napi_value recv_fds_js(napi_env env, napi_callback_info info) {
  static const char *fn = "recvFds";
  GET_ARGS(4);
  int sock;
  uint64_t max_fds, max_bytes = 4096;
  if (!arg_fd(env, fn, "socketFd", argv[0], &sock)) return NULL;
  if (!arg_size(env, fn, "maxFds", argv[1], MAX_FDS, &max_fds)) return NULL;
  napi_valuetype t;
  napi_typeof(env, argv[2], &t);
  if (t != napi_undefined && !arg_size(env, fn, "maxBytes", argv[2], 1 << 24, &max_bytes)) return NULL;
  bool non_blocking = false;
  if (!arg_optional_bool(env, fn, "nonBlocking", argv[3], &non_blocking)) return NULL;

  void *data = malloc(max_bytes);
  if (data == NULL) return throw_syscall_error(env, "malloc", ENOMEM);
  struct iovec iov = {.iov_base = data, .iov_len = max_bytes};
  union {
    char buf[CMSG_SPACE(sizeof(int) * MAX_FDS)];
    struct cmsghdr align;
  } control;
  struct msghdr msg = {.msg_iov = &iov, .msg_iovlen = 1, .msg_control = control.buf,
                       .msg_controllen = CMSG_SPACE(sizeof(int) * max_fds)};
  ssize_t got;
  do got = recvmsg(sock, &msg, MSG_CMSG_CLOEXEC | (non_blocking ? MSG_DONTWAIT : 0));
  while (got < 0 && errno == EINTR);
  if (got < 0) {
    int err = errno;
    free(data);
    if (non_blocking && (err == EAGAIN || err == EWOULDBLOCK)) {
      napi_value none;
      napi_get_null(env, &none);
      return none;
    }
    return throw_syscall_error(env, "recvmsg", err);
  }
  if (msg.msg_flags & (MSG_CTRUNC | MSG_TRUNC)) {
    close_received(&msg);
    free(data);
    return throw_range_error(env, fn, (msg.msg_flags & MSG_CTRUNC)
                                          ? "the message carried more than maxFds (%llu) fds; all of them were closed"
                                          : "the message was longer than maxBytes (%llu); its fds were closed",
                             (unsigned long long)((msg.msg_flags & MSG_CTRUNC) ? max_fds : max_bytes));
  }

  napi_value result, bytes, fds, v;
  if (napi_create_buffer_copy(env, (size_t)got, data, NULL, &bytes) != napi_ok) {
    close_received(&msg);
    free(data);
    return throw_napi_failure(env, fn, "napi_create_buffer_copy", napi_generic_failure);
  }
  free(data);
  napi_create_array(env, &fds);
  uint32_t n_out = 0;
  for (struct cmsghdr *c = CMSG_FIRSTHDR(&msg); c != NULL; c = CMSG_NXTHDR(&msg, c)) {
    if (c->cmsg_level != SOL_SOCKET || c->cmsg_type != SCM_RIGHTS) continue;
    size_t n = (c->cmsg_len - CMSG_LEN(0)) / sizeof(int);
    for (size_t i = 0; i < n; i++) {
      int fd;
      memcpy(&fd, CMSG_DATA(c) + i * sizeof(int), sizeof fd);
      napi_create_int32(env, fd, &v);
      napi_set_element(env, fds, n_out++, v);
    }
  }
  napi_create_object(env, &result);
  napi_set_named_property(env, result, "bytes", bytes);
  napi_set_named_property(env, result, "fds", fds);
  return result;
}

napi_value memfd_seals_js(napi_env env, napi_callback_info info) {
  static const char *fn = "memfdSeals";
  GET_ARGS(1);
  int fd;
  if (!arg_fd(env, fn, "fd", argv[0], &fd)) return NULL;
  int seals = fcntl(fd, F_GET_SEALS);
  if (seals < 0 && errno != EINVAL) return throw_syscall_error(env, "fcntl(F_GET_SEALS)", errno);
  napi_value result;
  napi_create_int32(env, seals < 0 ? -1 : seals, &result);
  return result;
}
