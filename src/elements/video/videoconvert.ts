import { Caps, CapsValue, type Structure } from '../../element/caps/index.js';
import type { ElementMetadata } from '../../element/metadata.js';
import type { Pad } from '../../element/pad.js';
import { ParallaxError } from '../../errors.js';
import type { BuiltinKernels } from '../../wasm/kernel-host.js';
import { defaultVideoMatrix, type VideoMatrix } from './layout.js';
import * as ref from './reference/index.js';
import {
  VIDEO_CAPS_TEXT, VIDEO_FORMATS, describeVideo, isYuvName, mapVideoStructures, preferString, stringsOf, type VideoInfo,
} from './video-caps.js';
import { VideoFilter, missingExport, type VideoKernel, type VideoReference } from './video-filter.js';

/** The converters' JS references by kernel name (`videoconvert_rgba_to_i420`). */
const REFERENCES: Readonly<Record<string, VideoReference>> = {
  videoconvert_rgba_to_i420: ref.videoconvert_rgba_to_i420,
  videoconvert_rgba_to_nv12: ref.videoconvert_rgba_to_nv12,
  videoconvert_rgb_to_i420: ref.videoconvert_rgb_to_i420,
  videoconvert_rgb_to_nv12: ref.videoconvert_rgb_to_nv12,
  videoconvert_i420_to_rgba: ref.videoconvert_i420_to_rgba,
  videoconvert_i420_to_rgb: ref.videoconvert_i420_to_rgb,
  videoconvert_nv12_to_rgba: ref.videoconvert_nv12_to_rgba,
  videoconvert_nv12_to_rgb: ref.videoconvert_nv12_to_rgb,
  videoconvert_rgba_to_rgb: ref.videoconvert_rgba_to_rgb,
  videoconvert_rgb_to_rgba: ref.videoconvert_rgb_to_rgba,
  videoconvert_i420_to_nv12: ref.videoconvert_i420_to_nv12,
  videoconvert_nv12_to_i420: ref.videoconvert_nv12_to_i420,
};

/**
 * `videotestsrc num-buffers=5 ! video/x-raw,format=RGBA,width=320,height=240 ! videoconvert ! video/x-raw,format=I420 ! fakesink`
 *
 * Classification: Filter/Converter/Video.
 *
 * Converts raw video between I420, NV12, RGBA and RGB, after GStreamer's videoconvert. Width,
 * height and framerate pass through; format, colorimetry and chroma-site may differ on the two
 * sides. Negotiation keeps the input's format when downstream allows it (then buffers pass
 * through untouched, zero copy), else picks the first allowed format of the same family (YUV or
 * RGB), else the first allowed. YUV ↔ RGB uses the YUV side's colorimetry (bt601, bt709, or
 * their `range:matrix:…` numbers; limited range), else GStreamer's default for the height
 * (BT.709 above 576 lines). I420 ↔ NV12 moves chroma only; a YUV → YUV change of matrix is
 * refused at negotiation, as is full-range or BT.2020 colorimetry where a matrix is needed.
 *
 * The work is the WebAssembly kernels videoconvert_<in>_to_<out> (assembly/video/convert-*.ts,
 * SIMD, fixed point), chosen at negotiation, from the input frame where it lies in the shared
 * arena into a new buffer of the output frame's size; where there is no WebAssembly, their JS
 * references write the same bytes. Row padding of the output (odd sizes) is left as the slot had it.
 *
 * Runs wherever the scheduler puts it (RT-safe); the hot path allocates only buffer handles.
 */
export class VideoConvert extends VideoFilter {
  static readonly metadata: ElementMetadata = {
    factory: 'videoconvert',
    classification: 'Filter/Converter/Video',
    description: 'Converts video from one colorspace to another',
    example: 'videotestsrc num-buffers=5 ! video/x-raw,format=RGBA,width=320,height=240 ! videoconvert ! video/x-raw,format=I420 ! fakesink',
    padTemplates: [
      { name: 'sink', direction: 'sink', presence: 'always', caps: VIDEO_CAPS_TEXT },
      { name: 'src', direction: 'src', presence: 'always', caps: VIDEO_CAPS_TEXT },
    ],
    properties: {},
    affinity: 'auto',
    rtSafe: true,
    sharedMemory: true,
  };

  /** The chosen kernel's name, '' for pass-through. */
  private kernel = '';
  private matrix: VideoMatrix = 0;
  private wasmKernel: VideoKernel | null = null;
  private reference: VideoReference | null = null;

