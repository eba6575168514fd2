import { Buffer, BufferFlags } from '../../../element/buffer.js';
import { Transform } from '../../../element/base/transform.js';
import { Caps, parseCaps } from '../../../element/caps/index.js';
import type { Event } from '../../../element/event.js';
import { FlowResult } from '../../../element/flow.js';
import type { ElementMetadata } from '../../../element/metadata.js';
import type { Pad } from '../../../element/pad.js';
import { frameTime } from '../../video/frame-time.js';
import { videoFormatFromName } from '../../video/layout.js';
import { tightLayout, tightToStrided, type TightLayout } from '../../video/tight-layout.js';
import { announceCaps } from '../announce-caps.js';
import {
  Y4M_MAX_FRAME_LINE, Y4M_MAX_HEADER, Y4M_VIDEO_CAPS_TEXT, parseY4mHeader, printable, y4mCaps, type Y4mHeader,
} from './y4m-format.js';

const SRC_CAPS = parseCaps(Y4M_VIDEO_CAPS_TEXT);
const NEWLINE = 0x0a;
const FRAME = 'FRAME';

/** Where the parser is: the stream header line, a FRAME line, a frame's planes. */
type Phase = 'header' | 'line' | 'frame';

/**
 * `videotestsrc num-buffers=3 ! video/x-raw,format=I420,width=64,height=48 ! y4menc ! y4mparse ! fakesink`
 *
 * Codec/Demuxer/Video. Reads a YUV4MPEG2 byte stream (from filesrc, any block size) and outputs
 * one `video/x-raw` buffer per frame: I420 (420jpeg, 420mpeg2, 420paldv, with the matching
 * chroma-site), Y42B (422), Y444 (444) or GRAY8 (mono), after GStreamer's y4mdec. The header's
 * W, H, F, I, A, C and XCOLORRANGE become caps (y4m-format.ts); FRAME lines may carry
 * parameters, which are skipped.
 *
 * Frames come out in GStreamer's strided layout (layout.ts), while Y4M packs rows tightly. When
 * the two are the same (I420 with a width that is a multiple of 8 and an even height; Y444 and
 * GRAY8 with a width that is a multiple of 4; Y42B with a multiple of 8) an input buffer that
 * holds exactly one frame's planes (what y4menc pushes) goes on as it is, without a copy; any
 * other frame is copied once into a fresh buffer, row by row where the layouts differ, and so is
 * a frame buffer that someone else still holds (a tee's other branch), since the stamps below
 * live in the slot's header, which every holder reads. Copies are counted. Each frame carries `pts` and `duration` from the frame rate and its index as
 * `offset`; the first is flagged DISCONT.
 *
 * Caps: the format is only known once the header has been read, after the pipeline has
 * negotiated. Negotiation therefore settles the src pad on a placeholder from the template, and
 * y4mparse sends the stream's caps in-band, then a time segment, before its first frame (as
 * wavparse does). Downstream refusing them stops the stream with NOT_NEGOTIATED, naming the caps.
 *
 * Errors name the element and the byte offset: not YUV4MPEG2, a header without W, H or F, a bad
 * value, an unsupported colour space, a header or FRAME line that does not end, a bad FRAME
 * marker, and at EOS a truncated header, FRAME line or frame.
 */
export class Y4mParse extends Transform {
  static readonly metadata: ElementMetadata = {
    factory: 'y4mparse',
    classification: 'Codec/Demuxer/Video',
    description: 'Parse a YUV4MPEG2 byte stream into raw video frames',
    example: 'videotestsrc num-buffers=3 ! video/x-raw,format=I420,width=64,height=48 ! y4menc ! y4mparse ! fakesink',
    padTemplates: [
      { name: 'sink', direction: 'sink', presence: 'always', caps: 'ANY' },
      { name: 'src', direction: 'src', presence: 'always', caps: Y4M_VIDEO_CAPS_TEXT },
    ],
    properties: {},
    affinity: 'auto',
    rtSafe: false,
  };

