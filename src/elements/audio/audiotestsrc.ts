import { Buffer } from '../../element/buffer.js';
import { Source, type Produced } from '../../element/base/source.js';
import type { Caps } from '../../element/caps/index.js';
import { FlowResult } from '../../element/flow.js';
import type { ElementMetadata } from '../../element/metadata.js';
import type { Pad } from '../../element/pad.js';
import type { PropertyValue } from '../../element/property.js';
import { kernelPlace, payloadAddress, type KernelPlace } from '../../wasm/kernel-place.js';
import { AUDIO_CAPS_TEXT, audioInfo, type AudioInfo } from './audio-caps.js';
import { DEFAULT_AUDIO_RATE, durationOfFrames } from './format.js';
import { kernelFailure } from './kernel-errors.js';
import {
  AudioTestSrcWave, audiotestsrc_configure, audiotestsrc_configure_ticks, audiotestsrc_fill_f32,
  audiotestsrc_fill_s16, audiotestsrc_reset, audiotestsrc_state_size,
} from './reference/audiotestsrc.js';

const WAVES = [
  { nick: 'sine', value: AudioTestSrcWave.sine, description: 'Sine' },
  { nick: 'square', value: AudioTestSrcWave.square, description: 'Square' },
  { nick: 'saw', value: AudioTestSrcWave.saw, description: 'Saw' },
  { nick: 'triangle', value: AudioTestSrcWave.triangle, description: 'Triangle' },
  { nick: 'silence', value: AudioTestSrcWave.silence, description: 'Silence' },
  { nick: 'white-noise', value: AudioTestSrcWave['white-noise'], description: 'White uniform noise' },
  { nick: 'ticks', value: AudioTestSrcWave.ticks, description: 'Periodic Ticks' },
];

/**
 * `audiotestsrc wave=sine freq=1000 num-buffers=10 ! audio/x-raw,format=F32LE,rate=48000,channels=2 ! fakesink`
 *
 * Classification: Source/Audio.
 *
 * Generates test audio, after GStreamer's audiotestsrc: waves sine, square, saw, triangle,
 * silence, white-noise and ticks, in S16LE or F32LE, any rate and channel count (it fixates to
 * S16LE, 44100 Hz, mono when downstream leaves them open). `samplesperbuffer` frames per buffer,
 * stamped from frame 0 (plus `timestamp-offset`); `is-live` paces buffers by the clock, each
 * pushed when its end time is reached. White noise is seeded (`seed`), so runs repeat.
 *
 * The work is the WebAssembly kernel audiotestsrc_fill_* (assembly/audio/audiotestsrc.ts), which
 * writes each buffer where it lies in the shared arena, its oscillator state carved from the
 * arena; where there is no WebAssembly, its JS reference writes the same bytes.
 *
 * Runs wherever the scheduler puts it (RT-safe); hot path allocation-free.
 */
export class AudioTestSrc extends Source {
  static readonly metadata: ElementMetadata = {
    factory: 'audiotestsrc',
    classification: 'Source/Audio',
    description: 'Creates audio test signals of given frequency and volume',
    example: 'audiotestsrc wave=sine freq=1000 num-buffers=10 ! audio/x-raw,format=F32LE,rate=48000,channels=2 ! fakesink',
    padTemplates: [{ name: 'src', direction: 'src', presence: 'always', caps: AUDIO_CAPS_TEXT }],
    properties: {
      wave: { type: 'enum', default: 'sine', mutable: true, description: 'Oscillator waveform', values: WAVES },
      freq: { type: 'double', default: 440, min: 0, max: 20000, mutable: true, description: 'Frequency of test signal. The sample rate needs to be at least 2 times higher.' },
      volume: { type: 'double', default: 0.8, min: 0, max: 1, mutable: true, description: 'Volume of test signal' },
      samplesperbuffer: { type: 'int', default: 1024, min: 1, max: 1 << 20, description: 'Number of samples in each outgoing buffer' },
      'num-buffers': { type: 'int', default: -1, min: -1, description: 'Number of buffers to output before sending EOS (-1 = unlimited)' },
      'is-live': { type: 'bool', default: false, description: 'Whether to act as a live source' },
      'timestamp-offset': { type: 'uint64', default: 0, description: 'An offset added to timestamps set on buffers (in ns)' },
      seed: { type: 'int', default: 0, min: 0, description: 'Seed of the white noise (0 = the fixed default seed)' },
      'tick-interval': { type: 'uint64', default: 1_000_000_000, min: 1, description: 'Distance between start of current and start of next tick, in nanoseconds' },
      'sine-periods-per-tick': { type: 'int', default: 10, min: 1, description: 'Number of sine wave periods in one tick' },
      'marker-tick-period': { type: 'int', default: 0, min: 0, description: 'Make every Nth tick a marker tick (0 = no marker ticks)' },
      'marker-tick-volume': { type: 'double', default: 1, min: 0, max: 1, description: 'Volume of marker ticks' },
      'apply-tick-ramp': { type: 'bool', default: false, description: 'Apply ramp to tick samples' },
    },
    affinity: 'auto',
    rtSafe: true,
    sharedMemory: true,
  };

