import { Buffer } from '../../element/buffer.js';
import { Transform } from '../../element/base/transform.js';
import { Caps, CapsValue } from '../../element/caps/index.js';
import { Events, type Event } from '../../element/event.js';
import { FlowResult } from '../../element/flow.js';
import type { ElementMetadata } from '../../element/metadata.js';
import type { Pad } from '../../element/pad.js';
import { kernelPlace, payloadAddress, type KernelPlace } from '../../wasm/kernel-place.js';
import { viewsOf } from '../../wasm/views.js';
import { AUDIO_CAPS_TEXT, audioInfo, type AudioInfo } from './audio-caps.js';
import { channelMatrixBytes, fillChannelMatrix } from './channel-matrix.js';
import { convertibleCaps, fixateTowards } from './convert-caps.js';
import { planConversion, type ConvertPlan, type FormatStep } from './convert-plan.js';
import { kernelFailure } from './kernel-errors.js';
import {
  audioconvert_f32_to_s16, audioconvert_mix_f32, audioconvert_mix_s16, audioconvert_mono_to_stereo_f32,
  audioconvert_mono_to_stereo_s16, audioconvert_s16_to_f32, audioconvert_stereo_to_mono_f32, audioconvert_stereo_to_mono_s16,
} from './reference/audioconvert.js';

/**
 * `audiotestsrc num-buffers=10 ! audioconvert ! audio/x-raw,format=F32LE,channels=2 ! fakesink`
 *
 * Classification: Filter/Converter/Audio.
 *
 * Converts raw audio between S16LE and F32LE and between channel counts, after GStreamer's
 * audioconvert. Rate and layout pass through; format and channels may differ on the two sides,
 * and negotiation keeps the input's when downstream allows: then buffers pass through
 * untouched (zero copy). S16 → F32 is s / 32768; F32 → S16 rounds half to even and saturates,
 * with no dither (unlike GStreamer's default), so S16 → F32 → S16 gives back every sample.
 * Mono → stereo duplicates, stereo → mono averages; other counts go through the matrix of
 * ./channel-matrix.ts (up-mix repeats the inputs, down-mix averages the inputs folded onto each
 * output). Which kernels run, and in which order, is decided at negotiation (./convert-plan.ts).
 *
 * The work is the WebAssembly kernels audioconvert_* (assembly/audio/audioconvert.ts) on the
 * payloads where they lie in the shared arena, the channel matrix carved from the arena; where
 * there is no WebAssembly, their JS references do the same bytes. Narrowing conversions
 * (F32 → S16, stereo → mono) run in place on a writable buffer; the others write a new one.
 *
 * Runs wherever the scheduler puts it (RT-safe); the hot path allocates only buffer handles.
 */
export class AudioConvert extends Transform {
  static readonly metadata: ElementMetadata = {
    factory: 'audioconvert',
    classification: 'Filter/Converter/Audio',
    description: 'Convert audio to different formats and channel counts',
    example: 'audiotestsrc num-buffers=10 ! audioconvert ! audio/x-raw,format=F32LE,channels=2 ! fakesink',
    padTemplates: [
      { name: 'sink', direction: 'sink', presence: 'always', caps: AUDIO_CAPS_TEXT },
      { name: 'src', direction: 'src', presence: 'always', caps: AUDIO_CAPS_TEXT },
    ],
    properties: {},
    affinity: 'auto',
    rtSafe: true,
    sharedMemory: true,
  };

  private inInfo: AudioInfo | null = null;
  private outInfo: AudioInfo | null = null;
  private plan: ConvertPlan | null = null;
  private place: KernelPlace | null = null;
  private matrixAt = -1;
  private matrixBytes = 0;

  override start(): void {
    this.place = kernelPlace(this.context, this.name);
    this.matrixAt = -1;
    this.matrixBytes = 0;
    this.prepareMatrix();
  }

  /** The next run allocates from a new arena: the matrix is carved again at start. */
  override stop(): void {
    this.place = null;
    this.matrixAt = -1;
    this.matrixBytes = 0;
  }

  override transformCaps(_pad: Pad, caps: Caps): Caps {
    return convertibleCaps(caps);
  }

  override fixateCaps(pad: Pad, caps: Caps): Caps {
    if (caps.isAny()) return caps;
    return fixateTowards(caps, pad.direction === 'src' ? this.sinkPad.caps : this.srcPad.caps);
  }

  /** Negotiation runs before start (and on the event loop even for a thread's element): record the format; the matrix is written at start, or now when already running. */
  override setCaps(pad: Pad, caps: Caps): boolean {
    const info = audioInfo(caps, this.name);
    if (pad.direction === 'sink') this.inInfo = info;
    else this.outInfo = info;
    const [from, to] = [this.inInfo, this.outInfo];
    // Until both sides agree on the rate (one side renegotiated, the other not yet), no plan.
    this.plan = from !== null && to !== null && from.rate === to.rate ? planConversion(from, to) : null;
    this.prepareMatrix();
    return true;
  }

  /** New input caps in-band: record them, and send downstream the output caps (not the input's). */
  override sinkEvent(pad: Pad, ev: Event): boolean {
    if (ev.type !== 'caps') return super.sinkEvent(pad, ev);
    pad.caps = ev.caps;
    this.setCaps(pad, ev.caps);
    const src = this.srcPad;
    const out = this.outputCapsFor(pad, ev.caps);
    if (out !== src.caps) {
      src.caps = out;
      this.setCaps(src, out);
    }
    return this.forwardDownstream(Events.caps(out));
  }

