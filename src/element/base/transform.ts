import { Buffer } from '../buffer.js';
import { Element } from '../element.js';
import { FlowResult } from '../flow.js';
import type { Pad } from '../pad.js';

/**
 * Base class of one-in, one-out elements (always pads named "sink" and "src").
 *
 * Fill in one of:
 * - `transformInPlace(buf)`: edits the payload or metadata of `buf` and passes it on. The base
 *   makes the buffer writable first only if `writesPayload` is true, and that copy is counted.
 * - `transform(input, output)`: writes into a fresh output buffer of `outputSize(input)` bytes.
 * Returning a FlowResult other than OK drops the buffer and stops the stream with that result;
 * returning `Transform.DROPPED` drops it and carries on.
 */
export abstract class Transform extends Element {
  /** Returned by a transform to drop one buffer without stopping the stream. */
  static readonly DROPPED = -1;
  /** In-place transforms that write the payload need exclusive access to it. */
  protected writesPayload = false;
  private srcPadCache: Pad | null = null;

  get srcPad(): Pad {
    return (this.srcPadCache ??= this.pad('src') ?? failPad(this.name, 'src'));
  }

  get sinkPad(): Pad {
    return this.pad('sink') ?? failPad(this.name, 'sink');
  }

  protected transformInPlace?(buf: Buffer): FlowResult | typeof Transform.DROPPED;
  protected transform?(input: Buffer, output: Buffer): FlowResult | typeof Transform.DROPPED;

  /** Output size for `transform`; the input size by default. */
  protected outputSize(input: Buffer): number {
    return input.size;
  }

  override chain(_pad: Pad, buf: Buffer): FlowResult {
    if (this.transformInPlace !== undefined) {
      if (this.writesPayload && !buf.isWritable) buf = buf.makeWritable(this.context.allocator);
      let r: FlowResult | typeof Transform.DROPPED;
      try {
        r = this.transformInPlace(buf);
      } catch (e) {
        buf.release();
        throw e;
      }
      if (r === FlowResult.OK) return this.srcPad.push(buf);
      buf.release();
      return r === Transform.DROPPED ? FlowResult.OK : r;
    }
    if (this.transform !== undefined) {
      const out = Buffer.allocate(this.context.allocator, this.outputSize(buf));
      out.copyMetadataFrom(buf);
      let r: FlowResult | typeof Transform.DROPPED;
      try {
        r = this.transform(buf, out);
      } catch (e) {
        // The pad that called us names the element; the buffers go back to their pools.
        out.release();
        throw e;
      } finally {
        buf.release();
      }
      if (r === FlowResult.OK) return this.srcPad.push(out);
      out.release();
      return r === Transform.DROPPED ? FlowResult.OK : r;
    }
    return this.srcPad.push(buf);
  }
}

function failPad(element: string, name: string): never {
  throw new Error(`${element}: a Transform needs an always ${name} pad`);
}
