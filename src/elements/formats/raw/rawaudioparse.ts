import { Buffer, BufferFlags } from '../../../element/buffer.js';
import { Transform } from '../../../element/base/transform.js';
import { Caps, parseCaps } from '../../../element/caps/index.js';
import { Events, type Event } from '../../../element/event.js';
import { FlowResult } from '../../../element/flow.js';
import type { ElementMetadata } from '../../../element/metadata.js';
import type { Pad } from '../../../element/pad.js';
import { copyPayload } from '../../../memory/copy-counter.js';
import { durationOfFrames } from '../../audio/format.js';
import { PCM_FORMATS, RAW_AUDIO_CAPS_TEXT, pcmFormat } from './pcm-formats.js';
import { announceCaps } from '../announce-caps.js';

const SRC_CAPS = parseCaps(RAW_AUDIO_CAPS_TEXT);

interface Framing {
  readonly format: string;
  readonly rate: number;
  readonly channels: number;
  /** Bytes per frame. */
  readonly bpf: number;
}

/**
 * `filesrc location=/tmp/input.bin ! rawaudioparse pcm-format=s16le sample-rate=8000 num-channels=2 ! fakesink`
 *
 * Codec/Parser/Audio. Turns a byte stream (from filesrc, fdsrc, a socket: any block size) into
 * raw audio of the format given by its properties, after GStreamer's rawaudioparse:
 * `pcm-format` (s8, u8, s16le, s16be, u16le, u16be, s24le, s24be packed, s32le, s32be, u32le,
 * u32be, f32le, f32be, f64le, f64be: GstAudioFormat's nicks and numbers, so `pcm-format=4` is
 * s16le as in GStreamer), `sample-rate` and `num-channels`, interleaved. With
 * `use-sink-caps=true` the format comes from upstream's audio/x-raw caps instead.
 *
 * Output buffers hold whole frames and are stamped from the sample count: `pts` and `duration`
 * (nanoseconds, rounded like GStreamer's gst_util_uint64_scale_round), `offset` (the first
 * frame's index); the first is flagged DISCONT. Caps and a time segment go downstream before the
 * first buffer, in place of upstream's (bytes) ones.
 *
 * Zero copy while input buffers start on a frame boundary: a buffer of whole frames goes on as it
 * is; one that ends inside a frame is cut to its whole frames (when no one else holds it) and only
 * the bytes of the frame it cuts are copied aside. A frame that straddles two input buffers is
 * copied together, and since a payload always starts at the start of its slot, the rest of that
 * input buffer is copied too (into whole-frame buffers) until an input buffer starts on a frame
 * boundary again. Every copy is counted (src/memory/copy-counter.ts). A buffer that someone else
 * still holds (a tee's other branch) is copied before it is stamped: the stamps live in the
 * slot's header, which every holder reads.
 *
 * A partial frame left at EOS is dropped with a warning naming the element and the byte offset.
 */
export class RawAudioParse extends Transform {
  static readonly metadata: ElementMetadata = {
    factory: 'rawaudioparse',
    classification: 'Codec/Parser/Audio',
    description: 'Frames a byte stream as raw audio of a given format, rate and channel count',
    example: 'filesrc location=/tmp/input.bin ! rawaudioparse pcm-format=s16le sample-rate=8000 num-channels=2 ! fakesink',
    padTemplates: [
      { name: 'sink', direction: 'sink', presence: 'always', caps: 'ANY' },
      { name: 'src', direction: 'src', presence: 'always', caps: RAW_AUDIO_CAPS_TEXT },
    ],
    properties: {
      'pcm-format': {
        type: 'enum', default: 's16le', description: 'Format of the samples',
        values: PCM_FORMATS.map((f) => ({ nick: f.nick, value: f.value, description: `GST_AUDIO_FORMAT_${f.name}, ${f.width * 8}-bit` })),
      },
      'sample-rate': { type: 'int', default: 44100, min: 1, max: 2147483647, description: 'Frames per second' },
      'num-channels': { type: 'int', default: 2, min: 1, max: 64, description: 'Channels, interleaved' },
      'use-sink-caps': { type: 'bool', default: false, description: "Take the format from upstream's audio/x-raw caps instead of the properties" },
    },
    affinity: 'auto',
    rtSafe: false,
  };

  private framing: Framing | null = null;
  private carry = new Uint8Array(0);
  private carryLen = 0;
  /** Frames pushed: the next buffer's offset and timestamp. */
  private frames = 0;
  /** Input bytes consumed: where a partial frame at EOS starts. */
  private pos = 0;
  private headerSent = false;

  override start(): void {
    this.framing = this.fromProperties();
    this.carryLen = this.frames = this.pos = 0;
    this.headerSent = false;
  }

  private fromProperties(): Framing {
    const f = pcmFormat(this.str('pcm-format'))!;
    const channels = this.num('num-channels');
    return { format: f.name, rate: this.num('sample-rate'), channels, bpf: f.width * channels };
  }

  /** Upstream's caps when `use-sink-caps` is on and they describe fixed raw audio, else null. */
  private fromCaps(caps: Caps): Framing | null {
    const s = caps.structures[0];
    if (!this.bool('use-sink-caps') || s === undefined || s.name !== 'audio/x-raw') return null;
    const f = pcmFormat(s.getString('format') ?? '');
    const rate = s.getInt('rate');
    const channels = s.getInt('channels');
    if (f === undefined || rate === undefined || channels === undefined || rate < 1 || channels < 1 || channels > 64) return null;
    return { format: f.name, rate, channels, bpf: f.width * channels };
  }

