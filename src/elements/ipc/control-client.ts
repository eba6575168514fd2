import { closeFd } from '../../isolation/fd.js';
import { requireNative, type NativeChannel, type NativeHelper } from '../../isolation/native.js';
import { errnoName } from './control-server.js';
import { decodeToConsumer, encode, IPC_PROTOCOL_VERSION, MAX_CONTROL_BYTES, ProtocolError, type HelloMessage } from './protocol.js';

/** How often a connect is retried while the producer's program has not started yet. */
export const RETRY_MS = 50;
/** Connect errors that mean "not there yet": no socket file, a stale one, a full backlog. */
const RETRYABLE = new Set(['ENOENT', 'ECONNREFUSED', 'EAGAIN']);

/** Why `open()` ended without a hello. `cancelled`: the pipeline stopped meanwhile, not an error. */
export class ConnectError extends Error {
  override name = 'ConnectError';
  constructor(message: string, readonly cancelled = false) {
    super(message);
  }
}

/** A hello with its fds (link region, regions socket, doorbell), owned by the caller. */
export interface Hello {
  readonly message: HelloMessage;
  readonly fds: readonly number[];
}

/**
 * ipcsrc's side of the control socket: connect, ask for the link, take the hello, and from then
 * on watch the socket, whose end means the producer is gone (it stopped, or its process died).
 *
 * Thread contract: event loop only. `close()` is idempotent and ends a pending `open()` with a
 * cancelled ConnectError.
 */
export class ControlClient {
  private readonly native: NativeHelper = requireNative();
  private fd = -1;
  private channel: NativeChannel | null = null;
  /** The whole of `open()`: connecting and the hello. */
  private deadlineTimer: ReturnType<typeof setTimeout> | null = null;
  private retryTimer: ReturnType<typeof setTimeout> | null = null;
  private pending: { resolve(h: Hello): void; reject(e: ConnectError): void } | null = null;
  private closed = false;

  /** @param onLost called once, after the hello, when the producer hangs up or misbehaves */
  constructor(readonly path: string, private readonly timeoutMs: number, private readonly onLost: (why: string) => void) {}

  /**
   * Connects (retrying while the producer is not there yet), sends `connect` and resolves with
   * the hello; rejects with a ConnectError that says what went wrong, within `timeoutMs` in all.
   */
  open(): Promise<Hello> {
    return new Promise<Hello>((resolve, reject) => {
      this.pending = { resolve, reject };
      this.deadlineTimer = setTimeout(() => this.fail(this.fd < 0
        ? `cannot connect to "${this.path}" within ${this.timeoutMs} ms (is ipcsink running there?): ${this.lastError}`
        : `no hello from the producer at "${this.path}" within ${this.timeoutMs} ms`), this.timeoutMs);
      this.attempt();
    });
  }

  private lastError = 'not tried';

  // Retrying connect on a timer is not polling for data: the other program may simply not have
  // started yet, and nothing in the kernel tells us when a socket file appears and listens.
  private attempt(): void {
    if (this.pending === null) return;
    try {
      this.fd = this.native.unixConnect(this.path);
    } catch (e) {
      this.lastError = e instanceof Error ? e.message : String(e);
      if (RETRYABLE.has(String((e as { code?: unknown }).code))) {
        this.retryTimer = setTimeout(() => this.attempt(), RETRY_MS);
        return;
      }
      this.fail(`cannot connect to "${this.path}": ${this.lastError}`);
      return;
    }
    this.channel = this.native.openChannel(this.fd, (bytes, fds, truncated) => this.received(bytes, fds, truncated), (errno) => this.hungUp(errno), MAX_CONTROL_BYTES + 1);
    try {
      this.native.sendFds(this.fd, [], encode({ type: 'connect', version: IPC_PROTOCOL_VERSION }), true);
    } catch (e) {
      this.fail(`cannot ask the producer at "${this.path}" for the link: ${e instanceof Error ? e.message : String(e)}`);
    }
  }

  private received(bytes: Uint8Array, fds: number[], truncated: boolean): void {
    const pending = this.pending;
    if (pending === null) {
      for (const f of fds) closeFd(f);
      this.lost('sent a record after its hello');
      return;
    }
    let message;
    try {
      message = decodeToConsumer(bytes, fds, truncated);
    } catch (e) {
      for (const f of fds) closeFd(f);
      if (!(e instanceof ProtocolError)) throw e;
      this.fail(`the producer at "${this.path}" broke the control protocol: ${e.message}`);
      return;
    }
    if (message.type === 'refused') {
      this.fail(`the producer at "${this.path}" refused the connection: ${message.reason}`);
      return;
    }
    this.settle();
    pending.resolve({ message, fds });
  }

  private hungUp(errno: number): void {
    if (this.pending !== null) {
      this.fail(`the producer at "${this.path}" closed the connection before its hello${errno === 0 ? '' : ` (${errnoName(errno)})`}`);
    } else {
      this.lost(errno === 0 ? 'disconnected' : `lost its connection (${errnoName(errno)})`);
    }
  }

  private lost(why: string): void {
    if (this.closed) return;
    this.close();
    this.onLost(why);
  }

  /** Tells the producer this side's task ended (it may have left already: then nothing). */
  sendDone(eos: boolean): void {
    if (this.fd < 0 || this.closed) return;
    try {
      this.native.sendFds(this.fd, [], encode({ type: 'done', eos }), true);
    } catch {
      // the producer is gone; its socket end says so
    }
  }

  private settle(): void {
    if (this.deadlineTimer !== null) clearTimeout(this.deadlineTimer);
    if (this.retryTimer !== null) clearTimeout(this.retryTimer);
    this.deadlineTimer = this.retryTimer = null;
    this.pending = null;
  }

  private fail(message: string, cancelled = false): void {
    const pending = this.pending;
    this.settle();
    this.close();
    pending?.reject(new ConnectError(message, cancelled));
  }

  /** Hangs up; a pending `open()` rejects as cancelled. */
  close(): void {
    if (this.pending !== null) {
      this.fail('cancelled', true);
      return;
    }
    if (this.closed) return;
    this.closed = true;
    this.channel?.close();
    this.channel = null;
    if (this.fd >= 0) closeFd(this.fd);
    this.fd = -1;
  }
}
