import { constants } from 'node:os';
import { closeFd } from '../../isolation/fd.js';
import { requireNative, type NativeAcceptWatch, type NativeChannel, type NativeHelper } from '../../isolation/native.js';
import { decodeToProducer, encode, IPC_PROTOCOL_VERSION, MAX_CONTROL_BYTES, ProtocolError } from './protocol.js';
import { ListeningSocket } from './socket-path.js';

/** What ipcsink hears from its control socket. Every call comes on the event loop. */
export interface ControlHandlers {
  /**
   * A connection asked for the link. Send the hello on `fd` (the server keeps the fd) and return
   * null, or return why it is refused (the server tells the consumer and hangs up).
   */
  connect(fd: number): string | null;
  /** The linked consumer's task ended; `eos` when it ended with EOS. */
  done(eos: boolean): void;
  /** The linked consumer hung up, died, or broke the protocol. */
  gone(why: string): void;
  /** Accepting failed in a way that would repeat (out of fds…). */
  failed(why: string): void;
}

export function errnoName(errno: number): string {
  const entry = Object.entries(constants.errno).find(([, n]) => n === errno);
  return entry === undefined ? `errno ${errno}` : entry[0];
}

interface Connection {
  readonly channel: NativeChannel;
  linked: boolean;
}

/**
 * ipcsink's listening socket and the connections on it: one consumer at a time. A connection
 * becomes the consumer when its first record is a valid `connect`; until then it is nobody (a
 * probe of whether the socket file is stale connects and leaves, and must not end anything).
 * Every other connection that asks is refused with a reason.
 *
 * Thread contract: event loop only. `close()` ends everything, idempotent.
 */
export class ControlServer {
  private readonly native: NativeHelper = requireNative();
  private readonly socket: ListeningSocket;
  private readonly watch: NativeAcceptWatch;
  private readonly connections = new Map<number, Connection>();
  private closed = false;

  constructor(element: string, path: string, private readonly handlers: ControlHandlers) {
    this.socket = ListeningSocket.open(element, path);
    try {
      this.watch = this.native.watchAccept(this.socket.fd, (fd) => this.accepted(fd), (errno) => this.handlers.failed(`accepting connections failed: ${errnoName(errno)}`));
    } catch (e) {
      closeFd(this.socket.fd);
      this.socket.removeFile();
      throw e;
    }
  }

  private accepted(fd: number): void {
    if (this.closed) {
      closeFd(fd);
      return;
    }
    const channel = this.native.openChannel(fd, (bytes, fds, truncated) => this.received(fd, bytes, fds, truncated), (errno) => this.hungUp(fd, errno), MAX_CONTROL_BYTES + 1);
    this.connections.set(fd, { channel, linked: false });
  }

  private received(fd: number, bytes: Uint8Array, fds: number[], truncated: boolean): void {
    for (const f of fds) closeFd(f);
    const conn = this.connections.get(fd);
    if (conn === undefined) return;
    let message;
    try {
      message = decodeToProducer(bytes, fds, truncated);
    } catch (e) {
      if (!(e instanceof ProtocolError)) throw e;
      this.drop(fd, conn.linked ? null : `bad request: ${e.message}`);
      if (conn.linked) this.handlers.gone(`broke the control protocol (${e.message})`);
      return;
    }
    if (message.type === 'done') {
      if (conn.linked) this.handlers.done(message.eos);
      return;
    }
    if (conn.linked) return; // a repeated connect changes nothing
    const taken = [...this.connections.values()].some((c) => c.linked);
    const refusal = taken ? 'another consumer is connected (one at a time)' : this.handlers.connect(fd);
    if (refusal !== null) this.drop(fd, refusal);
    else conn.linked = true;
  }

  private hungUp(fd: number, errno: number): void {
    const conn = this.connections.get(fd);
    if (conn === undefined) return;
    this.drop(fd, null);
    if (conn.linked) this.handlers.gone(errno === 0 ? 'disconnected' : `lost its connection (${errnoName(errno)})`);
  }

  /** Closes one connection, telling it why first when there is a reason. */
  private drop(fd: number, refusal: string | null): void {
    const conn = this.connections.get(fd);
    if (conn === undefined) return;
    this.connections.delete(fd);
    conn.channel.close();
    if (refusal !== null) {
      try {
        this.native.sendFds(fd, [], encode({ type: 'refused', version: IPC_PROTOCOL_VERSION, reason: refusal }), true);
      } catch {
        // it left already
      }
    }
    closeFd(fd);
  }

  /** Stops listening, hangs up on everyone and removes the socket file (if it is still ours). */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.watch.close();
    for (const fd of [...this.connections.keys()]) this.drop(fd, null);
    closeFd(this.socket.fd);
    this.socket.removeFile();
  }
}
