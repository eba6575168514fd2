/*
 * The seccomp-bpf allow-list (seccomp.h). The program, in order:
 *   1. The architecture must be the one this was built for (x86_64 or aarch64), else the process
 *      is killed: another ABI's syscall numbers would mean other syscalls. On x86_64, x32
 *      numbers are killed too.
 *   2. Syscalls whose arguments matter are checked (clone, socket, kill, prctl, ioctl…).
 *   3. The plain allow-list.
 *   4. Anything else fails with EPERM.
 *
 * Why EPERM and not kill by default: glibc, libuv and V8 probe optional syscalls (clone3,
 * io_uring_setup, rseq, statx…) and fall back when they fail, and Node's fs APIs turn EPERM
 * into an ordinary exception the element can report. Killing on the first unlisted syscall
 * would turn every harmless probe into a crash, and a hostile element gains nothing from an
 * EPERM. The wrong-architecture case stays a kill, because there nothing is harmless.
 */
#include "seccomp.h"

#include <errno.h>
#include <linux/audit.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <sched.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/ioctl.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <unistd.h>

#if defined(__x86_64__)
#define PARALLAX_ARCH AUDIT_ARCH_X86_64
#elif defined(__aarch64__)
#define PARALLAX_ARCH AUDIT_ARCH_AARCH64
#endif

#ifndef PR_SET_VMA
#define PR_SET_VMA 0x53564d41
#endif
#ifndef SECCOMP_FILTER_FLAG_TSYNC
#define SECCOMP_FILTER_FLAG_TSYNC (1UL << 0)
#endif

enum { SPAWN = 1, LOCKDOWN = 2, BOTH = 3 };

/* The plain allow-list. The stage column says where each applies; README.md says why each is here. */
static const struct {
  int nr;
  int stages;
} allowed[] = {
  /* reading and writing fds the host already has */
  {__NR_read, BOTH}, {__NR_write, BOTH}, {__NR_readv, BOTH}, {__NR_writev, BOTH},
  {__NR_pread64, BOTH}, {__NR_pwrite64, BOTH}, {__NR_preadv, BOTH}, {__NR_pwritev, BOTH},
  {__NR_preadv2, BOTH}, {__NR_pwritev2, BOTH}, {__NR_lseek, BOTH}, {__NR_close, BOTH},
  {__NR_close_range, BOTH}, {__NR_dup, BOTH}, {__NR_dup3, BOTH}, {__NR_fcntl, BOTH},
  {__NR_ftruncate, BOTH}, {__NR_fsync, BOTH}, {__NR_fdatasync, BOTH},
  /* metadata: fstat is newfstatat(fd, "", AT_EMPTY_PATH) in glibc, statx in libuv */
  {__NR_fstat, BOTH}, {__NR_newfstatat, BOTH}, {__NR_statx, BOTH}, {__NR_fstatfs, BOTH},
  {__NR_statfs, BOTH}, {__NR_faccessat, BOTH}, {__NR_faccessat2, BOTH}, {__NR_readlinkat, BOTH},
  {__NR_getdents64, BOTH}, {__NR_getcwd, BOTH},
  /* opening files: module loading; gone after lockdown */
  {__NR_openat, SPAWN},
  /* the event loop */
  {__NR_pipe2, BOTH}, {__NR_eventfd2, BOTH}, {__NR_epoll_create1, BOTH}, {__NR_epoll_ctl, BOTH},
  {__NR_epoll_pwait, BOTH}, {__NR_epoll_pwait2, BOTH}, {__NR_ppoll, BOTH}, {__NR_pselect6, BOTH},
  /* memory: V8's heap and JIT, mappings of shared regions */
  {__NR_mmap, BOTH}, {__NR_munmap, BOTH}, {__NR_mprotect, BOTH}, {__NR_mremap, BOTH},
  {__NR_madvise, BOTH}, {__NR_msync, BOTH}, {__NR_mincore, BOTH}, {__NR_brk, BOTH},
  {__NR_membarrier, BOTH}, {__NR_pkey_alloc, BOTH}, {__NR_pkey_free, BOTH}, {__NR_pkey_mprotect, BOTH},
  /* a host's own regions: anonymous memory with a name, no filesystem involved */
  {__NR_memfd_create, BOTH},
  /* threads and their synchronisation (clone itself is checked below) */
  {__NR_futex, BOTH}, {__NR_set_robust_list, BOTH}, {__NR_get_robust_list, BOTH}, {__NR_rseq, BOTH},
  {__NR_set_tid_address, BOTH}, {__NR_exit, BOTH}, {__NR_exit_group, BOTH}, {__NR_wait4, BOTH},
  {__NR_restart_syscall, BOTH}, {__NR_sched_yield, BOTH}, {__NR_sched_getaffinity, BOTH},
  {__NR_sched_getparam, BOTH}, {__NR_sched_getscheduler, BOTH}, {__NR_getcpu, BOTH},
  /* identity, read-only */
  {__NR_getpid, BOTH}, {__NR_gettid, BOTH}, {__NR_getppid, BOTH}, {__NR_getuid, BOTH},
  {__NR_geteuid, BOTH}, {__NR_getgid, BOTH}, {__NR_getegid, BOTH}, {__NR_getresuid, BOTH},
  {__NR_getresgid, BOTH}, {__NR_getgroups, BOTH}, {__NR_capget, BOTH}, {__NR_getrlimit, BOTH},
  /* time, randomness, system facts */
  {__NR_nanosleep, BOTH}, {__NR_clock_nanosleep, BOTH}, {__NR_clock_gettime, BOTH},
  {__NR_clock_getres, BOTH}, {__NR_gettimeofday, BOTH}, {__NR_getrusage, BOTH}, {__NR_sysinfo, BOTH},
  {__NR_uname, BOTH}, {__NR_getrandom, BOTH},
  /* signals of the process itself (kill and tgkill are checked below) */
  {__NR_rt_sigaction, BOTH}, {__NR_rt_sigprocmask, BOTH}, {__NR_rt_sigreturn, BOTH},
  {__NR_sigaltstack, BOTH}, {__NR_rt_sigtimedwait, BOTH},
  /* messages on sockets the host was given (the control socket, fd 3) */
  {__NR_sendmsg, BOTH}, {__NR_recvmsg, BOTH}, {__NR_sendto, BOTH}, {__NR_recvfrom, BOTH},
  {__NR_sendmmsg, BOTH}, {__NR_recvmmsg, BOTH}, {__NR_shutdown, BOTH}, {__NR_getsockopt, BOTH},
  {__NR_setsockopt, BOTH}, {__NR_getsockname, BOTH}, {__NR_getpeername, BOTH},
  /* starting the runtime, and AF_UNIX connections while modules load */
  {__NR_execve, SPAWN}, {__NR_connect, SPAWN},
#ifdef __x86_64__
  /* x86_64's older spellings of the calls above, which glibc and libuv still use */
  {__NR_open, SPAWN}, {__NR_stat, BOTH}, {__NR_lstat, BOTH}, {__NR_access, BOTH},
  {__NR_readlink, BOTH}, {__NR_dup2, BOTH}, {__NR_pipe, BOTH}, {__NR_eventfd, BOTH},
  {__NR_epoll_create, BOTH}, {__NR_epoll_wait, BOTH}, {__NR_poll, BOTH}, {__NR_select, BOTH},
  {__NR_time, BOTH}, {__NR_arch_prctl, BOTH},
#endif
};

