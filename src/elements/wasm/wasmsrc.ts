import { MODE_PROPERTY, MODULE_PROPERTY } from './module-properties.js';
import { durationOfFrames } from '../audio/format.js';
import { frameTime } from '../video/frame-time.js';
import { Buffer } from '../../element/buffer.js';
import { Source, type Produced } from '../../element/base/source.js';
import { Caps } from '../../element/caps/index.js';
import { FlowResult } from '../../element/flow.js';
import type { ElementMetadata } from '../../element/metadata.js';
import type { Pad } from '../../element/pad.js';
import type { PropertySpec, PropertyValue } from '../../element/property.js';
import { capsWords, type CapsWords } from '../../wasm/caps-struct.js';
import { CapsWord, END_OF_STREAM } from '../../wasm/user-abi.js';
import { failureMessage, ModuleBinding, trapMessage } from './module-binding.js';

/**
 * `wasmsrc module=/tmp/ramp.wasm num-buffers=4 ! fakesink`
 *
 * Classification: Source/WebAssembly.
 *
 * Produces buffers with a WebAssembly kernel of yours (doc/design/006): `pxl_fill(state, out,
 * outCap, pts)` writes up to `outCap` bytes and returns how many, or -1 to end the stream.
 *
 * - `module`: the .wasm file, as for wasmtransform; the module's properties follow it.
 * - `num-buffers`: buffers before EOS (-1: until the kernel returns -1).
 * - `blocksize`: bytes offered to each `pxl_fill`; for video caps with a known frame size, one
 *   frame instead.
 * - `mode` (read-only): "shared" or "private: <why>", as for wasmtransform.
 *
 * Timestamps: with audio caps that give a rate and a sample format, pts follows the samples sent
 * (`pts = samples * 1e9 / rate`); with video caps that give a framerate, the buffer count
 * (`pts = n * 1e9 * den / num`); otherwise buffers have none and the kernel gets pts -1. The
 * caps come from the module's descriptor (`caps.src`), fixated; the kernel gets them as the caps
 * struct.
 *
 * Errors as wasmtransform's, for pxl_fill. Data thread or event loop (rt-safe).
 */
export class WasmSrc extends Source {
  static readonly metadata: ElementMetadata = {
    factory: 'wasmsrc',
    classification: 'Source/WebAssembly',
    description: 'Produces buffers with a WebAssembly kernel (pxl_fill)',
    example: 'wasmsrc module=/tmp/ramp.wasm num-buffers=4 ! fakesink',
    padTemplates: [{ name: 'src', direction: 'src', presence: 'always' }],
    properties: {
      module: MODULE_PROPERTY,
      'num-buffers': { type: 'int', default: -1, min: -1, description: 'Number of buffers to output before sending EOS (-1 = until the kernel ends the stream)' },
      blocksize: { type: 'int', default: 4096, min: 1, max: 1 << 30, description: 'Bytes offered to each pxl_fill (video with a known frame size: one frame)' },
      mode: MODE_PROPERTY,
    },
    affinity: 'auto',
    rtSafe: true,
    sharedMemory: true,
  };

  private readonly binding = new ModuleBinding(this, 'source');
  private numBuffers = -1;
  private blocksize = 4096;
  private words: CapsWords = capsWords(Caps.ANY);
  private count = 0;
  private bytes = 0;

  override propertySpec(name: string): PropertySpec | undefined {
    return super.propertySpec(name) ?? this.binding.spec(name);
  }

  override propertyNames(): string[] {
    return [...super.propertyNames(), ...this.binding.names()];
  }

  override explainUnknownProperty(name: string): string | undefined {
    return this.binding.explainUnknown(name);
  }

  override set(name: string, raw: unknown): void {
    if (name === 'module') this.binding.load(raw, () => super.set(name, raw));
    else super.set(name, raw);
  }

  protected override propertyChanged(name: string): void {
    this.binding.changed(name);
  }

  protected override readProperty(name: string): PropertyValue | undefined {
    return name === 'mode' ? this.binding.mode : undefined;
  }

  override start(): void {
    super.start();
    this.numBuffers = this.num('num-buffers');
    this.blocksize = this.num('blocksize');
    this.count = 0;
    this.bytes = 0;
    this.binding.start(this.context.kernels ?? null);
  }

  override stop(): void {
    this.binding.stop();
  }

  override sourceCaps(pad: Pad): Caps {
    return this.binding.declaredCaps('src') ?? pad.template.caps;
  }

  override setCaps(pad: Pad, caps: Caps): boolean {
    if (!this.binding.setCaps(pad.direction, caps)) return false;
    this.words = capsWords(caps);
    return true;
  }

  /** Nanoseconds at which the next buffer starts, or -1 when the caps do not say. */
  private timeAt(count: number, bytes: number): number {
    const w = this.words;
    const rate = w[CapsWord.RATE]!;
    const frame = w[CapsWord.FRAME_SIZE]!;
    // The same arithmetic as audiotestsrc and videotestsrc: exact, rounded as GStreamer does.
    if (w[CapsWord.MEDIA] === 1 && rate > 0 && frame > 0) return durationOfFrames(Math.floor(bytes / frame), rate);
    const num = w[CapsWord.FPS_NUM]!;
    if (w[CapsWord.MEDIA] === 2 && num > 0) return frameTime(count, num, w[CapsWord.FPS_DEN]!);
    return -1;
  }

  protected create(): Produced {
    const k = this.binding.kernel;
    if (k === null) return this.error('not started: no kernel');
    if (this.numBuffers >= 0 && this.count >= this.numBuffers) return FlowResult.EOS;
    const frame = this.words[CapsWord.MEDIA] === 2 ? this.words[CapsWord.FRAME_SIZE]! : 0;
    const cap = frame > 0 ? frame : this.blocksize;
    const buf = Buffer.allocate(this.context.allocator, cap);
    if (!k.reaches(buf)) {
      buf.release();
      return this.error('the allocator gave a buffer outside the kernel\'s memory');
    }
    const pts = this.timeAt(this.count, this.bytes);
    let r: number;
    try {
      r = k.fill(buf, pts);
    } catch (e) {
      buf.release();
      return this.error(trapMessage('pxl_fill', e), e);
    }
    if (r === END_OF_STREAM) {
      buf.release();
      return FlowResult.EOS;
    }
    if (r < 0 || r > cap) {
      buf.release();
      return this.error(r < 0 ? failureMessage('pxl_fill', r, k) : `pxl_fill returned ${r} bytes, more than the ${cap} it was given`);
    }
    buf.size = r;
    buf.offset = this.bytes;
    buf.sequence = this.count;
    if (pts >= 0) {
      buf.pts = pts;
      buf.dts = pts;
      const end = this.timeAt(this.count + 1, this.bytes + r);
      if (end >= pts) buf.duration = end - pts;
    }
    this.count++;
    this.bytes += r;
    return buf;
  }
}

export default WasmSrc;