  private phase: Phase = 'header';
  /** The header or FRAME line read so far. */
  private acc = new Uint8Array(256);
  private accLen = 0;
  /** Stream offset of the next input byte, and of the line or frame being read. */
  private pos = 0;
  private lineAt = 0;
  private frameAt = 0;
  private header: Y4mHeader | null = null;
  private tight: TightLayout | null = null;
  /** The frame being assembled, and how many of its tight bytes it holds. */
  private out: Buffer | null = null;
  private got = 0;
  private frames = 0;
  private failed = false;

  override start(): void {
    this.phase = 'header';
    this.accLen = this.pos = this.lineAt = this.got = this.frames = 0;
    this.header = this.tight = null;
    this.failed = false;
  }

  override stop(): void {
    this.out?.release();
    this.out = null;
  }

  override transformCaps(pad: Pad, caps: Caps): Caps {
    return pad.direction === 'sink' ? (caps.isEmpty() ? caps : SRC_CAPS) : Caps.ANY;
  }

  /** The placeholder until the header is read (see the class comment). */
  override fixateCaps(_pad: Pad, caps: Caps): Caps {
    return caps.isAny() ? caps : caps.fixate({ width: 320, height: 240, framerate: { num: 25, den: 1 } });
  }

  override chain(_pad: Pad, buf: Buffer): FlowResult {
    if (this.failed) {
      buf.release();
      return FlowResult.ERROR;
    }
    const t = this.tight;
    // Exactly one frame's planes, laid out as GStreamer lays them: the buffer goes on as it is.
    if (this.phase === 'frame' && t !== null && t.same && this.got === 0 && buf.size === t.size) {
      this.frameAt = this.pos;
      this.pos += buf.size;
      this.phase = 'line';
      return this.pushFrame(buf);
    }
    const bytes = buf.data;
    let i = 0;
    let r: FlowResult = FlowResult.OK;
    while (i < bytes.byteLength && r === FlowResult.OK) {
      const left = bytes.byteLength - i;
      if (this.phase === 'frame') {
        const n = Math.min(this.tight!.size - this.got, left);
        r = this.planes(bytes.subarray(i, i + n));
        i += n;
        this.pos += n;
      } else {
        const nl = bytes.indexOf(NEWLINE, i);
        const n = nl < 0 ? left : nl + 1 - i;
        r = this.lineBytes(bytes.subarray(i, i + n));
        i += n;
        this.pos += n;
        if (r === FlowResult.OK && nl >= 0) r = this.phase === 'header' ? this.streamHeader() : this.frameLine();
      }
    }
    buf.release();
    if (r !== FlowResult.OK) this.failed = true;
    return r;
  }

  override sinkEvent(pad: Pad, ev: Event): boolean {
    switch (ev.type) {
      case 'caps':
        pad.caps = ev.caps;
        return true;
      case 'segment':
        // Ours, in time, goes out with the caps.
        return true;
      case 'eos':
        if (!this.failed) this.finish();
        return this.forwardDownstream(ev);
      default:
        return super.sinkEvent(pad, ev);
    }
  }

  /** Appends part of a header or FRAME line, checking its length and, early, the FRAME marker. */
  private lineBytes(part: Uint8Array): FlowResult {
    if (this.accLen === 0) this.lineAt = this.pos;
    const max = this.phase === 'header' ? Y4M_MAX_HEADER : Y4M_MAX_FRAME_LINE;
    if (this.accLen + part.byteLength > max) {
      const what = this.phase === 'header' ? 'stream header' : 'FRAME line';
      return this.error(`the ${what} at byte ${this.lineAt} does not end within ${max} bytes (no newline by byte ${this.lineAt + max})`);
    }
    if (this.acc.byteLength < this.accLen + part.byteLength) {
      const grown = new Uint8Array(Math.min(max, Math.max(this.acc.byteLength * 2, this.accLen + part.byteLength)));
      grown.set(this.acc.subarray(0, this.accLen));
      this.acc = grown;
    }
    this.acc.set(part, this.accLen);
    this.accLen += part.byteLength;
    // A FRAME line is known to be wrong from its first bytes: say so where it starts, showing
    // the bytes up to the first wrong one (the same whatever the input's block size).
    if (this.phase === 'line') {
      const seen = Math.min(this.accLen, FRAME.length + 1);
      const text = this.text(seen);
      const expected = `${FRAME} `;
      for (let k = 0; k < seen; k++) {
        if (text[k] === expected[k] || (k === FRAME.length && text[k] === '\n')) continue;
        return this.error(`bad frame marker at byte ${this.lineAt}: found "${printable(text.slice(0, k + 1))}", expected "${FRAME}" (frame ${this.frames})`);
      }
    }
    return FlowResult.OK;
  }

