/**
 * The supervisor's handle on one element host process: spawned by the native helper inside the
 * sandbox, spoken to over its control socket, watched until it exits. Every message from the host
 * is checked (protocol.ts) before anything acts on it; a host that breaks the protocol is reported
 * and killed. A host that dies is reported with its elements, pid, and exit code or signal, and
 * what it last wrote on stderr, as soon as the helper sees the exit (pidfd: no polling).
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { ParallaxError, fromWireRefusal } from '../../errors.js';
import type { ThreadStats } from '../../exec/threads/protocol.js';
import type { PropertyValue } from '../../element/property.js';
import { IsolationUnavailableError, requireNative, type NativeChannel } from '../native.js';
import { HelperRequestError, type ChildExit, type IsolationHelper, type SandboxPolicy } from '../helper-client.js';
import { HostProtocolError, MAX_CONTROL_BYTES, decodeFromHost, encodeMessage, type FromHost, type HostInit, type ToHost } from './protocol.js';
import { closeFd } from '../fd.js';

const ENTRY = fileURLToPath(new URL('../../../workers/element-host.mjs', import.meta.url));

/** How long a stopping host may take before it is killed. */
const STOP_TIMEOUT_MS = 3000;
/** How long a property call waits for its answer. */
const CALL_TIMEOUT_MS = 5000;
/** How long an exit report waits for the host's last control messages (its socket's end). */
const LAST_WORDS_MS = 50;
/** Bytes of a host's stderr kept for the report when it dies. */
const STDERR_TAIL = 2048;

export interface HostProcessHandlers {
  onMessage(m: FromHost): void;
  /** The host died or broke the protocol; `error` says which, naming its elements and pid. */
  onFailure(error: ParallaxError): void;
}

export interface HostSpawnOptions {
  readonly sandbox: SandboxPolicy | null;
  readonly env?: Readonly<Record<string, string>>;
}

export class ElementHostProcess {
  private channel: NativeChannel | null = null;
  private control = -1;
  private exited: ChildExit | null = null;
  private stopping = false;
  private stderr = '';
  private nextCall = 1;
  private readonly calls = new Map<number, { resolve(v: PropertyValue | null): void; reject(e: Error): void; what: string }>();
  private readonly prepared: Promise<void>;
  private preparedSettle!: { resolve(): void; reject(e: Error): void };
  private exitSeen: Promise<void>;
  private exitResolve!: () => void;
  private stoppedResolve: (() => void) | null = null;
  private readonly names: ReadonlySet<string>;
  private offExit: (() => void) | null = null;
  private offOutput: (() => void) | null = null;
  /** The host said it is ready. */
  isPrepared = false;
  /** init went out: before that, the host takes no other message. */
  private ready = false;
  private controlClosed!: () => void;
  private readonly controlGone = new Promise<void>((resolve) => (this.controlClosed = resolve));
  /** Why the host ended, once it has (what onFailure got, or would have got while stopping). */
  exitError: ParallaxError | null = null;
  pid = -1;
  /** Messages refused from this host. */
  violations = 0;
  lastStats: ThreadStats = { pads: {}, pools: { pools: 0, slots: 0, freeSlots: 0, poolsAdded: 0 }, bytesCopied: 0 };

  constructor(private readonly helper: IsolationHelper, readonly init: HostInit, private readonly handlers: HostProcessHandlers) {
    this.names = new Set(init.elements.map((e) => e.name));
    this.prepared = new Promise((resolve, reject) => (this.preparedSettle = { resolve, reject }));
    this.prepared.catch(() => {});
    this.exitSeen = new Promise((resolve) => (this.exitResolve = resolve));
  }

  /** "volume0 (element host pid 1234)". */
  get label(): string {
    return `${[...this.names].join(', ')} (element host${this.pid > 0 ? ` pid ${this.pid}` : ''})`;
  }

  /** Spawns the host and sends it `init` with the fds of its links (the caller keeps its own copies). */
  async start(linkFds: readonly number[], options: HostSpawnOptions): Promise<void> {
    const native = requireNative();
    // Listen before the spawn: an exit or output event may come before its reply is handled.
    const early: ChildExit[] = [];
    this.offExit = this.helper.on('exit', (e) => {
      if (this.pid < 0) early.push(e);
      else if (e.pid === this.pid) this.onExit(e);
    });
    // A host's stdout and stderr are this process's, as a worker's are (fakesink dump=true
    // prints there); the tail of stderr also goes into the report if the host dies.
    this.offOutput = this.helper.on('output', (o) => {
      if (o.pid !== this.pid) return;
      if (o.stream === 2) this.stderr = (this.stderr + Buffer.from(o.bytes).toString()).slice(-STDERR_TAIL);
      (o.stream === 1 ? process.stdout : process.stderr).write(o.bytes);
    });
    const [mine, theirs] = native.socketPair();
    this.control = mine;
    try {
      this.channel = native.openChannel(mine, (bytes, fds, truncated) => this.receive(bytes, fds, truncated), () => this.lostControl(), MAX_CONTROL_BYTES);
      // Referenced: a live host keeps the supervisor's event loop running, as a worker does.
      const argv = [process.execPath, ...runtimeArgs(), ENTRY];
      const env = { ...runtimeEnv(options.sandbox !== null), ...options.env };
      try {
        const { pid } = await this.helper.spawn({ argv, env, fds: [theirs], sandbox: options.sandbox });
        this.pid = pid;
      } catch (e) {
        throw namespacesMissing(e) ?? e;
      }
    } finally {
      closeFd(theirs);
    }
    const exitedEarly = early.find((e) => e.pid === this.pid);
    if (exitedEarly !== undefined) return this.onExit(exitedEarly);
    native.sendFds(mine, linkFds, encodeMessage({ type: 'init', init: this.init }));
    this.ready = true;
  }

