import { Buffer } from '../../element/buffer.js';
import { Source, type Produced } from '../../element/base/source.js';
import { Caps, CapsValue, type Structure } from '../../element/caps/index.js';
import { FlowResult } from '../../element/flow.js';
import type { ElementMetadata } from '../../element/metadata.js';
import type { Pad } from '../../element/pad.js';
import type { EnumValue, PropertyValue } from '../../element/property.js';
import { ParallaxError } from '../../errors.js';
import { CLOCK_TIME_NONE } from '../../memory/slot-layout.js';
import { kernelPlace, payloadAddress, type KernelPlace } from '../../wasm/kernel-place.js';
import { frameTime } from './frame-time.js';
import { videoKernelFailure } from './kernel-errors.js';
import { VideoTestPattern, videotestsrc_fill, videotestsrc_state_size } from './reference/index.js';
import { VIDEO_CAPS_TEXT, describeVideo, preferString, videoInfo, type VideoInfo } from './video-caps.js';

/** GStreamer's GstVideoTestSrcPattern nicks and values, for the patterns the kernel paints. */
const PATTERNS: readonly EnumValue[] = [
  { nick: 'smpte', value: VideoTestPattern.SMPTE, description: 'SMPTE 100% color bars' },
  { nick: 'snow', value: VideoTestPattern.SNOW, description: 'Random (television snow)' },
  { nick: 'black', value: VideoTestPattern.BLACK, description: '100% Black' },
  { nick: 'white', value: VideoTestPattern.WHITE, description: '100% White' },
  { nick: 'red', value: VideoTestPattern.RED, description: 'Red' },
  { nick: 'green', value: VideoTestPattern.GREEN, description: 'Green' },
  { nick: 'blue', value: VideoTestPattern.BLUE, description: 'Blue' },
  { nick: 'checkers-1', value: VideoTestPattern.CHECKERS_1, description: 'Checkers 1px' },
  { nick: 'checkers-2', value: VideoTestPattern.CHECKERS_2, description: 'Checkers 2px' },
  { nick: 'checkers-4', value: VideoTestPattern.CHECKERS_4, description: 'Checkers 4px' },
  { nick: 'checkers-8', value: VideoTestPattern.CHECKERS_8, description: 'Checkers 8px' },
  { nick: 'ball', value: VideoTestPattern.BALL, description: 'Moving ball' },
];

/**
 * Whether every frame of `pattern` is the same picture (gst_video_test_src_is_static_pattern):
 * all but smpte (its corner of noise), snow and ball.
 */
function isStatic(pattern: number): boolean {
  return pattern !== VideoTestPattern.SMPTE && pattern !== VideoTestPattern.SNOW && pattern !== VideoTestPattern.BALL;
}

/** Painted frames of a static pattern kept for reuse: enough for a short run of frames in flight downstream. */
const KEEP_PAINTED = 3;

/**
 * The kernel takes the frame number as an i32 (it moves the ball): past 2^31 frames it would be
 * negative and refused. So it counts modulo 2^30: after 2^30 frames (about 207 days at 60 fps)
 * the ball's path starts again from frame 0, a jump, once.
 */
const FRAME_NUMBER_PERIOD = 2 ** 30;

/**
 * `videotestsrc pattern=smpte num-buffers=5 ! video/x-raw,format=I420,width=320,height=240 ! fakesink`
 *
 * Classification: Source/Video.
 *
 * Generates test video, after GStreamer's videotestsrc: `pattern` smpte (the default), snow,
 * black, white, red, green, blue, checkers-1/2/4/8 and ball, in I420, NV12, RGBA or RGB at any
 * size up to 16384, every visible pixel GStreamer 1.22's (row padding of odd sizes keeps what the
 * slot held). It fixates to I420 320x240 at 30/1 when downstream leaves the format open
 * (GStreamer's first format, ABGR64_LE, is not one the kernels paint), with pixel-aspect-ratio
 * 1/1 and progressive interlace-mode. Frame n is stamped
 * pts = n × framerate⁻¹ (plus `timestamp-offset`), offset n; a framerate of 0/1 gives one frame.
 * YUV colours follow the caps' colorimetry (bt601, bt709) and chroma-site (jpeg, mpeg2), else
 * GStreamer's defaults for the height. `is-live` paces frames by the clock, each pushed at its
 * end time.
 *
 * The work is the WebAssembly kernel videotestsrc_fill (assembly/video/videotestsrc.ts), which
 * paints each frame where it lies in the shared arena, the snow and noise PRNG in state carved
 * from the arena; where there is no WebAssembly, its JS reference paints the same bytes.
 *
 * A static pattern (all but smpte, snow and ball) is painted once and then pushed again and
 * again by reference, no paint and no copy: the element keeps one reference to each painted
 * frame (up to three), and reuses one as soon as downstream has released it, so a frame never
 * changes under a reader; while all three are held (a queue downstream), frames are painted into
 * new buffers. A downstream element that writes a frame finds it shared and copies it
 * first (Buffer.makeWritable, counted in bytesCopied); the painted frame stays intact. GStreamer
 * copies its cached frame into every buffer instead.
 *
 * Runs wherever the scheduler puts it (RT-safe); the hot path allocates only buffer handles.
 */