  /** The first `n` bytes of the line, as Latin-1 text. */
  private text(n: number): string {
    return String.fromCharCode(...this.acc.subarray(0, n));
  }

  /** The stream header is read: its caps, then a time segment, go downstream before any frame. */
  private streamHeader(): FlowResult {
    const line = this.text(this.accLen - 1);
    this.accLen = 0;
    const h = parseY4mHeader(line, this.lineAt);
    if (typeof h === 'string') return this.error(h);
    this.header = h;
    const caps = y4mCaps(h);
    const format = videoFormatFromName(caps.structures[0]!.getString('format')!)!;
    this.tight = tightLayout(format, h.width, h.height);
    if (!announceCaps(this, this.srcPad, caps, "the stream's caps", `header at byte ${this.lineAt}`)) return FlowResult.NOT_NEGOTIATED;
    this.phase = 'line';
    return FlowResult.OK;
  }

  /** A whole FRAME line (its marker was checked as it came); parameters are skipped. */
  private frameLine(): FlowResult {
    this.accLen = 0;
    this.phase = 'frame';
    this.got = 0;
    this.frameAt = this.pos;
    return FlowResult.OK;
  }

  /** Copies part of a frame's tight planes into the frame being assembled; pushes it when whole. */
  private planes(part: Uint8Array): FlowResult {
    const t = this.tight!;
    if (this.out === null) {
      this.out = Buffer.allocate(this.context.allocator, t.strided.size);
      // Row padding and spare rows hold zeros rather than an earlier frame's bytes.
      if (!t.same) this.out.data.fill(0);
    }
    tightToStrided(t, this.out.data, this.got, part);
    this.got += part.byteLength;
    if (this.got < t.size) return FlowResult.OK;
    const out = this.out;
    this.out = null;
    this.got = 0;
    this.phase = 'line';
    return this.pushFrame(out);
  }

  /** Stamps `buf` (one whole frame) with its place on the frame timeline and pushes it. */
  private pushFrame(buf: Buffer): FlowResult {
    // The stamps live in the slot's header, which a tee's other branches read too.
    if (!buf.isWritable) buf = buf.makeWritable(this.context.allocator);
    const { fpsN, fpsD } = this.header!;
    const n = this.frames++;
    const pts = frameTime(n, fpsN, fpsD);
    buf.pts = pts;
    buf.duration = frameTime(n + 1, fpsN, fpsD) - pts;
    buf.dts = pts;
    buf.offset = n;
    buf.flags = n === 0 ? BufferFlags.DISCONT : 0;
    return this.srcPad.push(buf);
  }

  /** EOS: say what the stream left unfinished. */
  private finish(): void {
    const at = this.pos;
    if (this.phase === 'header') {
      this.error(at === 0 ? 'empty stream: no YUV4MPEG2 header' : `truncated header: the stream ends at byte ${at}, inside the stream header at byte ${this.lineAt}`);
    } else if (this.phase === 'line' && this.accLen > 0) {
      this.error(`truncated FRAME line at byte ${this.lineAt}: the stream ends at byte ${at} (frame ${this.frames})`);
    } else if (this.phase === 'frame') {
      this.error(`truncated frame ${this.frames} at byte ${this.frameAt}: the stream ends at byte ${at}, after ${this.got} of its ${this.tight!.size} bytes`);
      this.out?.release();
      this.out = null;
    }
  }
}

export default Y4mParse;
