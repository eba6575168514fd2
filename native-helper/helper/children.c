/*
 * The helper's children: their output pipes, their exits, KILL, and reaping.
 *
 * A child is in the table from a successful SPAWN until the loop reaps it, and only the loop
 * reaps, so KILL on a pid in the table can never hit a reused pid. On an exit the pipes are
 * drained first, so CHILD_OUTPUT with the last words of a dying host arrives before CHILD_EXIT.
 * With a pid namespace the child is init.c's relay, and the status it reports is the host's own
 * (its exit code, or the signal that killed it) rather than the relay's.
 */
#include "helper.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#define MAX_CHILDREN 1024

static child_t table[MAX_CHILDREN];
static size_t count;

bool child_add(pid_t pid, int out_fd, int err_fd, int status_fd) {
  if (count == MAX_CHILDREN) return false;
  table[count++] = (child_t){.pid = pid, .out_fd = out_fd, .err_fd = err_fd, .status_fd = status_fd};
  return true;
}

size_t child_count(void) {
  return count;
}

child_t *child_at(size_t i) {
  return &table[i];
}

static child_t *find(pid_t pid) {
  for (size_t i = 0; i < count; i++)
    if (table[i].pid == pid) return &table[i];
  return NULL;
}

/* One read; EOF or an error closes the pipe. Returns whether bytes were forwarded. */
static bool forward_once(child_t *c, int which) {
  int *fd = which == 1 ? &c->out_fd : &c->err_fd;
  if (*fd < 0) return false;
  static uint8_t chunk[OUTPUT_CHUNK];
  ssize_t n;
  do n = read(*fd, chunk, sizeof chunk);
  while (n < 0 && errno == EINTR);
  if (n < 0 && errno == EAGAIN) return false;
  if (n <= 0) {
    close(*fd);
    *fd = -1;
    return false;
  }
  static writer_t w;
  wr_begin(&w, MSG_CHILD_OUTPUT, 0);
  wr_i32(&w, c->pid);
  wr_u32(&w, (uint32_t)which);
  wr_bytes(&w, chunk, (size_t)n);
  wr_send(&w, NULL, 0);
  return true;
}

void child_forward_output(child_t *c, int which) {
  forward_once(c, which);
}

/* The status to report: init.c's relay of the host's status when there is one. */
static int reported_status(child_t *c, int status) {
  if (c->status_fd < 0) return status;
  int relayed;
  ssize_t n;
  do n = read(c->status_fd, &relayed, sizeof relayed);
  while (n < 0 && errno == EINTR);
  return n == (ssize_t)sizeof relayed ? relayed : status;
}

static void report_and_forget(size_t i, int status) {
  child_t *c = &table[i];
  /* The process is gone, so everything it wrote is in the pipes: forward it before the exit.
   * The pipes are non-blocking and the drain is bounded, so a descendant that kept a copy
   * cannot stall the loop (what such a descendant writes afterwards is dropped). */
  for (int k = 0; k < 64 && forward_once(c, 1); k++) {
  }
  for (int k = 0; k < 64 && forward_once(c, 2); k++) {
  }
  status = reported_status(c, status);
  static writer_t w;
  wr_begin(&w, MSG_CHILD_EXIT, 0);
  wr_i32(&w, c->pid);
  wr_i32(&w, WIFEXITED(status) ? WEXITSTATUS(status) : -1);
  wr_i32(&w, WIFSIGNALED(status) ? WTERMSIG(status) : 0);
  wr_u32(&w, WIFSIGNALED(status) && WCOREDUMP(status) ? 1u : 0u);
  wr_send(&w, NULL, 0);
  if (c->out_fd >= 0) close(c->out_fd);
  if (c->err_fd >= 0) close(c->err_fd);
  if (c->status_fd >= 0) close(c->status_fd);
  table[i] = table[--count];
}

void children_reap(void) {
  for (;;) {
    int status;
    pid_t pid = waitpid(-1, &status, WNOHANG);
    if (pid <= 0) return;
    for (size_t i = 0; i < count; i++) {
      if (table[i].pid == pid) {
        report_and_forget(i, status);
        break;
      }
    }
  }
}

void handle_kill(uint32_t id, reader_t *r) {
  pid_t pid = rd_i32(r);
  int sig = rd_i32(r);
  if (r->bad || r->off != r->len) {
    reply_error(id, EPROTO, "KILL: the payload must be i32 pid, i32 signal");
    return;
  }
  if (sig < 0 || sig > 64) {
    reply_error(id, EINVAL, "KILL: %d is not a signal number", sig);
    return;
  }
  if (pid <= 0 || find(pid) == NULL) {
    reply_error(id, ESRCH, "KILL: pid %d is not a running child of this helper", pid);
    return;
  }
  if (kill(pid, sig) != 0) {
    reply_error(id, errno, "KILL: kill(%d, %d): %s", pid, sig, strerror(errno));
    return;
  }
  static writer_t w;
  reply_begin(&w, id);
  wr_send(&w, NULL, 0);
}

void children_kill_all(void) {
  for (size_t i = 0; i < count; i++) kill(table[i].pid, SIGKILL);
  while (count > 0) {
    int status;
    pid_t pid = waitpid(table[0].pid, &status, 0);
    if (pid < 0 && errno == EINTR) continue;
    if (pid < 0) status = 0; /* not ours any more (cannot happen): forget it */
    report_and_forget(0, status);
  }
}
