import { writeFile } from 'node:fs/promises';
import { ParallaxError } from '../../../errors.js';
import type { Buffer } from '../../../element/buffer.js';
import { SINK_PROPERTIES, Sink } from '../../../element/base/sink.js';
import type { Caps } from '../../../element/caps/index.js';
import { FlowResult } from '../../../element/flow.js';
import type { ElementMetadata } from '../../../element/metadata.js';
import type { Pad } from '../../../element/pad.js';
import { PNG_FORMATS, packedPixels, pngFrame, type PngFrame } from './png-frame.js';

type Encode = (png: { width: number; height: number; data: Uint8Array; channels: number; depth: 8 }) => Uint8Array;

/**
 * `videotestsrc num-buffers=3 ! video/x-raw,format=RGBA,width=64,height=48 ! pngsink location=/tmp/frame.png frame=1`
 *
 * Sink/File. Writes one video frame as a PNG file: the first, or frame `frame` (counting from 0).
 * Takes video/x-raw RGBA, RGB or GRAY8 (PNG colour types 6, 2 and 0, 8 bits) and honours their
 * strides (GStreamer's default layout: RGB and GRAY8 rows are padded to 4 bytes), after
 * GStreamer's `pngenc snapshot=true ! filesink`. Once the frame is written it answers EOS
 * upstream: nothing after it is needed, so a source stops there.
 *
 * Encoding uses fast-png (pure JavaScript, zlib through fflate), loaded when the element starts, so
 * the registry does not load it for pipelines without pngsink. The frame's rows are read in place
 * from the slot when they have no padding; padded rows are packed once first.
 *
 * Errors name the element and the file: `location` not set (at start), a buffer smaller than
 * the caps' frame, a file that cannot be written, and a stream that ends before frame `frame`.
 */
export class PngSink extends Sink {
  static readonly metadata: ElementMetadata = {
    factory: 'pngsink',
    classification: 'Sink/File',
    description: 'Writes one raw video frame as a PNG file',
    example: 'videotestsrc num-buffers=3 ! video/x-raw,format=RGBA,width=64,height=48 ! pngsink location=/tmp/frame.png frame=1',
    padTemplates: [{
      name: 'sink', direction: 'sink', presence: 'always',
      caps: `video/x-raw, format=(string){ ${PNG_FORMATS.join(', ')} }, width=(int)[ 1, 16384 ], height=(int)[ 1, 16384 ], framerate=(fraction)[ 0/1, 2147483647/1 ]`,
    }],
    properties: {
      ...SINK_PROPERTIES,
      location: { type: 'string', default: null, description: 'Path of the PNG file to write' },
      frame: { type: 'int', default: 0, min: 0, description: 'Index of the frame to write (0 = the first)' },
    },
    affinity: 'async',
    rtSafe: false,
  };

  private encode: Encode | null = null;
  private layout: PngFrame | null = null;
  private count = 0;
  private written = false;

  override async start(): Promise<void> {
    await super.start();
    this.count = 0;
    this.written = false;
    const location = this.get('location');
    if (typeof location !== 'string' || location === '') {
      throw new ParallaxError('ELEMENT_ERROR', `${this.name}: no file to write: the "location" property is not set`);
    }
    try {
      const png = await import('fast-png');
      this.encode = png.encode as Encode;
    } catch (e) {
      throw new ParallaxError('ELEMENT_ERROR', `${this.name}: cannot load the PNG encoder (npm package fast-png): ${e instanceof Error ? e.message : String(e)}`, { cause: e });
    }
  }

  override setCaps(pad: Pad, caps: Caps): boolean {
    if (pad.direction !== 'sink' || !caps.isFixed()) return true;
    const f = pngFrame(caps);
    if (typeof f === 'string') {
      this.error(`cannot encode ${f}`);
      return false;
    }
    this.layout = f;
    return true;
  }

  protected async render(buf: Buffer): Promise<FlowResult> {
    const index = this.count++;
    if (this.written) return FlowResult.EOS;
    if (index < this.num('frame')) return FlowResult.OK;
    const f = this.layout;
    const encode = this.encode;
    if (encode === null) return FlowResult.FLUSHING;
    if (f === null) return this.error(`frame ${index} arrived without video caps`);
    const location = this.str('location');
    const need = f.stride * (f.height - 1) + f.width * f.channels;
    if (buf.size < need) {
      return this.error(`frame ${index} is ${buf.size} bytes, but ${f.format} ${f.width}x${f.height} (stride ${f.stride}) needs ${need}; "${location}" not written`);
    }
    let png: Uint8Array;
    try {
      png = encode({ width: f.width, height: f.height, data: packedPixels(buf.data, f), channels: f.channels, depth: 8 });
      await writeFile(location, png);
    } catch (e) {
      return this.error(`writing frame ${index} to "${location}" failed: ${e instanceof Error ? e.message : String(e)}`, e);
    }
    this.written = true;
    // The frame is in the file: upstream can stop.
    return FlowResult.EOS;
  }

  /** A stream that ends before the frame is an error, but EOS still counts: nothing hangs. */
  protected override onEos(): void {
    if (!this.written) this.error(`the stream ended after ${this.count} frames, before frame ${this.num('frame')}: "${this.str('location')}" not written`);
  }

  override stop(): void {
    this.layout = null;
    this.encode = null;
  }
}

export default PngSink;
