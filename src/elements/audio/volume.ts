import type { Buffer } from '../../element/buffer.js';
import { Transform } from '../../element/base/transform.js';
import type { Caps } from '../../element/caps/index.js';
import type { Event } from '../../element/event.js';
import { FlowResult } from '../../element/flow.js';
import type { ElementMetadata } from '../../element/metadata.js';
import type { Pad } from '../../element/pad.js';
import type { PropertyValue } from '../../element/property.js';
import type { BuiltinKernels } from '../../wasm/kernel-host.js';
import { payloadAddress } from '../../wasm/kernel-place.js';
import { AUDIO_CAPS_TEXT, audioInfo, type AudioInfo } from './audio-caps.js';
import { kernelFailure } from './kernel-errors.js';
import { volume_f32, volume_mute, volume_s16 } from './reference/volume.js';

/**
 * `audiotestsrc num-buffers=10 ! volume volume=0.5 ! fakesink`
 *
 * Classification: Filter/Effect/Audio.
 *
 * Scales raw audio in place, after GStreamer's volume: `volume` 0..10 (1 passes buffers through
 * untouched), `mute`. S16LE uses GStreamer's fixed-point path (volume × 2048, saturating), F32LE
 * multiplies. Both may be changed while the pipeline runs.
 *
 * The work is the WebAssembly kernel `volume_f32`/`volume_s16` (assembly/audio/volume.ts, SIMD)
 * on the payload where it lies in the shared arena; where there is no WebAssembly, its JS
 * reference does the same bytes. No copy either way, unless upstream still shares the buffer.
 *
 * Runs wherever the scheduler puts it (RT-safe); hot path allocation-free.
 */
export class Volume extends Transform {
  static readonly metadata: ElementMetadata = {
    factory: 'volume',
    classification: 'Filter/Effect/Audio',
    description: 'Set volume on audio/raw streams',
    example: 'audiotestsrc num-buffers=10 ! volume volume=0.5 ! fakesink',
    padTemplates: [
      { name: 'sink', direction: 'sink', presence: 'always', caps: AUDIO_CAPS_TEXT },
      { name: 'src', direction: 'src', presence: 'always', caps: AUDIO_CAPS_TEXT },
    ],
    properties: {
      volume: { type: 'double', default: 1, min: 0, max: 10, mutable: true, description: 'volume factor, 1.0=100%' },
      mute: { type: 'bool', default: false, mutable: true, description: 'mute channel' },
    },
    affinity: 'auto',
    rtSafe: true,
    sharedMemory: true,
  };

  protected override writesPayload = true;
  private volume = 1;
  private mute = false;
  private info: AudioInfo | null = null;
  private kernels: BuiltinKernels | null = null;
  private kernelMem: ArrayBufferLike | null = null;

  override start(): void {
    this.volume = this.num('volume');
    this.mute = this.bool('mute');
    const host = this.context.kernels ?? null;
    this.kernels = host?.builtins ?? null;
    this.kernelMem = host?.buffer ?? null;
  }

  protected override propertyChanged(name: string, value: PropertyValue): void {
    if (name === 'volume') this.volume = value as number;
    else if (name === 'mute') this.mute = value as boolean;
  }

  override setCaps(pad: Pad, caps: Caps): boolean {
    if (pad.direction === 'sink') this.info = audioInfo(caps, this.name);
    return true;
  }

  /** Caps that change mid-stream (S16LE to F32LE, say) change the kernel used from then on. */
  override sinkEvent(pad: Pad, ev: Event): boolean {
    if (ev.type === 'caps') {
      pad.caps = ev.caps;
      this.setCaps(pad, ev.caps);
    }
    return super.sinkEvent(pad, ev);
  }

  protected override transformInPlace(buf: Buffer): FlowResult {
    const info = this.info;
    if (info === null) {
      this.error('received a buffer before caps');
      return FlowResult.NOT_NEGOTIATED;
    }
    if (!this.mute && this.volume === 1) return FlowResult.OK;
    const mem = buf.pool.bytes.buffer;
    const at = payloadAddress(buf);
    // Kernels run in place wherever the payload is: WebAssembly when it is in the kernels' memory.
    const wasm = mem === this.kernelMem ? this.kernels : null;
    let r: number;
    if (this.mute || this.volume === 0) {
      r = wasm !== null ? wasm.volume_mute!(at, buf.size) : volume_mute(mem, at, buf.size);
    } else if (info.format === 'F32LE') {
      const n = buf.size >> 2;
      r = wasm !== null ? wasm.volume_f32!(at, n, this.volume) : volume_f32(mem, at, n, this.volume);
    } else {
      const n = buf.size >> 1;
      r = wasm !== null ? wasm.volume_s16!(at, n, this.volume) : volume_s16(mem, at, n, this.volume);
    }
    return r < 0 ? this.error(kernelFailure('volume', info.format, r)) : FlowResult.OK;
  }
}
