import { requireNative, type NativeChannel, type NativeHelper } from '../native.js';
import type { DoorbellSender } from './cross-ring.js';

const BYTE = new Uint8Array([1]);

/**
 * One end of a process link's doorbell: a SEQPACKET socketpair whose records wake a side that
 * waits on its event loop (sleeping flag 2 in cross-ring.ts). The other side sends one byte per
 * sleep it ends; this side reads them with the addon's channel (a native reader thread hands
 * each record to the event loop), so waiting costs no polling and no timer but a safety slice.
 *
 * Sends never block: a peer that stopped reading its doorbell (hostile, or gone) only loses its
 * own wake-ups, and a full socket is counted in `lost`.
 *
 * Thread contract: event loop of the thread that made it.
 */
export class Doorbell implements DoorbellSender {
  private readonly native: NativeHelper = requireNative();
  private channel: NativeChannel | null = null;
  private waiter: (() => void) | null = null;
  private peerClosed = false;
  /** Doorbell bytes this side could not send (socket full or closed). */
  lost = 0;
  /** Bytes received: wake-ups of this side. */
  rung = 0;

  constructor(private readonly fd: number) {}

  ring(): void {
    try {
      if (this.native.sendFds(this.fd, [], BYTE, true) < 0) this.lost++;
    } catch {
      this.lost++; // EPIPE and the like: the peer is gone, and its death is reported elsewhere
    }
  }

  /**
   * Resolves at the next doorbell byte, or after `timeoutMs` (a safety net: a wake-up lost to a
   * dead or hostile peer must not hang the caller). One waiter at a time.
   */
  wait(timeoutMs: number): Promise<void> {
    this.open();
    return new Promise<void>((resolve) => {
      const done = (): void => {
        clearTimeout(timer);
        if (this.waiter === done) this.waiter = null;
        if (this.waiter === null) this.channel?.unref();
        resolve();
      };
      const timer = setTimeout(done, this.peerClosed ? Math.min(timeoutMs, 5) : timeoutMs);
      this.waiter = done;
      this.channel?.ref();
    });
  }

  private open(): void {
    if (this.channel !== null) return;
    this.channel = this.native.openChannel(
      this.fd,
      () => {
        this.rung++;
        this.waiter?.();
      },
      () => {
        this.peerClosed = true;
        this.waiter?.();
      },
      16,
    );
    this.channel.unref();
  }

  /**
   * Stops reading (a later `wait` reads again); a pending wait resolves. The fd stays the
   * caller's. Idempotent.
   */
  close(): void {
    this.channel?.close();
    this.channel = null;
    this.waiter?.();
  }
}
