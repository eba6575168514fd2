import { Buffer } from '../../element/buffer.js';
import type { Caps } from '../../element/caps/index.js';
import { Element } from '../../element/element.js';
import { Events, isSerialized, type Event, type Segment } from '../../element/event.js';
import { FlowResult } from '../../element/flow.js';
import type { ElementMetadata } from '../../element/metadata.js';
import type { Pad } from '../../element/pad.js';
import { runningTime } from '../timing/running-time.js';

type Item = Buffer | Event;

/** What concat keeps per sink pad: what arrived before its turn, and how to wake its upstream. */
interface Waiting {
  readonly items: Item[];
  wake: (() => void) | null;
  turn: Promise<void> | null;
  /** What downstream said to the buffer pushed on this pad's behalf; its next chain returns it. */
  flow: FlowResult;
}

/**
 * `concat name=c ! fakesink  fakesrc num-buffers=3 ! c.  fakesrc num-buffers=3 ! c.`
 *
 * Classification: Generic.
 *
 * Plays its request sink pads (`sink_%u`) one after another, in the order they were made, after
 * GStreamer's concat: the next pad's data goes out once the previous pad had EOS, and only the
 * last pad's EOS goes downstream. A pad whose turn has not come holds what it sent (its stream
 * headers and one buffer) and its upstream waits, so nothing is lost and nothing is read early.
 *
 * With `adjust-base` (default), each pad's segment goes out with its `base` moved on by the
 * running time the pads before it played (up to the end of their last buffer), so timestamps
 * run on across the joins as in GStreamer. As there, each pad's stream-start goes out when its
 * turn comes (unless it repeats the last stream-id); caps go out again only when a pad's caps
 * differ. `active-pad` reads the pad playing now.
 *
 * Event-loop, called from each upstream's streaming task. A pad's held data is pushed on the
 * task of the pad that ended before it (its EOS), then its own task carries on.
 */
export class Concat extends Element {
  static readonly metadata: ElementMetadata = {
    factory: 'concat',
    classification: 'Generic',
    description: 'Concatenate multiple streams',
    example: 'concat name=c ! fakesink  fakesrc num-buffers=3 ! c.  fakesrc num-buffers=3 ! c.',
    padTemplates: [
      { name: 'sink_%u', direction: 'sink', presence: 'request' },
      { name: 'src', direction: 'src', presence: 'always' },
    ],
    properties: {
      'adjust-base': { type: 'bool', default: true, description: 'Adjust the base value of segments' },
      'active-pad': { type: 'string', default: null, readonly: true, description: 'Currently active sink pad' },
    },
    affinity: 'async',
    rtSafe: false,
  };

  private readonly waiting = new Map<Pad, Waiting>();
  private active: Pad | null = null;
  private adjustBase = true;
  /** Running time played by the pads before the active one. */
  private base = 0;
  /** The active pad's segment, and the running time at the end of its last buffer. */
  private segment: Segment | null = null;
  private playedTo = 0;
  private sentStream: string | null = null;
  private sentCaps: Caps | null = null;
  private eosSent = false;
  private srcPadCache: Pad | null = null;

  get srcPad(): Pad {
    return (this.srcPadCache ??= this.pad('src')!);
  }

  override start(): void {
    this.releaseAll();
    this.adjustBase = this.bool('adjust-base');
    this.active = this.sinkPads[0] ?? null;
    this.base = 0;
    this.segment = null;
    this.playedTo = 0;
    this.sentStream = null;
    this.sentCaps = null;
    this.eosSent = false;
  }

  override stop(): void {
    this.releaseAll();
  }

  override unblock(): void {
    this.releaseAll();
  }

  protected override readProperty(name: string): string | null | undefined {
    return name === 'active-pad' ? this.active?.name ?? null : undefined;
  }

  override removePad(pad: Pad): void {
    const wasActive = pad === this.active;
    const next = wasActive ? this.nextPad(pad) : null;
    this.drop(pad);
    super.removePad(pad);
    if (wasActive) this.advance(next);
  }

