/*
 * sandboxLockdown(): undefined
 *
 * The second seccomp stage, which an element host applies to itself once it has loaded its
 * modules and before any element method runs (src/isolation/host/run-host.ts). It stacks
 * PARALLAX_SECCOMP_LOCKDOWN (../helper/seccomp.c: the spawn allow-list without execve, open,
 * socket, socketpair and connect) on every thread of the process, so from then on:
 *   - no file can be opened, for reading or writing (open/openat fail with EPERM; fds the host
 *     already holds keep working);
 *   - no program can be executed and no process created (execve, fork, posix_spawn: EPERM);
 *   - no socket can be created or connected, of any family;
 *   - only the process itself can be signalled.
 * It cannot be undone: a seccomp filter stays for the life of the process. Calling it again
 * stacks the same filter once more, which changes nothing.
 *
 * Never call it in a process that must go on doing any of those things (a supervisor, a test
 * runner): it is for sandboxed hosts. Errors: an Error with code/errno/syscall, as elsewhere.
 */
#include "addon.h"
#include "../helper/seccomp.h"

#include <errno.h>
#include <sys/prctl.h>
#include <unistd.h>

napi_value sandbox_lockdown_js(napi_env env, napi_callback_info info) {
  /* Unprivileged seccomp needs no_new_privs; a spawned host already has it, this makes the call
   * also work in a host started without the helper's sandbox. */
  if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0) return throw_syscall_error(env, "prctl(PR_SET_NO_NEW_PRIVS)", errno);
  if (parallax_seccomp_install(PARALLAX_SECCOMP_LOCKDOWN, getpid()) != 0) return throw_syscall_error(env, "seccomp", errno);
  return NULL;
}