export class VideoTestSrc extends Source {
  static readonly metadata: ElementMetadata = {
    factory: 'videotestsrc',
    classification: 'Source/Video',
    description: 'Creates a test video stream',
    example: 'videotestsrc pattern=smpte num-buffers=5 ! video/x-raw,format=I420,width=320,height=240 ! fakesink',
    padTemplates: [{ name: 'src', direction: 'src', presence: 'always', caps: VIDEO_CAPS_TEXT }],
    properties: {
      pattern: { type: 'enum', default: 'smpte', mutable: true, description: 'Type of test pattern to generate', values: PATTERNS },
      'num-buffers': { type: 'int', default: -1, min: -1, description: 'Number of buffers to output before sending EOS (-1 = unlimited)' },
      'is-live': { type: 'bool', default: false, description: 'Whether to act as a live source' },
      'timestamp-offset': { type: 'uint64', default: 0, description: 'An offset added to timestamps set on buffers (in ns)' },
    },
    affinity: 'auto',
    rtSafe: true,
    sharedMemory: true,
  };

  private place: KernelPlace | null = null;
  private kstate = -1;
  private info: VideoInfo | null = null;
  private pattern: number = VideoTestPattern.SMPTE;
  private numBuffers = -1;
  private isLive = false;
  private offsetNs = 0;
  private count = 0;
  /** Frames of the current static pattern this element holds one reference to. Streaming thread only. */
  private readonly painted: Buffer[] = [];
  /** The pattern or caps changed: the painted frames are out of date. */
  private stale = false;

  override start(): void {
    super.start();
    this.pattern = patternCode(this.str('pattern'));
    this.numBuffers = this.num('num-buffers');
    this.isLive = this.bool('is-live');
    this.offsetNs = this.num('timestamp-offset');
    this.count = 0;
    this.forgetPainted();
    // State is carved from the arena this run allocates from (each prepare makes a new one).
    this.place = kernelPlace(this.context, this.name);
    this.kstate = this.place.carveState(this.place.wasm !== null ? this.place.wasm.videotestsrc_state_size!() : videotestsrc_state_size());
    if (this.info !== null && this.numBuffers !== 0) this.context.allocator.reserve(this.info.size, KEEP_PAINTED + 1);
  }

  /** The next run allocates from a new arena: its state is carved at start. */
  override stop(): void {
    this.forgetPainted();
    this.place = null;
    this.kstate = -1;
  }

  /** GStreamer's fixation: 320x240, 30/1, pixel-aspect-ratio 1/1, progressive, colorimetry bt601 and chroma-site mpeg2 when open. */
  override fixateCaps(_pad: Pad, caps: Caps): Caps {
    const first = caps.structures[0];
    if (first === undefined) return caps.fixate();
    let s: Structure = first;
    if (!s.has('framerate')) s = s.with('framerate', CapsValue.fraction(30, 1));
    if (!s.has('pixel-aspect-ratio')) s = s.with('pixel-aspect-ratio', CapsValue.fraction(1, 1));
    if (!s.has('interlace-mode')) s = s.with('interlace-mode', CapsValue.string('progressive'));
    s = preferString(preferString(preferString(s, 'colorimetry', 'bt601'), 'chroma-site', 'mpeg2'), 'interlace-mode', 'progressive');
    return Caps.of(s).fixate({ width: 320, height: 240, framerate: { num: 30, den: 1 }, 'pixel-aspect-ratio': { num: 1, den: 1 } });
  }

