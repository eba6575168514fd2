/*
 * SPAWN: parse the request, clone the child, place its fds, and learn whether its setup worked.
 *
 * The child reports a failed step (errno and the step's name) through a close-on-exec pipe and
 * exits 127; a successful execve closes the pipe with nothing written. So the reply can say
 * exactly which layer failed ("SPAWN: mount /proc: Operation not permitted") and a reply of ok
 * means the runtime binary is running, inside every layer asked for.
 *
 * With namespaces the clone creates new user, pid, mount, net, ipc, uts and cgroup namespaces at
 * once. Its first process is init.c (pid 1), which builds the root and forks the host (pid 2),
 * and the host applies the last layers (sandbox.c) and execs. Without namespaces the child is
 * the host. Layer order: namespaces → root → fds → rlimits → no_new_privs → Landlock → seccomp
 * → execve; the element's code runs only after all of them.
 */
#include "helper.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

int devnull_fd = -1;

typedef struct {
  uint32_t flags;
  char **argv, **envp, **paths;
  uint32_t argc, envc, npaths;
  uint64_t as_bytes, nofile, cpu_seconds, nproc;
} request_t;

_Noreturn void child_fail(int report_fd, const char *what) {
  int err = errno;
  char buf[4 + 512];
  size_t n = strlen(what);
  if (n > 512) n = 512;
  memcpy(buf, &err, 4);
  memcpy(buf + 4, what, n);
  ssize_t w = write(report_fd, buf, 4 + n);
  (void)w; /* nothing more can be done from here */
  _exit(127);
}

static void close_from(int lowest) {
  if (syscall(SYS_close_range, (unsigned)lowest, ~0u, 0) == 0) return;
  long max = sysconf(_SC_OPEN_MAX);
  for (long fd = lowest; fd < (max > 0 && max < 65536 ? max : 65536); fd++) close((int)fd);
}

/* Places the child's fds: 0 /dev/null, 1 and 2 the output pipes, 3… the request's fds, then the
 * report pipe (and init's status pipe) close-on-exec just above them; closes everything else. */
static void place_fds(int *report, int *status, int out_w, int err_w, const int *fds, int nfds) {
  int base = 3 + nfds, high = base + 2;
  int t_null = fcntl(devnull_fd, F_DUPFD_CLOEXEC, high), t_out = fcntl(out_w, F_DUPFD_CLOEXEC, high);
  int t_err = fcntl(err_w, F_DUPFD_CLOEXEC, high), t_rep = fcntl(*report, F_DUPFD_CLOEXEC, high);
  int t_st = *status >= 0 ? fcntl(*status, F_DUPFD_CLOEXEC, high) : -1;
  int t_fds[SPAWN_MAX_FDS];
  bool ok = t_null >= 0 && t_out >= 0 && t_err >= 0 && t_rep >= 0 && (*status < 0 || t_st >= 0);
  for (int i = 0; i < nfds; i++) ok = (t_fds[i] = fcntl(fds[i], F_DUPFD_CLOEXEC, high)) >= 0 && ok;
  if (!ok) child_fail(*report, "placing fds: fcntl(F_DUPFD_CLOEXEC)");
  if (dup3(t_rep, base, O_CLOEXEC) < 0) child_fail(t_rep, "placing fds: dup3");
  *report = base;
  if (t_st >= 0) {
    if (dup3(t_st, base + 1, O_CLOEXEC) < 0) child_fail(*report, "placing fds: dup3");
    *status = base + 1;
  }
  if (dup2(t_null, 0) < 0 || dup2(t_out, 1) < 0 || dup2(t_err, 2) < 0) child_fail(*report, "placing fds: dup2 (stdio)");
  for (int i = 0; i < nfds; i++)
    if (dup2(t_fds[i], 3 + i) < 0) child_fail(*report, "placing fds: dup2");
  close_from(high);
}

static _Noreturn void exec_host(const request_t *q, int report, bool landlock) {
  sandbox_t s = {.as_bytes = q->as_bytes, .nofile = q->nofile, .cpu_seconds = q->cpu_seconds,
                 .nproc = (q->flags & SPAWN_NAMESPACES) ? q->nproc : 0, /* per user: only safe in our own user namespace */
                 .landlock = landlock, .paths = q->paths, .npaths = q->npaths};
  const char *what = NULL;
  if ((q->flags & SPAWN_SANDBOX) && sandbox_apply(&s, &what) != 0) child_fail(report, what);
  execve(q->argv[0], q->argv, q->envp);
  static char msg[SPAWN_MAX_STRING + 16];
  snprintf(msg, sizeof msg, "execve %s", q->argv[0]);
  child_fail(report, msg);
}

