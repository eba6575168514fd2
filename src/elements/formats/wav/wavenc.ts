import { Buffer } from '../../../element/buffer.js';
import { Transform } from '../../../element/base/transform.js';
import { Caps, parseCaps } from '../../../element/caps/index.js';
import { Events, type Event, type Segment } from '../../../element/event.js';
import { FlowResult } from '../../../element/flow.js';
import type { ElementMetadata } from '../../../element/metadata.js';
import type { Pad } from '../../../element/pad.js';
import { ParallaxError } from '../../../errors.js';
import { WAV_AUDIO_CAPS_TEXT, WAV_CAPS_TEXT, bytesPerSample, isWavSampleFormat, wavHeader, type WavFormat } from './wav-format.js';

const SRC_CAPS = parseCaps(WAV_CAPS_TEXT);
const SINK_CAPS = parseCaps(WAV_AUDIO_CAPS_TEXT);
/** "Write from byte 0 again": what filesink honours by seeking, as GStreamer's wavenc asks. */
const REWIND: Segment = Object.freeze({ format: 'bytes', rate: 1, start: 0, stop: -1, base: 0, time: 0 });

/**
 * `audiotestsrc num-buffers=4 ! wavenc ! filesink location=/tmp/wavenc.wav`
 *
 * Codec/Muxer/Audio. Writes raw audio (S16LE, S24LE packed, S32LE or F32LE; interleaved; any rate
 * and channel count) as a RIFF/WAVE byte stream, after GStreamer's wavenc.
 *
 * The header goes out before the first samples, with 0xFFFFFFFF ("until the end") for the sizes
 * it cannot know yet; the samples follow unchanged (the buffers are passed on, not copied), each
 * with its byte `offset` in the file (a buffer that someone else still holds, a tee's other
 * branch, is copied first: the offset lives in the slot's header, which every holder reads). One
 * bytes segment starts the stream, however many time segments come in (concat's inputs). At EOS wavenc adds the pad byte an odd-sized data chunk
 * needs, then sends a bytes segment starting at 0 and the header again with the real sizes;
 * filesink seeks for a bytes segment, so the file on disk ends up with exact sizes (what `soxi`
 * checks). A sink that cannot seek keeps the first header (readers take 0xFFFFFFFF as "read to
 * the end") followed by the second one.
 *
 * 16-bit mono and stereo get a plain PCM `fmt ` chunk; more channels, 24- and 32-bit samples and
 * float get WAVE_FORMAT_EXTENSIBLE with the subformat GUID, as Microsoft's guidance says and sox
 * writes. A WAV file holds one format: caps that change after the header are an error.
 */
export class WavEnc extends Transform {
  static readonly metadata: ElementMetadata = {
    factory: 'wavenc',
    classification: 'Codec/Muxer/Audio',
    description: 'Encode raw audio into a RIFF/WAVE byte stream',
    example: 'audiotestsrc num-buffers=4 ! wavenc ! filesink location=/tmp/wavenc.wav',
    padTemplates: [
      { name: 'sink', direction: 'sink', presence: 'always', caps: WAV_AUDIO_CAPS_TEXT },
      { name: 'src', direction: 'src', presence: 'always', caps: WAV_CAPS_TEXT },
    ],
    properties: {},
    affinity: 'auto',
    rtSafe: false,
  };

  private fmt: WavFormat | null = null;
  private headerBytes = 0;
  /** Sample bytes written so far. */
  private dataBytes = 0;
  /** The bytes segment went out: one per run, however many time segments come in. */
  private segmentSent = false;

  override start(): void {
    this.headerBytes = 0;
    this.dataBytes = 0;
    this.segmentSent = false;
  }

  override transformCaps(pad: Pad, caps: Caps): Caps {
    if (caps.isEmpty()) return caps;
    return pad.direction === 'sink' ? SRC_CAPS : SINK_CAPS;
  }

  override setCaps(pad: Pad, caps: Caps): boolean {
    if (pad.direction === 'sink') this.fmt = wavFormatOf(caps, this.name);
    return true;
  }

