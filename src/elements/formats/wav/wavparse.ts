import { Buffer, BufferFlags } from '../../../element/buffer.js';
import { Transform } from '../../../element/base/transform.js';
import { Caps, parseCaps } from '../../../element/caps/index.js';
import type { Event } from '../../../element/event.js';
import { FlowResult } from '../../../element/flow.js';
import type { ElementMetadata } from '../../../element/metadata.js';
import type { Pad } from '../../../element/pad.js';
import { durationOfFrames } from '../../audio/format.js';
import { copyPayload } from '../../../memory/copy-counter.js';
import { WAV_AUDIO_CAPS_TEXT, parseFmt, wavCapsText, type WavFormat } from './wav-format.js';
import { announceCaps } from '../announce-caps.js';

const SRC_CAPS = parseCaps(WAV_AUDIO_CAPS_TEXT);
/** A `fmt ` chunk longer than this is not a format description (WAVE_FORMAT_EXTENSIBLE is 40). */
const MAX_FMT_BYTES = 1024;
/** A data chunk size of 0xFFFFFFFF means "until the end of the stream" (a writer that could not seek). */
const UNKNOWN_SIZE = 0xffffffff;

/** Where the parser is in the file: the 12-byte RIFF header, a chunk header, the fmt payload, a chunk to skip, samples, past the samples. */
type Phase = 'riff' | 'chunk' | 'fmt' | 'skip' | 'data' | 'done';

/**
 * `audiotestsrc num-buffers=4 ! wavenc ! wavparse ! fakesink`
 *
 * Codec/Demuxer/Audio. Reads a RIFF/WAVE byte stream (from filesrc, any block size) and outputs
 * its samples as audio/x-raw: S16LE, S24LE (packed, 3 bytes), S32LE or F32LE, interleaved, any
 * rate and channel count, after GStreamer's wavparse in push mode. The `fmt ` chunk may be
 * WAVE_FORMAT_PCM, WAVE_FORMAT_IEEE_FLOAT or WAVE_FORMAT_EXTENSIBLE with the matching subformat
 * GUID; other chunks (LIST, fact, …) are skipped, pad byte included; chunks after `data` are ignored.
 *
 * Output buffers hold whole frames and carry `pts`, `duration` and `offset` (the first frame's
 * index) from the sample position; the first is flagged DISCONT. A buffer that is all samples and
 * whole frames goes on as it is; others are copied into fresh buffers around the header bytes and
 * partial frames.
 *
 * Caps: the format is only known once the `fmt ` chunk has been read, after the pipeline has
 * negotiated. Negotiation therefore settles the src pad on a placeholder from the template (what
 * downstream accepts), and wavparse sends the file's caps in-band, then a time segment, before
 * its first buffer; elements downstream take in-band caps (audioconvert, volume, capsfilter,
 * sinks). Downstream refusing them stops the stream with NOT_NEGOTIATED, naming the caps.
 *
 * Errors name the element and the byte offset: not RIFF, not WAVE, a header cut short, an
 * unsupported format tag or sample width, a bad block align, no `fmt ` before `data`. A `data`
 * chunk that declares more bytes than the stream holds is a warning; the samples present are used.
 * A bytes segment that rewinds upstream (wavenc rewriting its header) ends the samples there.
 */
export class WavParse extends Transform {
  static readonly metadata: ElementMetadata = {
    factory: 'wavparse',
    classification: 'Codec/Demuxer/Audio',
    description: 'Parse a RIFF/WAVE byte stream into raw audio',
    example: 'audiotestsrc num-buffers=4 ! wavenc ! wavparse ! fakesink',
    padTemplates: [
      { name: 'sink', direction: 'sink', presence: 'always', caps: 'ANY' },
      { name: 'src', direction: 'src', presence: 'always', caps: WAV_AUDIO_CAPS_TEXT },
    ],
    properties: {},
    affinity: 'auto',
    rtSafe: false,
  };

  private phase: Phase = 'riff';
  /** Bytes the current phase needs in `acc` (RIFF header, chunk header, fmt payload). */
  private need = 12;
  private acc = new Uint8Array(64);
  private accLen = 0;
  /** Stream offset of the next input byte. */
  private pos = 0;
  /** Offset, id and size of the chunk being read or skipped. */
  private chunkAt = 0;
  private chunkId = '';
  private chunkSize = 0;
  private skipLeft = 0;
  private dataLeft = 0;
  private dataAt = 0;
  private fmt: WavFormat | null = null;
  /** A partial frame waiting for the rest of its bytes. */
  private carry = new Uint8Array(0);
  private carryLen = 0;
  private frames = 0;
  private failed = false;

  override start(): void {
    this.phase = 'riff';
    this.need = 12;
    this.accLen = this.pos = this.skipLeft = this.dataLeft = this.frames = this.carryLen = 0;
    this.fmt = null;
    this.failed = false;
  }

