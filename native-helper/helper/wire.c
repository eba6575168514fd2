/*
 * Records on the control socket: a bounds-checked reader over a received payload and a writer
 * that builds one record and sends it (protocol.h has the layout). Little-endian on the wire
 * whatever the host order, so the supervisor never has to guess.
 */
#include "helper.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

int control_fd = 3;
bool control_lost = false;

static bool take(reader_t *r, size_t n, const uint8_t **out) {
  if (r->bad || n > r->len - r->off) {
    r->bad = true;
    return false;
  }
  *out = r->p + r->off;
  r->off += n;
  return true;
}

uint32_t rd_u32(reader_t *r) {
  const uint8_t *b;
  if (!take(r, 4, &b)) return 0;
  return (uint32_t)b[0] | (uint32_t)b[1] << 8 | (uint32_t)b[2] << 16 | (uint32_t)b[3] << 24;
}

int32_t rd_i32(reader_t *r) {
  return (int32_t)rd_u32(r);
}

uint64_t rd_u64(reader_t *r) {
  uint64_t lo = rd_u32(r);
  return lo | (uint64_t)rd_u32(r) << 32;
}

char *rd_string(reader_t *r, size_t max) {
  uint32_t n = rd_u32(r);
  const uint8_t *b;
  if (r->bad || n > max || !take(r, n, &b) || memchr(b, 0, n) != NULL) {
    r->bad = true;
    return NULL;
  }
  char *s = malloc((size_t)n + 1);
  if (s == NULL) {
    r->bad = true;
    return NULL;
  }
  memcpy(s, b, n);
  s[n] = 0;
  return s;
}

static void put(writer_t *w, const void *p, size_t n) {
  if (w->overflow || n > sizeof w->buf - w->len) {
    w->overflow = true;
    return;
  }
  memcpy(w->buf + w->len, p, n);
  w->len += n;
}

void wr_u32(writer_t *w, uint32_t v) {
  uint8_t b[4] = {(uint8_t)v, (uint8_t)(v >> 8), (uint8_t)(v >> 16), (uint8_t)(v >> 24)};
  put(w, b, 4);
}

void wr_i32(writer_t *w, int32_t v) {
  wr_u32(w, (uint32_t)v);
}

void wr_u64(writer_t *w, uint64_t v) {
  wr_u32(w, (uint32_t)v);
  wr_u32(w, (uint32_t)(v >> 32));
}

void wr_bytes(writer_t *w, const void *p, size_t n) {
  put(w, p, n);
}

void wr_string(writer_t *w, const char *s) {
  size_t n = strlen(s);
  wr_u32(w, (uint32_t)n);
  put(w, s, n);
}

void wr_begin(writer_t *w, uint32_t type, uint32_t id) {
  w->len = 0;
  w->overflow = false;
  wr_u32(w, type);
  wr_u32(w, id);
  wr_u32(w, 0); /* the length, filled in by wr_send */
}

bool wr_send(writer_t *w, const int *fds, int nfds) {
  if (control_lost) return false;
  uint32_t payload = (uint32_t)(w->len - HEADER_BYTES);
  for (int i = 0; i < 4; i++) w->buf[8 + i] = (uint8_t)(payload >> (8 * i));
  struct iovec iov = {.iov_base = w->buf, .iov_len = w->len};
  union {
    char buf[CMSG_SPACE(sizeof(int) * 4)];
    struct cmsghdr align;
  } control;
  struct msghdr msg = {.msg_iov = &iov, .msg_iovlen = 1};
  if (nfds > 0 && nfds <= 4) {
    memset(&control, 0, sizeof control);
    msg.msg_control = control.buf;
    msg.msg_controllen = CMSG_SPACE(sizeof(int) * (size_t)nfds);
    struct cmsghdr *c = CMSG_FIRSTHDR(&msg);
    c->cmsg_level = SOL_SOCKET;
    c->cmsg_type = SCM_RIGHTS;
    c->cmsg_len = CMSG_LEN(sizeof(int) * (size_t)nfds);
    memcpy(CMSG_DATA(c), fds, sizeof(int) * (size_t)nfds);
  }
  /* Blocking on purpose: a full socket is back-pressure from a slow supervisor, and the children
   * then block on their full stdout pipes in turn. */
  ssize_t sent;
  do sent = sendmsg(control_fd, &msg, MSG_NOSIGNAL);
  while (sent < 0 && errno == EINTR);
  if (sent < 0) control_lost = true;
  return sent >= 0;
}

void reply_begin(writer_t *w, uint32_t id) {
  wr_begin(w, MSG_REPLY, id);
  wr_i32(w, 0);
  wr_u32(w, 0); /* empty message */
}

void reply_error(uint32_t id, int err, const char *fmt, ...) {
  static writer_t w;
  char msg[512];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(msg, sizeof msg, fmt, ap);
  va_end(ap);
  wr_begin(&w, MSG_REPLY, id);
  wr_i32(&w, err > 0 ? err : EPROTO);
  wr_string(&w, msg);
  wr_send(&w, NULL, 0);
}
