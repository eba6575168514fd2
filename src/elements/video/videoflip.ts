import { CapsValue, type Caps, type Structure } from '../../element/caps/index.js';
import type { ElementMetadata } from '../../element/metadata.js';
import type { Pad } from '../../element/pad.js';
import { convertPropertyValue, type EnumValue, type PropertyValue } from '../../element/property.js';
import { ParallaxError } from '../../errors.js';
import type { BuiltinKernels } from '../../wasm/kernel-host.js';
import { VideoFlipMethod, flipCanTurn, flipSwapsDimensions, videoflip_flip } from './reference/index.js';
import { VIDEO_LAYOUT_FORMATS, describeVideo, mapVideoStructures, videoCapsText, type VideoInfo } from './video-caps.js';
import { VideoFilter, missingExport, type VideoKernel } from './video-filter.js';

/** GStreamer's GstVideoFlipMethod nicks and values (all but automatic, which reads orientation tags). */
const METHODS: readonly EnumValue[] = [
  { nick: 'none', value: VideoFlipMethod.NONE, description: 'Identity (no rotation)' },
  { nick: 'clockwise', value: VideoFlipMethod.CLOCKWISE, description: 'Rotate clockwise 90 degrees' },
  { nick: 'rotate-180', value: VideoFlipMethod.ROTATE_180, description: 'Rotate 180 degrees' },
  { nick: 'counterclockwise', value: VideoFlipMethod.COUNTERCLOCKWISE, description: 'Rotate counter-clockwise 90 degrees' },
  { nick: 'horizontal-flip', value: VideoFlipMethod.HORIZONTAL_FLIP, description: 'Flip horizontally' },
  { nick: 'vertical-flip', value: VideoFlipMethod.VERTICAL_FLIP, description: 'Flip vertically' },
  { nick: 'upper-left-diagonal', value: VideoFlipMethod.UPPER_LEFT_DIAGONAL, description: 'Flip across upper left/lower right diagonal' },
  { nick: 'upper-right-diagonal', value: VideoFlipMethod.UPPER_RIGHT_DIAGONAL, description: 'Flip across upper right/lower left diagonal' },
];

/** The same methods as GStreamer's GstVideoOrientationMethod, for the `video-direction` property. */
const DIRECTIONS: readonly EnumValue[] = ['identity', '90r', '180', '90l', 'horiz', 'vert', 'ul-lr', 'ur-ll']
  .map((nick, i) => ({ nick, value: METHODS[i]!.value, description: METHODS[i]!.description! }));

/** Every format the layout knows: the kernels' four, and Y42B, Y444 and GRAY8. */
const FLIP_CAPS_TEXT = videoCapsText(VIDEO_LAYOUT_FORMATS);

/** The two properties that name the method, each with its nicks. */
const NAMES: Readonly<Record<string, readonly EnumValue[]>> = { method: METHODS, 'video-direction': DIRECTIONS };

