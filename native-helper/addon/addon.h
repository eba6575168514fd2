/*
 * Shared declarations of the Parallax Node-API addon.
 *
 * The addon is the in-process half of isolation (ARCHITECTURE §9): it maps memfd regions into JS,
 * waits and wakes with futex on words in those regions, and passes fds over Unix sockets. Each .c
 * file holds one concept; this header lists them. Stable Node-API version 8 only (external_sab.c
 * alone peeks at the experimental headers, and looks its function up at run time).
 *
 * Thread contract: every export may be called from any JS thread (main or worker). futexWait
 * blocks the calling thread; the others return promptly (sendFds/recvFds block only if the
 * socket is blocking and full/empty).
 */
#ifndef PARALLAX_ADDON_H
#define PARALLAX_ADDON_H

#ifndef NAPI_EXPERIMENTAL
#define NAPI_VERSION 8
#endif
#include <node_api.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* errors.c: every failure becomes a thrown JS error; these return NULL for a one-line `return`. */
napi_value throw_syscall_error(napi_env env, const char *syscall, int err);
napi_value throw_type_error(napi_env env, const char *fn, const char *fmt, ...);
napi_value throw_range_error(napi_env env, const char *fn, const char *fmt, ...);
napi_value throw_napi_failure(napi_env env, const char *fn, const char *what, napi_status status);

/* args.c: argument readers; each throws and returns false on a bad argument. */
bool arg_fd(napi_env env, const char *fn, const char *name, napi_value v, int *out);
bool arg_size(napi_env env, const char *fn, const char *name, napi_value v, uint64_t max, uint64_t *out);
bool arg_int32(napi_env env, const char *fn, const char *name, napi_value v, int32_t *out);
bool arg_bytes(napi_env env, const char *fn, const char *name, napi_value v, void **data, size_t *len);
bool arg_word(napi_env env, const char *fn, napi_value buffer, napi_value byte_offset, uint32_t **word);

/* external_sab.c: a SharedArrayBuffer over external memory, when the runtime has it. */
typedef void (*noenv_finalizer)(void *data, void *hint);
extern const bool external_sab_in_headers; /* build time */
bool external_sab_available(void);            /* run time */
napi_status create_external_sab(napi_env env, void *data, size_t len, noenv_finalizer fin, void *hint,
                                napi_value *out);

/* The exports, one file each. */
napi_value memfd_create_js(napi_env env, napi_callback_info info);   /* memfd.c */
napi_value map_shared_js(napi_env env, napi_callback_info info);     /* map.c */
napi_value futex_wait_js(napi_env env, napi_callback_info info);     /* futex.c */
napi_value futex_wake_js(napi_env env, napi_callback_info info);     /* futex.c */
napi_value socket_pair_js(napi_env env, napi_callback_info info);    /* fdpass.c */
napi_value send_fds_js(napi_env env, napi_callback_info info);       /* fdpass.c */
napi_value recv_fds_js(napi_env env, napi_callback_info info);       /* fdpass.c */
napi_value memfd_seals_js(napi_env env, napi_callback_info info);    /* fdpass.c */
napi_value open_channel_js(napi_env env, napi_callback_info info);   /* channel.c */
napi_value unix_listen_js(napi_env env, napi_callback_info info);    /* unix.c */
napi_value unix_accept_js(napi_env env, napi_callback_info info);    /* unix.c */
napi_value unix_connect_js(napi_env env, napi_callback_info info);   /* unix.c */
napi_value watch_accept_js(napi_env env, napi_callback_info info);   /* unix.c */
napi_value close_fd_js(napi_env env, napi_callback_info info);       /* fd.c */
napi_value fd_size_js(napi_env env, napi_callback_info info);        /* fd.c */
napi_value sandbox_lockdown_js(napi_env env, napi_callback_info info); /* lockdown.c (../helper/seccomp.c) */
napi_value sandbox_status_js(napi_env env, napi_callback_info info);   /* sandbox_status.c */

/* Reads up to `n` arguments; missing ones are `undefined`. */
#define GET_ARGS(n)                                                                  \
  size_t argc = (n);                                                                 \
  napi_value argv[(n) > 0 ? (n) : 1];                                                \
  if (napi_get_cb_info(env, info, &argc, argv, NULL, NULL) != napi_ok) return NULL;  \
  for (size_t i_ = argc; i_ < (n); i_++) napi_get_undefined(env, &argv[i_])

#endif
