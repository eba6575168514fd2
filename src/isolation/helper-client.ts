/**
 * The supervisor's side of parallax-helper, the small C program that creates sealed memfd
 * regions and spawns element hosts inside the sandbox (ARCHITECTURE §9, native-helper/README.md).
 *
 * One `IsolationHelper` owns one helper process and its control socket. Requests are promises
 * matched to replies by id; the helper also sends events, delivered through `on()`:
 *   - 'exit'   a child died: its pid, and its exit code or the signal that killed it;
 *   - 'output' bytes a child wrote on stdout (stream 1) or stderr (stream 2), always before its 'exit';
 *   - 'stray'  an error reply to no pending request (the helper rejecting a malformed record);
 *   - 'close'  the helper is gone.
 * The socket is read on a native thread (the addon's openChannel), so nothing polls. An idle
 * helper does not keep the event loop alive; a pending request does.
 *
 * The helper never outlives this process: when the socket closes, it kills its children and exits.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync, realpathSync } from 'node:fs';
import { constants as osConstants } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createNanoEvents, type Emitter } from 'nanoevents';
import { IsolationUnavailableError, requireNative, type NativeChannel } from './native.js';
import {
  HelperProtocolError,
  MAX_RECORD,
  MsgType,
  PROTOCOL_VERSION,
  RecordReader,
  RecordWriter,
  SpawnApplied,
  SpawnFlag,
  decodeRecord,
  decodeReply,
  encodeRecord,
  encodeSpawn,
} from './helper-protocol.js';
import { closeFd } from './fd.js';

/** Where native-helper/build.mjs puts the helper, next to the addon. */
export const HELPER_PATH = fileURLToPath(new URL('../../native-helper/build/parallax-helper', import.meta.url));

/** Resource limits of a sandboxed host. `null` means unlimited. */
export interface SandboxLimits {
  /** RLIMIT_AS in bytes. */
  readonly addressSpaceBytes: number | null;
  /** RLIMIT_NOFILE. */
  readonly openFiles: number;
  /** RLIMIT_CPU in seconds; the kernel kills the host with SIGKILL when it is used up. */
  readonly cpuSeconds: number | null;
  /** RLIMIT_NPROC inside the user namespace: the host's threads (processes are refused anyway). */
  readonly threads: number;
}

/** How a host is confined. See native-helper/README.md for the layers. */
export interface SandboxPolicy {
  /** New user, pid, mount, net, ipc (and uts, cgroup) namespaces and a read-only root of `readOnlyPaths`. */
  readonly namespaces: boolean;
  /** Landlock on `readOnlyPaths`, when the kernel has it (the spawn result says whether it was applied). */
  readonly landlock: boolean;
  /** Absolute paths the host may read and execute: the runtime, its libraries, the engine, the elements. */
  readonly readOnlyPaths: readonly string[];
  readonly limits: SandboxLimits;
}

export interface SpawnRequest {
  /** argv[0] is the absolute path that is executed. */
  readonly argv: readonly string[];
  readonly env: Readonly<Record<string, string>>;
  /** Become the child's fds 3, 4, 5… in order. The caller keeps (and closes) its own copies. */
  readonly fds: readonly number[];
  /** null: no sandbox at all (trusted code, tests). */
  readonly sandbox: SandboxPolicy | null;
}

export interface SpawnResult {
  readonly pid: number;
  /** Whether Landlock was applied (false when not asked for, or the kernel lacks it). */
  readonly landlock: boolean;
  readonly namespaces: boolean;
  readonly seccomp: boolean;
}

export interface ChildExit {
  readonly pid: number;
  /** The exit code, or null when a signal killed it. */
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly coreDumped: boolean;
}

export interface ChildOutput {
  readonly pid: number;
  readonly stream: 1 | 2;
  readonly bytes: Uint8Array;
}

export interface StrayReply {
  readonly id: number;
  readonly errno: number;
  readonly message: string;
}

export interface HelperEvents {
  exit(e: ChildExit): void;
  output(o: ChildOutput): void;
  stray(r: StrayReply): void;
  close(): void;
}

export interface HelperStartOptions {
  /** Another helper binary (tests). */
  readonly helperPath?: string;
  /** A command to run the helper under, such as ['valgrind', '--error-exitcode=99']. */
  readonly wrapper?: readonly string[];
  /** The helper's own stderr (its fatal startup errors); children's output comes as events. */
  readonly stderr?: 'inherit' | 'ignore';
}