  override transformCaps(pad: Pad, caps: Caps): Caps {
    return pad.direction === 'sink' ? (caps.isEmpty() ? caps : SRC_CAPS) : Caps.ANY;
  }

  /** The placeholder until the header is read (see the class comment). */
  override fixateCaps(_pad: Pad, caps: Caps): Caps {
    return caps.isAny() ? caps : caps.fixate({ rate: 44100, channels: 2 });
  }

  override chain(_pad: Pad, buf: Buffer): FlowResult {
    if (this.failed) {
      buf.release();
      return FlowResult.ERROR;
    }
    const fmt = this.fmt;
    // Samples only, whole frames: the buffer goes on as it is.
    if (this.phase === 'data' && fmt !== null && this.carryLen === 0 && buf.size <= this.dataLeft && buf.size % fmt.bpf === 0 && buf.size > 0) {
      this.pos += buf.size;
      this.dataLeft -= buf.size;
      if (this.dataLeft === 0) this.phase = 'done';
      return this.pushFrames(buf, fmt);
    }
    const bytes = buf.data;
    let i = 0;
    let r: FlowResult = FlowResult.OK;
    while (i < bytes.byteLength && r === FlowResult.OK) {
      const left = bytes.byteLength - i;
      if (this.phase === 'riff' || this.phase === 'chunk' || this.phase === 'fmt') {
        const n = Math.min(this.need - this.accLen, left);
        this.acc.set(bytes.subarray(i, i + n), this.accLen);
        this.accLen += n;
        i += n;
        this.pos += n;
        if (this.accLen === this.need) r = this.headerPart();
      } else if (this.phase === 'skip') {
        const n = Math.min(this.skipLeft, left);
        i += n;
        this.pos += n;
        this.skipLeft -= n;
        if (this.skipLeft === 0) this.nextChunk();
      } else if (this.phase === 'data') {
        const n = Math.min(this.dataLeft, left);
        r = this.samples(bytes.subarray(i, i + n));
        i += n;
        this.pos += n;
        this.dataLeft -= n;
        if (this.dataLeft === 0) this.phase = 'done';
      } else {
        this.pos += left;
        i += left;
      }
    }
    buf.release();
    if (r !== FlowResult.OK && r !== FlowResult.EOS) this.failed = true;
    return r;
  }

  override sinkEvent(pad: Pad, ev: Event): boolean {
    switch (ev.type) {
      case 'caps':
        pad.caps = ev.caps;
        return true;
      case 'segment':
        // Our own time segment goes out with the caps. A bytes segment that goes back over bytes
        // already read is a writer rewriting its header: what follows is not samples.
        if (ev.segment.format === 'bytes' && ev.segment.start < this.pos && (this.phase === 'data' || this.phase === 'done')) {
          this.phase = 'done';
          this.dataLeft = 0;
        }
        return true;
      case 'eos':
        if (!this.failed) this.finish();
        return this.forwardDownstream(ev);
      default:
        return super.sinkEvent(pad, ev);
    }
  }

  /** EOS: say what the stream left unfinished. */
  private finish(): void {
    const at = this.pos;
    switch (this.phase) {
      case 'riff':
        this.error(at === 0 ? 'empty stream: no RIFF header' : `truncated header: the stream ends at byte ${at}, inside the 12-byte RIFF header`);
        return;
      case 'chunk':
        this.error(`truncated header: the stream ends at byte ${at}, inside the chunk header at byte ${this.pos - this.accLen}, before any data chunk`);
        return;
      case 'fmt':
        this.error(`truncated header: the stream ends at byte ${at}, inside the fmt chunk at byte ${this.chunkAt} (${this.chunkSize} bytes declared)`);
        return;
      case 'skip':
        this.error(`truncated header: the stream ends at byte ${at}, inside the "${this.chunkId}" chunk at byte ${this.chunkAt} (${this.chunkSize} bytes declared), before any data chunk`);
        return;
      case 'data':
        if (this.dataLeft !== Infinity) {
          const got = at - this.dataAt - 8;
          this.warning(`the data chunk at byte ${this.dataAt} declares ${got + this.dataLeft} bytes but the stream ends after ${got} (at byte ${at}); using the samples present`);
        }
        break;
      case 'done':
        break;
    }
    if (this.carryLen > 0) {
      this.warning(`dropped ${this.carryLen} bytes of a partial frame at the end of the data (byte ${at - this.carryLen})`);
      this.carryLen = 0;
    }
  }

