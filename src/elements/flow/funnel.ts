import type { Buffer } from '../../element/buffer.js';
import type { Caps } from '../../element/caps/index.js';
import { Element } from '../../element/element.js';
import { Events, type Event } from '../../element/event.js';
import { FlowResult } from '../../element/flow.js';
import type { ElementMetadata } from '../../element/metadata.js';
import type { Pad } from '../../element/pad.js';
import type { PropertyValue } from '../../element/property.js';

/**
 * `funnel name=f ! fakesink  fakesrc num-buffers=3 ! f.  fakesrc num-buffers=3 ! f.`
 *
 * Classification: Generic.
 *
 * N-to-1 pipe fitting, after GStreamer's funnel: buffers from every request sink pad (`sink_%u`)
 * go out of the one src pad as they come. stream-start and segment go out once (the first);
 * caps go out first and again whenever data switches to an input with other caps (with
 * `forward-sticky-events`). EOS goes out once every sink pad has had EOS.
 *
 * Event-loop, called from each upstream's streaming task. Hot path: one push, allocation-free.
 */
export class Funnel extends Element {
  static readonly metadata: ElementMetadata = {
    factory: 'funnel',
    classification: 'Generic',
    description: 'N-to-1 pipe fitting',
    example: 'funnel name=f ! fakesink  fakesrc num-buffers=3 ! f.  fakesrc num-buffers=3 ! f.',
    padTemplates: [
      { name: 'sink_%u', direction: 'sink', presence: 'request' },
      { name: 'src', direction: 'src', presence: 'always' },
    ],
    properties: {
      'forward-sticky-events': { type: 'bool', default: true, mutable: true, description: 'Forward sticky events on stream changes' },
    },
    affinity: 'auto',
    rtSafe: true,
  };

  private srcPadCache: Pad | null = null;
  private readonly eosPads = new Set<Pad>();
  private activePad: Pad | null = null;
  private sentCaps: Caps | null = null;
  private streamStartSent = false;
  private segmentSent = false;
  private eosSent = false;
  private forwardSticky = true;

  get srcPad(): Pad {
    return (this.srcPadCache ??= this.pad('src')!);
  }


  override start(): void {
    this.eosPads.clear();
    this.activePad = null;
    this.sentCaps = null;
    this.streamStartSent = false;
    this.segmentSent = false;
    this.eosSent = false;
    this.forwardSticky = this.bool('forward-sticky-events');
  }

  protected override propertyChanged(name: string, value: PropertyValue): void {
    if (name === 'forward-sticky-events') this.forwardSticky = value as boolean;
  }

  override chain(pad: Pad, buf: Buffer): FlowResult {
    if (pad !== this.activePad) {
      this.activePad = pad;
      if (this.forwardSticky) this.forwardCaps(pad.caps);
    }
    return this.srcPad.push(buf);
  }

  private forwardCaps(caps: Caps | null): void {
    if (caps === null) return;
    const sent = this.sentCaps;
    if (sent === caps || (sent !== null && sent.equals(caps))) return;
    this.sentCaps = caps;
    this.srcPad.pushEvent(Events.caps(caps));
  }

  override sinkEvent(pad: Pad, ev: Event): boolean {
    switch (ev.type) {
      case 'stream-start':
        if (this.streamStartSent) return true;
        this.streamStartSent = true;
        return this.srcPad.pushEvent(ev);
      case 'caps':
        pad.caps = ev.caps;
        if (this.sentCaps === null || pad === this.activePad) this.forwardCaps(ev.caps);
        return true;
      case 'segment':
        if (this.segmentSent) return true;
        this.segmentSent = true;
        return this.srcPad.pushEvent(ev);
      case 'eos': {
        this.eosPads.add(pad);
        if (this.eosSent) return true;
        for (const p of this.pads) if (p.direction === 'sink' && !this.eosPads.has(p)) return true;
        this.eosSent = true;
        return this.srcPad.pushEvent(ev);
      }
      case 'flush-stop':
        this.eosPads.clear();
        this.eosSent = false;
        return this.srcPad.pushEvent(ev);
      default:
        return this.srcPad.pushEvent(ev);
    }
  }
}

export default Funnel;