/**
 * `videotestsrc num-buffers=5 ! video/x-raw,width=320,height=240 ! videoflip method=clockwise ! video/x-raw,width=240,height=320 ! fakesink`
 *
 * Classification: Filter/Effect/Video.
 *
 * Rotates and mirrors raw video, after GStreamer's videoflip: `method` none (the default: buffers
 * pass through untouched, zero copy), clockwise, rotate-180, counterclockwise, horizontal-flip,
 * vertical-flip, upper-left-diagonal, upper-right-diagonal, on every plane of I420, NV12, RGBA,
 * RGB, Y444 and GRAY8. The turning methods (clockwise, counterclockwise and the diagonals) swap
 * width and height between the two sides' caps (and invert a pixel-aspect-ratio); format and
 * the other fields (chroma-site, colorimetry) pass through.
 *
 * Y42B (4:2:2) takes the methods that keep the size (none, rotate-180, horizontal-flip,
 * vertical-flip). A turn would make its chroma 4:4:0 (half height, full width), which has no
 * format here, so a turning method on Y42B is refused with NOT_NEGOTIATED, at negotiation or
 * when the method is set (GStreamer's videoflip does not take 8-bit Y42B at all; convert to
 * I420 or Y444 first).
 *
 * `video-direction` is the same setting by GStreamer's GstVideoOrientationMethod nicks (identity,
 * 90r, 180, 90l, horiz, vert, ul-lr, ur-ll); setting either sets both. The output is GStreamer
 * 1.22's byte for byte (checked against `videoflip video-direction=…`: its 1.22.0 ignores `method`
 * set on a launch line).
 *
 * `method` may change while the pipeline runs or is prepared, between methods that keep the
 * output size: among none, rotate-180, horizontal-flip and vertical-flip, or among the four
 * turning ones (any change when the frame is square). A change that would turn the output
 * size is refused with PROPERTY_NOT_MUTABLE: this element does not renegotiate; set it while
 * the pipeline is stopped. The sizes judged are the stream's, as the caps event brought them (a
 * parser's real size, not the placeholder negotiated before its header): on a data thread, the
 * copy of the element there judges. (GStreamer's `automatic` (`auto`) and `custom` are not provided.)
 *
 * The work is the WebAssembly kernel videoflip_flip (assembly/video/videoflip.ts), from the
 * input frame where it lies in the shared arena into a new buffer; where there is no
 * WebAssembly, its JS reference writes the same bytes.
 *
 * Runs wherever the scheduler puts it (RT-safe); the hot path allocates only buffer handles.
 */
export class VideoFlip extends VideoFilter {
  static readonly metadata: ElementMetadata = {
    factory: 'videoflip',
    classification: 'Filter/Effect/Video',
    description: 'Flips and rotates video',
    example: 'videotestsrc num-buffers=5 ! video/x-raw,width=320,height=240 ! videoflip method=clockwise ! video/x-raw,width=240,height=320 ! fakesink',
    padTemplates: [
      { name: 'sink', direction: 'sink', presence: 'always', caps: FLIP_CAPS_TEXT },
      { name: 'src', direction: 'src', presence: 'always', caps: FLIP_CAPS_TEXT },
    ],
    properties: {
      method: { type: 'enum', default: 'none', mutable: true, description: 'method (a change that turns the output size needs a stopped pipeline)', values: METHODS },
      'video-direction': { type: 'enum', default: 'identity', mutable: true, description: 'Video direction: rotation and flipping (the same as method, by GstVideoOrientationMethod nicks)', values: DIRECTIONS },
    },
    affinity: 'auto',
    rtSafe: true,
    sharedMemory: true,
  };

  protected override readonly formats = VIDEO_LAYOUT_FORMATS;
  private method: number = VideoFlipMethod.NONE;
  private wasmKernel: VideoKernel | null = null;
  /**
   * This copy was started, so its caps are the stream's. The event loop's copy of an element
   * placed on a data thread is never started: it holds the caps negotiated before the stream
   * began (a parser's placeholder until its header is read), while the data thread's copy gets
   * the stream's caps in-band. Only the copy that sees the stream can judge a change of method.
   */
  private started = false;

  override start(): void {
    super.start();
    this.started = true;
  }

  override stop(): void {
    this.started = false;
    super.stop();
  }

  /** Refuses, once caps are negotiated, a method that would turn the output size. */
  override set(name: string, raw: unknown): void {
    const from = this.inInfo;
    const table = NAMES[name];
    if (table !== undefined && this.state !== 'suspended' && this.started && from !== null) {
      const next = codeOf(table, convertPropertyValue(this.propertySpec(name)!, raw, { element: this.name, property: name }) as string);
      if (flipSwapsDimensions(next) && !flipCanTurn(from.format)) throw cannotTurn(this.name, nickOf(table, next), from);
      if (from.width !== from.height && flipSwapsDimensions(next) !== flipSwapsDimensions(this.method)) {
        const [w, h] = flipSwapsDimensions(this.method) ? [from.height, from.width] : [from.width, from.height];
        throw new ParallaxError('PROPERTY_NOT_MUTABLE',
          `property ${name} of ${this.name} cannot change from ${nickOf(table, this.method)} to ${nickOf(table, next)} while the pipeline is prepared: ` +
          `the output would turn from ${w}x${h} to ${h}x${w}, and videoflip does not renegotiate; set it while the pipeline is stopped`);
      }
    }
    super.set(name, raw);
  }

