import { Buffer, BufferFlags } from '../../../element/buffer.js';
import { Transform } from '../../../element/base/transform.js';
import { Caps, parseCaps } from '../../../element/caps/index.js';
import type { Event } from '../../../element/event.js';
import { FlowResult } from '../../../element/flow.js';
import type { ElementMetadata } from '../../../element/metadata.js';
import type { Pad } from '../../../element/pad.js';
import type { Fraction } from '../../../element/property.js';
import { copyPayload } from '../../../memory/copy-counter.js';
import { frameTime } from '../../video/frame-time.js';
import { VIDEO_MAX_DIMENSION, videoFormatFromName, videoFrameSize } from '../../video/layout.js';
import { VIDEO_LAYOUT_FORMATS, videoCapsText } from '../../video/video-caps.js';
import { announceCaps } from '../announce-caps.js';

const SRC_CAPS = parseCaps(videoCapsText(VIDEO_LAYOUT_FORMATS));
/** GStreamer's GstVideoFormat numbers, so `format` has the values of GStreamer's rawvideoparse. */
const GST_VIDEO_FORMAT: Readonly<Record<string, number>> = { I420: 2, NV12: 23, RGBA: 11, RGB: 15, Y42B: 18, Y444: 20, GRAY8: 25 };

/**
 * `filesrc location=/tmp/input.bin ! rawvideoparse width=20 height=5 format=GRAY8 ! fakesink`
 *
 * Codec/Parser/Video. Turns a byte stream (from filesrc, fdsrc, a socket: any block size) into
 * raw video frames of the caps its properties give, after GStreamer's rawvideoparse: `format`
 * (I420, NV12, RGBA, RGB, Y42B, Y444, GRAY8), `width`, `height` and `framerate`. The bytes are
 * taken to be in GStreamer's default layout (strides and offsets of layout.ts: what GStreamer
 * writes, and what ffmpeg's rawvideo writes when the width needs no row padding), one frame
 * after the other, so a frame is `videoFrameSize` bytes.
 *
 * One buffer per frame, stamped from the frame count: `pts`, `duration` (from the frame rate,
 * as videotestsrc stamps them), `offset` (the frame's index); the first is flagged DISCONT. Caps
 * and a time segment go downstream before the first frame, in place of upstream's (bytes) ones.
 *
 * Zero copy for a frame that starts an input buffer: a buffer of exactly one frame goes on as
 * it is, and a longer one is cut to its first frame (when no one else holds it). Since a payload
 * always starts at the start of its slot, every other frame of the buffer, and a frame that
 * straddles two buffers, is copied once into a buffer of its own: reading with
 * `filesrc blocksize=<frame size>` makes every frame zero copy. Copies are counted. A frame
 * buffer that someone else still holds (a tee's other branch) is copied before it is stamped: the
 * stamps live in the slot's header, which every holder reads.
 *
 * A partial frame left at EOS is dropped with a warning naming the element and the byte offset.
 */
export class RawVideoParse extends Transform {
  static readonly metadata: ElementMetadata = {
    factory: 'rawvideoparse',
    classification: 'Codec/Parser/Video',
    description: 'Frames a byte stream as raw video of a given format, size and frame rate',
    example: 'filesrc location=/tmp/input.bin ! rawvideoparse width=20 height=5 format=GRAY8 ! fakesink',
    padTemplates: [
      { name: 'sink', direction: 'sink', presence: 'always', caps: 'ANY' },
      { name: 'src', direction: 'src', presence: 'always', caps: videoCapsText(VIDEO_LAYOUT_FORMATS) },
    ],
    properties: {
      format: {
        type: 'enum', default: 'I420', description: 'Format of the frames (GStreamer default layout)',
        values: VIDEO_LAYOUT_FORMATS.map((f) => ({ nick: f, value: GST_VIDEO_FORMAT[f]!, description: `GST_VIDEO_FORMAT_${f}` })),
      },
      width: { type: 'int', default: 320, min: 1, max: VIDEO_MAX_DIMENSION, description: 'Width of a frame in pixels' },
      height: { type: 'int', default: 240, min: 1, max: VIDEO_MAX_DIMENSION, description: 'Height of a frame in pixels' },
      framerate: { type: 'fraction', default: { num: 25, den: 1 }, min: { num: 1, den: 2147483647 }, max: { num: 2147483647, den: 1 }, description: 'Frames per second' },
    },
    affinity: 'auto',
    rtSafe: false,
  };

