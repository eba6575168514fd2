import { MemfdRegion } from '../memfd-region.js';
import { linkRegionBytes } from './cross-ring.js';

/**
 * What one side of a process link needs, as plain numbers, so that it can be described to a
 * child process that inherited the fds. Both sides map the same link region read-write; each
 * has its own end of the regions socket and of the doorbell socket.
 */
export interface LinkEndpoint {
  /** The link region (a sealed memfd). */
  readonly regionFd: number;
  readonly byteLength: number;
  /** Forward records; a power of two (see cross-ring.ts). */
  readonly capacity: number;
  /** SEQPACKET: region announcements, producer to consumer, with their fds. */
  readonly regionsSocketFd: number;
  /** SEQPACKET: one byte per wake-up of a side that waits on its event loop. */
  readonly doorbellFd: number;
}

/** How a process bridge behaves and reports. */
export interface ProcessBridgeOptions {
  /**
   * Whether this side may block its thread in futex (an element host whose only task this is).
   * Otherwise it waits on its event loop for the doorbell.
   */
  readonly mayBlock: boolean;
  /** Re-checks of the ring before a wait. */
  readonly spin: number;
  /** The link's name in messages ("fakesrc0.src -> volume0.sink"). */
  readonly label: string;
  /** Called once, with a message naming the link and what was wrong, when the peer breaks the protocol. */
  onViolation(message: string): void;
}

/** Maps the link region of `endpoint` read-write, after checking its size fits its capacity. */
export function mapLinkRegion(endpoint: LinkEndpoint): MemfdRegion {
  const bytes = linkRegionBytes(endpoint.capacity);
  if (endpoint.byteLength !== bytes) {
    throw new RangeError(`a link of ${endpoint.capacity} records has a region of ${bytes} bytes, not ${endpoint.byteLength}`);
  }
  return MemfdRegion.attach(endpoint.regionFd, bytes, true);
}

/** What the creator of a link can ask of a bridge over one of its endpoints in this process. */
export interface BoundBridge {
  reclaimAll?(): number;
  detach?(): void;
}

const bound = new WeakMap<LinkEndpoint, BoundBridge>();

/** Records that `bridge` runs over `endpoint` in this process (bridge constructors call it). */
export function bindEndpoint(endpoint: LinkEndpoint, bridge: BoundBridge): void {
  bound.set(endpoint, bridge);
}

/** The bridge over `endpoint` in this process, if any. */
export function boundBridge(endpoint: LinkEndpoint): BoundBridge | undefined {
  return bound.get(endpoint);
}
