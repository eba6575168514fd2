/*
 * A SharedArrayBuffer over external memory, where the runtime has one.
 *
 * node_api_create_external_sharedarraybuffer is experimental (Node 26.1+, also Bun). It is checked
 * twice:
 *   - at build time: when the headers declare it (NODE_API_EXPERIMENTAL_HAS_CREATE_EXTERNAL_
 *     SHAREDARRAYBUFFER), its declared type must match ours, so a changed signature fails the build;
 *   - at run time: it is looked up with dlsym in the running process, because the addon may run in a
 *     runtime other than the one whose headers built it (or an older one). No hard reference to the
 *     symbol is emitted, so the addon loads everywhere.
 * Without it, map.c falls back to a non-shared external ArrayBuffer: Atomics load/store/add/CAS work
 * on it, Atomics.wait/notify do not (and cannot cross processes anyway: use futex.c).
 *
 * This is the only file compiled with NAPI_EXPERIMENTAL, and only to see the feature macro.
 */
#define NAPI_EXPERIMENTAL
#include "addon.h"

#include <dlfcn.h>
#include <pthread.h>

typedef napi_status (*create_external_sab_fn)(napi_env env, void *data, size_t len, noenv_finalizer fin,
                                              void *hint, napi_value *out);

#ifdef NODE_API_EXPERIMENTAL_HAS_CREATE_EXTERNAL_SHAREDARRAYBUFFER
_Static_assert(__builtin_types_compatible_p(__typeof__(&node_api_create_external_sharedarraybuffer),
                                            create_external_sab_fn),
               "node_api_create_external_sharedarraybuffer changed its signature");
const bool external_sab_in_headers = true;
#else
const bool external_sab_in_headers = false;
#endif

static create_external_sab_fn create_fn;
static pthread_once_t lookup_once = PTHREAD_ONCE_INIT;

static void lookup(void) {
  create_fn = (create_external_sab_fn)dlsym(RTLD_DEFAULT, "node_api_create_external_sharedarraybuffer");
}

bool external_sab_available(void) {
  pthread_once(&lookup_once, lookup);
  return create_fn != NULL;
}

napi_status create_external_sab(napi_env env, void *data, size_t len, noenv_finalizer fin, void *hint,
                                napi_value *out) {
  if (!external_sab_available()) return napi_generic_failure;
  return create_fn(env, data, len, fin, hint, out);
}
