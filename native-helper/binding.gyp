# The Node-API addon (see README.md). Built by `npm install` through build.mjs, which skips the
# build on platforms other than Linux. Plain C, Node-API only: no C++ and no V8 headers.
{
  "targets": [
    {
      "target_name": "parallax_native",
      "sources": [
        "addon/module.c",
        "addon/errors.c",
        "addon/args.c",
        "addon/memfd.c",
        "addon/map.c",
        "addon/external_sab.c",
        "addon/futex.c",
        "addon/fdpass.c",
        "addon/channel.c",
        "addon/unix.c",
        "addon/fd.c",
        "addon/lockdown.c",
        "addon/sandbox_status.c",
        "helper/seccomp.c"
      ],
      "defines": ["_GNU_SOURCE"],
      "cflags": ["-Wall", "-Wextra", "-Wno-unused-parameter"],
      "cflags_c": ["-std=gnu11"],
      "libraries": ["-ldl", "-lpthread"]
    }
  ]
}
