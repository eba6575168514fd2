import type { Buffer } from './buffer.js';
import type { Caps } from './caps/index.js';
import type { Element } from './element.js';
import type { Event } from './event.js';
import { isSticky } from './event.js';
import { FlowResult } from './flow.js';
import type { PadDirection, PadTemplate } from './pad-template.js';

/**
 * A pad is where an element meets a link. A src pad pushes buffers and downstream events to its
 * peer sink pad; a sink pad sends upstream events to its peer src pad.
 *
 * Pushing is a direct, synchronous call into the peer element (`chain`), as in GStreamer: a chain
 * of synchronous elements runs as one tight loop, and only queues and async elements cut it.
 * Thread contract: the streaming task that owns the chain calls push; nothing else does.
 */
export class Pad {
  peer: Pad | null = null;
  /** The caps negotiated for this pad's link, set when the pipeline prepares. */
  caps: Caps | null = null;
  /** Sticky events seen on this pad (stream-start, caps, segment, eos), by type. */
  readonly sticky = new Map<string, Event>();
  buffers = 0;
  bytes = 0;

  constructor(
    readonly name: string,
    readonly direction: PadDirection,
    readonly template: PadTemplate,
    readonly element: Element,
  ) {}

  /** "volume0:src" — how pads are named in every message. */
  get fullName(): string {
    return `${this.element.name}:${this.name}`;
  }

  get isLinked(): boolean {
    return this.peer !== null;
  }

  /** Src pads: hands `buf` to the peer. The reference moves with it. Hot path. */
  push(buf: Buffer): FlowResult {
    const peer = this.peer;
    if (peer === null) {
      buf.release();
      return FlowResult.NOT_LINKED;
    }
    this.buffers++;
    this.bytes += buf.size;
    try {
      return peer.element.chain(peer, buf);
    } catch (e) {
      // Elements must not throw on the hot path; one that does is named, and the stream stops.
      return peer.element.error(`threw while handling a buffer on ${peer.name}: ${e instanceof Error ? e.message : String(e)}`, e);
    }
  }

  /**
   * Src pads: sends a downstream event; sink pads: an upstream one. Sticky events are remembered
   * so a late link can be brought up to date. Returns whether the event was handled.
   */
  pushEvent(ev: Event): boolean {
    if (this.direction === 'src' && isSticky(ev)) this.sticky.set(ev.type, ev);
    const peer = this.peer;
    if (peer === null) return false;
    try {
      if (this.direction === 'src') {
        if (isSticky(ev)) peer.sticky.set(ev.type, ev);
        return peer.element.sinkEvent(peer, ev);
      }
      return peer.element.srcEvent(peer, ev);
    } catch (e) {
      peer.element.error(`threw while handling a ${ev.type} event on ${peer.name}: ${e instanceof Error ? e.message : String(e)}`, e);
      return false;
    }
  }
}
