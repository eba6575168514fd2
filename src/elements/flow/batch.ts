import { Buffer } from '../../element/buffer.js';
import type { Caps } from '../../element/caps/index.js';
import { Element } from '../../element/element.js';
import { Events, isSerialized, type Event } from '../../element/event.js';
import { FlowResult } from '../../element/flow.js';
import type { ElementMetadata } from '../../element/metadata.js';
import type { Pad } from '../../element/pad.js';
import type { PropertyValue } from '../../element/property.js';
import { ParallaxError } from '../../errors.js';
import { BATCH_MEDIA_TYPE, batchCapsFor, entryBytes, writeEntry } from './batch-format.js';

/**
 * `fakesrc num-buffers=10 sizetype=fixed sizemax=8 ! batch max-buffers=4 ! unbatch ! fakesink`
 *
 * Classification: Generic.
 *
 * Gathers buffers into one (`application/x-parallax-batch`, see batch-format.ts) to cut the
 * per-buffer cost of what follows (an IPC hop, a worker message). A batch goes out once it holds
 * `max-buffers` buffers, `max-bytes` payload bytes, or spans `max-time` nanoseconds of timestamps
 * (first pts to the end of the newest buffer); 0 turns a limit off, and at least one must be on.
 * A buffer that would take the batch past `max-bytes` starts the next one. What is gathered goes
 * out early before any serialized event (segment, caps, EOS…), so events keep their place, and
 * is dropped on flush. `unbatch` gives the buffers back, metadata and all.
 *
 * The batch is a new buffer with every payload copied into it: a counted copy (copy stats), the
 * price of one buffer for many. Its pts, dts and offset are the first buffer's; its duration
 * runs to the end of the last one when both are timed.
 *
 * Event-loop or data thread; holds up to one batch of input buffers; one allocation per batch.
 */
export class Batch extends Element {
  static readonly metadata: ElementMetadata = {
    factory: 'batch',
    classification: 'Generic',
    description: 'Gathers buffers into one, for unbatch to split again',
    example: 'fakesrc num-buffers=10 sizetype=fixed sizemax=8 ! batch max-buffers=4 ! unbatch ! fakesink',
    padTemplates: [
      { name: 'sink', direction: 'sink', presence: 'always' },
      { name: 'src', direction: 'src', presence: 'always', caps: BATCH_MEDIA_TYPE },
    ],
    properties: {
      'max-buffers': { type: 'uint64', default: 10, max: 4294967295, mutable: true, description: 'Buffers per batch (0 = no limit)' },
      'max-bytes': { type: 'uint64', default: 0, max: 4294967295, mutable: true, description: 'Payload bytes per batch (0 = no limit)' },
      'max-time': { type: 'uint64', default: 0, mutable: true, description: 'Nanoseconds of timestamps per batch (0 = no limit)' },
    },
    affinity: 'auto',
    rtSafe: true,
  };

  private maxBuffers = 10;
  private maxBytes = 0;
  private maxTime = 0;
  private readonly held: Buffer[] = [];
  private heldBytes = 0;
  private sentCaps: Caps | null = null;
  private srcPadCache: Pad | null = null;

  get srcPad(): Pad {
    return (this.srcPadCache ??= this.pad('src')!);
  }

  override start(): void {
    this.maxBuffers = this.num('max-buffers');
    this.maxBytes = this.num('max-bytes');
    this.maxTime = this.num('max-time');
    this.checkLimits(this.maxBuffers, this.maxBytes, this.maxTime);
    this.dropHeld();
    this.sentCaps = null;
  }

  override stop(): void {
    this.dropHeld();
  }

  /** Checked at start, not per `set`: a launch line sets the limits one at a time. */
  private checkLimits(buffers: number, bytes: number, time: number): void {
    if (buffers === 0 && bytes === 0 && time === 0) {
      throw new ParallaxError('BAD_PROPERTY_VALUE', `${this.name} (batch): max-buffers, max-bytes and max-time are all 0, so a batch would never end; set at least one`);
    }
  }

  protected override propertyChanged(name: string, value: PropertyValue): void {
    if (name === 'max-buffers') this.maxBuffers = value as number;
    else if (name === 'max-bytes') this.maxBytes = value as number;
    else if (name === 'max-time') this.maxTime = value as number;
  }

  /** Any caps in, batch caps out (naming what they hold); anything upstream of a batch. */
  override transformCaps(pad: Pad, caps: Caps): Caps {
    return pad.direction === 'sink' ? batchCapsFor(caps) : this.pad('sink')!.template.caps;
  }

  override chain(_pad: Pad, buf: Buffer): FlowResult {
    if (this.maxBytes > 0 && this.held.length > 0 && this.heldBytes + buf.size > this.maxBytes) {
      const r = this.flush();
      if (r !== FlowResult.OK) {
        buf.release();
        return r;
      }
    }
    this.held.push(buf);
    this.heldBytes += buf.size;
    return this.full() ? this.flush() : FlowResult.OK;
  }

  private full(): boolean {
    if (this.maxBuffers > 0 && this.held.length >= this.maxBuffers) return true;
    if (this.maxBytes > 0 && this.heldBytes >= this.maxBytes) return true;
    return this.maxTime > 0 && this.span() >= this.maxTime;
  }

  /** Nanoseconds from the first buffer's pts to the end of the last one; 0 when untimed. */
  private span(): number {
    const first = this.held[0]!;
    const last = this.held[this.held.length - 1]!;
    if (first.pts < 0 || last.pts < 0) return 0;
    return last.pts + Math.max(last.duration, 0) - first.pts;
  }

  /** Sends what is held as one batch. */
  private flush(): FlowResult {
    const n = this.held.length;
    if (n === 0) return FlowResult.OK;
    let size = 0;
    for (let i = 0; i < n; i++) size += entryBytes(this.held[i]!.size);
    const out = Buffer.allocate(this.context.allocator, size);
    const first = this.held[0]!;
    const last = this.held[n - 1]!;
    out.pts = first.pts;
    out.dts = first.dts;
    out.offset = first.offset;
    out.duration = first.pts >= 0 && last.pts >= 0 && last.duration >= 0 ? last.pts + last.duration - first.pts : -1;
    const dst = out.data;
    let at = 0;
    for (let i = 0; i < n; i++) at = writeEntry(dst, at, this.held[i]!);
    this.dropHeld();
    return this.srcPad.push(out);
  }

  private dropHeld(): void {
    for (const b of this.held) b.release();
    this.held.length = 0;
    this.heldBytes = 0;
  }

  override sinkEvent(pad: Pad, ev: Event): boolean {
    if (ev.type === 'flush-start') {
      this.dropHeld();
      return this.srcPad.pushEvent(ev);
    }
    if (isSerialized(ev)) this.flush();
    if (ev.type === 'caps') {
      pad.caps = ev.caps;
      const caps = batchCapsFor(ev.caps);
      if (this.sentCaps !== null && this.sentCaps.equals(caps)) return true;
      this.sentCaps = caps;
      return this.srcPad.pushEvent(Events.caps(caps));
    }
    return this.srcPad.pushEvent(ev);
  }
}

export default Batch;
