/*
 * CREATE_REGION: u64 size, string name → a memfd of exactly `size` bytes, sealed with
 * F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_SEAL, sent with the reply. Nobody who receives it can
 * resize it, so a mapping of it can never fault with SIGBUS. The helper keeps no copy.
 */
#include "helper.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

/* Within a JS safe integer and off_t, as the addon's memfdCreate. */
#define REGION_MAX_SIZE ((uint64_t)1 << 46)
#define REGION_MAX_NAME 249u /* the kernel's limit for memfd names */

void handle_create_region(uint32_t id, reader_t *r, const int *fds, int nfds) {
  for (int i = 0; i < nfds; i++) close(fds[i]);
  if (nfds > 0) {
    reply_error(id, EPROTO, "CREATE_REGION takes no fds; the %d it carried were closed", nfds);
    return;
  }
  uint64_t size = rd_u64(r);
  char *name = rd_string(r, REGION_MAX_NAME);
  if (r->bad || r->off != r->len) {
    free(name);
    reply_error(id, EPROTO, "CREATE_REGION: the payload must be u64 size, then a name of at most %u bytes without NUL",
                REGION_MAX_NAME);
    return;
  }
  if (size == 0 || size > REGION_MAX_SIZE) {
    free(name);
    reply_error(id, EINVAL, "CREATE_REGION: size %llu is not between 1 and 2^46", (unsigned long long)size);
    return;
  }
  int fd = memfd_create(name, MFD_CLOEXEC | MFD_ALLOW_SEALING);
  free(name);
  if (fd < 0) {
    reply_error(id, errno, "CREATE_REGION: memfd_create: %s", strerror(errno));
    return;
  }
  const char *step = NULL;
  if (ftruncate(fd, (off_t)size) != 0) step = "ftruncate";
  else if (fcntl(fd, F_ADD_SEALS, F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_SEAL) != 0) step = "fcntl(F_ADD_SEALS)";
  if (step != NULL) {
    int err = errno;
    close(fd);
    reply_error(id, err, "CREATE_REGION: %s: %s", step, strerror(err));
    return;
  }
  static writer_t w;
  reply_begin(&w, id);
  wr_u64(&w, size);
  wr_send(&w, &fd, 1);
  close(fd);
}