  override chain(pad: Pad, buf: Buffer): FlowResult {
    if (this.eosSent) {
      buf.release();
      return FlowResult.EOS;
    }
    if (this.active === null) this.active = pad;
    const w = this.waiting.get(pad);
    if (w !== undefined && w.flow !== FlowResult.OK) {
      buf.release();
      return w.flow;
    }
    if (pad !== this.active) {
      this.hold(pad, buf);
      return FlowResult.OK;
    }
    return this.pushBuffer(buf);
  }

  override sinkEvent(pad: Pad, ev: Event): boolean {
    if (ev.type === 'caps') pad.caps = ev.caps;
    if (this.active === null) this.active = pad;
    if (!isSerialized(ev) || ev.type === 'flush-stop') {
      // Flushes concern the pad that plays; a waiting pad's are its own business.
      return pad === this.active ? this.srcPad.pushEvent(ev) : true;
    }
    if (pad !== this.active) {
      this.hold(pad, ev);
      return true;
    }
    return this.handleEvent(pad, ev);
  }

  private pushBuffer(buf: Buffer): FlowResult {
    if (buf.pts >= 0 && this.segment !== null) {
      const end = runningTime(this.segment, buf.pts + Math.max(buf.duration, 0));
      if (end > this.playedTo) this.playedTo = end;
    }
    return this.srcPad.push(buf);
  }

  private handleEvent(pad: Pad, ev: Event): boolean {
    switch (ev.type) {
      case 'stream-start':
        if (ev.streamId === this.sentStream) return true;
        this.sentStream = ev.streamId;
        return this.srcPad.pushEvent(ev);
      case 'caps':
        if (this.sentCaps !== null && this.sentCaps.equals(ev.caps)) return true;
        this.sentCaps = ev.caps;
        return this.srcPad.pushEvent(ev);
      case 'segment': {
        this.segment = ev.segment;
        this.playedTo = ev.segment.base;
        if (!this.adjustBase || this.base === 0) return this.srcPad.pushEvent(ev);
        const seg = { ...ev.segment, base: ev.segment.base + this.base };
        this.segment = seg;
        this.playedTo = seg.base;
        return this.srcPad.pushEvent(Events.segment(seg));
      }
      case 'eos': {
        const next = this.nextPad(pad);
        if (next === null) {
          this.eosSent = true;
          return this.srcPad.pushEvent(ev);
        }
        this.base = this.playedTo;
        this.advance(next);
        return true;
      }
      default:
        return this.srcPad.pushEvent(ev);
    }
  }

  /** The sink pad after `pad` in creation order, or null for the last. */
  private nextPad(pad: Pad): Pad | null {
    const pads = this.sinkPads;
    return pads[pads.indexOf(pad) + 1] ?? null;
  }

  /** Makes `next` the playing pad: sends what it held, then lets its upstream go on. */
  private advance(next: Pad | null): void {
    this.active = next;
    this.segment = null;
    if (next === null) return;
    const w = this.waiting.get(next);
    if (w === undefined) return;
    this.waiting.delete(next);
    let flow: FlowResult = FlowResult.OK;
    for (const item of w.items) {
      if (item instanceof Buffer) {
        if (flow === FlowResult.OK) flow = this.pushBuffer(item);
        else item.release();
      } else if (this.active === next) this.handleEvent(next, item);
    }
    // The pad's next chain call sees what downstream said to its held buffer.
    if (flow !== FlowResult.OK) this.waiting.set(next, { items: [], wake: null, turn: null, flow });
    w.wake?.();
  }

  /** Keeps an item of a pad whose turn has not come; a buffer makes its upstream wait. */
  private hold(pad: Pad, item: Item): void {
    let w = this.waiting.get(pad);
    if (w === undefined) this.waiting.set(pad, (w = { items: [], wake: null, turn: null, flow: FlowResult.OK }));
    w.items.push(item);
    if (item instanceof Buffer) {
      const entry = w;
      entry.turn ??= new Promise<void>((resolve) => (entry.wake = resolve));
      this.context.blockUpstream(entry.turn);
    }
  }

  private drop(pad: Pad): void {
    const w = this.waiting.get(pad);
    if (w === undefined) return;
    this.waiting.delete(pad);
    for (const item of w.items) if (item instanceof Buffer) item.release();
    w.wake?.();
  }

  private releaseAll(): void {
    for (const pad of [...this.waiting.keys()]) this.drop(pad);
  }
}

export default Concat;
