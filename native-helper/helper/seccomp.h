/*
 * The seccomp-bpf allow-list of a sandboxed host, in two stages (seccomp.c has the list and the
 * reason for each entry; native-helper/README.md has the same table for readers):
 *
 *   PARALLAX_SECCOMP_SPAWN     installed by the helper just before execve of the runtime: what a
 *                              runtime needs to start and load its modules, including execve
 *                              itself, opening files and AF_UNIX sockets.
 *   PARALLAX_SECCOMP_LOCKDOWN  installed by the host itself (the addon's sandboxLockdown) once its
 *                              modules are loaded: the same list without execve, open, socket,
 *                              socketpair and connect. Stacked on stage 1, so each syscall must
 *                              pass both.
 *
 * Shared by the helper (cc) and the addon (node-gyp), so the list exists once.
 */
#ifndef PARALLAX_SECCOMP_H
#define PARALLAX_SECCOMP_H

#include <sys/types.h>

#define PARALLAX_SECCOMP_SPAWN 1
#define PARALLAX_SECCOMP_LOCKDOWN 2

/* Installs the stage's filter on every thread of the process (TSYNC). `self` is the caller's pid
 * as it sees it: kill and tgkill may target only it. Needs no_new_privs. Returns 0, or -1 with
 * errno (EINVAL for an unknown stage or architecture). */
int parallax_seccomp_install(int stage, pid_t self);

#endif