  /** Whether the process has ended. */
  get hasExited(): boolean {
    return this.exited !== null;
  }

  whenPrepared(): Promise<void> {
    return this.prepared;
  }

  send(m: ToHost): void {
    if (this.exited !== null || !this.ready) return;
    try {
      requireNative().sendFds(this.control, [], encodeMessage(m));
    } catch {
      // The host is gone; its exit event reports it.
    }
  }

  /** A property call; settles with ABORTED when the host dies or stops first. */
  call(m: { op: 'set-property'; element: string; property: string; value: import('../../exec/threads/protocol.js').WireValue } | { op: 'get-property'; element: string; property: string }, what: string): Promise<PropertyValue | null> {
    if (this.exited !== null || this.stopping || !this.ready) {
      return Promise.reject(new ParallaxError('ABORTED', `${what}: ${this.label} is ${this.exited !== null ? 'gone' : this.stopping ? 'stopping' : 'not started yet'}`));
    }
    const id = this.nextCall++;
    return new Promise((resolve, reject) => {
      // A host busy in a tight loop, or hostile, may never answer: the call does not wait for ever.
      const timer = setTimeout(() => {
        this.calls.delete(id);
        reject(new ParallaxError('ABORTED', `${what}: ${this.label} did not answer within ${CALL_TIMEOUT_MS} ms`));
      }, CALL_TIMEOUT_MS);
      this.calls.set(id, { resolve: (v) => (clearTimeout(timer), resolve(v)), reject: (e) => (clearTimeout(timer), reject(e)), what });
      this.send({ type: 'call', id, ...m });
    });
  }

  private receive(bytes: Uint8Array, fds: number[], truncated: boolean): void {
    for (const fd of fds) closeFd(fd); // hosts never send fds to the supervisor
    let m: FromHost;
    try {
      if (fds.length > 0) throw new HostProtocolError(`a message carrying ${fds.length} fds`);
      m = decodeFromHost(bytes, truncated, this.names);
    } catch (e) {
      this.violations++;
      const why = e instanceof Error ? e.message : String(e);
      this.fail(new ParallaxError('IPC_VIOLATION', `${this.label} broke the control protocol: ${why}; it was stopped`));
      if (this.pid > 0 && this.exited === null) void this.helper.kill(this.pid, 'SIGKILL').catch(() => {});
      return;
    }
    switch (m.type) {
      case 'prepared':
        this.isPrepared = true;
        this.preparedSettle.resolve();
        break;
      case 'prepare-failed':
        this.preparedSettle.reject(Object.assign(new Error(m.message), { element: m.element }));
        break;
      case 'stats':
        this.lastStats = m.stats;
        break;
      case 'stopped':
        this.lastStats = m.stats;
        this.stoppedResolve?.();
        break;
      case 'reply': {
        const call = this.calls.get(m.id);
        if (call === undefined) break;
        this.calls.delete(m.id);
        if (m.ok) call.resolve(m.value);
        else call.reject(fromWireRefusal(m, call.what));
        break;
      }
      default:
        break;
    }
    queueMicrotask(() => this.handlers.onMessage(m));
  }

  /** The control socket closed: the host is gone or going; its exit event has the details. */
  private lostControl(): void {
    this.channel?.close();
    this.channel = null;
    this.controlClosed();
    this.preparedSettle.reject(Object.assign(new ParallaxError('HOST_DIED', `${this.label} closed its control socket before it was ready`), { element: [...this.names][0] ?? '' }));
  }

  private onExit(e: ChildExit): void {
    if (this.exited !== null) return;
    this.exited = e;
    // What the host said last (an element's error, say) comes first: its control socket ends
    // right after the exit, so wait for that end — briefly, a crash report must not wait.
    let timer: ReturnType<typeof setTimeout> | undefined;
    void Promise.race([this.controlGone, new Promise<void>((resolve) => (timer = setTimeout(resolve, LAST_WORDS_MS)))]).then(() => {
      clearTimeout(timer);
      this.reportExit(e);
    });
  }

