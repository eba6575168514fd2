import type { PipelineState } from '../element/message.js';
import type { AllocatorStats } from '../memory/allocator.js';

export interface PipelineStats {
  readonly state: PipelineState;
  /**
   * Payload bytes this pipeline's elements copied since it was made, on the event loop and on its
   * data threads (as the threads last reported: at most 250 ms old while running, exact once
   * run() resolved). Copies on the event loop are a process-wide count: two pipelines running
   * at once on one event loop see each other's.
   */
  readonly bytesCopied: number;
  readonly pools: AllocatorStats;
  readonly elements: Readonly<Record<string, { readonly buffersOut: number; readonly bytesOut: number }>>;
  /** Per src pad ("identity0:src"): buffers and bytes pushed. */
  readonly pads: Readonly<Record<string, PadStats>>;
  /** Per link ("queue0:src->fakesink0:sink"): what waits on it, what it dropped, how often it woke a side. */
  readonly links: Readonly<Record<string, LinkStats>>;
  /** Cycle deadline misses of the pipeline's driver (0 when it has none). */
  readonly xruns: number;
}

export interface PadStats {
  readonly buffers: number;
  readonly bytes: number;
}

export interface LinkStats {
  /** Items waiting on the link now: 0 for a direct call, a queue's level, a ring's fill. */
  readonly depth: number;
  /** Buffers dropped by a leaky policy since the pipeline started. */
  readonly drops: number;
  /** Times a sleeping side was woken (ring bridges; 0 on the event loop). */
  readonly wakeups: number;
}

/** A link with nothing waiting on it (a direct call between elements on the event loop). */
export const NO_LEVEL: LinkStats = Object.freeze({ depth: 0, drops: 0, wakeups: 0 });
