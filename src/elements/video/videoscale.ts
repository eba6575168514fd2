import { CapsValue, type Caps } from '../../element/caps/index.js';
import type { ElementMetadata } from '../../element/metadata.js';
import type { Pad } from '../../element/pad.js';
import type { EnumValue, PropertyValue } from '../../element/property.js';
import { ParallaxError } from '../../errors.js';
import type { BuiltinKernels } from '../../wasm/kernel-host.js';
import { VIDEO_MAX_DIMENSION } from './layout.js';
import { VideoScaleMethod, videoscale_scale } from './reference/index.js';
import { VIDEO_CAPS_TEXT, describeVideo, mapVideoStructures, type VideoInfo } from './video-caps.js';
import { VideoFilter, missingExport, type VideoKernel } from './video-filter.js';

/** GStreamer's GstVideoScaleMethod nicks and values, for the methods the kernel has. */
const METHODS: readonly EnumValue[] = [
  { nick: 'nearest-neighbour', value: VideoScaleMethod.NEAREST, description: 'Nearest Neighbour' },
  { nick: 'bilinear', value: VideoScaleMethod.BILINEAR, description: 'Bilinear (2-tap)' },
];

/**
 * `videotestsrc num-buffers=5 ! video/x-raw,width=320,height=240 ! videoscale ! video/x-raw,width=160,height=120 ! fakesink`
 *
 * Classification: Filter/Converter/Video.
 *
 * Resizes raw video, after GStreamer's videoscale: `method` nearest-neighbour or bilinear (the
 * default; may change while running), pixel centres mapped onto pixel centres, every plane of
 * I420, NV12, RGBA and RGB. Format, framerate and the other fields pass through; width and
 * height may differ on the two sides. The output size is downstream's when it fixes one; when it
 * fixes only the width (or height) the other follows the input's aspect ratio; when it fixes
 * neither, the input's size is kept and buffers pass through untouched (zero copy).
 * pixel-aspect-ratio passes through unchanged (no borders are added).
 *
 * The work is the WebAssembly kernel videoscale_scale (assembly/video/videoscale.ts), from the
 * input frame where it lies in the shared arena into a new buffer of the output frame's size;
 * where there is no WebAssembly, its JS reference writes the same bytes.
 *
 * Runs wherever the scheduler puts it (RT-safe); the hot path allocates only buffer handles.
 */
export class VideoScale extends VideoFilter {
  static readonly metadata: ElementMetadata = {
    factory: 'videoscale',
    classification: 'Filter/Converter/Video',
    description: 'Resizes video',
    example: 'videotestsrc num-buffers=5 ! video/x-raw,width=320,height=240 ! videoscale ! video/x-raw,width=160,height=120 ! fakesink',
    padTemplates: [
      { name: 'sink', direction: 'sink', presence: 'always', caps: VIDEO_CAPS_TEXT },
      { name: 'src', direction: 'src', presence: 'always', caps: VIDEO_CAPS_TEXT },
    ],
    properties: {
      method: { type: 'enum', default: 'bilinear', mutable: true, description: 'method', values: METHODS },
    },
    affinity: 'auto',
    rtSafe: true,
    sharedMemory: true,
  };

  private method: number = VideoScaleMethod.BILINEAR;
  private wasmKernel: VideoKernel | null = null;

  protected override propertyChanged(name: string, value: PropertyValue): void {
    if (name === 'method') this.method = methodCode(value as string);
  }

  /** Any width and height; the rest as it is. */
  override transformCaps(_pad: Pad, caps: Caps): Caps {
    const size = CapsValue.intRange(1, VIDEO_MAX_DIMENSION);
    return mapVideoStructures(caps, (s) => s.with('width', size).with('height', size));
  }

  /** Downstream's size; a size it leaves open follows the input's aspect ratio, or is the input's. */
  override fixateCaps(pad: Pad, caps: Caps): Caps {
    const like = (pad.direction === 'src' ? this.sinkPad : this.srcPad).caps?.structures[0];
    const s = caps.structures[0];
    const [inW, inH] = [like?.getInt('width'), like?.getInt('height')];
    if (s === undefined || inW === undefined || inH === undefined) return caps.fixate();
    const [w, h] = [s.getInt('width'), s.getInt('height')];
    const width = w ?? (h !== undefined ? Math.max(1, Math.round((h * inW) / inH)) : inW);
    const height = h ?? (w !== undefined ? Math.max(1, Math.round((w * inH) / inW)) : inH);
    return caps.fixate({ width, height });
  }

  protected configure(from: VideoInfo, to: VideoInfo): boolean {
    if (from.format !== to.format) {
      throw new ParallaxError('NOT_NEGOTIATED', `${this.name}: cannot scale ${describeVideo(from)} to ${describeVideo(to)}: videoscale does not convert formats (put a videoconvert after it)`);
    }
    return from.width === to.width && from.height === to.height;
  }

  protected bind(wasm: BuiltinKernels | null): void {
    this.wasmKernel = wasm === null ? null : wasm['videoscale_scale'] ?? missingExport(this.name, 'videoscale_scale');
  }

  protected process(mem: ArrayBufferLike, src: number, dst: number): number {
    const from = this.inInfo!;
    const to = this.outInfo!;
    const k = this.wasmKernel;
    return k !== null
      ? k(src, dst, from.width, from.height, to.width, to.height, from.format, this.method)
      : videoscale_scale(mem, src, dst, from.width, from.height, to.width, to.height, from.format, this.method);
  }

  protected kernelName(): string {
    return 'videoscale_scale';
  }
}

function methodCode(nick: string): number {
  return METHODS.find((m) => m.nick === nick)!.value;
}
