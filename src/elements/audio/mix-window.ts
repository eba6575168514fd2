import type { KernelPlace } from '../../wasm/kernel-place.js';
import type { AudioInfo } from './audio-caps.js';
import { audiomixer_accumulate_f32, audiomixer_accumulate_s16, audiomixer_clear, audiomixer_copy } from './reference/audiomixer.js';
import type { AudioSampleQueue } from './sample-queue.js';

/**
 * audiomixer's inner loop: writes frames [w0, w1) of the mix of `inputs` (in pad order) at
 * byte address `out`, with the audiomixer_* kernels where `place` runs them. The first input
 * with samples in the window is copied (audiomixer_copy) and the frames around them cleared;
 * each further input is added (audiomixer_accumulate_*: S16 saturating, F32 plain sums); a
 * window no input reaches is cleared. Every payload and `out` lie in `place.mem`.
 *
 * Returns >= 0, or the first kernel error (negative). Data thread or event loop; allocation-free.
 */
export function mixWindow(place: KernelPlace, info: AudioInfo, inputs: readonly { readonly queue: AudioSampleQueue }[], out: number, w0: number, w1: number): number {
  const { wasm, mem } = place;
  const bpf = info.bpf;
  const f32 = info.format === 'F32LE';
  let first = true;
  let r = 0;
  for (const { queue } of inputs) {
    // Frames of the window written so far by the first input (it clears what it does not cover).
    let filled = w0;
    for (const run of queue.runs) {
      if (run.start >= w1 || r < 0) break;
      const s = Math.max(run.start, w0);
      const t = Math.min(run.start + run.frames, w1);
      if (t <= s) continue;
      const src = run.address + (s - run.start) * bpf;
      const dst = out + (s - w0) * bpf;
      if (first) {
        if (s > filled) r = clear(place, out + (filled - w0) * bpf, (s - filled) * bpf);
        if (r >= 0) r = wasm !== null ? wasm.audiomixer_copy!(dst, src, (t - s) * bpf) : audiomixer_copy(mem, dst, src, (t - s) * bpf);
        filled = t;
      } else {
        const samples = (t - s) * info.channels;
        if (f32) r = wasm !== null ? wasm.audiomixer_accumulate_f32!(dst, src, samples) : audiomixer_accumulate_f32(mem, dst, src, samples);
        else r = wasm !== null ? wasm.audiomixer_accumulate_s16!(dst, src, samples) : audiomixer_accumulate_s16(mem, dst, src, samples);
      }
    }
    if (r < 0) return r;
    if (first && filled > w0) {
      first = false;
      if (filled < w1) r = clear(place, out + (filled - w0) * bpf, (w1 - filled) * bpf);
      if (r < 0) return r;
    }
  }
  return first ? clear(place, out, (w1 - w0) * bpf) : r;
}

function clear(place: KernelPlace, at: number, bytes: number): number {
  return place.wasm !== null ? place.wasm.audiomixer_clear!(at, bytes) : audiomixer_clear(place.mem, at, bytes);
}
