/*
 * parallax-helper's entry and event loop.
 *
 * Started by the supervisor (src/isolation/helper-client.ts) with a connected SOCK_SEQPACKET
 * socket on fd 3. One poll() waits on: the control socket, a signalfd for SIGCHLD, and the stdout
 * and stderr pipes of every child. No timers: every wake-up is a request, an exit or output.
 *
 * Why signalfd and not pidfd_open: both are event-driven, but valgrind (which the tests run the
 * helper under) does not know pidfd_open. A pid-reuse race cannot happen either way, because only
 * this loop reaps, so a pid stays in the child table until its zombie is collected here.
 *
 * The helper never outlives the supervisor: when the control socket reaches EOF or errors (the
 * supervisor exited or was killed, which closes its end), it kills and reaps every child and exits.
 * That is the one mechanism; PR_SET_PDEATHSIG is not used for the helper because it fires when
 * the *thread* that spawned us exits, which in Node may be any worker thread. Children do use
 * PR_SET_PDEATHSIG (the helper is single-threaded), so a helper killed by SIGKILL takes them along.
 */
#include "helper.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <unistd.h>

/* Room for every fd a SPAWN may bring, and one more to detect too many. */
#define RECV_FDS (SPAWN_MAX_FDS + 1)

static uint8_t record[MAX_RECORD + 1];
static int signal_fd = -1;

static void close_all(const int *fds, int n) {
  for (int i = 0; i < n; i++) close(fds[i]);
}

static void handle_hello(uint32_t id, reader_t *r) {
  uint32_t version = rd_u32(r);
  if (r->bad || r->off != r->len) {
    reply_error(id, EPROTO, "HELLO: the payload must be exactly a u32 version");
    return;
  }
  if (version != PROTOCOL_VERSION) {
    reply_error(id, EPROTONOSUPPORT, "HELLO: protocol version %u is not supported; this helper speaks %u", version,
                PROTOCOL_VERSION);
    return;
  }
  static writer_t w;
  reply_begin(&w, id);
  wr_u32(&w, PROTOCOL_VERSION);
  wr_u32(&w, (uint32_t)landlock_abi());
  wr_i32(&w, (int32_t)getpid());
  wr_send(&w, NULL, 0);
}

static void shutdown_and_exit(uint32_t id) {
  children_kill_all();
  if (id != 0) {
    static writer_t w;
    reply_begin(&w, id);
    wr_send(&w, NULL, 0);
  }
  close(control_fd);
  close(devnull_fd);
  close(signal_fd);
  exit(0);
}

/* Reads one record and acts on it. Every path closes the fds the record brought, or hands them on. */
static void receive(void) {
  struct iovec iov = {.iov_base = record, .iov_len = sizeof record};
  union {
    char buf[CMSG_SPACE(sizeof(int) * RECV_FDS)];
    struct cmsghdr align;
  } control;
  struct msghdr msg = {.msg_iov = &iov, .msg_iovlen = 1, .msg_control = control.buf, .msg_controllen = sizeof control.buf};
  ssize_t n = recvmsg(control_fd, &msg, MSG_CMSG_CLOEXEC | MSG_DONTWAIT);
  if (n < 0 && (errno == EINTR || errno == EAGAIN)) return;
  int fds[RECV_FDS + 8];
  int nfds = 0;
  for (struct cmsghdr *c = CMSG_FIRSTHDR(&msg); n >= 0 && c != NULL; c = CMSG_NXTHDR(&msg, c)) {
    if (c->cmsg_level != SOL_SOCKET || c->cmsg_type != SCM_RIGHTS) continue;
    size_t count = (c->cmsg_len - CMSG_LEN(0)) / sizeof(int);
    for (size_t i = 0; i < count; i++) {
      int fd;
      memcpy(&fd, CMSG_DATA(c) + i * sizeof(int), sizeof fd);
      if (nfds < (int)(sizeof fds / sizeof fds[0])) fds[nfds++] = fd;
      else close(fd);
    }
  }
  if (n <= 0) { /* EOF or error: the supervisor is gone */
    close_all(fds, nfds);
    control_lost = true;
    return;
  }
  if (n < (ssize_t)HEADER_BYTES) {
    close_all(fds, nfds);
    reply_error(0, EPROTO, "a record of %zd bytes is shorter than the 12-byte header", n);
    return;
  }
  reader_t h = {.p = record, .len = (size_t)n};
  uint32_t type = rd_u32(&h), id = rd_u32(&h), length = rd_u32(&h);
  if ((msg.msg_flags & MSG_TRUNC) || n > (ssize_t)MAX_RECORD) {
    close_all(fds, nfds);
    reply_error(id, EMSGSIZE, "a record is longer than %u bytes", MAX_RECORD);
    return;
  }
  if ((msg.msg_flags & MSG_CTRUNC) || nfds > (int)SPAWN_MAX_FDS) {
    close_all(fds, nfds);
    reply_error(id, EMSGSIZE, "a record carried more than %u fds; all were closed", SPAWN_MAX_FDS);
    return;
  }
  if ((size_t)length != (size_t)n - HEADER_BYTES) {
    close_all(fds, nfds);
    reply_error(id, EPROTO, "the header says %u payload bytes but the record has %zd", length, n - (ssize_t)HEADER_BYTES);
    return;
  }
  if (id == 0) {
    close_all(fds, nfds);
    reply_error(0, EPROTO, "request id 0 is reserved for events");
    return;
  }
  reader_t r = {.p = record + HEADER_BYTES, .len = length};
  if (type != MSG_SPAWN && type != MSG_CREATE_REGION && nfds > 0) {
    close_all(fds, nfds);
    reply_error(id, EPROTO, "a request of type %u carried %d fds; it takes none", type, nfds);
    return;
  }
  switch (type) {
    case MSG_HELLO: handle_hello(id, &r); break;
    case MSG_CREATE_REGION: handle_create_region(id, &r, fds, nfds); break;
    case MSG_SPAWN: handle_spawn(id, &r, fds, nfds); break;
    case MSG_KILL: handle_kill(id, &r); break;
    case MSG_SHUTDOWN: shutdown_and_exit(id); break;
    default: reply_error(id, EPROTO, "unknown request type %u", type); break;
  }
}