  protected override propertyChanged(name: string, value: PropertyValue): void {
    const table = NAMES[name];
    if (table === undefined) return;
    this.method = codeOf(table, value as string);
    // The other name follows (its own change finds this one in step and stops there).
    const other = name === 'method' ? 'video-direction' : 'method';
    const otherNick = nickOf(NAMES[other]!, this.method);
    if (this.get(other) !== otherNick) super.set(other, otherNick);
    // Negotiated already: pass-through may start or stop (set() refused a change of size).
    else if (this.state !== 'suspended' && this.started) this.reconfigure();
  }

  /** The same caps, with width and height swapped for a turning method (both directions alike). */
  override transformCaps(_pad: Pad, caps: Caps): Caps {
    return flipSwapsDimensions(this.method) ? mapVideoStructures(caps, swapSize) : caps;
  }

  protected configure(from: VideoInfo, to: VideoInfo): boolean {
    const turns = flipSwapsDimensions(this.method);
    if (turns && !flipCanTurn(from.format)) throw cannotTurn(this.name, nickOf(METHODS, this.method), from);
    const [w, h] = turns ? [from.height, from.width] : [from.width, from.height];
    if (from.format !== to.format || to.width !== w || to.height !== h) {
      throw new ParallaxError('NOT_NEGOTIATED', `${this.name}: method ${nickOf(METHODS, this.method)} turns ${describeVideo(from)} into ${from.formatName} ${w}x${h}, not ${describeVideo(to)}`);
    }
    return this.method === VideoFlipMethod.NONE;
  }

  protected bind(wasm: BuiltinKernels | null): void {
    this.wasmKernel = wasm === null ? null : wasm['videoflip_flip'] ?? missingExport(this.name, 'videoflip_flip');
  }

  protected process(mem: ArrayBufferLike, src: number, dst: number): number {
    const { width, height, format } = this.inInfo!;
    const k = this.wasmKernel;
    return k !== null ? k(src, dst, width, height, format, this.method) : videoflip_flip(mem, src, dst, width, height, format, this.method);
  }

  protected kernelName(): string {
    return 'videoflip_flip';
  }
}

/** Why a turning method cannot run on `from` (Y42B): a NOT_NEGOTIATED error naming the element. */
function cannotTurn(element: string, method: string, from: VideoInfo): ParallaxError {
  return new ParallaxError('NOT_NEGOTIATED',
    `${element}: method ${method} cannot turn ${describeVideo(from)}: its 4:2:2 chroma would become 4:4:0, which has no format here; ` +
    'use none, rotate-180, horizontal-flip or vertical-flip, or convert to I420 or Y444 first');
}

/** Width and height swapped, and a fixed pixel-aspect-ratio inverted, as a quarter turn does. */
function swapSize(s: Structure): Structure {
  const [w, h] = [s.get('width'), s.get('height')];
  let t = s;
  if (w !== undefined && h !== undefined) t = t.with('width', h).with('height', w);
  else if (w !== undefined) t = t.without('width').with('height', w);
  else if (h !== undefined) t = t.without('height').with('width', h);
  const par = t.getFraction('pixel-aspect-ratio');
  if (par !== undefined && par.num > 0) t = t.with('pixel-aspect-ratio', CapsValue.fraction(par.den, par.num));
  return t;
}

function codeOf(table: readonly EnumValue[], nick: string): number {
  return table.find((m) => m.nick === nick)!.value;
}

function nickOf(table: readonly EnumValue[], code: number): string {
  return table.find((m) => m.value === code)!.nick;
}
