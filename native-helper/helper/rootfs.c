/*
 * The sandbox's view of the world, built by init.c in its fresh user and mount namespaces:
 *
 *   1. uid_map and gid_map map one id, 65534 ("nobody") inside, to the helper's own uid and gid
 *      outside, with setgroups denied (the kernel requires it for an unprivileged gid_map). The
 *      capabilities the namespace grants until execve are dropped by execve, since 65534 is not
 *      root inside.
 *   2. A tmpfs becomes the new root. It holds only: read-only bind mounts of the policy's paths
 *      (a path that is a symlink, as /lib → usr/lib on usrmerge systems, becomes the same
 *      symlink), a fresh /proc for the new pid namespace (only the sandbox's processes show), and
 *      /dev/null and /dev/urandom. There is no /etc/passwd, no /home, no /tmp, and the tmpfs is
 *      remounted read-only: nothing is writable.
 *   3. pivot_root into it and detach the old root, so no path leads back out.
 *
 * The sources are opened (O_PATH) before anything is mounted, and bound from /proc/self/fd, so
 * that the staging mount (over /tmp, in this namespace only) cannot hide a policy path under /tmp.
 */
#include "helper.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <sys/syscall.h>
#include <unistd.h>

#define SANDBOX_ID 65534
#define STAGE "/tmp"

#ifndef MOUNT_ATTR_RDONLY
#define MOUNT_ATTR_RDONLY 0x00000001
#define MOUNT_ATTR_NOSUID 0x00000002
#define MOUNT_ATTR_NODEV 0x00000004
#endif
#ifndef AT_RECURSIVE
#define AT_RECURSIVE 0x8000
#endif
struct mount_attr_v0 {
  uint64_t attr_set, attr_clr, propagation, userns_fd;
};

static char what_buf[PATH_MAX + 64];

static int fail(const char **what, const char *step, const char *path) {
  int err = errno;
  snprintf(what_buf, sizeof what_buf, "%s%s%s", step, path ? " " : "", path ? path : "");
  *what = what_buf;
  errno = err;
  return -1;
}

static int write_file(const char *path, const char *text) {
  int fd = open(path, O_WRONLY | O_CLOEXEC);
  if (fd < 0) return -1;
  ssize_t n = write(fd, text, strlen(text));
  int err = errno;
  close(fd);
  errno = err;
  return n == (ssize_t)strlen(text) ? 0 : -1;
}

int userns_map_self(uid_t uid, gid_t gid, const char **what) {
  char line[64];
  snprintf(line, sizeof line, "%d %u 1\n", SANDBOX_ID, (unsigned)uid);
  if (write_file("/proc/self/uid_map", line) != 0) return fail(what, "writing", "/proc/self/uid_map");
  if (write_file("/proc/self/setgroups", "deny") != 0) return fail(what, "writing", "/proc/self/setgroups");
  snprintf(line, sizeof line, "%d %u 1\n", SANDBOX_ID, (unsigned)gid);
  if (write_file("/proc/self/gid_map", line) != 0) return fail(what, "writing", "/proc/self/gid_map");
  return 0;
}

/* mkdir -p of `path` (absolute, clean) below the stage; the last component as a file when !dir. */
static int make_target(const char *path, bool dir, char *out, size_t outlen) {
  int n = snprintf(out, outlen, STAGE "%s", path);
  if (n < 0 || (size_t)n >= outlen) {
    errno = ENAMETOOLONG;
    return -1;
  }
  for (char *c = out + strlen(STAGE) + 1; *c; c++) {
    if (*c != '/') continue;
    *c = 0;
    int r = mkdir(out, 0755);
    *c = '/';
    if (r != 0 && errno != EEXIST) return -1;
  }
  if (dir) return mkdir(out, 0755) == 0 || errno == EEXIST ? 0 : -1;
  int fd = open(out, O_WRONLY | O_CREAT | O_CLOEXEC, 0644);
  if (fd < 0) return errno == EEXIST ? 0 : -1;
  close(fd);
  return 0;
}

