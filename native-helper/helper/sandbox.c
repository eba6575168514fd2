/*
 * The last layers, applied by the host process itself just before execve, in this order:
 *
 *   1. rlimits: RLIMIT_AS (address space), RLIMIT_NOFILE, RLIMIT_CPU (soft = hard, so the kernel
 *      sends SIGKILL, not a catchable SIGXCPU), RLIMIT_CORE 0 (a crash writes no core file and
 *      leaks no memory to disk), and, in a user namespace, RLIMIT_NPROC as the thread and fork
 *      bomb guard (it counts per user, and the sandbox's user exists only in its namespace).
 *      soft = hard everywhere, so the host cannot raise them again.
 *   2. PR_SET_NO_NEW_PRIVS: execve can never gain privileges (setuid bits, file capabilities);
 *      Landlock and unprivileged seccomp require it.
 *   3. Landlock (landlock.c), when asked for and the kernel has it.
 *   4. seccomp stage 1 (seccomp.c): the allow-list, which still allows the execve that follows.
 */
#include "helper.h"
#include "seccomp.h"

#include <sys/prctl.h>
#include <sys/resource.h>
#include <unistd.h>

static int limit(int resource, uint64_t value) {
  struct rlimit rl = {.rlim_cur = value, .rlim_max = value};
  return setrlimit(resource, &rl);
}

int sandbox_apply(const sandbox_t *s, const char **what) {
  if (s->as_bytes != 0 && limit(RLIMIT_AS, s->as_bytes) != 0) return *what = "setrlimit(RLIMIT_AS)", -1;
  if (s->nofile != 0 && limit(RLIMIT_NOFILE, s->nofile) != 0) return *what = "setrlimit(RLIMIT_NOFILE)", -1;
  if (s->cpu_seconds != 0 && limit(RLIMIT_CPU, s->cpu_seconds) != 0) return *what = "setrlimit(RLIMIT_CPU)", -1;
  if (s->nproc != 0 && limit(RLIMIT_NPROC, s->nproc) != 0) return *what = "setrlimit(RLIMIT_NPROC)", -1;
  if (limit(RLIMIT_CORE, 0) != 0) return *what = "setrlimit(RLIMIT_CORE)", -1;
  if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0) return *what = "prctl(PR_SET_NO_NEW_PRIVS)", -1;
  if (s->landlock && landlock_apply(s->paths, s->npaths, what) != 0) return -1;
  if (parallax_seccomp_install(PARALLAX_SECCOMP_SPAWN, getpid()) != 0) return *what = "seccomp(SECCOMP_SET_MODE_FILTER)", -1;
  return 0;
}
