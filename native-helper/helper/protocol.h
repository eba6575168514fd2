/*
 * The control protocol between the Node supervisor and parallax-helper (native-helper/README.md
 * has the same tables for readers of the TypeScript side, src/isolation/helper-client.ts).
 *
 * Transport: an AF_UNIX SOCK_SEQPACKET socket on the helper's fd 3. One message is one record,
 * so a record never has to be reassembled; fds travel with the record as SCM_RIGHTS.
 *
 * Every record starts with a fixed 12-byte header, little-endian:
 *   u32 type   u32 id   u32 length      then exactly `length` payload bytes (the record's rest).
 * Requests carry an id chosen by the supervisor (not 0); the reply carries the same id and type
 * MSG_REPLY. Events carry id 0. The helper treats every record as hostile: a record that is too
 * short, too long, has a length that disagrees with its size, an unknown type, fields out of
 * range, or fds where none belong gets an error reply (id 0 when the header itself is unreadable),
 * every fd it brought is closed, and the helper carries on.
 *
 * Strings are u32 byte length then UTF-8 bytes, no terminator, and must not contain NUL.
 */
#ifndef PARALLAX_HELPER_PROTOCOL_H
#define PARALLAX_HELPER_PROTOCOL_H

#define PROTOCOL_VERSION 1u
#define HEADER_BYTES 12u
/* Largest record either side sends: a SPAWN with a long environment fits well inside. */
#define MAX_RECORD (256u * 1024u)
/* Output is forwarded in chunks of at most this many bytes. */
#define OUTPUT_CHUNK 16384u

/* Requests (supervisor → helper). */
enum {
  /* u32 version. Reply body: u32 version, u32 landlock ABI (0: none), i32 helper pid. */
  MSG_HELLO = 1,
  /* u64 size, string name. Reply body: u64 size, and the sealed memfd as the record's one fd. */
  MSG_CREATE_REGION = 2,
  /*
   * u32 flags (SPAWN_*), u32 argc, u32 envc, u32 npaths,
   * u64 address-space bytes (0: unlimited), u64 open files (0: unchanged),
   * u64 CPU seconds (0: unlimited), u64 threads (0: unchanged; namespaces only),
   * then argc strings (argv[0] is the path that is executed), envc strings ("K=V"), npaths
   * strings (absolute paths the child may read and execute). The record's fds become the
   * child's fds 3, 4, 5… in order; stdin is /dev/null, stdout and stderr are forwarded as
   * MSG_CHILD_OUTPUT. Reply body: i32 pid, u32 applied (SPAWN_APPLIED_*).
   */
  MSG_SPAWN = 3,
  /* i32 pid, i32 signal. Only the helper's own, not yet reaped, children. Reply body: empty. */
  MSG_KILL = 4,
  /* Empty. Kills (SIGKILL) and reaps every child, replies, then exits 0. */
  MSG_SHUTDOWN = 5,
};

/* Replies (helper → supervisor), same id as the request:
 * i32 errno (0: ok), string message (empty when ok; else "SPAWN: mount /proc: …"), then the
 * request's reply body when ok. */
#define MSG_REPLY 0x100u

/* Events (helper → supervisor), id 0. */
enum {
  /* i32 pid, i32 exit code (-1 when killed), i32 signal (0 when it exited), u32 flags (bit 0: core dumped). */
  MSG_CHILD_EXIT = 0x201,
  /* i32 pid, u32 stream (1 stdout, 2 stderr), then the bytes (the rest of the payload). */
  MSG_CHILD_OUTPUT = 0x202,
};

/* SPAWN flags. */
#define SPAWN_SANDBOX (1u << 0)    /* rlimits, no_new_privs, seccomp; the others need it */
#define SPAWN_NAMESPACES (1u << 1) /* user, pid, net, mount, ipc namespaces and the read-only root */
#define SPAWN_LANDLOCK (1u << 2)   /* Landlock, where the kernel has it */
#define SPAWN_KNOWN_FLAGS (SPAWN_SANDBOX | SPAWN_NAMESPACES | SPAWN_LANDLOCK)

/* What a SPAWN reply says was applied. */
#define SPAWN_APPLIED_LANDLOCK (1u << 0)
#define SPAWN_APPLIED_NAMESPACES (1u << 1)
#define SPAWN_APPLIED_SECCOMP (1u << 2)

/* Bounds on a SPAWN request. */
#define SPAWN_MAX_ARGS 256u
#define SPAWN_MAX_ENV 1024u
#define SPAWN_MAX_PATHS 64u
#define SPAWN_MAX_FDS 64u
#define SPAWN_MAX_STRING 4096u

#endif