  /** Bytes of one frame, fixed at start. */
  private frameSize = 0;
  private fps: Fraction = { num: 25, den: 1 };
  /** The frame straddling input buffers, and how many of its bytes it holds. */
  private pending: Buffer | null = null;
  private pendingLen = 0;
  /** Frames pushed; input bytes consumed. */
  private frames = 0;
  private pos = 0;
  private headerSent = false;

  override start(): void {
    this.frameSize = videoFrameSize(videoFormatFromName(this.str('format'))!, this.num('width'), this.num('height'));
    this.fps = this.get('framerate') as Fraction;
    this.pendingLen = this.frames = this.pos = 0;
    this.headerSent = false;
    this.context.allocator.reserve(this.frameSize, 4);
  }

  override stop(): void {
    this.pending?.release();
    this.pending = null;
  }

  private caps(): Caps {
    const f = this.get('framerate') as Fraction;
    return parseCaps(`video/x-raw, format=(string)${this.str('format')}, width=(int)${this.num('width')}, height=(int)${this.num('height')}, framerate=(fraction)${f.num}/${f.den}`);
  }

  override transformCaps(pad: Pad, caps: Caps): Caps {
    if (pad.direction === 'src') return Caps.ANY;
    return caps.isEmpty() ? caps : this.caps().intersect(SRC_CAPS);
  }

  override sinkEvent(pad: Pad, ev: Event): boolean {
    switch (ev.type) {
      case 'caps':
        pad.caps = ev.caps;
        return true;
      case 'segment':
        // Upstream's segment counts bytes; ours counts time from the first frame.
        return this.sendHeader();
      case 'eos':
        if (this.pending !== null) {
          this.warning(`dropped ${this.pendingLen} bytes of a partial frame at the end of the stream (byte ${this.pos - this.pendingLen}; a frame is ${this.frameSize} bytes)`);
          this.pending.release();
          this.pending = null;
        }
        return this.forwardDownstream(ev);
      default:
        return super.sinkEvent(pad, ev);
    }
  }

  private sendHeader(): boolean {
    if (this.headerSent) return true;
    this.headerSent = true;
    return announceCaps(this, this.srcPad, this.caps());
  }

  override chain(_pad: Pad, buf: Buffer): FlowResult {
    if (!this.headerSent && !this.sendHeader()) {
      buf.release();
      return FlowResult.NOT_NEGOTIATED;
    }
    const size = buf.size;
    const fs = this.frameSize;
    this.pos += size;
    const bytes = buf.data;
    // In stream order: a straddling frame completed, this buffer's first frame, the others.
    const out: Buffer[] = [];
    let i = 0;
    if (this.pending !== null) {
      const n = Math.min(fs - this.pendingLen, size);
      copyPayload(this.pending.data, this.pendingLen, bytes.subarray(0, n));
      this.pendingLen += n;
      i = n;
      if (this.pendingLen === fs) {
        out.push(this.pending);
        this.pending = null;
      }
    }
    const head = i === 0 && size >= fs && (size === fs || buf.isWritable);
    if (head) i = fs;
    for (; size - i >= fs; i += fs) out.push(this.copied(bytes.subarray(i, i + fs)));
    if (i < size) {
      this.pending = Buffer.allocate(this.context.allocator, fs);
      copyPayload(this.pending.data, 0, bytes.subarray(i));
      this.pendingLen = size - i;
    }
    if (head) {
      // The rest of the buffer was copied out above: now it may be cut to its first frame.
      buf.size = fs;
      out.unshift(buf);
    } else {
      buf.release();
    }
    let r: FlowResult = FlowResult.OK;
    for (const frame of out) {
      if (r === FlowResult.OK) r = this.pushFrame(frame);
      else frame.release();
    }
    return r;
  }

  private copied(frame: Uint8Array): Buffer {
    const b = Buffer.allocate(this.context.allocator, frame.byteLength);
    copyPayload(b.data, 0, frame);
    return b;
  }

  /** Stamps `buf` (one frame) with its place on the frame timeline and pushes it. */
  private pushFrame(buf: Buffer): FlowResult {
    // The stamps live in the slot's header, which a tee's other branches read too.
    if (!buf.isWritable) buf = buf.makeWritable(this.context.allocator);
    const n = this.frames++;
    const { num, den } = this.fps;
    const pts = frameTime(n, num, den);
    buf.pts = pts;
    buf.dts = pts;
    buf.duration = frameTime(n + 1, num, den) - pts;
    buf.offset = n;
    buf.flags = n === 0 ? BufferFlags.DISCONT : 0;
    return this.srcPad.push(buf);
  }
}

export default RawVideoParse;
