import { Transform } from '../../element/base/transform.js';
import { Caps } from '../../element/caps/index.js';
import type { Event } from '../../element/event.js';
import type { ElementMetadata } from '../../element/metadata.js';
import type { Pad } from '../../element/pad.js';
import type { PropertyValue } from '../../element/property.js';

/**
 * `fakesrc num-buffers=3 ! capsfilter caps="application/x-test" ! fakesink`
 *
 * Classification: Generic.
 *
 * Passes buffers through untouched and restricts the formats its link may negotiate to `caps`,
 * after GStreamer's capsfilter. Negotiation intersects with the filter in both directions, so
 * `a ! capsfilter caps=X ! b` negotiates as if both links only allowed X. The launch-string
 * builder inserts one for every `! caps !` filter (`audiotestsrc ! audio/x-raw,rate=48000 ! …`).
 *
 * A caps event that cannot meet the filter at run time is refused.
 *
 * Event-loop or data thread; the hot path is a plain push (zero copy).
 */
export class CapsFilter extends Transform {
  static readonly metadata: ElementMetadata = {
    factory: 'capsfilter',
    classification: 'Generic',
    description: 'Pass data without modification, limiting formats',
    example: 'fakesrc num-buffers=3 ! capsfilter caps="application/x-test" ! fakesink',
    padTemplates: [
      { name: 'sink', direction: 'sink', presence: 'always' },
      { name: 'src', direction: 'src', presence: 'always' },
    ],
    properties: {
      caps: { type: 'caps', default: Caps.ANY, mutable: true, description: 'Restrict the possible allowed capabilities' },
    },
    affinity: 'auto',
    rtSafe: true,
  };

  private filter: Caps = Caps.ANY;

  /** The filter caps in force. */
  get filterCaps(): Caps {
    return this.filter;
  }

  constructor(name: string) {
    super(name);
    this.filter = this.get('caps') as Caps;
  }

  protected override propertyChanged(name: string, value: PropertyValue): void {
    if (name === 'caps') this.filter = value as Caps;
  }

  override transformCaps(_pad: Pad, caps: Caps): Caps {
    if (this.filter.isAny()) return caps;
    return caps.isAny() ? this.filter : caps.intersect(this.filter);
  }

  override sinkEvent(pad: Pad, ev: Event): boolean {
    if (ev.type === 'caps') {
      if (!this.filter.isAny() && !ev.caps.canIntersect(this.filter)) {
        this.warning(`caps ${ev.caps.toString()} do not match the filter ${this.filter.toString()}`);
        return false;
      }
      pad.caps = ev.caps;
    }
    return this.forwardDownstream(ev);
  }
}

export default CapsFilter;