/** A request the helper refused or could not carry out. `message` names the step that failed. */
export class HelperRequestError extends Error {
  constructor(
    readonly request: string,
    readonly errno: number,
    readonly code: string,
    message: string,
  ) {
    super(`isolation helper ${request} failed: ${message} (${code})`);
    this.name = 'HelperRequestError';
  }
}

const errnoNames = new Map<number, string>(Object.entries(osConstants.errno).map(([name, n]) => [n, name]));
const signalNames = new Map<number, NodeJS.Signals>();
for (const [name, n] of Object.entries(osConstants.signals)) {
  if (!signalNames.has(n)) signalNames.set(n, name as NodeJS.Signals); // the first name: SIGABRT, not its alias SIGIOT
}

const ADDRESS_SPACE_DEFAULT = 4 * 1024 ** 3;
/** How long a helper may take to exit after SHUTDOWN before it is killed. */
const SHUTDOWN_TIMEOUT_MS = 5000;

/**
 * A policy for hosts that run code from `paths` (the engine's package root, element and plugin
 * module directories): those, the runtime binary's directory, and the system library
 * directories (/usr, and /lib, /lib64, /bin as the symlinks or directories they are), all
 * read-only; namespaces and Landlock on; 4 GiB of address space, 256 open files, 256 threads,
 * no CPU limit. Paths are resolved to their real paths (the sandbox mirrors them literally).
 */
export interface SandboxOverrides {
  readonly namespaces?: boolean;
  readonly landlock?: boolean;
  readonly limits?: Partial<SandboxLimits>;
}

export function sandboxPolicyFor(paths: readonly string[], overrides: SandboxOverrides = {}): SandboxPolicy {
  const runtime = dirname(realpathSync(process.execPath));
  const system = ['/usr', '/lib', '/lib64', '/lib32', '/bin', '/etc/ld.so.cache'].filter((p) => existsSync(p));
  const resolved = new Set<string>([runtime, ...system]);
  for (const p of paths) resolved.add(realpathSync(p));
  return {
    namespaces: overrides.namespaces ?? true,
    landlock: overrides.landlock ?? true,
    readOnlyPaths: [...resolved],
    limits: {
      addressSpaceBytes: ADDRESS_SPACE_DEFAULT,
      openFiles: 256,
      cpuSeconds: null,
      threads: 256,
      ...overrides.limits,
    },
  };
}

/** Why the helper binary is missing: the build's note, or that it was never built. */
function missingReason(path: string): string {
  const build = dirname(path);
  for (const note of ['HELPER-BUILD-FAILED.txt', 'BUILD-FAILED.txt']) {
    const file = join(build, note);
    if (existsSync(file)) return `the isolation helper is not built (${path} is missing: ${readFileSync(file, 'utf8').trim()}); run npm install; it needs a C compiler`;
  }
  return `the isolation helper is not built (${path} is missing: it was never built); run npm install; it needs a C compiler`;
}

interface Pending {
  readonly request: string;
  resolve(r: { body: RecordReader; fds: number[] }): void;
  reject(e: Error): void;
}

export class IsolationHelper {
  private readonly events: Emitter<HelperEvents> = createNanoEvents<HelperEvents>();
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;
  private gone = false;
  private closing: Promise<void> | null = null;
  private readonly exited: Promise<void>;
  private channel: NativeChannel | null = null;
  /** The helper's pid (the wrapper's, when one is used). */
  readonly pid: number;
  /** The kernel's Landlock ABI (0: none), from HELLO. */
  landlockAbi = 0;

  private constructor(
    private readonly child: ChildProcess,
    private socket: number,
  ) {
    this.pid = child.pid ?? -1;
    this.exited = new Promise((resolve) => {
      if (child.exitCode !== null || child.signalCode !== null) resolve();
      else child.once('exit', () => resolve());
    });
  }

