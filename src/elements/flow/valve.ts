import type { Buffer } from '../../element/buffer.js';
import { Element } from '../../element/element.js';
import { isSticky, type Event } from '../../element/event.js';
import { FlowResult } from '../../element/flow.js';
import type { ElementMetadata } from '../../element/metadata.js';
import type { Pad } from '../../element/pad.js';
import type { PropertyValue } from '../../element/property.js';

const DROP_ALL = 0;
const FORWARD_STICKY = 1;
const TO_GAP = 2;
const MODES: Record<string, number> = { 'drop-all': DROP_ALL, 'forward-sticky-events': FORWARD_STICKY, 'transform-to-gap': TO_GAP };

/**
 * `fakesrc num-buffers=3 ! valve drop=true ! fakesink`
 *
 * Classification: Filter.
 *
 * Lets data through, or drops it while `drop=true` (settable while running), after GStreamer's
 * valve. `drop-mode` says what happens to what is dropped: `drop-all` drops buffers and events,
 * `forward-sticky-events` drops buffers but forwards stream-start, caps and segment,
 * `transform-to-gap` turns each buffer into a gap event (same pts and duration) and forwards
 * sticky events. Sticky events dropped while closed are sent again before the first buffer after
 * it opens. EOS and flushes always pass (GStreamer's valve drops EOS too, which leaves a closed
 * valve's pipeline running forever). Dropped buffers are counted in the `dropped` read-out.
 *
 * Event-loop or data thread; hot path allocation-free (transform-to-gap allocates its events).
 */
export class Valve extends Element {
  static readonly metadata: ElementMetadata = {
    factory: 'valve',
    classification: 'Filter',
    description: 'Drops buffers and events or lets them through',
    example: 'fakesrc num-buffers=3 ! valve drop=true ! fakesink',
    padTemplates: [
      { name: 'sink', direction: 'sink', presence: 'always' },
      { name: 'src', direction: 'src', presence: 'always' },
    ],
    properties: {
      drop: { type: 'bool', default: false, mutable: true, description: 'Whether to drop buffers and events or let them through' },
      'drop-mode': {
        type: 'enum', default: 'drop-all', mutable: true, description: 'The drop mode to use',
        values: [
          { nick: 'drop-all', value: DROP_ALL, description: 'Drop all buffers and events' },
          { nick: 'forward-sticky-events', value: FORWARD_STICKY, description: 'Drop all buffers but forward sticky events' },
          { nick: 'transform-to-gap', value: TO_GAP, description: 'Convert all dropped buffers into gap events and forward sticky events' },
        ],
      },
      dropped: { type: 'uint64', default: 0, readonly: true, description: 'Buffers dropped since start' },
    },
    affinity: 'auto',
    rtSafe: true,
  };

  private drop = false;
  private mode = DROP_ALL;
  private droppedCount = 0;
  private repushSticky = false;
  private srcPadCache: Pad | null = null;

  get srcPad(): Pad {
    return (this.srcPadCache ??= this.pad('src')!);
  }

  /** Buffers dropped since start. */
  get dropped(): number {
    return this.droppedCount;
  }

  override start(): void {
    this.drop = this.bool('drop');
    this.mode = MODES[this.str('drop-mode')] ?? DROP_ALL;
    this.droppedCount = 0;
    this.repushSticky = false;
  }

  protected override propertyChanged(name: string, value: PropertyValue): void {
    if (name === 'drop') this.drop = value as boolean;
    else if (name === 'drop-mode') this.mode = MODES[value as string] ?? DROP_ALL;
  }

  protected override readProperty(name: string): PropertyValue | undefined {
    return name === 'dropped' ? this.droppedCount : undefined;
  }

  override chain(pad: Pad, buf: Buffer): FlowResult {
    if (this.drop) {
      this.droppedCount++;
      if (this.mode === TO_GAP) {
        const pts = buf.pts;
        const duration = buf.duration;
        buf.release();
        this.srcPad.pushEvent({ type: 'gap', pts, duration });
        return FlowResult.OK;
      }
      buf.release();
      return FlowResult.OK;
    }
    if (this.repushSticky) this.repush(pad);
    return this.srcPad.push(buf);
  }

  /** Sends the sink pad's sticky events that were dropped while the valve was closed. */
  private repush(pad: Pad): void {
    this.repushSticky = false;
    for (const type of ['stream-start', 'caps', 'segment'] as const) {
      const ev = pad.sticky.get(type);
      if (ev !== undefined) this.srcPad.pushEvent(ev);
    }
  }

  override sinkEvent(pad: Pad, ev: Event): boolean {
    if (ev.type === 'caps') pad.caps = ev.caps;
    if (this.drop && ev.type !== 'eos' && ev.type !== 'flush-start' && ev.type !== 'flush-stop') {
      const sticky = isSticky(ev);
      if (sticky && this.mode !== DROP_ALL) return this.srcPad.pushEvent(ev);
      if (sticky) this.repushSticky = true;
      return true;
    }
    if (ev.type === 'eos' && this.repushSticky) this.repush(pad);
    return this.srcPad.pushEvent(ev);
  }
}

export default Valve;
