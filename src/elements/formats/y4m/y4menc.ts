import { Buffer } from '../../../element/buffer.js';
import { Transform } from '../../../element/base/transform.js';
import { Caps, parseCaps } from '../../../element/caps/index.js';
import { Events, type Event, type Segment } from '../../../element/event.js';
import { FlowResult } from '../../../element/flow.js';
import type { ElementMetadata } from '../../../element/metadata.js';
import type { Pad } from '../../../element/pad.js';
import { describeVideo } from '../../video/video-caps.js';
import { stridedToTight, tightLayout, type TightLayout } from '../../video/tight-layout.js';
import { Y4M_CAPS_TEXT, Y4M_VIDEO_CAPS_TEXT, y4mHeader, y4mStreamOf, type Y4mStream } from './y4m-format.js';

const SRC_CAPS = parseCaps(Y4M_CAPS_TEXT);
const SINK_CAPS = parseCaps(Y4M_VIDEO_CAPS_TEXT);
const FRAME_LINE = new TextEncoder().encode('FRAME\n');
/** The byte stream starts at byte 0, whatever the time segment upstream. */
const BYTES: Segment = Object.freeze({ format: 'bytes', rate: 1, start: 0, stop: -1, base: 0, time: 0 });

/**
 * `videotestsrc num-buffers=3 ! video/x-raw,width=64,height=48 ! y4menc ! filesink location=/tmp/y4menc.y4m`
 *
 * Codec/Encoder/Video. Writes raw video (I420, Y42B, Y444 or GRAY8) as a YUV4MPEG2 byte stream,
 * after GStreamer's y4menc: the stream header before the first frame, then per frame `FRAME\n`
 * and the planes tightly packed. The header is ffmpeg 5.1's, tag for tag (y4m-format.ts): I420
 * is 420jpeg, 420mpeg2 or 420paldv by its chroma-site (without one, GStreamer's default for the
 * height: mpeg2 above 576 lines), and the colorimetry's range becomes XCOLORRANGE; so a stream
 * y4mparse read from an ffmpeg file is written back byte for byte.
 *
 * Zero copy where the layouts allow: a frame whose strided layout is already tight (I420 with a
 * width that is a multiple of 8 and an even height, and the like) goes on as it is, after a
 * 6-byte buffer with its FRAME line; other frames are packed row by row into a new buffer, a
 * counted copy. The header and FRAME lines are written into slots once each (counted, as all
 * bytes from the heap are). Buffers carry their byte `offset` in the stream; a frame that someone
 * else still holds (a tee's other branch) is copied before the offset is written, since it lives
 * in the slot's header, which every holder reads.
 *
 * One bytes segment starts the stream, whatever time segments come in: a later one (concat's next
 * input) continues the same file rather than starting it over.
 *
 * A Y4M stream holds one format: caps that change after the header are an error, as is a frame
 * smaller than the caps say.
 */
export class Y4mEnc extends Transform {
  static readonly metadata: ElementMetadata = {
    factory: 'y4menc',
    classification: 'Codec/Encoder/Video',
    description: 'Encode raw video into a YUV4MPEG2 byte stream',
    example: 'videotestsrc num-buffers=3 ! video/x-raw,width=64,height=48 ! y4menc ! filesink location=/tmp/y4menc.y4m',
    padTemplates: [
      { name: 'sink', direction: 'sink', presence: 'always', caps: Y4M_VIDEO_CAPS_TEXT },
      { name: 'src', direction: 'src', presence: 'always', caps: Y4M_CAPS_TEXT },
    ],
    properties: {},
    affinity: 'auto',
    rtSafe: false,
  };

  private stream: Y4mStream | null = null;
  private tight: TightLayout | null = null;
  /** The header line written, or null before the first frame. */
  private written: string | null = null;
  /** Bytes written so far. */
  private bytes = 0;
  /** The bytes segment went out: one per run, however many time segments come in. */
  private segmentSent = false;

  override start(): void {
    this.written = null;
    this.bytes = 0;
    this.segmentSent = false;
  }

  override transformCaps(pad: Pad, caps: Caps): Caps {
    if (caps.isEmpty()) return caps;
    return pad.direction === 'sink' ? SRC_CAPS : SINK_CAPS;
  }

  override setCaps(pad: Pad, caps: Caps): boolean {
    if (pad.direction === 'sink') this.use(y4mStreamOf(caps, this.name));
    return true;
  }

  override sinkEvent(pad: Pad, ev: Event): boolean {
    switch (ev.type) {
      case 'caps': {
        let s: Y4mStream;
        try {
          s = y4mStreamOf(ev.caps, this.name);
        } catch (e) {
          this.error(e instanceof Error ? e.message.replace(`${this.name}: `, '') : String(e));
          return false;
        }
        if (this.written !== null && y4mHeader(s.header) !== this.written) {
          this.error(`the stream changed from ${describeVideo(this.stream!.info)} to ${describeVideo(s.info)} at byte ${this.bytes}: a Y4M stream holds one format`);
          return false;
        }
        pad.caps = ev.caps;
        this.use(s);
        return this.srcPad.pushEvent(Events.caps(SRC_CAPS));
      }
      case 'segment':
        // A later segment (concat's next stream, a new time range) continues the same file: a
        // second bytes segment at 0 would send filesink back over the header and frames.
        if (this.segmentSent) return true;
        this.segmentSent = true;
        return this.srcPad.pushEvent(Events.segment(BYTES));
      case 'eos':
        if (this.stream === null) this.error('reached EOS without caps: no format to write a header for');
        return this.forwardDownstream(ev);
      default:
        return super.sinkEvent(pad, ev);
    }
  }

  override chain(_pad: Pad, buf: Buffer): FlowResult {
    const s = this.stream;
    const t = this.tight;
    if (s === null || t === null) {
      buf.release();
      return this.error('received a frame before caps');
    }
    if (buf.size < s.info.size) {
      const size = buf.size;
      buf.release();
      return this.error(`a buffer of ${size} bytes is smaller than one ${describeVideo(s.info)} frame (${s.info.size} bytes)`);
    }
    if (this.written === null) {
      this.written = y4mHeader(s.header);
      const r = this.pushText(this.written);
      if (r !== FlowResult.OK) {
        buf.release();
        return r;
      }
    }
    const line = Buffer.fromBytes(this.context.allocator, FRAME_LINE);
    line.copyMetadataFrom(buf);
    const r = this.pushAt(line);
    if (r !== FlowResult.OK) {
      buf.release();
      return r;
    }
    // The size is in the slot's shared header: a longer buffer is copied rather than cut.
    if (t.same && buf.size === t.size) return this.pushAt(buf);
    const out = Buffer.allocate(this.context.allocator, t.size);
    out.copyMetadataFrom(buf);
    stridedToTight(t, buf.data, out.data);
    buf.release();
    return this.pushAt(out);
  }

  private use(s: Y4mStream): void {
    this.stream = s;
    this.tight = tightLayout(s.info.format, s.info.width, s.info.height);
  }

  private pushText(text: string): FlowResult {
    return this.pushAt(Buffer.fromBytes(this.context.allocator, new TextEncoder().encode(text)));
  }

  /** Pushes `buf` with its byte offset in the stream. */
  private pushAt(buf: Buffer): FlowResult {
    // The offset lives in the slot's header, which a tee's other branches read too.
    if (!buf.isWritable) buf = buf.makeWritable(this.context.allocator);
    buf.offset = this.bytes;
    this.bytes += buf.size;
    return this.srcPad.push(buf);
  }
}

export default Y4mEnc;
