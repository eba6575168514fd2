import type { Buffer } from '../../element/buffer.js';
import type { Event } from '../../element/event.js';
import type { ElementMetadata } from '../../element/metadata.js';
import type { Pad } from '../../element/pad.js';
import type { PropertyValue } from '../../element/property.js';
import { FlowResult } from '../../element/flow.js';
import { PACING_HOLD_BUFFERS, TimedGate } from './timed-gate.js';

const SHIFT = 0;
const HOLD = 1;
const MODES: Record<string, number> = { shift: SHIFT, hold: HOLD };

/**
 * `fakesrc num-buffers=3 ! delay delay=1000000 mode=hold ! fakesink`
 *
 * Classification: Generic.
 *
 * Delays a stream by `delay` nanoseconds, one of two ways (`mode`):
 * - `shift` (default): adds `delay` to every buffer's pts and dts and to gap events, and passes
 *   them on at once. A syncing sink downstream then renders everything that much later; nothing
 *   is held here. A shared buffer's header is copied first (counted), as its clones share it.
 * - `hold`: keeps timestamps and holds each buffer until `delay` ns (pipeline clock) after it
 *   arrived: a delay line in real time, whatever the timestamps say. Reported as latency.
 *   Everything that arrives within the delay is held, so upstream keeps its pace; only when
 *   `max-size-buffers` or `max-size-bytes` are held does upstream wait for the oldest to go out
 *   (and what arrives then is delayed from its later arrival). Raise them for a long delay of a
 *   dense stream: 1 s of 48 kHz audio in 10 ms buffers is 100 buffers; of raw 1080p I420 at
 *   30 fps it is about 90 MiB.
 * `delay` may change while running; it applies to buffers that arrive from then on.
 *
 * Event-loop only, with a streaming task of its own (see TimedGate).
 */
export class Delay extends TimedGate {
  static readonly metadata: ElementMetadata = {
    factory: 'delay',
    classification: 'Generic',
    description: 'Delays a stream: shifts its timestamps or holds its buffers',
    example: 'fakesrc num-buffers=3 ! delay delay=1000000 mode=hold ! fakesink',
    padTemplates: [
      { name: 'sink', direction: 'sink', presence: 'always' },
      { name: 'src', direction: 'src', presence: 'always' },
    ],
    properties: {
      delay: { type: 'uint64', default: 0, mutable: true, description: 'Delay in nanoseconds' },
      mode: {
        type: 'enum', default: 'shift', description: 'How to delay',
        values: [
          { nick: 'shift', value: SHIFT, description: 'Add the delay to timestamps, pass buffers on at once' },
          { nick: 'hold', value: HOLD, description: 'Hold each buffer for the delay (pipeline clock) after it arrives' },
        ],
      },
      'max-size-buffers': { type: 'uint64', default: 1000, min: 1, max: 4294967295, mutable: true, description: 'mode=hold: most buffers held before upstream waits' },
      'max-size-bytes': { type: 'uint64', default: 67108864, min: 1, mutable: true, description: 'mode=hold: most bytes held before upstream waits' },
    },
    affinity: 'async',
    rtSafe: false,
  };

  private delay = 0;
  private mode = SHIFT;

  override start(): void {
    super.start();
    this.delay = this.num('delay');
    this.mode = MODES[this.str('mode')] ?? SHIFT;
    this.applyHoldLimit();
  }

  protected override propertyChanged(name: string, value: PropertyValue): void {
    if (name === 'delay') this.delay = value as number;
    else if (name === 'max-size-buffers' || name === 'max-size-bytes') this.applyHoldLimit();
  }

  /** Shift mode holds nothing, so it has the gate's default (two buffers), even after a hold run. */
  private applyHoldLimit(): void {
    if (this.mode === HOLD) this.setHoldLimit(this.num('max-size-buffers'), this.num('max-size-bytes'));
    else this.setHoldLimit(PACING_HOLD_BUFFERS, Infinity);
  }

  override latency(): { readonly min: number; readonly max: number } {
    return this.str('mode') === 'hold' ? { min: this.num('delay'), max: this.num('delay') } : { min: 0, max: 0 };
  }

  override chain(pad: Pad, buf: Buffer): FlowResult {
    if (this.mode === SHIFT && this.delay > 0) {
      // Timestamps live in the slot header, which clones share.
      if (!buf.isWritable) buf = buf.makeWritable(this.context.allocator);
      if (buf.pts >= 0) buf.pts += this.delay;
      if (buf.dts >= 0) buf.dts += this.delay;
    }
    return super.chain(pad, buf);
  }

  override sinkEvent(pad: Pad, ev: Event): boolean {
    if (ev.type === 'gap' && this.mode === SHIFT && ev.pts >= 0) return super.sinkEvent(pad, { ...ev, pts: ev.pts + this.delay });
    return super.sinkEvent(pad, ev);
  }

  protected dueTime(_buf: Buffer): number {
    return this.mode === HOLD ? this.context.clock.now() + this.delay : -1;
  }
}

export default Delay;