  private place: KernelPlace | null = null;
  private kstate = -1;
  private info: AudioInfo | null = null;
  private framesPerBuffer = 1024;
  private numBuffers = -1;
  private isLive = false;
  private offsetNs = 0;
  private count = 0;
  private frames = 0;

  override start(): void {
    super.start();
    this.framesPerBuffer = this.num('samplesperbuffer');
    this.numBuffers = this.num('num-buffers');
    this.isLive = this.bool('is-live');
    this.offsetNs = this.num('timestamp-offset');
    this.count = 0;
    this.frames = 0;
    // State is carved from the arena this run allocates from (each prepare makes a new one).
    this.place = kernelPlace(this.context, this.name);
    this.kstate = this.place.carveState(this.place.wasm !== null ? this.place.wasm.audiotestsrc_state_size!() : audiotestsrc_state_size());
    if (this.info !== null) this.configure();
    // Reset only a configured state: without caps, create() reports the missing format instead.
    if (this.info !== null) this.check(this.place!.wasm !== null ? this.place!.wasm.audiotestsrc_reset!(this.kstate) : audiotestsrc_reset(this.place!.mem, this.kstate));
    if (this.info !== null && this.numBuffers !== 0) this.context.allocator.reserve(this.framesPerBuffer * this.info.bpf, 4);
  }

  /** The next run allocates from a new arena: its state is carved at start. */
  override stop(): void {
    this.place = null;
    this.kstate = -1;
  }

  override fixateCaps(_pad: Pad, caps: Caps): Caps {
    return caps.isAny() ? caps : caps.fixate({ rate: DEFAULT_AUDIO_RATE, channels: 1 });
  }

  /** Negotiation runs before start (and on the event loop even for a thread's element): the kernel is configured at start, or now when already running. */
  override setCaps(_pad: Pad, caps: Caps): boolean {
    this.info = audioInfo(caps, this.name);
    if (this.place !== null) this.configure();
    return true;
  }

  protected override propertyChanged(name: string, _value: PropertyValue): void {
    if (this.info !== null && this.place !== null && (name === 'wave' || name === 'freq' || name === 'volume')) this.configure();
  }

  /** Gives the kernel the wave, frequency, volume and format (it keeps its phase). */
  private configure(): void {
    const info = this.info!;
    const { wasm, mem } = this.place!;
    const wave = WAVES.find((w) => w.nick === this.str('wave'))!.value;
    const [freq, volume, seed] = [this.num('freq'), this.num('volume'), this.num('seed') >>> 0];
    this.check(wasm !== null
      ? wasm.audiotestsrc_configure!(this.kstate, wave, freq, volume, info.rate, info.channels, seed)
      : audiotestsrc_configure(mem, this.kstate, wave, freq, volume, info.rate, info.channels, seed));
    const ticks = [this.num('tick-interval'), this.num('sine-periods-per-tick'), this.num('marker-tick-period'), this.num('marker-tick-volume'), this.bool('apply-tick-ramp') ? 1 : 0] as const;
    this.check(wasm !== null
      ? wasm.audiotestsrc_configure_ticks!(this.kstate, ...ticks)
      : audiotestsrc_configure_ticks(mem, this.kstate, ...ticks));
  }

  private check(code: number): void {
    if (code < 0) throw new Error(kernelFailure('audiotestsrc', this.info?.format ?? 'no caps', code));
  }

  protected create(): Produced | Promise<Produced> {
    if (this.numBuffers >= 0 && this.count >= this.numBuffers) return FlowResult.EOS;
    const info = this.info;
    if (info === null) {
      this.error('has no caps: nothing downstream fixed a format');
      return FlowResult.NOT_NEGOTIATED;
    }
    const n = this.framesPerBuffer;
    const buf = this.place!.adopt(Buffer.allocate(this.context.allocator, n * info.bpf));
    const at = payloadAddress(buf);
    const { wasm, mem } = this.place!;
    const r = info.format === 'F32LE'
      ? (wasm !== null ? wasm.audiotestsrc_fill_f32!(this.kstate, at, n) : audiotestsrc_fill_f32(mem, this.kstate, at, n))
      : (wasm !== null ? wasm.audiotestsrc_fill_s16!(this.kstate, at, n) : audiotestsrc_fill_s16(mem, this.kstate, at, n));
    if (r < 0) {
      buf.release();
      return this.error(kernelFailure('audiotestsrc', info.format, r));
    }
    const start = durationOfFrames(this.frames, info.rate);
    const end = durationOfFrames(this.frames + n, info.rate);
    buf.pts = this.offsetNs + start;
    buf.dts = buf.pts;
    buf.duration = end - start;
    buf.offset = this.frames;
    buf.sequence = this.count;
    this.frames += n;
    this.count++;
    if (!this.isLive) return buf;
    // A live source delivers a buffer once its last sample has been "captured": at its end time.
    const ctx = this.context;
    const due = ctx.baseTime + buf.pts + buf.duration;
    if (ctx.clock.now() >= due) return buf;
    return ctx.clock.waitUntil(due).then((reached): Produced => {
      if (reached) return buf;
      buf.release();
      return FlowResult.FLUSHING;
    });
  }
}