#define MAX_INSNS 512
typedef struct {
  struct sock_filter f[MAX_INSNS];
  unsigned n;
} prog_t;

static void emit(prog_t *p, uint16_t code, uint32_t k, uint8_t jt, uint8_t jf) {
  if (p->n < MAX_INSNS) p->f[p->n] = (struct sock_filter){code, jt, jf, k};
  p->n++;
}

#define RET(p, action) emit(p, BPF_RET | BPF_K, action, 0, 0)
#define ALLOW SECCOMP_RET_ALLOW
#define FAIL(err) (SECCOMP_RET_ERRNO | ((err) & SECCOMP_RET_DATA))
#define ARG_LO(i) ((uint32_t)(offsetof(struct seccomp_data, args) + 8 * (i)))     /* little-endian */
#define ARG_HI(i) ((uint32_t)(offsetof(struct seccomp_data, args) + 8 * (i) + 4))

/* `jeq nr` whose false branch skips the block that follows; returns where to patch it. */
static unsigned begin_block(prog_t *p, int nr) {
  emit(p, BPF_JMP | BPF_JEQ | BPF_K, (uint32_t)nr, 0, 0);
  return p->n - 1;
}

static void end_block(prog_t *p, unsigned at) {
  if (at < MAX_INSNS) p->f[at].jf = (uint8_t)(p->n - at - 1);
}

/* nr: allowed when the argument word is one of `values`, else EPERM. */
static void allow_if_one_of(prog_t *p, int nr, uint32_t word, const uint32_t *values, unsigned count) {
  unsigned at = begin_block(p, nr);
  emit(p, BPF_LD | BPF_W | BPF_ABS, word, 0, 0);
  for (unsigned i = 0; i < count; i++) {
    emit(p, BPF_JMP | BPF_JEQ | BPF_K, values[i], 0, 1);
    RET(p, ALLOW);
  }
  RET(p, FAIL(EPERM));
  end_block(p, at);
  emit(p, BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr), 0, 0); /* for what follows */
}

/* nr: allowed when every (word, value) pair matches, else EPERM. */
static void allow_if_all(prog_t *p, int nr, const uint32_t (*pairs)[2], unsigned count) {
  unsigned at = begin_block(p, nr);
  for (unsigned i = 0; i < count; i++) {
    emit(p, BPF_LD | BPF_W | BPF_ABS, pairs[i][0], 0, 0);
    emit(p, BPF_JMP | BPF_JEQ | BPF_K, pairs[i][1], 0, (uint8_t)(2 * (count - i) - 1));
  }
  RET(p, ALLOW);
  RET(p, FAIL(EPERM));
  end_block(p, at);
  emit(p, BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr), 0, 0);
}