  /** Negotiation runs before start (and on the event loop even for a thread's element): record the format only. */
  override setCaps(_pad: Pad, caps: Caps): boolean {
    const info = videoInfo(caps, this.name);
    const problem = info.matrixProblem ?? info.chromaProblem;
    if (problem !== null) throw new ParallaxError('NOT_NEGOTIATED', `${this.name}: cannot paint ${describeVideo(info)}: ${problem}`);
    this.info = info;
    this.stale = true;
    return true;
  }

  protected override propertyChanged(name: string, value: PropertyValue): void {
    if (name !== 'pattern') return;
    this.pattern = patternCode(value as string);
    this.stale = true;
  }

  protected create(): Produced | Promise<Produced> {
    if (this.numBuffers >= 0 && this.count >= this.numBuffers) return FlowResult.EOS;
    const info = this.info;
    if (info === null) {
      this.error('has no caps: nothing downstream fixed a format');
      return FlowResult.NOT_NEGOTIATED;
    }
    // A frame rate of 0/1 is a still picture: one frame, then EOS (as GStreamer).
    if (info.fpsN === 0 && this.count > 0) return FlowResult.EOS;
    if (this.stale) this.forgetPainted();
    const keep = isStatic(this.pattern);
    const buf = (keep ? this.reusePainted() : null) ?? this.paint(info, keep);
    if (typeof buf === 'number') return buf;
    const n = this.count;
    if (info.fpsN > 0) {
      const start = frameTime(n, info.fpsN, info.fpsD);
      buf.pts = this.offsetNs + start;
      buf.duration = frameTime(n + 1, info.fpsN, info.fpsD) - start;
    } else {
      buf.pts = this.offsetNs;
      buf.duration = CLOCK_TIME_NONE;
    }
    buf.dts = CLOCK_TIME_NONE;
    buf.offset = n;
    buf.sequence = n;
    this.count++;
    if (!this.isLive) return buf;
    // A live source delivers a frame once it has been "captured": at its end time.
    const ctx = this.context;
    const due = ctx.baseTime + buf.pts + Math.max(buf.duration, 0);
    if (ctx.clock.now() >= due) return buf;
    return ctx.clock.waitUntil(due).then((reached): Produced => {
      if (reached) return buf;
      buf.release();
      return FlowResult.FLUSHING;
    });
  }

  /** Paints frame `count` into a new buffer; keeps a reference to it when `keep` and there is room. */
  private paint(info: VideoInfo, keep: boolean): Buffer | FlowResult {
    const place = this.place!;
    const buf = place.adopt(Buffer.allocate(this.context.allocator, info.size));
    const at = payloadAddress(buf);
    const { width, height, format, matrix, chromaSite } = info;
    const r = place.wasm !== null
      ? place.wasm.videotestsrc_fill!(this.kstate, at, width, height, format, this.pattern, matrix, chromaSite, this.count % FRAME_NUMBER_PERIOD)
      : videotestsrc_fill(place.mem, this.kstate, at, width, height, format, this.pattern, matrix, chromaSite, this.count % FRAME_NUMBER_PERIOD);
    if (r < 0) {
      buf.release();
      return this.error(videoKernelFailure('videotestsrc_fill', `${describeVideo(info)}, pattern ${this.str('pattern')}`, r));
    }
    if (!keep || this.painted.length >= KEEP_PAINTED) return buf;
    this.painted.push(buf);
    return buf.clone();
  }

  /**
   * A second reference to a painted frame nobody downstream holds any more, its header cleared
   * for new stamps; null when every one is still in use. "Nobody else" is the check
   * makeWritable makes (a refcount of 1): with our own reference held, the count can only fall
   * while we look, so a frame seen writable is ours alone.
   */
  private reusePainted(): Buffer | null {
    for (let i = 0; i < this.painted.length; i++) {
      const frame = this.painted[i]!;
      if (!frame.isWritable) continue;
      const buf = frame.clone();
      buf.flags = 0;
      buf.streamId = 0;
      buf.capsId = 0;
      return buf;
    }
    return null;
  }

  private forgetPainted(): void {
    for (const b of this.painted) b.release();
    this.painted.length = 0;
    this.stale = false;
  }
}

function patternCode(nick: string): number {
  return PATTERNS.find((p) => p.nick === nick)!.value;
}
