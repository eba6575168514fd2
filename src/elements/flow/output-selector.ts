import type { Buffer } from '../../element/buffer.js';
import { Caps } from '../../element/caps/index.js';
import { Element } from '../../element/element.js';
import { isSticky, type Event } from '../../element/event.js';
import { FlowResult } from '../../element/flow.js';
import type { ElementMetadata } from '../../element/metadata.js';
import type { Pad } from '../../element/pad.js';
import type { PropertyValue } from '../../element/property.js';
import { ParallaxError } from '../../errors.js';

const NONE = 0;
const ALL = 1;
const ACTIVE = 2;
const MODES: Record<string, number> = { none: NONE, all: ALL, active: ACTIVE };

/**
 * `fakesrc num-buffers=3 ! output-selector name=s  s. ! fakesink  s. ! fakesink`
 *
 * Classification: Generic.
 *
 * 1-to-N switch, after GStreamer's output-selector: buffers go to the active request src pad
 * (`src_%u`) only. `active-pad` names it ("src_1") and may change while running; unset, the
 * first src pad is active. Stream headers (stream-start, caps, segment), EOS and flushes go to
 * every src pad, so a pad that becomes active later already has them and every branch ends at
 * EOS; other events (gaps, custom) go to the active pad.
 *
 * `pad-negotiation-mode` says which branches the input's caps must suit when the pipeline
 * negotiates: `all` (default) every branch, `active` the active one, `none` any caps.
 * Negotiation happens once, at prepare; a branch that cannot take the caps still fails there.
 *
 * Flow: what the active branch returns; NOT_LINKED when there is no src pad.
 *
 * Event-loop or data thread; hot path: one push.
 */
export class OutputSelector extends Element {
  static readonly metadata: ElementMetadata = {
    factory: 'output-selector',
    classification: 'Generic',
    description: '1-to-N output stream selector',
    example: 'fakesrc num-buffers=3 ! output-selector name=s  s. ! fakesink  s. ! fakesink',
    padTemplates: [
      { name: 'sink', direction: 'sink', presence: 'always' },
      { name: 'src_%u', direction: 'src', presence: 'request' },
    ],
    properties: {
      'active-pad': { type: 'string', default: null, mutable: true, description: 'The currently active src pad, by name (src_N); unset = the first' },
      'pad-negotiation-mode': {
        type: 'enum', default: 'all', description: 'The mode to be used for pad negotiation',
        values: [
          { nick: 'none', value: NONE, description: 'None' },
          { nick: 'all', value: ALL, description: 'All' },
          { nick: 'active', value: ACTIVE, description: 'Active' },
        ],
      },
    },
    affinity: 'auto',
    rtSafe: true,
  };

  private active: Pad | null = null;
  /**
   * This copy carries the data (it was started). When the element runs on a data thread, the
   * pipeline keeps a copy that only mirrors property values: it must not post notify as well.
   */
  private live = false;

  /** The active src pad, or null when there is none. */
  get activePad(): Pad | null {
    return this.active ?? this.srcPads[0] ?? null;
  }

  /** Checks the pad name before it is stored; a pad that does not exist yet is checked at start. */
  override set(name: string, raw: unknown): void {
    if (name === 'active-pad' && raw !== null) {
      const template = this.templates[1]!;
      const fits = typeof raw === 'string' && template.matches(raw) && raw !== template.name;
      if (!fits || (this.state === 'running' && this.pad(raw) === undefined)) {
        const have = this.srcPads.map((p) => p.name).join(', ') || 'none';
        throw new ParallaxError('BAD_PROPERTY_VALUE', `bad value ${JSON.stringify(raw)} for property active-pad of ${this.name}: expected the name of one of its src pads (src_N; it has ${have})`);
      }
    }
    super.set(name, raw);
  }

  override stop(): void {
    this.live = false;
  }

  override start(): void {
    this.live = true;
    const wanted = this.get('active-pad') as string | null;
    this.active = wanted === null ? null : this.pad(wanted) ?? null;
    if (wanted !== null && this.active === null) {
      throw new ParallaxError('BAD_PROPERTY_VALUE', `${this.name}: active-pad is ${wanted}, but there is no such pad (it has ${this.srcPads.map((p) => p.name).join(', ') || 'none'})`);
    }
  }

  protected override propertyChanged(name: string, value: PropertyValue): void {
    if (name !== 'active-pad') return;
    const pad = value === null ? null : this.pad(value as string) ?? null;
    if (pad === this.active) return;
    this.active = pad;
    if (this.live && this.state === 'running' && pad !== null) this.notify('active-pad', pad.name);
  }

  protected override readProperty(name: string): PropertyValue | undefined {
    return name === 'active-pad' ? this.activePad?.name ?? null : undefined;
  }

  override removePad(pad: Pad): void {
    super.removePad(pad);
    if (pad === this.active) this.active = null;
  }

  /** Upstream negotiation: which branches' wishes reach the sink pad (pad-negotiation-mode). */
  override transformCaps(pad: Pad, caps: Caps): Caps {
    if (pad.direction === 'sink') return caps;
    const mode = MODES[this.str('pad-negotiation-mode')] ?? ALL;
    if (mode === NONE || (mode === ACTIVE && pad !== this.activePadForNegotiation())) return Caps.ANY;
    return caps;
  }

  /** At prepare `active-pad` is only a name: resolve it here. */
  private activePadForNegotiation(): Pad | null {
    const wanted = this.get('active-pad') as string | null;
    return wanted === null ? this.srcPads[0] ?? null : this.pad(wanted) ?? null;
  }

  override chain(_pad: Pad, buf: Buffer): FlowResult {
    const out = this.active ?? this.srcPads[0];
    if (out === undefined) {
      buf.release();
      return FlowResult.NOT_LINKED;
    }
    return out.push(buf);
  }

  override sinkEvent(pad: Pad, ev: Event): boolean {
    if (ev.type === 'caps') pad.caps = ev.caps;
    if (isSticky(ev) || ev.type === 'flush-start' || ev.type === 'flush-stop') return this.forwardDownstream(ev);
    return this.activePad?.pushEvent(ev) ?? false;
  }
}

export default OutputSelector;
