import type { Buffer } from '../../element/buffer.js';
import { Transform } from '../../element/base/transform.js';
import type { Caps } from '../../element/caps/index.js';
import type { Event } from '../../element/event.js';
import { FlowResult } from '../../element/flow.js';
import type { ElementMetadata } from '../../element/metadata.js';
import type { Pad } from '../../element/pad.js';
import { convertPropertyValue, type PropertyValue } from '../../element/property.js';
import { ParallaxError, type ErrorCode } from '../../errors.js';
import { kernelPlace, payloadAddress, type KernelPlace } from '../../wasm/kernel-place.js';
import { AUDIO_CAPS_TEXT, audioInfo, type AudioInfo } from './audio-caps.js';
import { kernelFailure } from './kernel-errors.js';
import { biquad_configure, biquad_f32, biquad_reset, biquad_s16, biquad_state_size } from './reference/biquad.js';
import { designBiquad, type BiquadCoefficients, type BiquadType } from './reference/biquad-design.js';

const TYPES = [
  { nick: 'lowpass', value: 0, description: 'Low pass: passes below cutoff, -3 dB at cutoff for q = 0.7071' },
  { nick: 'highpass', value: 1, description: 'High pass: passes above cutoff' },
  { nick: 'bandpass', value: 2, description: 'Band pass: 0 dB peak at cutoff, bandwidth cutoff / q' },
];

/** Properties that change the coefficients. */
const DESIGN = new Set(['type', 'cutoff', 'q']);

/**
 * `audiotestsrc wave=white-noise num-buffers=10 ! biquad type=lowpass cutoff=1000 ! fakesink`
 *
 * Classification: Filter/Effect/Audio.
 *
 * A second-order IIR filter (one biquad section per channel, Robert Bristow-Johnson's cookbook
 * designs): `type` lowpass, highpass or bandpass at `cutoff` Hz with quality `q`, in place on
 * interleaved S16LE or F32LE. The cutoff must lie below half the sample rate: that is checked
 * when caps are set (NOT_NEGOTIATED) and when a property changes (BAD_PROPERTY_VALUE). All three
 * may change while the pipeline runs; the history is kept across the change, so a sweep stays
 * smooth. The history is cleared at start and on flush-stop.
 *
 * The work is the WebAssembly kernel biquad_f32/biquad_s16 (assembly/audio/biquad.ts) on the
 * payload where it lies in the shared arena, its coefficients and history in state carved from
 * the arena; the coefficients are designed in TypeScript (./reference/biquad-design.ts) once per
 * change and handed to biquad_configure. Where there is no WebAssembly, the JS reference does
 * the same bytes. No copy, unless upstream still shares the buffer.
 *
 * Runs wherever the scheduler puts it (RT-safe); hot path allocation-free.
 */
export class Biquad extends Transform {
  static readonly metadata: ElementMetadata = {
    factory: 'biquad',
    classification: 'Filter/Effect/Audio',
    description: 'Second-order low-pass, high-pass or band-pass filter',
    example: 'audiotestsrc wave=white-noise num-buffers=10 ! biquad type=lowpass cutoff=1000 ! fakesink',
    padTemplates: [
      { name: 'sink', direction: 'sink', presence: 'always', caps: AUDIO_CAPS_TEXT },
      { name: 'src', direction: 'src', presence: 'always', caps: AUDIO_CAPS_TEXT },
    ],
    properties: {
      type: { type: 'enum', default: 'lowpass', values: TYPES, mutable: true, description: 'Filter type' },
      cutoff: { type: 'double', default: 1000, min: 0.001, max: 1_000_000_000, mutable: true, description: 'Cut-off (or centre) frequency in Hz, below half the sample rate' },
      q: { type: 'double', default: Math.SQRT1_2, min: 0.001, max: 1000, mutable: true, description: 'Quality factor (0.7071 = Butterworth)' },
    },
    affinity: 'auto',
    rtSafe: true,
    sharedMemory: true,
  };

  protected override writesPayload = true;
  private info: AudioInfo | null = null;
  private place: KernelPlace | null = null;
  private kstate = -1;

  override start(): void {
    // State is carved from the arena this run allocates from (each prepare makes a new one).
    this.place = kernelPlace(this.context, this.name);
    this.kstate = this.place.carveState(this.place.wasm !== null ? this.place.wasm.biquad_state_size!() : biquad_state_size());
    if (this.info !== null) {
      this.configure();
      this.reset();
    }
  }

  /** The next run allocates from a new arena: its state is carved at start. */
  override stop(): void {
    this.place = null;
    this.kstate = -1;
  }