static void drain_signalfd(int sfd) {
  struct signalfd_siginfo si;
  while (read(sfd, &si, sizeof si) == (ssize_t)sizeof si) {
  }
}

int main(void) {
  int type = 0;
  socklen_t len = sizeof type;
  if (getsockopt(control_fd, SOL_SOCKET, SO_TYPE, &type, &len) != 0 || type != SOCK_SEQPACKET) {
    fprintf(stderr, "parallax-helper: fd 3 must be a connected AF_UNIX SOCK_SEQPACKET socket (it is started by the Node supervisor)\n");
    return 2;
  }
  fcntl(control_fd, F_SETFD, FD_CLOEXEC); /* children get their own fds, never this one */
  devnull_fd = open("/dev/null", O_RDONLY | O_CLOEXEC);
  if (devnull_fd < 0) {
    perror("parallax-helper: /dev/null");
    return 2;
  }
  sigset_t chld;
  sigemptyset(&chld);
  sigaddset(&chld, SIGCHLD);
  sigprocmask(SIG_BLOCK, &chld, NULL); /* children unblock it before execve */
  int sfd = signal_fd = signalfd(-1, &chld, SFD_NONBLOCK | SFD_CLOEXEC);
  if (sfd < 0) {
    perror("parallax-helper: signalfd");
    return 2;
  }

  struct pollfd *p = NULL;
  size_t cap = 0;
  while (!control_lost) {
    size_t need = 2 + 2 * child_count();
    if (need > cap) {
      struct pollfd *grown = realloc(p, need * sizeof *p);
      if (grown == NULL) break;
      p = grown;
      cap = need;
    }
    p[0] = (struct pollfd){.fd = control_fd, .events = POLLIN};
    p[1] = (struct pollfd){.fd = sfd, .events = POLLIN};
    size_t k = 2;
    for (size_t i = 0; i < child_count(); i++) {
      child_t *c = child_at(i);
      p[k++] = (struct pollfd){.fd = c->out_fd, .events = POLLIN}; /* a negative fd is skipped */
      p[k++] = (struct pollfd){.fd = c->err_fd, .events = POLLIN};
    }
    size_t watched = child_count();
    if (poll(p, k, -1) < 0) {
      if (errno == EINTR) continue;
      break;
    }
    for (size_t i = 0; i < watched && i < child_count(); i++) {
      child_t *c = child_at(i);
      if (p[2 + 2 * i].revents != 0) child_forward_output(c, 1);
      if (p[3 + 2 * i].revents != 0) child_forward_output(c, 2);
    }
    if (p[1].revents != 0) {
      drain_signalfd(sfd);
      children_reap();
    }
    if (p[0].revents & POLLIN) receive();
    else if (p[0].revents != 0) control_lost = true;
  }
  free(p);
  shutdown_and_exit(0);
}