static _Noreturn void child_main(const request_t *q, int pipes[4][2], const int *fds, int nfds, uid_t uid, gid_t gid,
                                 bool landlock) {
  sigset_t set;
  sigemptyset(&set);
  sigprocmask(SIG_SETMASK, &set, NULL);
  int report = pipes[2][1], status = pipes[3][1];
  for (int i = 0; i < 4; i++)
    if (pipes[i][0] >= 0) close(pipes[i][0]);
  /* Die with the helper. If it died before this line, the report pipe has no reader left. */
  if (prctl(PR_SET_PDEATHSIG, SIGKILL) != 0) child_fail(report, "prctl(PR_SET_PDEATHSIG)");
  struct pollfd alive = {.fd = report, .events = POLLOUT};
  if (poll(&alive, 1, 0) == 1 && (alive.revents & POLLERR)) _exit(127);
  place_fds(&report, &status, pipes[0][1], pipes[1][1], fds, nfds);

  if (!(q->flags & SPAWN_NAMESPACES)) exec_host(q, report, landlock);

  const char *what = NULL;
  if (userns_map_self(uid, gid, &what) != 0 || rootfs_enter(q->paths, q->npaths, &what) != 0) child_fail(report, what);
  sigfillset(&set);
  sigprocmask(SIG_SETMASK, &set, NULL); /* init.c takes signals with sigwaitinfo */
  pid_t host = fork();
  if (host < 0) child_fail(report, "fork (the host inside the pid namespace)");
  if (host == 0) {
    sigemptyset(&set);
    sigprocmask(SIG_SETMASK, &set, NULL);
    close(status);
    exec_host(q, report, landlock);
  }
  /* init keeps only the status pipe: the host's fds, stdio and the report pipe are the host's. */
  close_from(status + 1);
  for (int fd = 0; fd < status; fd++) close(fd);
  init_run(host, status);
}

static void close_pipes(int pipes[4][2]) {
  for (int i = 0; i < 4; i++)
    for (int j = 0; j < 2; j++)
      if (pipes[i][j] >= 0) close(pipes[i][j]);
}

/* Clones and waits for the child's setup to succeed (the report pipe closes empty) or fail. */
static void spawn(uint32_t id, const request_t *q, const int *fds, int nfds) {
  bool ns = (q->flags & SPAWN_NAMESPACES) != 0;
  bool landlock = (q->flags & SPAWN_LANDLOCK) && landlock_abi() > 0;
  int pipes[4][2] = {{-1, -1}, {-1, -1}, {-1, -1}, {-1, -1}}; /* stdout, stderr, report, init's status */
  for (int i = 0; i < (ns ? 4 : 3); i++) {
    if (pipe2(pipes[i], O_CLOEXEC) != 0) {
      int err = errno;
      close_pipes(pipes);
      reply_error(id, err, "SPAWN: pipe2: %s", strerror(err));
      return;
    }
  }
  uid_t uid = geteuid();
  gid_t gid = getegid();
  static const unsigned long ns_flags =
      CLONE_NEWUSER | CLONE_NEWPID | CLONE_NEWNS | CLONE_NEWNET | CLONE_NEWIPC | CLONE_NEWUTS | CLONE_NEWCGROUP;
  pid_t pid = ns ? (pid_t)syscall(SYS_clone, ns_flags | SIGCHLD, NULL, NULL, NULL, NULL) : fork();
  if (pid < 0) {
    int err = errno;
    close_pipes(pipes);
    reply_error(id, err, "SPAWN: %s: %s", ns ? "clone(CLONE_NEWUSER|CLONE_NEWPID|CLONE_NEWNS|CLONE_NEWNET|CLONE_NEWIPC)" : "fork",
                strerror(err));
    return;
  }
  if (pid == 0) child_main(q, pipes, fds, nfds, uid, gid, landlock);

  for (int i = 0; i < 4; i++)
    if (pipes[i][1] >= 0) close(pipes[i][1]), pipes[i][1] = -1;
  char report[4 + 513];
  size_t got = 0;
  for (;;) {
    ssize_t n = read(pipes[2][0], report + got, sizeof report - 1 - got);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    got += (size_t)n;
    if (got == sizeof report - 1) break;
  }
  if (got > 0) {
    int err = 0;
    if (got >= 4) memcpy(&err, report, 4);
    report[got] = 0;
    kill(pid, SIGKILL);
    while (waitpid(pid, NULL, 0) < 0 && errno == EINTR) {
    }
    close_pipes(pipes);
    reply_error(id, err, "SPAWN: %s: %s", got > 4 ? report + 4 : "setup", strerror(err));
    return;
  }
  close(pipes[2][0]);
  for (int i = 0; i < 4; i++)
    if (i != 2 && pipes[i][0] >= 0) fcntl(pipes[i][0], F_SETFL, O_NONBLOCK);
  if (!child_add(pid, pipes[0][0], pipes[1][0], pipes[3][0])) {
    kill(pid, SIGKILL);
    while (waitpid(pid, NULL, 0) < 0 && errno == EINTR) {
    }
    pipes[2][0] = -1;
    close_pipes(pipes);
    reply_error(id, EAGAIN, "SPAWN: the helper already has its maximum of children");
    return;
  }
  static writer_t w;
  reply_begin(&w, id);
  wr_i32(&w, pid);
  wr_u32(&w, (landlock ? SPAWN_APPLIED_LANDLOCK : 0) | (ns ? SPAWN_APPLIED_NAMESPACES : 0) |
                 ((q->flags & SPAWN_SANDBOX) ? SPAWN_APPLIED_SECCOMP : 0));
  wr_send(&w, NULL, 0);
}