  private reportExit(e: ChildExit): void {
    this.exitResolve();
    this.stoppedResolve?.();
    const how = e.signal !== null ? `was killed by ${e.signal}` : `exited with code ${e.code}`;
    const last = this.stderr.trim().split('\n').slice(-3).join(' | ');
    const error = new ParallaxError('HOST_DIED', `${this.label} ${how}${last ? `; it last wrote: ${last}` : ''}`);
    for (const call of this.calls.values()) call.reject(new ParallaxError('ABORTED', `${call.what}: ${this.label} ${how} before answering`));
    this.calls.clear();
    this.exitError = error;
    this.preparedSettle.reject(Object.assign(error, { element: [...this.names][0] ?? '' }));
    if (!this.stopping) this.fail(error);
  }

  /** Reported from a microtask: whatever the handlers (bus listeners) throw must not unwind into the helper's or the channel's native callback. */
  private fail(error: ParallaxError): void {
    queueMicrotask(() => this.handlers.onFailure(error));
  }

  /** Stops the host's tasks and waits for it to exit; a host that does not, is killed. Never hangs. */
  stop(): Promise<void> {
    return (this.stopped ??= this.doStop());
  }

  private stopped: Promise<void> | null = null;

  private async doStop(): Promise<void> {
    this.stopping = true;
    if (this.pid > 0 && this.exited === null) {
      const said = new Promise<void>((resolve) => (this.stoppedResolve = resolve));
      this.send({ type: 'stop' });
      let timer: ReturnType<typeof setTimeout> | undefined;
      await Promise.race([Promise.all([said, this.exitSeen]), new Promise<void>((resolve) => (timer = setTimeout(resolve, STOP_TIMEOUT_MS)))]);
      clearTimeout(timer);
      if (this.exited === null) {
        await this.helper.kill(this.pid, 'SIGKILL').catch(() => {});
        await Promise.race([this.exitSeen, new Promise<void>((resolve) => (timer = setTimeout(resolve, STOP_TIMEOUT_MS)))]);
        clearTimeout(timer);
      }
    }
    this.channel?.close();
    this.channel = null;
    if (this.control >= 0) closeFd(this.control);
    this.control = -1;
    this.offExit?.();
    this.offOutput?.();
  }
}

/**
 * The helper could not make the sandbox's namespaces: say why in a user's terms, and what to do.
 * Null when `e` is some other failure.
 */
function namespacesMissing(e: unknown): IsolationUnavailableError | null {
  if (!(e instanceof HelperRequestError) || !/clone\(CLONE_NEWUSER/.test(e.message)) return null;
  const read = (path: string): string | null => {
    try {
      return readFileSync(path, 'utf8').trim();
    } catch {
      return null;
    }
  };
  const max = read('/proc/sys/user/max_user_namespaces');
  const unprivileged = read('/proc/sys/kernel/unprivileged_userns_clone');
  const why = max === '0' ? '/proc/sys/user/max_user_namespaces is 0'
    : unprivileged === '0' ? '/proc/sys/kernel/unprivileged_userns_clone is 0'
    : `the kernel refused them (${e.code})`;
  return new IsolationUnavailableError(
    `user namespaces are not available here: ${why}. Sandboxed element hosts need them; allow them ` +
    '(sysctl user.max_user_namespaces, kernel.unprivileged_userns_clone=1, or the container\'s seccomp/AppArmor profile), ' +
    'or run the hosts without the sandbox (isolation.sandbox: false, parallax-launch --no-sandbox), which isolates crashes but not access',
    { cause: e },
  );
}

/**
 * What the runtime needs in a host's environment, which is otherwise empty. Deno refuses to start
 * without a cache directory; a sandboxed host gets one that does not exist in its sandbox, so it
 * runs without caches rather than share the supervisor's (whose SQLite databases the supervisor
 * may hold locked: a host waiting on them was seen to hang for more than 30 s).
 */
function runtimeEnv(sandboxed: boolean): Record<string, string> {
  const dir = denoDir();
  if (dir === null) return {};
  return { DENO_DIR: sandboxed ? '/parallax-host-has-no-deno-cache' : dir, DENO_NO_UPDATE_CHECK: '1', NO_COLOR: '1' };
}

/** Deno's cache directory when this runtime is Deno, else null. */
export function denoDir(): string | null {
  const deno = (globalThis as { Deno?: { env: { get(k: string): string | undefined } } }).Deno;
  if (deno === undefined) return null;
  const home = deno.env.get('HOME') ?? '/root';
  return deno.env.get('DENO_DIR') ?? `${deno.env.get('XDG_CACHE_HOME') ?? `${home}/.cache`}/deno`;
}

/** Arguments the runtime needs before a script path: Deno runs scripts through `run`. */
function runtimeArgs(): string[] {
  const g = globalThis as { Deno?: unknown; Bun?: unknown };
  if (g.Deno !== undefined) return ['run', '--allow-all'];
  if (g.Bun !== undefined) return [];
  // An exception in a native callback must end the host (and be reported), not be logged and lost.
  return ['--force-node-api-uncaught-exceptions-policy=true'];
}