  /** The negotiated output caps, following a new input rate; before negotiation, the closest to the input. */
  private outputCapsFor(sink: Pad, caps: Caps): Caps {
    const current = this.srcPad.caps;
    const s = current !== null && current.isFixed() ? current.structures[0] : undefined;
    if (current === null || s === undefined) return this.fixateCaps(this.srcPad, this.srcPad.template.caps.intersect(this.transformCaps(sink, caps)));
    const rate = this.inInfo!.rate;
    return s.getInt('rate') === rate ? current : Caps.of(s.with('rate', CapsValue.int(rate)));
  }

  override chain(_pad: Pad, buf: Buffer): FlowResult {
    const plan = this.plan;
    const place = this.place;
    if (plan === null || place === null) {
      buf.release();
      this.error(plan === null ? 'received a buffer before caps (or with input and output rates apart)' : 'received a buffer before start');
      return FlowResult.NOT_NEGOTIATED;
    }
    if (plan.passthrough) return this.srcPad.push(buf);
    const input = place.adopt(buf);
    const frames = Math.floor(input.size / plan.from.bpf);
    let out = input;
    if (!plan.inPlace || !input.isWritable) {
      out = place.adopt(Buffer.allocate(this.context.allocator, frames * plan.workBpf));
      out.copyMetadataFrom(input);
    }
    let r: number;
    try {
      r = this.convert(plan, payloadAddress(input), payloadAddress(out), frames);
    } catch (e) {
      // A trap: nothing is pushed, so both buffers go back (the pad reports the throw).
      out.release();
      throw e;
    } finally {
      if (out !== input) input.release();
    }
    if (r < 0) {
      out.release();
      return this.error(kernelFailure('audioconvert', `${plan.from.format} ${plan.from.channels}ch → ${plan.to.format} ${plan.to.channels}ch`, r));
    }
    out.size = frames * plan.to.bpf;
    return this.srcPad.push(out);
  }

  /** Runs the plan from `src` to `dst` (equal when in place). Returns >= 0, or a kernel error. */
  private convert(p: ConvertPlan, src: number, dst: number, frames: number): number {
    if (p.format === 'none') return this.channelStep(p, p.from.format === 'F32LE', src, dst, frames);
    if (p.channels === 'none') return this.formatStep(p.format, src, dst, frames * p.from.channels);
    if (p.format === 's16-to-f32') {
      const temp = this.place!.adopt(Buffer.allocate(this.context.allocator, frames * p.tempBpf));
      try {
        const at = payloadAddress(temp);
        const r = this.formatStep('s16-to-f32', src, at, frames * p.from.channels);
        return r < 0 ? r : this.channelStep(p, true, at, dst, frames);
      } finally {
        temp.release();
      }
    }
    const r = this.channelStep(p, true, src, dst, frames);
    return r < 0 ? r : this.formatStep('f32-to-s16', dst, dst, frames * p.to.channels);
  }

  private formatStep(step: FormatStep, src: number, dst: number, samples: number): number {
    const { wasm, mem } = this.place!;
    if (step === 's16-to-f32') return wasm !== null ? wasm.audioconvert_s16_to_f32!(src, dst, samples) : audioconvert_s16_to_f32(mem, src, dst, samples);
    return wasm !== null ? wasm.audioconvert_f32_to_s16!(src, dst, samples) : audioconvert_f32_to_s16(mem, src, dst, samples);
  }

  private channelStep(p: ConvertPlan, f32: boolean, src: number, dst: number, frames: number): number {
    const { wasm, mem } = this.place!;
    switch (p.channels) {
      case 'mono-to-stereo':
        if (f32) return wasm !== null ? wasm.audioconvert_mono_to_stereo_f32!(src, dst, frames) : audioconvert_mono_to_stereo_f32(mem, src, dst, frames);
        return wasm !== null ? wasm.audioconvert_mono_to_stereo_s16!(src, dst, frames) : audioconvert_mono_to_stereo_s16(mem, src, dst, frames);
      case 'stereo-to-mono':
        if (f32) return wasm !== null ? wasm.audioconvert_stereo_to_mono_f32!(src, dst, frames) : audioconvert_stereo_to_mono_f32(mem, src, dst, frames);
        return wasm !== null ? wasm.audioconvert_stereo_to_mono_s16!(src, dst, frames) : audioconvert_stereo_to_mono_s16(mem, src, dst, frames);
      case 'matrix': {
        const [n, m, at] = [p.from.channels, p.to.channels, this.matrixAt];
        if (f32) return wasm !== null ? wasm.audioconvert_mix_f32!(src, dst, frames, n, m, at) : audioconvert_mix_f32(mem, src, dst, frames, n, m, at);
        return wasm !== null ? wasm.audioconvert_mix_s16!(src, dst, frames, n, m, at) : audioconvert_mix_s16(mem, src, dst, frames, n, m, at);
      }
      case 'none':
        return frames;
    }
  }

  /** Writes the channel matrix into the arena when the plan needs one (carving more room if it grew). */
  private prepareMatrix(): void {
    const p = this.plan;
    const place = this.place;
    if (p === null || place === null || p.channels !== 'matrix') return;
    const bytes = channelMatrixBytes(p.from.channels, p.to.channels);
    if (bytes > this.matrixBytes) {
      this.matrixAt = place.carveState(bytes);
      this.matrixBytes = bytes;
    }
    fillChannelMatrix(viewsOf(place.mem).f32, this.matrixAt >>> 2, p.from.channels, p.to.channels);
  }
}
