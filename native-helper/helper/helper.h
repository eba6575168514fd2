/*
 * parallax-helper: the process that creates memfd regions and spawns sandboxed element hosts for
 * the Node supervisor (ARCHITECTURE §9, native-helper/README.md). protocol.h is the wire contract;
 * this header lists the helper's parts, one file each:
 *
 *   main.c      the event loop: the control socket, SIGCHLD (signalfd) and children's output
 *   wire.c      bounds-checked reading and writing of records
 *   region.c    CREATE_REGION
 *   spawn.c     SPAWN: parse, clone, place fds, report a failed setup back through a pipe
 *   children.c  the table of children: output pipes, exits, KILL, reaping
 *   init.c      pid 1 of a sandbox's pid namespace, which relays the host's exit status
 *   rootfs.c    user namespace maps and the read-only root (tmpfs + binds + pivot_root)
 *   sandbox.c   the layers applied just before execve: rlimits, no_new_privs, Landlock, seccomp
 *   landlock.c  Landlock
 *   seccomp.c   the seccomp allow-list, shared with the addon's sandboxLockdown (seccomp.h)
 *
 * Single-threaded: everything runs on the loop, so the child table needs no lock, and a child is
 * reaped only by the loop, so a pid in the table can never have been reused.
 */
#ifndef PARALLAX_HELPER_H
#define PARALLAX_HELPER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "protocol.h"

/* wire.c: a reader over one record's payload; any overrun sets `bad` and yields zeros. */
typedef struct {
  const uint8_t *p;
  size_t len, off;
  bool bad;
} reader_t;
uint32_t rd_u32(reader_t *r);
int32_t rd_i32(reader_t *r);
uint64_t rd_u64(reader_t *r);
/* A malloc'd NUL-terminated copy of a string of at most `max` bytes; NULL (and bad) when it does
 * not fit the record, is longer than max, or holds a NUL. */
char *rd_string(reader_t *r, size_t max);

typedef struct {
  uint8_t buf[HEADER_BYTES + OUTPUT_CHUNK + 64];
  size_t len;
  bool overflow;
} writer_t;
void wr_begin(writer_t *w, uint32_t type, uint32_t id);
void wr_u32(writer_t *w, uint32_t v);
void wr_i32(writer_t *w, int32_t v);
void wr_u64(writer_t *w, uint64_t v);
void wr_bytes(writer_t *w, const void *p, size_t n);
void wr_string(writer_t *w, const char *s);
/* Fills in the length and sends; returns false once the supervisor is gone. */
bool wr_send(writer_t *w, const int *fds, int nfds);

/* The control socket (fd 3) and whether the supervisor has gone (a send failed or EOF). */
extern int control_fd;
extern bool control_lost;

/* A reply: ok with a body (the writer, started by reply_begin), or an error. */
void reply_begin(writer_t *w, uint32_t id);
void reply_error(uint32_t id, int err, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

/* region.c */
void handle_create_region(uint32_t id, reader_t *r, const int *fds, int nfds);

/* spawn.c */
void handle_spawn(uint32_t id, reader_t *r, int *fds, int nfds);
extern int devnull_fd;

/* children.c */
typedef struct {
  pid_t pid;
  int out_fd, err_fd; /* read ends of stdout/stderr, -1 once at EOF */
  int status_fd;      /* read end of the relay from init.c, -1 without a pid namespace */
} child_t;
bool child_add(pid_t pid, int out_fd, int err_fd, int status_fd);
size_t child_count(void);
child_t *child_at(size_t i);
void child_forward_output(child_t *c, int which); /* which: 1 or 2; reads once */
void children_reap(void);                         /* after SIGCHLD: reports and forgets the dead */
void handle_kill(uint32_t id, reader_t *r);
void children_kill_all(void);                     /* SIGKILL, then reap every one (blocking) */

/* init.c: becomes pid 1 of the new pid namespace; never returns. */
_Noreturn void init_run(pid_t host, int status_fd);

/* rootfs.c: in the new user and mount namespaces; returns 0, or -1 with errno and `what`. */
int userns_map_self(uid_t uid, gid_t gid, const char **what);
int rootfs_enter(char *const *paths, size_t npaths, const char **what);

/* landlock.c */
int landlock_abi(void); /* 0 when the kernel has no Landlock */
int landlock_apply(char *const *paths, size_t npaths, const char **what);

/* sandbox.c: the last layers before execve, in order. */
typedef struct {
  uint64_t as_bytes, nofile, cpu_seconds, nproc;
  bool landlock;
  char *const *paths;
  size_t npaths;
} sandbox_t;
int sandbox_apply(const sandbox_t *s, const char **what);

/* Child-side failure: sends errno and `what` to the helper through `report_fd`, then exits 127. */
_Noreturn void child_fail(int report_fd, const char *what);

#endif