  /** Starts a helper and greets it. Throws IsolationUnavailableError when it cannot run here. */
  static async start(options: HelperStartOptions = {}): Promise<IsolationHelper> {
    const native = requireNative();
    const path = options.helperPath ?? HELPER_PATH;
    if (!existsSync(path)) throw new IsolationUnavailableError(missingReason(path));
    const [mine, theirs] = native.socketPair();
    let child: ChildProcess;
    try {
      const [command, ...args] = [...(options.wrapper ?? []), path];
      child = spawn(command!, args, { stdio: ['ignore', 'ignore', options.stderr ?? 'inherit', theirs] });
    } catch (e) {
      closeFd(mine);
      throw e;
    } finally {
      closeFd(theirs);
    }
    child.on('error', () => {}); // a helper that cannot start shows up as the socket closing
    child.unref();
    const helper = new IsolationHelper(child, mine);
    helper.channel = native.openChannel(
      mine,
      (bytes, fds, truncated) => helper.receive(bytes, fds, truncated),
      () => helper.lost(),
      MAX_RECORD,
    );
    helper.channel.unref();
    try {
      const { body } = await helper.request('HELLO', MsgType.hello, new RecordWriter().u32(PROTOCOL_VERSION).bytes());
      body.u32();
      helper.landlockAbi = body.u32();
    } catch (e) {
      await helper.close();
      throw e;
    }
    return helper;
  }

  /** How the helper process ended, once it has (the wrapper's status, when one is used). */
  get exitStatus(): { readonly code: number | null; readonly signal: NodeJS.Signals | null } | null {
    const { exitCode, signalCode } = this.child;
    return exitCode === null && signalCode === null ? null : { code: exitCode, signal: signalCode };
  }

  on<E extends keyof HelperEvents>(event: E, cb: HelperEvents[E]): () => void {
    return this.events.on(event, cb);
  }

  /** A memfd of exactly `bytes` bytes, sealed against shrink and grow; the caller owns the fd. */
  async createRegion(name: string, bytes: number): Promise<number> {
    const payload = new RecordWriter().u64(bytes).string(name).bytes();
    const { fds } = await this.request('CREATE_REGION', MsgType.createRegion, payload);
    if (fds.length !== 1) {
      for (const fd of fds) closeFd(fd);
      throw new HelperProtocolError(`CREATE_REGION answered with ${fds.length} fds instead of 1`);
    }
    return fds[0]!;
  }

  /** Starts a child; resolves once it runs inside every layer asked for (or rejects naming the failed one). */
  async spawn(req: SpawnRequest): Promise<SpawnResult> {
    const sandbox = req.sandbox;
    const limits = sandbox?.limits;
    const payload = encodeSpawn({
      flags: sandbox === null ? 0 : SpawnFlag.sandbox | (sandbox.namespaces ? SpawnFlag.namespaces : 0) | (sandbox.landlock ? SpawnFlag.landlock : 0),
      argv: req.argv,
      env: Object.entries(req.env).map(([k, v]) => `${k}=${v}`),
      paths: sandbox?.readOnlyPaths ?? [],
      addressSpaceBytes: limits?.addressSpaceBytes ?? 0,
      openFiles: limits?.openFiles ?? 0,
      cpuSeconds: limits?.cpuSeconds ?? 0,
      threads: limits?.threads ?? 0,
    });
    const { body } = await this.request('SPAWN', MsgType.spawn, payload, req.fds);
    const pid = body.i32();
    const applied = body.u32();
    return {
      pid,
      landlock: (applied & SpawnApplied.landlock) !== 0,
      namespaces: (applied & SpawnApplied.namespaces) !== 0,
      seccomp: (applied & SpawnApplied.seccomp) !== 0,
    };
  }

  /**
   * Signals a child of this helper (only its own children, not yet reaped). With namespaces the
   * pid is the sandbox's init, which relays the signal to the host; SIGKILL ends the whole sandbox.
   */
  async kill(pid: number, signal: NodeJS.Signals | number): Promise<void> {
    const n = typeof signal === 'number' ? signal : osConstants.signals[signal];
    if (n === undefined) throw new RangeError(`kill: unknown signal ${String(signal)}`);
    await this.request('KILL', MsgType.kill, new RecordWriter().i32(pid).i32(n).bytes());
  }

  /**
   * Sends a request of any type with any payload and fds, for tests of the helper's robustness;
   * resolves with the reply's body bytes.
   */
  async rawRequest(type: number, payload: Uint8Array, fds: readonly number[] = []): Promise<Uint8Array> {
    const { body, fds: got } = await this.request(`request type ${type}`, type, payload, fds);
    for (const fd of got) closeFd(fd);
    return body.rest();
  }

  /** Sends bytes as one record, unframed (tests). Replies to it arrive as 'stray'. */
  sendRaw(bytes: Uint8Array, fds: readonly number[] = []): void {
    if (this.gone) throw new Error('the isolation helper is gone');
    requireNative().sendFds(this.socket, fds, bytes);
  }

  /** Kills and reaps every child, waits for the helper to exit, and closes the socket. Idempotent. */
  close(): Promise<void> {
    return (this.closing ??= this.doClose());
  }

