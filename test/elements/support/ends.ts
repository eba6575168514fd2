import { Buffer } from '../../../src/element/buffer.js';
import { Element } from '../../../src/element/element.js';
import type { Event } from '../../../src/element/event.js';
import { FlowResult } from '../../../src/element/flow.js';
import type { ElementMetadata } from '../../../src/element/metadata.js';
import type { Pad } from '../../../src/element/pad.js';
import { linkPads } from '../../../src/graph/link.js';
import type { Harness } from '../../../src/harness/harness.js';

/** A hand-driven upstream: pushes what the test says into the pad it is linked to. */
export class Pusher extends Element {
  static readonly metadata: ElementMetadata = {
    factory: 'pusher', classification: 'Testing', description: '', example: '',
    padTemplates: [{ name: 'src', direction: 'src', presence: 'always' }], properties: {}, affinity: 'async', rtSafe: true,
  };
  constructor(name: string, private readonly h: Harness) {
    super(name);
    this.attach(h.element.context);
  }
  push(text: string, meta: { pts?: number; duration?: number } = {}): FlowResult {
    const buf = Buffer.fromBytes(this.h.allocator, new TextEncoder().encode(text));
    if (meta.pts !== undefined) buf.pts = meta.pts;
    if (meta.duration !== undefined) buf.duration = meta.duration;
    return this.pad('src')!.push(buf);
  }
  event(ev: Event): boolean {
    return this.pad('src')!.pushEvent(ev);
  }
  /** A pusher linked to a new request sink pad of `el`. */
  static linkTo(el: Element, h: Harness, name: string): Pusher {
    const p = new Pusher(name, h);
    linkPads(p.pad('src')!, el.requestPad('sink_%u'));
    return p;
  }
}

/** A hand-read downstream: keeps the buffers (as text) and events that reach it. */
export class Collector extends Element {
  static readonly metadata: ElementMetadata = {
    factory: 'collector', classification: 'Testing', description: '', example: '',
    padTemplates: [{ name: 'sink', direction: 'sink', presence: 'always' }], properties: {}, affinity: 'async', rtSafe: true,
  };
  readonly texts: string[] = [];
  readonly events: Event[] = [];
  override chain(_pad: Pad, buf: Buffer): FlowResult {
    this.texts.push(new TextDecoder().decode(buf.data));
    buf.release();
    return FlowResult.OK;
  }
  override sinkEvent(_pad: Pad, ev: Event): boolean {
    this.events.push(ev);
    return true;
  }
  /** A collector linked to `pad` (a src pad). */
  static linkTo(pad: Pad, name: string): Collector {
    const c = new Collector(name);
    linkPads(pad, c.pad('sink')!);
    return c;
  }
}