static char **read_strings(reader_t *r, uint32_t n, size_t max) {
  char **v = calloc((size_t)n + 1, sizeof *v);
  if (v == NULL) {
    r->bad = true;
    return NULL;
  }
  for (uint32_t i = 0; i < n && !r->bad; i++) v[i] = rd_string(r, max);
  return v;
}

static void free_strings(char **v) {
  if (v == NULL) return;
  for (char **p = v; *p != NULL; p++) free(*p);
  free(v);
}

/* An absolute path without "." or ".." components: it is mirrored under the new root. */
static bool clean_absolute(const char *p) {
  if (p[0] != '/') return false;
  for (const char *c = p; *c; c++) {
    if (c[0] != '/') continue;
    if (c[1] == '.' && (c[2] == '/' || c[2] == 0)) return false;
    if (c[1] == '.' && c[2] == '.' && (c[3] == '/' || c[3] == 0)) return false;
  }
  return true;
}

void handle_spawn(uint32_t id, reader_t *r, int *fds, int nfds) {
  request_t q = {0};
  q.flags = rd_u32(r);
  q.argc = rd_u32(r);
  q.envc = rd_u32(r);
  q.npaths = rd_u32(r);
  q.as_bytes = rd_u64(r);
  q.nofile = rd_u64(r);
  q.cpu_seconds = rd_u64(r);
  q.nproc = rd_u64(r);
  const char *bad = NULL;
  int err = EINVAL;
  if (r->bad) bad = "the payload is shorter than its 48-byte fixed part", err = EPROTO;
  else if (q.flags & ~SPAWN_KNOWN_FLAGS) bad = "unknown flags";
  else if ((q.flags & (SPAWN_NAMESPACES | SPAWN_LANDLOCK)) && !(q.flags & SPAWN_SANDBOX)) bad = "namespaces and Landlock need the sandbox flag";
  else if (q.argc < 1 || q.argc > SPAWN_MAX_ARGS) bad = "argc must be 1 to 256";
  else if (q.envc > SPAWN_MAX_ENV) bad = "envc must be at most 1024";
  else if (q.npaths > SPAWN_MAX_PATHS) bad = "npaths must be at most 64";
  else if (nfds > (int)SPAWN_MAX_FDS) bad = "more than 64 fds";
  if (bad == NULL) {
    q.argv = read_strings(r, q.argc, SPAWN_MAX_STRING);
    q.envp = read_strings(r, q.envc, SPAWN_MAX_STRING);
    q.paths = read_strings(r, q.npaths, SPAWN_MAX_STRING);
    if (r->bad || r->off != r->len) bad = "the strings do not match argc, envc and npaths, or hold NUL, or are longer than 4096 bytes", err = EPROTO;
    else if (q.argv[0][0] != '/') bad = "argv[0] must be an absolute path";
    for (uint32_t i = 0; bad == NULL && i < q.npaths; i++)
      if (!clean_absolute(q.paths[i])) bad = "paths must be absolute, without . or .. components";
  }
  if (bad != NULL) reply_error(id, err, "SPAWN: %s", bad);
  else spawn(id, &q, fds, nfds);
  for (int i = 0; i < nfds; i++) close(fds[i]); /* the child has its own copies */
  free_strings(q.argv);
  free_strings(q.envp);
  free_strings(q.paths);
}
