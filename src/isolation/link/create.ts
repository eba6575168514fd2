import { requireNative } from '../native.js';
import { initLinkRegion, linkRegionBytes, LinkMonitor } from './cross-ring.js';
import { boundBridge, type LinkEndpoint } from './endpoint.js';
import { closeFd } from '../fd.js';

export type { LinkEndpoint } from './endpoint.js';

/** A new process link: what each side needs, and the fds the creator holds for both. */
export interface ProcessLink {
  readonly producer: LinkEndpoint;
  readonly consumer: LinkEndpoint;
  /** Every fd made here (the link region, both ends of both sockets), close-on-exec. */
  readonly fds: readonly number[];
  /**
   * The consumer's process died: the producer is told (it stops with FLUSHING) and woken, and a
   * producer bridge in this process releases every buffer the consumer held. Idempotent.
   */
  consumerGone(): void;
  /**
   * The producer's process died: the consumer is told (it stops once the ring is empty) and
   * woken, and a consumer bridge in this process stops giving tokens back. Idempotent.
   */
  producerGone(): void;
  /** For pipeline stats: records in the ring now, and wake-ups sent (drops: none, links block). */
  stats(): { depth: number; drops: number; wakeups: number };
  /** Closes `fds`; sides that inherited or mapped them keep working. Idempotent. */
  close(): void;
}

/**
 * Makes a process link of `capacity` records: the link region (a sealed memfd, zeroed, laid out
 * by cross-ring.ts), the regions socketpair and the doorbell socketpair. The creator (the
 * supervisor) passes each endpoint's fds to the process that runs that side, or uses an
 * endpoint itself. `regionFd`, when given, is a sealed memfd of `linkRegionBytes(capacity)`
 * bytes made elsewhere (the isolation helper's CREATE_REGION); the link owns it from then on.
 */
export function createProcessLink(capacity = 256, regionFd?: number): ProcessLink {
  const native = requireNative();
  const byteLength = linkRegionBytes(capacity);
  const fds: number[] = [];
  try {
    if (regionFd !== undefined) {
      fds.push(regionFd);
      if (native.fdSize(regionFd) !== byteLength) throw new RangeError(`a link of ${capacity} records needs a region of ${byteLength} bytes; fd ${regionFd} has ${native.fdSize(regionFd)}`);
    } else {
      regionFd = native.memfdCreate('parallax-link', byteLength);
      fds.push(regionFd);
    }
    const { buffer } = native.mapShared(regionFd, byteLength, true, false);
    initLinkRegion(buffer, capacity);
    const [regionsP, regionsC] = native.socketPair();
    fds.push(regionsP, regionsC);
    const [bellP, bellC] = native.socketPair();
    fds.push(bellP, bellC);
    const monitor = new LinkMonitor(buffer, capacity, bellP, bellC);
    const producer: LinkEndpoint = { regionFd, byteLength, capacity, regionsSocketFd: regionsP, doorbellFd: bellP };
    const consumer: LinkEndpoint = { regionFd, byteLength, capacity, regionsSocketFd: regionsC, doorbellFd: bellC };
    let closed = false;
    return {
      producer,
      consumer,
      fds,
      consumerGone(): void {
        if (!closed) monitor.consumerGone();
        boundBridge(producer)?.reclaimAll?.();
      },
      producerGone(): void {
        if (!closed) monitor.producerGone();
        boundBridge(consumer)?.detach?.();
      },
      stats: () => ({ depth: monitor.depth(), drops: 0, wakeups: monitor.wakeups }),
      close(): void {
        if (closed) return;
        closed = true;
        for (const fd of fds) closeFd(fd);
      },
    };
  } catch (e) {
    for (const fd of fds) closeFd(fd);
    throw e;
  }
}
