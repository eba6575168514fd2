/*
 * Landlock: the host may read and execute the policy's paths and nothing else on the filesystem
 * (plus reading /proc, and /dev/null and /dev/urandom). It is a second, independent wall behind
 * the read-only root: it still holds when namespaces are off, and inside them it stops a host
 * from using anything the mount setup might have let through.
 *
 * The ABI is probed with LANDLOCK_CREATE_RULESET_VERSION and the ruleset handles every right that
 * ABI knows, so a newer kernel denies more, never less. From ABI 4 TCP bind/connect are handled
 * with no rule (denied); from ABI 6 abstract Unix sockets and signals are scoped to the sandbox.
 * A kernel without Landlock (ABI 0) is not an error: the SPAWN reply says it was not applied.
 *
 * The build machine's <linux/landlock.h> may predate some of these, so the constants and the
 * ruleset layout are spelled out here; the kernel accepts the struct size that matches the ABI.
 */
#include "helper.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#ifndef __NR_landlock_create_ruleset
#define __NR_landlock_create_ruleset 444
#define __NR_landlock_add_rule 445
#define __NR_landlock_restrict_self 446
#endif

#define LL_VERSION (1u << 0) /* LANDLOCK_CREATE_RULESET_VERSION */
#define LL_RULE_PATH_BENEATH 1
#define LL_FS_EXECUTE (1ull << 0)
#define LL_FS_WRITE_FILE (1ull << 1)
#define LL_FS_READ_FILE (1ull << 2)
#define LL_FS_READ_DIR (1ull << 3)
#define LL_FS_ABI1 ((1ull << 13) - 1) /* EXECUTE … MAKE_SYM */
#define LL_FS_REFER (1ull << 13)      /* ABI 2 */
#define LL_FS_TRUNCATE (1ull << 14)   /* ABI 3 */
#define LL_FS_IOCTL_DEV (1ull << 15)  /* ABI 5 */
#define LL_NET_BIND_TCP (1ull << 0)   /* ABI 4 */
#define LL_NET_CONNECT_TCP (1ull << 1)
#define LL_SCOPE_ABSTRACT_UNIX (1ull << 0) /* ABI 6 */
#define LL_SCOPE_SIGNAL (1ull << 1)

struct ll_ruleset_attr {
  uint64_t handled_access_fs, handled_access_net, scoped;
};
struct ll_path_beneath {
  uint64_t allowed_access;
  int32_t parent_fd;
} __attribute__((packed));

int landlock_abi(void) {
  long abi = syscall(__NR_landlock_create_ruleset, NULL, 0, LL_VERSION);
  return abi > 0 ? (int)abi : 0;
}

static char what_buf[SPAWN_MAX_STRING + 64];

static int allow(int ruleset, const char *path, uint64_t rights, uint64_t handled, const char **what) {
  int fd = open(path, O_PATH | O_CLOEXEC);
  if (fd < 0) {
    if (errno == ENOENT) return 0; /* nothing to allow */
    snprintf(what_buf, sizeof what_buf, "Landlock: open %s", path);
    *what = what_buf;
    return -1;
  }
  struct stat st;
  if (fstat(fd, &st) == 0 && !S_ISDIR(st.st_mode)) rights &= ~LL_FS_READ_DIR; /* a directory-only right */
  struct ll_path_beneath rule = {.allowed_access = rights & handled, .parent_fd = fd};
  long r = syscall(__NR_landlock_add_rule, ruleset, LL_RULE_PATH_BENEATH, &rule, 0);
  int err = errno;
  close(fd);
  if (r != 0) {
    errno = err;
    snprintf(what_buf, sizeof what_buf, "Landlock: add_rule %s", path);
    *what = what_buf;
    return -1;
  }
  return 0;
}

int landlock_apply(char *const *paths, size_t npaths, const char **what) {
  int abi = landlock_abi();
  if (abi <= 0) return 0;
  struct ll_ruleset_attr attr = {.handled_access_fs = LL_FS_ABI1};
  size_t size = sizeof attr.handled_access_fs;
  if (abi >= 2) attr.handled_access_fs |= LL_FS_REFER;
  if (abi >= 3) attr.handled_access_fs |= LL_FS_TRUNCATE;
  if (abi >= 4) attr.handled_access_net = LL_NET_BIND_TCP | LL_NET_CONNECT_TCP, size = 16;
  if (abi >= 5) attr.handled_access_fs |= LL_FS_IOCTL_DEV;
  if (abi >= 6) attr.scoped = LL_SCOPE_ABSTRACT_UNIX | LL_SCOPE_SIGNAL, size = 24;
  int ruleset = (int)syscall(__NR_landlock_create_ruleset, &attr, size, 0);
  if (ruleset < 0) {
    *what = "Landlock: create_ruleset";
    return -1;
  }
  uint64_t h = attr.handled_access_fs;
  const uint64_t read_exec = LL_FS_READ_FILE | LL_FS_READ_DIR | LL_FS_EXECUTE;
  int rc = 0;
  for (size_t i = 0; rc == 0 && i < npaths; i++) rc = allow(ruleset, paths[i], read_exec, h, what);
  if (rc == 0) rc = allow(ruleset, "/proc", LL_FS_READ_FILE | LL_FS_READ_DIR, h, what);
  if (rc == 0) rc = allow(ruleset, "/dev/null", LL_FS_READ_FILE | LL_FS_WRITE_FILE | LL_FS_TRUNCATE, h, what);
  if (rc == 0) rc = allow(ruleset, "/dev/urandom", LL_FS_READ_FILE, h, what);
  if (rc == 0 && syscall(__NR_landlock_restrict_self, ruleset, 0) != 0) {
    *what = "Landlock: restrict_self";
    rc = -1;
  }
  int err = errno;
  close(ruleset);
  errno = err;
  return rc;
}
