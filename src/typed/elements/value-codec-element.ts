import { Buffer } from '../../element/buffer.js';
import { Element } from '../../element/element.js';
import type { Event } from '../../element/event.js';
import { FlowResult } from '../../element/flow.js';
import type { ElementMetadata } from '../../element/metadata.js';
import type { Pad } from '../../element/pad.js';
import { ParallaxError } from '../../errors.js';
import { copyPayload } from '../../memory/copy-counter.js';
import { decodeValues, encodeValues, type ValueCodec } from '../codec.js';
import { VALUE_CAPS_TEXT } from '../value-batch.js';

const PADS = [
  { name: 'sink', direction: 'sink', presence: 'always', caps: VALUE_CAPS_TEXT },
  { name: 'src', direction: 'src', presence: 'always', caps: VALUE_CAPS_TEXT },
] as const;

/**
 * Writes a value batch into a buffer's payload, or reads one back: what a typed flow puts on
 * each side of a link to a data thread, where values cannot go by reference. `toBytes` keeps
 * the batch's timestamps and flags; the bytes are copied into the slot once (counted).
 * Event loop, or a data thread inside ValueModuleStage.
 */
export function toBytes(buf: Buffer, values: readonly unknown[], codec: ValueCodec, allocator: Element['context']['allocator']): Buffer {
  const bytes = encodeValues(values, codec);
  const out = Buffer.allocate(allocator, bytes.byteLength);
  copyPayload(out.pool.bytes, out.pool.payloadOffset(out.slot), bytes);
  out.copyMetadataFrom(buf);
  return out;
}

abstract class CodecElement extends Element {
  /**
   * The module stage this element encodes for or decodes after (set by materialize). Its errors
   * name that stage, the one the user wrote (`map0: …`), and say which element failed.
   */
  stage: string | null = null;

  constructor(name: string, protected readonly codec: ValueCodec) {
    super(name);
  }

  /** Like `error`, but naming the user's stage (and this element) when it is known. */
  protected stageError(message: string, cause: unknown): FlowResult {
    if (this.stage === null) return this.error(message, cause);
    const err = new ParallaxError('ELEMENT_ERROR', `${this.stage}: ${message} (in ${this.name})`, { cause });
    this.context.post({ type: 'error', source: this.stage, error: err });
    return FlowResult.ERROR;
  }

  protected get srcPad(): Pad {
    return this.pads[1]!;
  }

  override sinkEvent(pad: Pad, ev: Event): boolean {
    if (ev.type === 'caps') pad.caps = ev.caps;
    return this.forwardDownstream(ev);
  }
}

/** Filter/Typed. Value batch → encoded payload, before a link to a data thread. Not in the registry. */
export class ValueEncode extends CodecElement {
  static readonly metadata: ElementMetadata = {
    factory: 'valueencode', classification: 'Filter/Typed', description: 'Encode value batches into buffer payloads for a data thread',
    example: '', padTemplates: PADS, properties: {}, affinity: 'async', rtSafe: false,
  };

  override chain(_pad: Pad, buf: Buffer): FlowResult {
    const values = buf.values;
    if (values === undefined) return this.srcPad.push(buf);
    let out: Buffer;
    try {
      out = toBytes(buf, values, this.codec, this.context.allocator);
    } catch (e) {
      buf.release();
      return this.stageError(`cannot encode its input for the data thread, a batch of ${values.length} values as ${this.codec}: ${e instanceof Error ? e.message : String(e)}`, e);
    }
    buf.release();
    return this.srcPad.push(out);
  }
}

/** Filter/Typed. Encoded payload → value batch, after a link from a data thread. Not in the registry. */
export class ValueDecode extends CodecElement {
  static readonly metadata: ElementMetadata = {
    factory: 'valuedecode', classification: 'Filter/Typed', description: 'Decode value batches from buffer payloads after a data thread',
    example: '', padTemplates: PADS, properties: {}, affinity: 'async', rtSafe: false,
  };

  override chain(_pad: Pad, buf: Buffer): FlowResult {
    if (buf.values !== undefined) return this.srcPad.push(buf);
    try {
      buf.values = decodeValues(buf.data, this.codec);
    } catch (e) {
      const size = buf.size;
      buf.release();
      return this.stageError(`its output from the data thread, a ${size}-byte payload, is not a ${this.codec} value batch: ${e instanceof Error ? e.message : String(e)}`, e);
    }
    return this.srcPad.push(buf);
  }
}
