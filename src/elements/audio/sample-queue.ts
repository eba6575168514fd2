import type { Buffer } from '../../element/buffer.js';
import { DEFAULT_SEGMENT, type Segment } from '../../element/event.js';
import { payloadAddress } from '../../wasm/kernel-place.js';

/** Samples of one buffer that are still to be mixed: `frames` frames from frame `start`, at `address`. */
export interface QueuedRun {
  readonly buf: Buffer;
  start: number;
  frames: number;
  /** Byte address of frame `start` in the buffer's memory. */
  address: number;
}

/**
 * The samples one audiomixer input has delivered and the mixer has not used yet, kept in the
 * buffers they came in (no copy) and placed by frame on the mixer's timeline (frame f is
 * running time f / rate).
 *
 * Placement: a buffer lands at the frame of its running time, rounded to nearest. One that
 * starts within one frame of where the previous one ended continues it exactly (timestamps
 * rounded upstream do not open one-sample gaps). A later start leaves a gap, which mixes as
 * silence; an earlier one overlaps what came before, and its overlapping head is dropped, as is
 * anything before the mixer's output position (it came too late).
 *
 * Roles: the mixer, on whichever thread runs it: `push` from the pad's chain, `runs` read and
 * `drop` when an output buffer is made, `waitUntilNeeded` to hold the pad's upstream back and
 * `wake` to let it go. Allocation: one record per buffer, one promise per wait.
 */
export class AudioSampleQueue {
  /** Runs in timeline order, without overlap. */
  readonly runs: QueuedRun[] = [];
  /** The frame after the last one received; -1 before the first buffer. */
  end = -1;
  /** EOS arrived: nothing more will. */
  eos = false;
  /** The pad's segment, to turn timestamps into running time. */
  segment: Segment = DEFAULT_SEGMENT;
  private waiting: { promise: Promise<void>; resolve: () => void } | null = null;

  /** Queues `buf` (taking ownership) as `frames` frames of `bpf` bytes from frame `start`, nothing before `notBefore`. */
  push(buf: Buffer, start: number, frames: number, bpf: number, notBefore: number): void {
    if (this.end >= 0 && Math.abs(start - this.end) <= 1) start = this.end;
    const from = Math.max(start, this.end, notBefore);
    const skip = Math.min(frames, from - start);
    this.end = Math.max(this.end, start + frames);
    if (frames - skip <= 0) {
      buf.release();
      return;
    }
    this.runs.push({ buf, start: start + skip, frames: frames - skip, address: payloadAddress(buf) + skip * bpf });
  }

  /** Drops every frame before `frame`, releasing the buffers used up. */
  drop(frame: number, bpf: number): void {
    const runs = this.runs;
    while (runs.length > 0) {
      const r = runs[0]!;
      if (r.start >= frame) return;
      if (r.start + r.frames <= frame) {
        r.buf.release();
        runs.shift();
        continue;
      }
      const d = frame - r.start;
      r.start = frame;
      r.frames -= d;
      r.address += d * bpf;
      return;
    }
  }

  /** A promise that resolves when `wake` is called: the pad's upstream waits on it. */
  waitUntilNeeded(): Promise<void> {
    if (this.waiting === null) {
      let resolve!: () => void;
      const promise = new Promise<void>((r) => (resolve = r));
      this.waiting = { promise, resolve };
    }
    return this.waiting.promise;
  }

  /** Lets the pad's upstream go on, if it waits. */
  wake(): void {
    const w = this.waiting;
    if (w === null) return;
    this.waiting = null;
    w.resolve();
  }

  /** Releases every buffer and forgets EOS and position (a flush); keeps the segment; wakes a waiting upstream. */
  clear(): void {
    for (const r of this.runs) r.buf.release();
    this.runs.length = 0;
    this.end = -1;
    this.eos = false;
    this.wake();
  }
}