  /** `acc` holds what the phase needed: the RIFF header, a chunk header or the fmt payload. */
  private headerPart(): FlowResult {
    const b = this.acc;
    const at = this.pos - this.accLen;
    this.accLen = 0;
    if (this.phase === 'riff') {
      const riff = fourcc(b, 0);
      if (riff !== 'RIFF') return this.error(riff === 'RF64' ? 'RF64 (64-bit RIFF) files are not supported (byte 0)' : `not a RIFF file: found "${riff}" at byte 0, expected "RIFF"`);
      const wave = fourcc(b, 8);
      if (wave !== 'WAVE') return this.error(`not a WAVE file: found "${wave}" at byte 8, expected "WAVE"`);
      this.nextChunk();
      return FlowResult.OK;
    }
    if (this.phase === 'fmt') {
      const f = parseFmt(b.subarray(0, this.chunkSize), at);
      if (typeof f === 'string') return this.error(f);
      this.fmt = f;
      this.skipOrNext(this.chunkSize & 1);
      return FlowResult.OK;
    }
    // A chunk header.
    this.chunkAt = at;
    this.chunkId = fourcc(b, 0);
    this.chunkSize = new DataView(b.buffer, b.byteOffset, 8).getUint32(4, true);
    if (this.chunkId === 'fmt ' && this.fmt === null) {
      if (this.chunkSize > MAX_FMT_BYTES) return this.error(`fmt chunk at byte ${at} declares ${this.chunkSize} bytes (at most ${MAX_FMT_BYTES} expected)`);
      if (this.chunkSize < 16) return this.error(`truncated fmt chunk at byte ${at}: ${this.chunkSize} bytes, at least 16 needed`);
      if (this.acc.byteLength < this.chunkSize) this.acc = new Uint8Array(this.chunkSize);
      this.phase = 'fmt';
      this.need = this.chunkSize;
      return FlowResult.OK;
    }
    if (this.chunkId === 'data') {
      const fmt = this.fmt;
      if (fmt === null) return this.error(`data chunk at byte ${at} comes before any fmt chunk`);
      this.dataAt = at;
      this.dataLeft = this.chunkSize === UNKNOWN_SIZE ? Infinity : this.chunkSize;
      this.phase = this.dataLeft === 0 ? 'done' : 'data';
      return this.announce(fmt);
    }
    this.skipOrNext(this.chunkSize + (this.chunkSize & 1));
    return FlowResult.OK;
  }

  private skipOrNext(bytes: number): void {
    if (bytes === 0) {
      this.nextChunk();
    } else {
      this.phase = 'skip';
      this.skipLeft = bytes;
    }
  }

  private nextChunk(): void {
    this.phase = 'chunk';
    this.need = 8;
  }

  /** The header is read: the file's caps, then a time segment, go downstream before any sample. */
  private announce(fmt: WavFormat): FlowResult {
    const caps = parseCaps(wavCapsText(fmt));
    if (!announceCaps(this, this.srcPad, caps, "the file's caps", `header parsed up to byte ${this.pos}`)) return FlowResult.NOT_NEGOTIATED;
    if (this.carry.byteLength < fmt.bpf) this.carry = new Uint8Array(fmt.bpf);
    return FlowResult.OK;
  }

  /** Copies `bytes` (with a partial frame left from before) into a buffer of whole frames. */
  private samples(bytes: Uint8Array): FlowResult {
    const fmt = this.fmt!;
    const total = this.carryLen + bytes.byteLength;
    const whole = total - (total % fmt.bpf);
    if (whole === 0) {
      copyPayload(this.carry, this.carryLen, bytes);
      this.carryLen = total;
      return FlowResult.OK;
    }
    const out = Buffer.allocate(this.context.allocator, whole);
    // Payload bytes moved between slots: counted like every other copy.
    const at = out.pool.payloadOffset(out.slot);
    copyPayload(out.pool.bytes, at, this.carry.subarray(0, this.carryLen));
    const used = whole - this.carryLen;
    copyPayload(out.pool.bytes, at + this.carryLen, bytes.subarray(0, used));
    this.carryLen = bytes.byteLength - used;
    copyPayload(this.carry, 0, bytes.subarray(used));
    out.flags = 0;
    return this.pushFrames(out, fmt);
  }

  /** Stamps `buf` (whole frames) with its place on the sample timeline and pushes it. */
  private pushFrames(buf: Buffer, fmt: WavFormat): FlowResult {
    const n = buf.size / fmt.bpf;
    const pts = durationOfFrames(this.frames, fmt.rate);
    buf.pts = pts;
    buf.duration = durationOfFrames(this.frames + n, fmt.rate) - pts;
    buf.offset = this.frames;
    buf.flags = this.frames === 0 ? BufferFlags.DISCONT : 0;
    this.frames += n;
    return this.srcPad.push(buf);
  }
}

/** Four bytes as text, with anything unprintable shown as "?". */
function fourcc(b: Uint8Array, at: number): string {
  let s = '';
  for (let i = at; i < at + 4; i++) {
    const c = b[i] ?? 0;
    s += c >= 0x20 && c < 0x7f ? String.fromCharCode(c) : '?';
  }
  return s;
}

export default WavParse;
