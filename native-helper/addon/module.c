/*
 * Module registration: the export table of the addon. See addon.h for the concepts and
 * native-helper/README.md for the JS-facing contract.
 */
#include "addon.h"

NAPI_MODULE_INIT(/* napi_env env, napi_value exports */) {
  static const struct { const char *name; napi_callback fn; } table[] = {
    {"memfdCreate", memfd_create_js}, {"mapShared", map_shared_js},
    {"futexWait", futex_wait_js},     {"futexWake", futex_wake_js},
    {"socketPair", socket_pair_js},   {"sendFds", send_fds_js},
    {"recvFds", recv_fds_js},     {"openChannel", open_channel_js},
    {"closeFd", close_fd_js},         {"fdSize", fd_size_js},
    {"sandboxLockdown", sandbox_lockdown_js}, {"sandboxStatus", sandbox_status_js},
    {"memfdSeals", memfd_seals_js},
    {"unixListen", unix_listen_js}, {"unixAccept", unix_accept_js}, {"unixConnect", unix_connect_js}, {"watchAccept", watch_accept_js},
  };
  for (size_t i = 0; i < sizeof table / sizeof table[0]; i++) {
    napi_value fn;
    if (napi_create_function(env, table[i].name, NAPI_AUTO_LENGTH, table[i].fn, NULL, &fn) != napi_ok ||
        napi_set_named_property(env, exports, table[i].name, fn) != napi_ok)
      return NULL;
  }
  /* Whether mapShared can hand out a SharedArrayBuffer (see external_sab.c): { headers, runtime }. */
  napi_value support, flag;
  napi_create_object(env, &support);
  napi_get_boolean(env, external_sab_in_headers, &flag);
  napi_set_named_property(env, support, "headers", flag);
  napi_get_boolean(env, external_sab_available(), &flag);
  napi_set_named_property(env, support, "runtime", flag);
  napi_set_named_property(env, exports, "externalSharedArrayBuffer", support);
  return exports;
}