  private async doClose(): Promise<void> {
    this.child.ref();
    if (!this.gone) {
      try {
        await this.request('SHUTDOWN', MsgType.shutdown, new Uint8Array(0));
      } catch {
        // Gone already: the exit below still settles.
      }
    }
    // The helper exits right after its reply; one that does not (hung, or wedged under a debugger) is killed.
    let timer: ReturnType<typeof setTimeout> | undefined;
    const late = new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(true), SHUTDOWN_TIMEOUT_MS)));
    if (await Promise.race([this.exited.then(() => false), late])) this.child.kill('SIGKILL');
    clearTimeout(timer);
    await this.exited;
    this.lost();
  }

  private request(what: string, type: number, payload: Uint8Array, fds: readonly number[] = []): Promise<{ body: RecordReader; fds: number[] }> {
    if (this.gone) return Promise.reject(new HelperRequestError(what, 0, 'ECONNRESET', 'the helper is gone'));
    const id = this.nextId;
    this.nextId = this.nextId >= 0x7fffffff ? 1 : this.nextId + 1;
    return new Promise((resolve, reject) => {
      try {
        requireNative().sendFds(this.socket, fds, encodeRecord(type, id, payload));
      } catch (e) {
        reject(e instanceof Error ? e : new Error(String(e)));
        return;
      }
      this.pending.set(id, { request: what, resolve, reject });
      if (this.pending.size === 1) this.channel?.ref(); // an answer is due: keep the loop alive
    });
  }

  private settle(id: number): Pending | undefined {
    const p = this.pending.get(id);
    if (p === undefined) return undefined;
    this.pending.delete(id);
    if (this.pending.size === 0) this.channel?.unref();
    return p;
  }

  private receive(bytes: Uint8Array, fds: number[], truncated: boolean): void {
    try {
      if (truncated) throw new HelperProtocolError('a record was longer than the protocol allows');
      const record = decodeRecord(bytes);
      const r = new RecordReader(record.payload, 'an event');
      switch (record.type) {
        case MsgType.reply: {
          const reply = decodeReply(record.payload);
          const p = this.settle(record.id);
          if (p === undefined) {
            for (const fd of fds) closeFd(fd);
            this.events.emit('stray', { id: record.id, errno: reply.errno, message: reply.message });
          } else if (reply.errno !== 0) {
            for (const fd of fds) closeFd(fd);
            p.reject(new HelperRequestError(p.request, reply.errno, errnoNames.get(reply.errno) ?? `errno ${reply.errno}`, reply.message));
          } else {
            p.resolve({ body: reply.body, fds });
          }
          return;
        }
        case MsgType.childExit: {
          const pid = r.i32();
          const code = r.i32();
          const signal = r.i32();
          const flags = r.u32();
          for (const fd of fds) closeFd(fd);
          this.events.emit('exit', {
            pid,
            code: signal === 0 ? code : null,
            signal: signal === 0 ? null : (signalNames.get(signal) ?? (`SIG${signal}` as NodeJS.Signals)),
            coreDumped: (flags & 1) !== 0,
          });
          return;
        }
        case MsgType.childOutput: {
          const pid = r.i32();
          const stream = r.u32();
          for (const fd of fds) closeFd(fd);
          if (stream !== 1 && stream !== 2) throw new HelperProtocolError(`output on stream ${stream}`);
          this.events.emit('output', { pid, stream, bytes: r.rest() });
          return;
        }
        default:
          throw new HelperProtocolError(`unknown record type ${record.type}`);
      }
    } catch (e) {
      for (const fd of fds) {
        try {
          closeFd(fd);
        } catch {
          // already closed above
        }
      }
      // The helper is trusted code, so a broken record is a bug: stop rather than guess.
      const error = e instanceof Error ? e : new Error(String(e));
      this.failAll(error);
      this.child.kill('SIGKILL');
    }
  }

  private failAll(error: Error): void {
    for (const [id, p] of [...this.pending]) {
      this.settle(id);
      p.reject(error);
    }
  }

  /** The socket closed or the helper is being shut down: nothing more will arrive. */
  private lost(): void {
    if (this.gone) return;
    this.gone = true;
    this.channel?.close();
    this.channel = null;
    if (this.socket >= 0) closeFd(this.socket);
    this.socket = -1;
    this.failAll(new HelperRequestError('request', 0, 'ECONNRESET', 'the helper exited before answering'));
    this.events.emit('close');
  }
}
