import type { Element } from '../element/element.js';
import type { Pad } from '../element/pad.js';
import type { PadDirection } from '../element/pad-template.js';
import { linkPads } from './link.js';

/** A link that waits for a sometimes pad: `demux.src_0 ! queue` before demux has seen data. */
export interface PendingLink {
  /** The element that will grow the pad. */
  readonly element: Element;
  /** A pad name ("src_0") or a template name ("src_%u") to match. */
  readonly pad: string;
  readonly direction: PadDirection;
  /** The pad on the other side, chosen when the link was written. */
  readonly peer: Pad;
}

/**
 * Links that are made when their pad appears, as GStreamer's gst-launch does for demuxers.
 * The pads they will link to are reserved, so validation does not call them unlinked.
 */
export class PendingLinks {
  private readonly links: PendingLink[] = [];

  add(link: PendingLink): void {
    this.links.push(link);
  }

  /** Pads that a pending link will use. */
  reserved(): Set<Pad> {
    return new Set(this.links.map((l) => l.peer));
  }

  get size(): number {
    return this.links.length;
  }

  /** Links `pad` if a pending link waits for it. Returns the link made, or undefined. */
  resolve(pad: Pad): PendingLink | undefined {
    const i = this.links.findIndex((l) => l.element === pad.element && l.direction === pad.direction &&
      l.peer.peer === null && (l.pad === pad.name || (l.pad === pad.template.name && pad.template.matches(pad.name))));
    if (i < 0) return undefined;
    const link = this.links[i]!;
    this.links.splice(i, 1);
    if (pad.direction === 'src') linkPads(pad, link.peer);
    else linkPads(link.peer, pad);
    return link;
  }
}
