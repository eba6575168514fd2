import { Buffer } from '../../element/buffer.js';
import { Transform } from '../../element/base/transform.js';
import { Caps, Structure } from '../../element/caps/index.js';
import { Events, type Event } from '../../element/event.js';
import { FlowResult } from '../../element/flow.js';
import type { Pad } from '../../element/pad.js';
import { ParallaxError } from '../../errors.js';
import { kernelPlace, payloadAddress, type KernelPlace } from '../../wasm/kernel-place.js';
import type { BuiltinKernels } from '../../wasm/kernel-host.js';
import { videoKernelFailure } from './kernel-errors.js';
import { VIDEO_FORMATS, describeVideo, videoInfo, type VideoInfo } from './video-caps.js';

/** A kernel export as the element calls it: addresses and sizes in, bytes written or an error out. */
export type VideoKernel = (...args: number[]) => number;
/** Its JS reference: the same arguments after the memory. */
export type VideoReference = (mem: ArrayBufferLike, ...args: number[]) => number;

/**
 * Base of the one-frame-in, one-frame-out video elements (videoconvert, videoscale, videoflip):
 * the caps of both sides, a kernel chosen when both are known, pass-through, and the out-of-place
 * hot path. Subclasses fill in the negotiation hooks (transformCaps, fixateCaps), `configure`
 * and `process`.
 *
 * Negotiation (setCaps) runs before start, and for an element placed on a data thread, on the
 * event loop's copy too: it records formats and picks the kernel by name only. `start` finds
 * where kernels run (WebAssembly over the arena, or the JS reference on the same bytes).
 *
 * The hot path (chain) runs wherever the scheduler puts the element; it allocates buffer
 * handles only.
 */
export abstract class VideoFilter extends Transform {
  protected inInfo: VideoInfo | null = null;
  protected outInfo: VideoInfo | null = null;
  private place: KernelPlace | null = null;
  /** Both sides are known and `configure` accepted them. */
  private ready = false;
  private passthrough = false;
  /** The formats this element takes (its templates' list): in-band caps in another are refused. */
  protected readonly formats: readonly string[] = VIDEO_FORMATS;

  /**
   * Checks that `from` → `to` is something this element does and chooses its kernel (by name;
   * `bind` resolves it). Returns true when buffers pass through untouched. Throws a
   * ParallaxError('NOT_NEGOTIATED') naming the element when it cannot.
   */
  protected abstract configure(from: VideoInfo, to: VideoInfo): boolean;
  /** Resolves the configured kernel for `place`: its WebAssembly export, or null for the reference. */
  protected abstract bind(wasm: BuiltinKernels | null): void;
  /** Runs the kernel from the frame at `src` to the frame at `dst`: the bytes written, or a negative error. */
  protected abstract process(mem: ArrayBufferLike, src: number, dst: number): number;
  /** The kernel's export name, for error messages. */
  protected abstract kernelName(): string;

  override start(): void {
    this.place = kernelPlace(this.context, this.name);
    this.bind(this.place.wasm);
    if (this.ready && !this.passthrough) this.context.allocator.reserve(this.outInfo!.size, 4);
  }

  /** The next run allocates from a new arena: `start` finds it again. */
  override stop(): void {
    this.place = null;
  }

  /**
   * Records the format of one side. The pair is checked when the output side is set (a sink
   * side set alone may meet the output of an earlier negotiation, which is checked later).
   */
  override setCaps(pad: Pad, caps: Caps): boolean {
    const info = videoInfo(caps, this.name, this.formats);
    if (pad.direction === 'sink') this.inInfo = info;
    else this.outInfo = info;
    this.ready = false;
    if (this.inInfo === null || this.outInfo === null) return true;
    try {
      this.passthrough = this.configure(this.inInfo, this.outInfo);
    } catch (e) {
      if (pad.direction === 'src') throw e;
      return true;
    }
    this.ready = true;
    if (this.place !== null) this.bind(this.place.wasm);
    return true;
  }

  /** Re-checks the pair after a property that changes the work (a method) changed. */
  protected reconfigure(): void {
    if (this.inInfo === null || this.outInfo === null) return;
    this.passthrough = this.configure(this.inInfo, this.outInfo);
    this.ready = true;
    if (this.place !== null) this.bind(this.place.wasm);
  }

  /** New input caps in-band: record them, and send downstream the output caps (not the input's). */
  override sinkEvent(pad: Pad, ev: Event): boolean {
    if (ev.type !== 'caps') return super.sinkEvent(pad, ev);
    pad.caps = ev.caps;
    this.setCaps(pad, ev.caps);
    const src = this.srcPad;
    const out = this.outputCapsFor(ev.caps);
    src.caps = out;
    this.setCaps(src, out);
    return this.forwardDownstream(Events.caps(out));
  }

  /** The negotiated output caps while they still fit the input; otherwise the closest fixed caps. */
  private outputCapsFor(input: Caps): Caps {
    const current = this.srcPad.caps;
    let possible = this.srcPad.template.caps.intersect(this.transformCaps(this.sinkPad, input));
    if (current !== null && current.isFixed() && current.isSubsetOf(possible)) return current;
    // Keep every field of the current output that the new input still allows: downstream
    // negotiated them (videoconvert keeps its output format when the size changes, videoscale
    // its output size when the format does).
    const now = current !== null && current.isFixed() ? current.structures[0] : undefined;
    if (now !== undefined) {
      for (const [field, value] of now.fields) {
        const narrowed = possible.intersect(Caps.of(new Structure(now.name, [[field, value]])));
        if (!narrowed.isEmpty()) possible = narrowed;
      }
    }
    return this.fixateCaps(this.srcPad, possible);
  }

  override chain(_pad: Pad, buf: Buffer): FlowResult {
    const place = this.place;
    if (!this.ready || place === null) {
      buf.release();
      this.error(place === null ? 'received a buffer before start' : 'received a buffer before caps on both sides were set');
      return FlowResult.NOT_NEGOTIATED;
    }
    if (this.passthrough) return this.srcPad.push(buf);
    const from = this.inInfo!;
    if (buf.size < from.size) {
      const size = buf.size;
      buf.release();
      return this.error(`a buffer of ${size} bytes is smaller than one ${describeVideo(from)} frame (${from.size} bytes)`);
    }
    const input = place.adopt(buf);
    const out = place.adopt(Buffer.allocate(this.context.allocator, this.outInfo!.size));
    out.copyMetadataFrom(input);
    let r: number;
    try {
      r = this.process(place.mem, payloadAddress(input), payloadAddress(out));
    } catch (e) {
      out.release();
      throw e;
    } finally {
      input.release();
    }
    if (r < 0) {
      out.release();
      return this.error(videoKernelFailure(this.kernelName(), `${describeVideo(from)} → ${describeVideo(this.outInfo!)}`, r));
    }
    return this.srcPad.push(out);
  }
}

/** A kernels.wasm built before a kernel existed: say so rather than run the slow reference quietly. */
export function missingExport(element: string, kernel: string): never {
  throw new ParallaxError('ELEMENT_ERROR', `${element}: the built-in kernels have no export ${kernel} (rebuild them: npm run build:wasm)`);
}
