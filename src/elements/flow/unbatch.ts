import type { Buffer } from '../../element/buffer.js';
import { Caps } from '../../element/caps/index.js';
import { Element } from '../../element/element.js';
import { Events, type Event } from '../../element/event.js';
import { FlowResult } from '../../element/flow.js';
import type { ElementMetadata } from '../../element/metadata.js';
import type { Pad } from '../../element/pad.js';
import { BATCH_CAPS, BATCH_MEDIA_TYPE, innerCapsOf, readEntry } from './batch-format.js';

/**
 * `fakesrc num-buffers=10 sizetype=fixed sizemax=8 ! batch max-buffers=4 ! unbatch ! fakesink`
 *
 * Classification: Generic.
 *
 * Splits what `batch` gathered back into the buffers it was made of, with their pts, dts,
 * duration, offset and flags (the framing is in batch-format.ts), and sends the batched
 * stream's own caps (the batch caps' `inner` field) downstream. Each buffer is copied out of the
 * batch into a slot of its own, a counted copy: a slot cannot be split. A payload that is not a
 * well-formed batch is an error naming this element and the byte at fault.
 *
 * Event-loop or data thread; one allocation per buffer out.
 */
export class Unbatch extends Element {
  static readonly metadata: ElementMetadata = {
    factory: 'unbatch',
    classification: 'Generic',
    description: 'Splits batches made by batch into their buffers',
    example: 'fakesrc num-buffers=10 sizetype=fixed sizemax=8 ! batch max-buffers=4 ! unbatch ! fakesink',
    padTemplates: [
      { name: 'sink', direction: 'sink', presence: 'always', caps: BATCH_MEDIA_TYPE },
      { name: 'src', direction: 'src', presence: 'always' },
    ],
    properties: {},
    affinity: 'auto',
    rtSafe: true,
  };

  private srcPadCache: Pad | null = null;

  get srcPad(): Pad {
    return (this.srcPadCache ??= this.pad('src')!);
  }

  /** Batch caps in, what they hold out; batches (of anything) upstream. */
  override transformCaps(pad: Pad, caps: Caps): Caps {
    return pad.direction === 'sink' ? (caps.isAny() ? Caps.ANY : innerCapsOf(caps)) : BATCH_CAPS;
  }

  override chain(_pad: Pad, batch: Buffer): FlowResult {
    const src = batch.data;
    let r: FlowResult = FlowResult.OK;
    for (let at = 0; at < src.byteLength && r === FlowResult.OK;) {
      const entry = readEntry(this.context.allocator, src, at);
      if (typeof entry === 'string') {
        batch.release();
        return this.error(entry);
      }
      at = entry.next;
      r = this.srcPad.push(entry.buf);
    }
    batch.release();
    return r;
  }

  override sinkEvent(pad: Pad, ev: Event): boolean {
    if (ev.type !== 'caps') return this.srcPad.pushEvent(ev);
    pad.caps = ev.caps;
    const inner = innerCapsOf(ev.caps);
    // ANY caps are not sent in-band (doc/design/003).
    return inner.isAny() ? true : this.srcPad.pushEvent(Events.caps(inner));
  }
}

export default Unbatch;