  /** Any format of the four, colorimetry and chroma-site open; size and framerate as they are. */
  override transformCaps(_pad: Pad, caps: Caps): Caps {
    return mapVideoStructures(caps, (s) => {
      const given = stringsOf(s.get('format')).filter((f) => VIDEO_FORMATS.includes(f));
      const formats = [...given, ...VIDEO_FORMATS.filter((f) => !given.includes(f))];
      return s.without('colorimetry').without('chroma-site').with('format', CapsValue.list(...formats.map((f) => CapsValue.string(f))));
    });
  }

  /** As close to the other side as allowed: its format, else one of its family; its colorimetry within the family; its size and rate. */
  override fixateCaps(pad: Pad, caps: Caps): Caps {
    const first = caps.structures[0];
    const like = (pad.direction === 'src' ? this.sinkPad : this.srcPad).caps?.structures[0];
    if (first === undefined || like === undefined) return caps.fixate();
    let s: Structure = first;
    const inFormat = like.getString('format');
    const format = pickFormat(stringsOf(s.get('format')), inFormat);
    if (format !== undefined) s = s.with('format', CapsValue.string(format));
    // Within a family the input's colorimetry holds for the output: equal formats give equal caps.
    if (format !== undefined && inFormat !== undefined && isYuvName(format) === isYuvName(inFormat)) {
      for (const field of ['colorimetry', 'chroma-site']) {
        const v = like.getString(field);
        if (v !== undefined) s = s.has(field) ? preferString(s, field, v) : s.with(field, CapsValue.string(v));
      }
    }
    const targets: Record<string, number | { num: number; den: number }> = {};
    for (const field of ['width', 'height']) {
      const v = like.getInt(field);
      if (v !== undefined) targets[field] = v;
    }
    const rate = like.getFraction('framerate');
    if (rate !== undefined) targets['framerate'] = rate;
    return Caps.of(s, ...caps.structures.slice(1)).fixate(targets);
  }

  protected configure(from: VideoInfo, to: VideoInfo): boolean {
    const refuse = (why: string): never => {
      throw new ParallaxError('NOT_NEGOTIATED', `${this.name}: cannot convert ${describeVideo(from)} to ${describeVideo(to)}: ${why}`);
    };
    if (from.width !== to.width || from.height !== to.height) refuse('videoconvert does not scale (put a videoscale before it)');
    if (from.yuv && to.yuv) {
      if (from.colorimetry !== undefined && to.colorimetry !== undefined && from.colorimetry !== to.colorimetry) {
        refuse(`colorimetry ${from.colorimetry} → ${to.colorimetry}: the kernels convert formats, not matrices`);
      }
      this.matrix = from.matrix;
    } else if (from.yuv) {
      if (from.matrixProblem !== null) refuse(from.matrixProblem);
      this.matrix = from.matrix;
    } else if (to.yuv) {
      if (to.matrixProblem !== null) refuse(to.matrixProblem);
      this.matrix = to.matrix;
    } else {
      this.matrix = defaultVideoMatrix(from.height);
    }
    if (from.format === to.format) {
      this.kernel = '';
      this.reference = null;
      return true;
    }
    this.kernel = `videoconvert_${from.formatName.toLowerCase()}_to_${to.formatName.toLowerCase()}`;
    this.reference = REFERENCES[this.kernel] ?? refuse(`no kernel ${this.kernel}`);
    return false;
  }

  protected bind(wasm: BuiltinKernels | null): void {
    this.wasmKernel = null;
    if (wasm === null || this.kernel === '') return;
    this.wasmKernel = wasm[this.kernel] ?? missingExport(this.name, this.kernel);
  }

  protected process(mem: ArrayBufferLike, src: number, dst: number): number {
    const { width, height } = this.inInfo!;
    const k = this.wasmKernel;
    return k !== null ? k(src, dst, width, height, this.matrix) : this.reference!(mem, src, dst, width, height, this.matrix);
  }

  protected kernelName(): string {
    return this.kernel;
  }
}

/** The input's format if allowed, else the first allowed one of its family (YUV or RGB), else the first allowed. */
function pickFormat(allowed: readonly string[], input: string | undefined): string | undefined {
  if (input === undefined || allowed.includes(input)) return input;
  return allowed.find((f) => isYuvName(f) === isYuvName(input)) ?? allowed[0];
}
