import { Buffer } from '../../element/buffer.js';
import type { Caps } from '../../element/caps/index.js';
import { Element } from '../../element/element.js';
import { Events, type Event } from '../../element/event.js';
import { FlowResult } from '../../element/flow.js';
import type { ElementMetadata } from '../../element/metadata.js';
import type { Pad } from '../../element/pad.js';
import { ParallaxError } from '../../errors.js';
import { kernelPlace, payloadAddress, type KernelPlace } from '../../wasm/kernel-place.js';
import { AUDIO_CAPS_TEXT, audioInfo, type AudioInfo } from './audio-caps.js';
import { durationOfFrames, framesAtTime, framesForDuration } from './format.js';
import { kernelFailure } from './kernel-errors.js';
import { mixWindow } from './mix-window.js';
import { AudioSampleQueue } from './sample-queue.js';

/** A sink pad and the samples it delivered. */
interface Input {
  readonly pad: Pad;
  readonly queue: AudioSampleQueue;
}

/**
 * `audiomixer name=m ! fakesink  audiotestsrc num-buffers=10 ! m.  audiotestsrc num-buffers=10 freq=660 ! m.`
 *
 * Classification: Generic/Audio.
 *
 * Mixes any number of raw audio streams into one, after GStreamer's audiomixer: request sink
 * pads `sink_%u`, one src pad. Every input must have the same caps (audioconvert before an
 * input that differs); a mismatch is NOT_NEGOTIATED, naming both pads. S16 sums saturate, F32
 * sums do not clip.
 *
 * The output is a stream of buffers of `output-buffer-duration` each, from running time 0. Each
 * one mixes, sample for sample, what every input has in its time window: inputs may come in
 * buffers of any size and start at any time; a gap in an input, or the time before it starts,
 * is silence; an input at EOS stops contributing. An output buffer goes out once every input
 * that is not at EOS has delivered up to its end, and an input that is ahead waits (its
 * upstream is held back) until the others catch up. When every input is at EOS, the last
 * buffer is cut where the longest input ended, and EOS follows. Each input's samples wait in
 * the buffers they came in (./sample-queue.ts); the only writes are the mix itself.
 *
 * The work is the WebAssembly kernels audiomixer_copy/clear/accumulate_* (assembly/audio/audiomixer.ts)
 * on payloads where they lie in the shared arena; where there is no WebAssembly, their JS
 * references do the same bytes.
 *
 * Not done: per-pad `volume` and `mute` (pads have no properties here), live timeouts (an input
 * that stops delivering without EOS stalls the mix), start-time selection other than zero.
 *
 * Runs wherever the scheduler puts it (RT-safe); the hot path allocates buffer handles and, for
 * an input that must wait, one promise.
 */
export class AudioMixer extends Element {
  static readonly metadata: ElementMetadata = {
    factory: 'audiomixer',
    classification: 'Generic/Audio',
    description: 'Mixes multiple audio streams',
    example: 'audiomixer name=m ! fakesink  audiotestsrc num-buffers=10 ! m.  audiotestsrc num-buffers=10 freq=660 ! m.',
    padTemplates: [
      { name: 'sink_%u', direction: 'sink', presence: 'request', caps: AUDIO_CAPS_TEXT },
      { name: 'src', direction: 'src', presence: 'always', caps: AUDIO_CAPS_TEXT },
    ],
    properties: {
      'output-buffer-duration': { type: 'uint64', default: 10_000_000, min: 1, max: 10_000_000_000, description: 'Output block size in nanoseconds' },
    },
    affinity: 'auto',
    rtSafe: true,
    sharedMemory: true,
  };

  private readonly inputs: Input[] = [];
  private srcPadCache: Pad | null = null;
  private info: AudioInfo | null = null;
  private place: KernelPlace | null = null;
  private blockNs = 10_000_000;
  /** Start frame of the next output buffer, and its index (window k starts at k · blockNs). */
  private outFrame = 0;
  private window = 0;
  private headerSent = false;
  private eosSent = false;