  /** Negotiation runs before start (and on the event loop even for a thread's element): check the design now, configure the kernel at start or now when running. */
  override setCaps(pad: Pad, caps: Caps): boolean {
    if (pad.direction !== 'sink') return true;
    const info = audioInfo(caps, this.name);
    this.coefficients(info, 'NOT_NEGOTIATED');
    this.info = info;
    if (this.place !== null) this.configure();
    return true;
  }

  /** Refuses, before storing it, a design property that would not make a filter at the negotiated rate. */
  override set(name: string, raw: unknown): void {
    const info = this.info;
    const spec = this.propertySpec(name);
    if (info !== null && spec !== undefined && DESIGN.has(name)) {
      const value = convertPropertyValue(spec, raw, { element: this.name, property: name });
      this.coefficients(info, 'BAD_PROPERTY_VALUE', { [name]: value });
    }
    super.set(name, raw);
  }

  protected override propertyChanged(name: string, _value: PropertyValue): void {
    if (DESIGN.has(name) && this.info !== null && this.place !== null) this.configure();
  }

  override sinkEvent(pad: Pad, ev: Event): boolean {
    if (ev.type === 'caps') {
      pad.caps = ev.caps;
      this.setCaps(pad, ev.caps);
    } else if (ev.type === 'flush-stop' && this.info !== null && this.place !== null) {
      this.reset();
    }
    return super.sinkEvent(pad, ev);
  }

  /** Adopts a buffer from outside the arena (a counted copy) so the kernel and its state share one memory. */
  override chain(pad: Pad, buf: Buffer): FlowResult {
    return super.chain(pad, this.place !== null ? this.place.adopt(buf) : buf);
  }

  protected override transformInPlace(buf: Buffer): FlowResult {
    const info = this.info;
    const place = this.place;
    if (info === null || place === null) {
      this.error(info === null ? 'received a buffer before caps' : 'received a buffer before start');
      return FlowResult.NOT_NEGOTIATED;
    }
    const at = payloadAddress(buf);
    const frames = Math.floor(buf.size / info.bpf);
    const { wasm, mem } = place;
    const r = info.format === 'F32LE'
      ? (wasm !== null ? wasm.biquad_f32!(this.kstate, at, at, frames) : biquad_f32(mem, this.kstate, at, at, frames))
      : (wasm !== null ? wasm.biquad_s16!(this.kstate, at, at, frames) : biquad_s16(mem, this.kstate, at, at, frames));
    return r < 0 ? this.error(kernelFailure('biquad', info.format, r)) : FlowResult.OK;
  }

  /**
   * The coefficients for `info`'s rate from the current properties (or `changed` ones), or a
   * ParallaxError with `code` naming the element and the property at fault.
   */
  private coefficients(info: AudioInfo, code: ErrorCode, changed: Readonly<Record<string, PropertyValue>> = {}): BiquadCoefficients {
    const type = (changed['type'] ?? this.str('type')) as BiquadType;
    const cutoff = (changed['cutoff'] ?? this.num('cutoff')) as number;
    const q = (changed['q'] ?? this.num('q')) as number;
    if (!(cutoff < info.rate / 2)) {
      throw new ParallaxError(code, `${this.name}: cutoff ${cutoff} Hz must be below half the sample rate (${info.rate / 2} Hz at rate ${info.rate})`);
    }
    try {
      return designBiquad(type, cutoff, q, info.rate);
    } catch (e) {
      throw new ParallaxError(code, `${this.name}: ${e instanceof Error ? e.message : String(e)}`, { cause: e });
    }
  }

  /** Gives the kernel the channel count and the coefficients (it keeps the history). */
  private configure(): void {
    const info = this.info!;
    const { b0, b1, b2, a1, a2 } = this.coefficients(info, 'ELEMENT_ERROR');
    const { wasm, mem } = this.place!;
    this.check(wasm !== null
      ? wasm.biquad_configure!(this.kstate, info.channels, b0, b1, b2, a1, a2)
      : biquad_configure(mem, this.kstate, info.channels, b0, b1, b2, a1, a2));
  }

  /** Clears the history. */
  private reset(): void {
    const { wasm, mem } = this.place!;
    this.check(wasm !== null ? wasm.biquad_reset!(this.kstate) : biquad_reset(mem, this.kstate));
  }

  private check(code: number): void {
    if (code < 0) throw new ParallaxError('ELEMENT_ERROR', `${this.name}: ${kernelFailure('biquad', this.info?.format ?? 'no caps', code)}`);
  }
}
