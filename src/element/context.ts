import type { BufferAllocator } from '../memory/allocator.js';
import type { Clock } from './clock.js';
import type { Element } from './element.js';
import type { BusMessage } from './message.js';
import type { Pad } from './pad.js';
import type { KernelHost } from '../wasm/kernel-host.js';

/**
 * What an element may ask of whoever runs it: the pipeline's executor, or the test harness.
 * Elements never reach for globals; they get this at `attach` time.
 */
export interface ElementContext {
  readonly allocator: BufferAllocator;
  /**
   * WebAssembly kernels in place on the shared memory that holds the pools, on this thread; null
   * (or absent) where there is none — no arena, an arena too small for the kernel area, or a test
   * harness — and elements use their JavaScript reference instead (doc/design/006).
   */
  readonly kernels?: KernelHost | null;
  readonly clock: Clock;
  /** Clock time at which running time 0 happens (set when the pipeline starts running). */
  readonly baseTime: number;
  /** Posts a message on the bus. */
  post(msg: BusMessage): void;
  /**
   * Asks the streaming task that is calling into the element to wait for `until` before it
   * produces anything more: this is how a full queue, a clock wait or an async write blocks
   * upstream on the event loop without a promise per buffer. Called from inside `chain`.
   */
  blockUpstream(until: Promise<unknown>): void;
  /** A sink saw EOS. The pipeline posts `eos` when every sink has. */
  sinkReachedEos(sink: Element): void;
  /** A pad appeared on an attached element (a sometimes pad while running): links waiting for it are made. */
  padAdded?(pad: Pad): void;
}