  private capsOf(f: Framing): Caps {
    return parseCaps(`audio/x-raw, format=(string)${f.format}, layout=(string)interleaved, rate=(int)${f.rate}, channels=(int)${f.channels}`);
  }

  override transformCaps(pad: Pad, caps: Caps): Caps {
    if (pad.direction === 'src') return Caps.ANY;
    if (caps.isEmpty()) return caps;
    return this.capsOf(this.fromCaps(caps) ?? this.fromProperties()).intersect(SRC_CAPS);
  }

  override setCaps(pad: Pad, caps: Caps): boolean {
    if (pad.direction === 'sink') this.framing = this.fromCaps(caps) ?? this.fromProperties();
    return true;
  }

  override sinkEvent(pad: Pad, ev: Event): boolean {
    switch (ev.type) {
      case 'caps': {
        pad.caps = ev.caps;
        const f = this.fromCaps(ev.caps);
        if (f !== null && this.headerSent && f.bpf !== this.framing?.bpf && this.carryLen > 0) {
          this.warning(`dropped ${this.carryLen} bytes of a partial frame at byte ${this.pos - this.carryLen}: the caps changed`);
          this.carryLen = 0;
        }
        if (f !== null) this.framing = f;
        // Our caps, not upstream's, describe what we push: resend them if they changed.
        if (f !== null && this.headerSent) return this.srcPad.pushEvent(Events.caps(this.capsOf(f)));
        return true;
      }
      case 'segment':
        // Upstream's segment counts bytes; ours counts time from the first frame.
        return this.sendHeader();
      case 'eos':
        if (this.carryLen > 0) {
          this.warning(`dropped ${this.carryLen} bytes of a partial frame at the end of the stream (byte ${this.pos - this.carryLen})`);
          this.carryLen = 0;
        }
        return this.forwardDownstream(ev);
      case 'flush-stop':
        this.carryLen = 0;
        return super.sinkEvent(pad, ev);
      default:
        return super.sinkEvent(pad, ev);
    }
  }

  private sendHeader(): boolean {
    if (this.headerSent) return true;
    const f = this.framing ?? this.fromProperties();
    this.framing = f;
    this.headerSent = true;
    return announceCaps(this, this.srcPad, this.capsOf(f));
  }

  override chain(_pad: Pad, buf: Buffer): FlowResult {
    if (!this.headerSent && !this.sendHeader()) {
      buf.release();
      return FlowResult.NOT_NEGOTIATED;
    }
    const f = this.framing!;
    const bpf = f.bpf;
    const size = buf.size;
    this.pos += size;
    if (this.carryLen === 0) {
      const whole = size - (size % bpf);
      if (whole === size && size > 0) return this.pushFrames(buf, f);
      if (whole > 0 && buf.isWritable) {
        // Only the cut frame's bytes move: the whole frames stay where they are.
        this.keep(buf.data.subarray(whole));
        buf.size = whole;
        return this.pushFrames(buf, f);
      }
    }
    const r = this.reframe(buf.data, f);
    buf.release();
    return r;
  }

  /** The carried partial frame and `bytes` into fresh buffers of whole frames; the rest is carried. */
  private reframe(bytes: Uint8Array, f: Framing): FlowResult {
    const total = this.carryLen + bytes.byteLength;
    const whole = total - (total % f.bpf);
    if (whole === 0) {
      this.keep(bytes);
      return FlowResult.OK;
    }
    const out = Buffer.allocate(this.context.allocator, whole);
    const used = whole - this.carryLen;
    if (this.carryLen > 0) copyPayload(out.data, 0, this.carry.subarray(0, this.carryLen));
    copyPayload(out.data, this.carryLen, bytes.subarray(0, used));
    this.carryLen = 0;
    this.keep(bytes.subarray(used));
    return this.pushFrames(out, f);
  }

  /** Appends `bytes` (less than a frame) to the carried partial frame. */
  private keep(bytes: Uint8Array): void {
    if (bytes.byteLength === 0) return;
    const need = this.carryLen + bytes.byteLength;
    if (this.carry.byteLength < need) {
      const bigger = new Uint8Array(Math.max(need, this.framing!.bpf));
      bigger.set(this.carry.subarray(0, this.carryLen));
      this.carry = bigger;
    }
    copyPayload(this.carry, this.carryLen, bytes);
    this.carryLen = need;
  }

  /** Stamps `buf` (whole frames) with its place on the sample timeline and pushes it. */
  private pushFrames(buf: Buffer, f: Framing): FlowResult {
    // The stamps live in the slot's header, which a tee's other branches read too.
    if (!buf.isWritable) buf = buf.makeWritable(this.context.allocator);
    const n = buf.size / f.bpf;
    const pts = durationOfFrames(this.frames, f.rate);
    buf.pts = pts;
    buf.dts = pts;
    buf.duration = durationOfFrames(this.frames + n, f.rate) - pts;
    buf.offset = this.frames;
    buf.flags = this.frames === 0 ? BufferFlags.DISCONT : 0;
    this.frames += n;
    return this.srcPad.push(buf);
  }
}

export default RawAudioParse;