static void build(prog_t *p, int stage, pid_t self) {
  emit(p, BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, arch), 0, 0);
  emit(p, BPF_JMP | BPF_JEQ | BPF_K, PARALLAX_ARCH, 1, 0);
  RET(p, SECCOMP_RET_KILL_PROCESS);
  emit(p, BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr), 0, 0);
#ifdef __x86_64__
  emit(p, BPF_JMP | BPF_JSET | BPF_K, 0x40000000u /* __X32_SYSCALL_BIT */, 0, 1);
  RET(p, SECCOMP_RET_KILL_PROCESS);
#endif

  /* clone3 cannot be checked (its flags are behind a pointer): ENOSYS makes glibc use clone. */
  unsigned at = begin_block(p, __NR_clone3);
  RET(p, FAIL(ENOSYS));
  end_block(p, at);
  /* clone: threads only. A new process (fork, vfork, posix_spawn) fails with EPERM. */
  at = begin_block(p, __NR_clone);
  emit(p, BPF_LD | BPF_W | BPF_ABS, ARG_LO(0), 0, 0);
  emit(p, BPF_JMP | BPF_JSET | BPF_K, CLONE_THREAD, 0, 1);
  RET(p, ALLOW);
  RET(p, FAIL(EPERM));
  end_block(p, at);
  emit(p, BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr), 0, 0);
  /* kill, tgkill: only the process itself (abort(), process.kill(process.pid)). */
  const uint32_t me[] = {(uint32_t)self};
  allow_if_one_of(p, __NR_kill, ARG_LO(0), me, 1);
  allow_if_one_of(p, __NR_tgkill, ARG_LO(0), me, 1);
  /* prlimit64: reading its own limits only; raising them again is not possible. */
  const uint32_t read_own[][2] = {{ARG_LO(0), 0}, {ARG_HI(0), 0}, {ARG_LO(2), 0}, {ARG_HI(2), 0}};
  allow_if_all(p, __NR_prlimit64, read_own, 4);
  /* prctl: thread names, named mappings, and questions about its own sandbox. */
  const uint32_t prctls[] = {PR_SET_NAME, PR_GET_NAME, PR_SET_VMA, PR_GET_DUMPABLE, PR_GET_SECCOMP,
                             PR_SET_NO_NEW_PRIVS, PR_GET_NO_NEW_PRIVS, PR_CAPBSET_READ};
  allow_if_one_of(p, __NR_prctl, ARG_LO(0), prctls, sizeof prctls / sizeof prctls[0]);
  /* ioctl: what isatty, non-blocking and close-on-exec need; nothing that drives a device. */
  const uint32_t ioctls[] = {TCGETS, TIOCGWINSZ, TIOCGPGRP, FIONBIO, FIOCLEX, FIONCLEX, FIONREAD};
  allow_if_one_of(p, __NR_ioctl, ARG_LO(1), ioctls, sizeof ioctls / sizeof ioctls[0]);
  /* seccomp: adding a filter can only take rights away (this is how the lockdown is installed). */
  const uint32_t set_filter[] = {SECCOMP_SET_MODE_FILTER};
  allow_if_one_of(p, __NR_seccomp, ARG_LO(0), set_filter, 1);
  if (stage == PARALLAX_SECCOMP_SPAWN) {
    /* socket, socketpair: AF_UNIX only (the net namespace has no other network anyway). */
    const uint32_t unix_only[] = {AF_UNIX};
    allow_if_one_of(p, __NR_socket, ARG_LO(0), unix_only, 1);
    allow_if_one_of(p, __NR_socketpair, ARG_LO(0), unix_only, 1);
  }

  int bit = stage == PARALLAX_SECCOMP_SPAWN ? SPAWN : LOCKDOWN;
  for (size_t i = 0; i < sizeof allowed / sizeof allowed[0]; i++) {
    if (!(allowed[i].stages & bit)) continue;
    emit(p, BPF_JMP | BPF_JEQ | BPF_K, (uint32_t)allowed[i].nr, 0, 1);
    RET(p, ALLOW);
  }
  RET(p, FAIL(EPERM));
}

int parallax_seccomp_install(int stage, pid_t self) {
#ifndef PARALLAX_ARCH
  (void)stage;
  (void)self;
  errno = EINVAL; /* no allow-list for this architecture: refuse rather than run unfiltered */
  return -1;
#else
  if (stage != PARALLAX_SECCOMP_SPAWN && stage != PARALLAX_SECCOMP_LOCKDOWN) {
    errno = EINVAL;
    return -1;
  }
  static prog_t p;
  p.n = 0;
  build(&p, stage, self);
  if (p.n > MAX_INSNS) {
    errno = E2BIG;
    return -1;
  }
  struct sock_fprog prog = {.len = (unsigned short)p.n, .filter = p.f};
  long r = syscall(__NR_seccomp, SECCOMP_SET_MODE_FILTER, SECCOMP_FILTER_FLAG_TSYNC, &prog);
  if (r > 0) errno = EAGAIN; /* TSYNC: thread r could not take the filter; none did */
  return r == 0 ? 0 : -1;
#endif
}