  override sinkEvent(pad: Pad, ev: Event): boolean {
    switch (ev.type) {
      case 'caps': {
        let f: WavFormat;
        try {
          f = wavFormatOf(ev.caps, this.name);
        } catch (e) {
          this.error(e instanceof Error ? e.message.replace(`${this.name}: `, '') : String(e));
          return false;
        }
        const old = this.fmt;
        if (this.headerBytes > 0 && old !== null && (old.format !== f.format || old.rate !== f.rate || old.channels !== f.channels)) {
          this.error(`the format changed from ${describe(old)} to ${describe(f)} at byte ${this.headerBytes + this.dataBytes}: a WAV file holds one format`);
          return false;
        }
        pad.caps = ev.caps;
        this.fmt = f;
        return this.srcPad.pushEvent(Events.caps(SRC_CAPS));
      }
      case 'segment':
        // A time segment means nothing to a byte stream: ours starts at byte 0, once. A later
        // one (concat's next input) continues the same file; rewinding would write over it.
        if (this.segmentSent) return true;
        this.segmentSent = true;
        return this.srcPad.pushEvent(Events.segment(REWIND));
      case 'eos':
        this.finish();
        return this.forwardDownstream(ev);
      default:
        return super.sinkEvent(pad, ev);
    }
  }

  override chain(_pad: Pad, buf: Buffer): FlowResult {
    if (this.headerBytes === 0) {
      const r = this.pushHeader(-1);
      if (r !== FlowResult.OK) {
        buf.release();
        return r;
      }
    }
    // The offset lives in the slot's header, which a tee's other branches read too.
    if (!buf.isWritable) buf = buf.makeWritable(this.context.allocator);
    buf.offset = this.headerBytes + this.dataBytes;
    this.dataBytes += buf.size;
    return this.srcPad.push(buf);
  }

  /** Before the first buffer, or at EOS with the real sizes. */
  private pushHeader(dataBytes: number): FlowResult {
    const fmt = this.fmt;
    if (fmt === null) return this.error('received audio before caps');
    const header = wavHeader(fmt, dataBytes);
    const buf = Buffer.fromBytes(this.context.allocator, header);
    buf.offset = 0;
    this.headerBytes = header.byteLength;
    return this.srcPad.push(buf);
  }

  /** EOS: the pad byte, then the header again with the real sizes, written over the first. */
  private finish(): void {
    if (this.fmt === null) {
      this.error('reached EOS without caps: no format to write a header for');
      return;
    }
    // No samples came: one header, with its real (empty) sizes, is the whole file.
    if (this.headerBytes === 0) {
      this.pushHeader(0);
      return;
    }
    const bytes = this.dataBytes;
    if (bytes % this.fmt.bpf !== 0) this.warning(`the data ends with a partial frame: ${bytes} bytes is not a multiple of ${this.fmt.bpf}`);
    if (bytes + this.headerBytes > 0xffffffff) this.warning(`${bytes} bytes of samples do not fit a WAV file's 32-bit sizes; the header says 0xFFFFFFFF`);
    if ((bytes & 1) === 1) {
      const pad = Buffer.fromBytes(this.context.allocator, new Uint8Array(1));
      pad.offset = this.headerBytes + bytes;
      if (this.srcPad.push(pad) !== FlowResult.OK) return;
    }
    this.srcPad.pushEvent(Events.segment(REWIND));
    this.pushHeader(bytes);
  }
}

function describe(f: WavFormat): string {
  return `${f.format} ${f.rate} Hz ${f.channels} ch`;
}

/** The WAV format of fixed raw audio caps, or a NOT_NEGOTIATED error naming the element and the field. */
function wavFormatOf(caps: Caps, element: string): WavFormat {
  const s = caps.structures[0];
  const fail = (what: string): never => {
    throw new ParallaxError('NOT_NEGOTIATED', `${element}: ${what} in caps ${caps.toString()}`);
  };
  if (s === undefined || s.name !== 'audio/x-raw') return fail('expected audio/x-raw');
  const format = s.getString('format');
  if (!isWavSampleFormat(format)) return fail(`format ${format ?? '(missing)'} is not S16LE, S24LE, S32LE or F32LE`);
  const rate = s.getInt('rate');
  if (rate === undefined || rate < 1) return fail(`rate ${rate ?? '(missing)'} is not a positive integer`);
  const channels = s.getInt('channels');
  if (channels === undefined || channels < 1 || channels > 65535) return fail(`channels ${channels ?? '(missing)'} is not in 1..65535`);
  const layout = s.getString('layout');
  if (layout !== undefined && layout !== 'interleaved') return fail(`layout ${layout} is not interleaved`);
  return { format, rate, channels, bpf: bytesPerSample(format) * channels };
}

export default WavEnc;