  get srcPad(): Pad {
    return (this.srcPadCache ??= this.pad('src')!);
  }

  /** Every sink pad gets a sample queue. (The src pad is added by Element's constructor, before `inputs` exists.) */
  override addPad(pad: Pad): Pad {
    super.addPad(pad);
    if (pad.direction === 'sink') this.inputs.push({ pad, queue: new AudioSampleQueue() });
    return pad;
  }

  override removePad(pad: Pad): void {
    const i = this.inputs.findIndex((x) => x.pad === pad);
    if (i >= 0) this.inputs.splice(i, 1)[0]!.queue.clear();
    super.removePad(pad);
  }

  override start(): void {
    this.place = kernelPlace(this.context, this.name);
    this.blockNs = this.num('output-buffer-duration');
    this.outFrame = 0;
    this.window = 0;
    this.headerSent = false;
    this.eosSent = false;
    for (const { queue } of this.inputs) queue.clear();
    const info = this.info;
    if (info !== null) this.context.allocator.reserve(Math.max(1, framesForDuration(this.blockNs, info.rate) + 1) * info.bpf, 4);
  }

  /** The next run allocates from a new arena. */
  override stop(): void {
    for (const { queue } of this.inputs) queue.clear();
    this.place = null;
  }

  override unblock(): void {
    for (const { queue } of this.inputs) queue.clear();
  }

  /** Records the format; every input must have the same caps. Runs before start (negotiation) and in-band. */
  override setCaps(pad: Pad, caps: Caps): boolean {
    const info = audioInfo(caps, this.name);
    if (pad.direction === 'sink') {
      for (const { pad: other } of this.inputs) {
        if (other === pad || other.caps === null || other.caps.equals(caps)) continue;
        throw new ParallaxError('NOT_NEGOTIATED',
          `${this.name}: every input must have the same caps, but ${pad.name} has ${caps.toString()} and ${other.name} has ${other.caps.toString()} (convert one with audioconvert)`);
      }
    }
    // Samples already queued are in the old format, and the output caps went out: a change
    // while running is refused (the pad then returns NOT_NEGOTIATED upstream), not half-done.
    const was = this.info;
    if (this.place !== null && was !== null && (was.format !== info.format || was.rate !== info.rate || was.channels !== info.channels)) {
      this.error(`cannot change caps while mixing (from ${was.format} ${was.rate} Hz ${was.channels}ch to ${info.format} ${info.rate} Hz ${info.channels}ch on ${pad.name}); convert upstream with audioconvert`);
      return false;
    }
    this.info = info;
    return true;
  }

  override chain(pad: Pad, buf: Buffer): FlowResult {
    const info = this.info;
    const place = this.place;
    const queue = this.queueOf(pad);
    if (info === null || place === null || queue === undefined) {
      buf.release();
      this.error(info === null ? `received a buffer on ${pad.name} before caps` : `received a buffer on ${pad.name} before start`);
      return FlowResult.NOT_NEGOTIATED;
    }
    if (queue.eos) {
      buf.release();
      return FlowResult.EOS;
    }
    const input = place.adopt(buf);
    queue.push(input, this.startFrame(input, queue, info.rate), Math.floor(input.size / info.bpf), info.bpf, this.outFrame);
    const r = this.mixReady();
    // Ahead of the others: hold this input's upstream until the mix needs its samples.
    if (r === FlowResult.OK && !queue.eos && queue.end >= this.windowEnd(info.rate)) this.context.blockUpstream(queue.waitUntilNeeded());
    return r;
  }

  override sinkEvent(pad: Pad, ev: Event): boolean {
    const queue = this.queueOf(pad);
    switch (ev.type) {
      case 'caps':
        pad.caps = ev.caps;
        return this.setCaps(pad, ev.caps);
      case 'stream-start':
        return true;
      case 'segment':
        if (queue !== undefined) queue.segment = ev.segment;
        return true;
      case 'eos': {
        if (queue !== undefined) queue.eos = true;
        const r = this.mixReady();
        return r === FlowResult.OK || r === FlowResult.EOS;
      }
      case 'flush-start':
        for (const { queue: q } of this.inputs) q.wake();
        return this.srcPad.pushEvent(ev);
      case 'flush-stop':
        queue?.clear();
        this.eosSent = false;
        return this.srcPad.pushEvent(ev);
      default:
        return this.forwardDownstream(ev);
    }
  }

