/*
 * pid 1 of a sandbox's pid namespace: a relay between the helper and the host (pid 2).
 *
 * Why not let the host be pid 1: the kernel drops signals to a namespace's init that it has no
 * handler for, from inside the namespace, which makes abort() end in SIGSEGV instead of SIGABRT
 * and lets a host ignore SIGTERM by accident. So this small init holds pid 1 and:
 *   - relays every signal it receives (from the helper's KILL) to the host;
 *   - reaps, and when the host dies, writes the host's wait status to the helper through a pipe,
 *     so CHILD_EXIT reports the host's own exit code or signal, then exits; the kernel then
 *     kills anything left in the namespace.
 * SIGKILL from the helper kills init itself, and with it the whole namespace. The host cannot
 * signal init: the seccomp filter lets it signal only itself, and the kernel ignores SIGKILL to
 * a namespace's init from inside.
 */
#include "helper.h"

#include <errno.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

_Noreturn void init_run(pid_t host, int status_fd) {
  prctl(PR_SET_NAME, "parallax-init");
  prctl(PR_SET_DUMPABLE, 0);
  prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0);
  sigset_t all;
  sigfillset(&all); /* already blocked by the caller, so nothing is lost before this loop */
  for (;;) {
    siginfo_t si;
    int sig = sigwaitinfo(&all, &si);
    if (sig < 0) continue;
    if (sig != SIGCHLD) {
      kill(host, sig);
      continue;
    }
    int status;
    pid_t pid;
    while ((pid = waitpid(-1, &status, WNOHANG)) > 0) {
      if (pid != host) continue;
      ssize_t w;
      do w = write(status_fd, &status, sizeof status);
      while (w < 0 && errno == EINTR);
      _exit(0);
    }
  }
}