/* Read-only (and nosuid) for the whole bound tree; the classic remount where mount_setattr is missing. */
static int make_readonly(const char *target, int src_fd) {
  struct mount_attr_v0 attr = {.attr_set = MOUNT_ATTR_RDONLY | MOUNT_ATTR_NOSUID};
  if (syscall(SYS_mount_setattr, AT_FDCWD, target, AT_RECURSIVE, &attr, sizeof attr) == 0) return 0;
  if (errno != ENOSYS) return -1;
  /* A remount must keep the flags the source mount has locked (nodev, noexec…) or it fails. */
  struct statvfs sv;
  unsigned long keep = 0;
  if (fstatvfs(src_fd, &sv) == 0) {
    if (sv.f_flag & ST_NODEV) keep |= MS_NODEV;
    if (sv.f_flag & ST_NOEXEC) keep |= MS_NOEXEC;
    if (sv.f_flag & ST_NOATIME) keep |= MS_NOATIME;
    if (sv.f_flag & ST_RELATIME) keep |= MS_RELATIME;
  }
  return mount(NULL, target, NULL, MS_REMOUNT | MS_BIND | MS_RDONLY | MS_NOSUID | keep, NULL);
}

static int bind_readonly(int src_fd, const char *target) {
  char src[64];
  snprintf(src, sizeof src, "/proc/self/fd/%d", src_fd);
  if (mount(src, target, NULL, MS_BIND | MS_REC, NULL) != 0) return -1;
  return make_readonly(target, src_fd);
}

/* Whether `p` is `a` or below it. */
static bool below(const char *p, const char *a) {
  size_t n = strlen(a);
  if (n == 1) return true; /* "/" */
  return strncmp(p, a, n) == 0 && (p[n] == 0 || p[n] == '/');
}

typedef struct {
  const char *path;
  int fd;            /* O_PATH of the source, or -1 for a symlink */
  char link[PATH_MAX];
  bool dir;
} source_t;

int rootfs_enter(char *const *paths, size_t npaths, const char **what) {
  static source_t src[SPAWN_MAX_PATHS + 2];
  static const char *const devices[] = {"/dev/null", "/dev/urandom"};
  size_t n = 0;
  if (mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) != 0) return fail(what, "making / private", NULL);
  for (size_t i = 0; i < npaths + 2; i++) {
    const char *p = i < npaths ? paths[i] : devices[i - npaths];
    bool covered = false; /* an ancestor already brings it in */
    for (size_t j = 0; j < npaths && i < npaths; j++)
      if (j != i && below(p, paths[j]) && (strcmp(p, paths[j]) != 0 || j < i)) covered = true;
    if (covered) continue;
    struct stat st;
    if (lstat(p, &st) != 0) {
      if (errno == ENOENT && i < npaths) continue; /* e.g. /lib64 on a system without it */
      return fail(what, "lstat", p);
    }
    source_t *s = &src[n++];
    s->path = p;
    s->fd = -1;
    if (S_ISLNK(st.st_mode)) {
      ssize_t len = readlink(p, s->link, sizeof s->link - 1);
      if (len < 0) return fail(what, "readlink", p);
      s->link[len] = 0;
      continue;
    }
    s->dir = S_ISDIR(st.st_mode);
    s->fd = open(p, O_PATH | O_CLOEXEC);
    if (s->fd < 0) return fail(what, "open", p);
  }
  if (mount("tmpfs", STAGE, "tmpfs", MS_NOSUID | MS_NODEV, "mode=0755,size=1m") != 0)
    return fail(what, "mounting the new root (tmpfs) on", STAGE);
  static char target[PATH_MAX + 8];
  for (size_t i = 0; i < n; i++) {
    source_t *s = &src[i];
    if (s->fd < 0) {
      if (make_target(s->path, true, target, sizeof target) != 0 || rmdir(target) != 0 || symlink(s->link, target) != 0)
        return fail(what, "creating the symlink", s->path);
      continue;
    }
    if (make_target(s->path, s->dir, target, sizeof target) != 0) return fail(what, "creating the mount point for", s->path);
    if (bind_readonly(s->fd, target) != 0) return fail(what, "bind-mounting read-only", s->path);
    close(s->fd);
  }
  if (make_target("/proc", true, target, sizeof target) != 0) return fail(what, "creating", "/proc");
  if (mount("proc", STAGE "/proc", "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC | MS_RDONLY, NULL) != 0)
    return fail(what, "mounting", "/proc");
  if (mount(NULL, STAGE, NULL, MS_REMOUNT | MS_RDONLY | MS_NOSUID | MS_NODEV, NULL) != 0)
    return fail(what, "remounting the new root read-only", NULL);
  if (chdir(STAGE) != 0) return fail(what, "chdir", STAGE);
  if (syscall(SYS_pivot_root, ".", ".") != 0) return fail(what, "pivot_root", NULL);
  if (umount2(".", MNT_DETACH) != 0) return fail(what, "detaching the old root", NULL);
  if (chdir("/") != 0) return fail(what, "chdir", "/");
  return 0;
}