  private queueOf(pad: Pad): AudioSampleQueue | undefined {
    for (const x of this.inputs) if (x.pad === pad) return x.queue;
    return undefined;
  }

  /** Where `buf` starts on the timeline: its running time in frames; a buffer without a timestamp continues its input. */
  private startFrame(buf: Buffer, queue: AudioSampleQueue, rate: number): number {
    const pts = buf.pts;
    if (!(pts >= 0)) return queue.end >= 0 ? queue.end : this.outFrame;
    const seg = queue.segment;
    const running = pts - seg.start + seg.base;
    return running >= 0 ? framesAtTime(running, rate) : -framesAtTime(-running, rate);
  }

  /** End frame of the next output buffer: at least one frame after its start. */
  private windowEnd(rate: number): number {
    return Math.max(framesForDuration((this.window + 1) * this.blockNs, rate), this.outFrame + 1);
  }

  /** Makes every output buffer the inputs allow now; at the end, EOS. */
  private mixReady(): FlowResult {
    const info = this.info;
    if (info === null || this.place === null || this.eosSent || this.inputs.length === 0) return FlowResult.OK;
    for (;;) {
      const w1 = this.windowEnd(info.rate);
      let ready = true;
      let allEos = true;
      let lastEnd = -1;
      for (const { queue } of this.inputs) {
        lastEnd = Math.max(lastEnd, queue.end);
        if (queue.eos) continue;
        allEos = false;
        if (queue.end < w1) ready = false;
      }
      if (allEos) {
        if (this.outFrame >= lastEnd) return this.finish();
        const r = this.mixWindow(info, this.outFrame, Math.min(w1, lastEnd));
        if (r !== FlowResult.OK) return r;
        continue;
      }
      if (!ready) {
        for (const { queue } of this.inputs) if (queue.end < w1) queue.wake();
        return FlowResult.OK;
      }
      const r = this.mixWindow(info, this.outFrame, w1);
      if (r !== FlowResult.OK) return r;
    }
  }

  /** One output buffer, frames [w0, w1) of the timeline (./mix-window.ts), pushed downstream. */
  private mixWindow(info: AudioInfo, w0: number, w1: number): FlowResult {
    const place = this.place!;
    const out = place.adopt(Buffer.allocate(this.context.allocator, (w1 - w0) * info.bpf));
    const r = mixWindow(place, info, this.inputs, payloadAddress(out), w0, w1);
    if (r < 0) {
      out.release();
      return this.error(kernelFailure('audiomixer', info.format, r));
    }
    out.pts = durationOfFrames(w0, info.rate);
    out.dts = out.pts;
    out.duration = durationOfFrames(w1, info.rate) - out.pts;
    out.offset = w0;
    out.sequence = this.window;
    this.outFrame = w1;
    this.window++;
    for (const { queue } of this.inputs) queue.drop(w1, info.bpf);
    this.ensureHeader();
    return this.srcPad.push(out);
  }

  /** EOS downstream, once. */
  private finish(): FlowResult {
    if (!this.eosSent) {
      this.eosSent = true;
      this.ensureHeader();
      this.srcPad.pushEvent(Events.eos());
    }
    return FlowResult.EOS;
  }

  private ensureHeader(): void {
    if (this.headerSent) return;
    this.headerSent = true;
    const src = this.srcPad;
    const start = this.inputs[0]?.pad.sticky.get('stream-start');
    src.pushEvent(start ?? Events.streamStart(`${this.name}/audiomixer`));
    if (src.caps !== null && !src.caps.isAny()) src.pushEvent(Events.caps(src.caps));
    src.pushEvent(Events.segment());
  }
}
