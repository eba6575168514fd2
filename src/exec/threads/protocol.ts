import type { LinkLimits } from '../../memory/spsc/thread-link.js';
import type { PropertyValue } from '../../element/property.js';
import type { DriverSpec } from '../driver.js';

/**
 * Messages between the pipeline (event loop) and a data thread. Only the control plane uses
 * them; buffers and events travel through thread links in the arena.
 */

/** A pad of an element of the thread, by the element's index in `ThreadInit.elements`. */
export type PadRef = readonly [element: number, pad: string];

export interface ElementSpec {
  readonly name: string;
  readonly factory: string;
  /** Module that exports the element class (registry entry). */
  readonly module: string;
  /** Explicitly set properties; caps values travel as `{ caps: text }`. */
  readonly props: readonly (readonly [string, WireValue])[];
  /** Request pads the element had on the event loop, in creation order. */
  readonly requestPads: readonly string[];
}

export type WireValue = PropertyValue | { readonly caps: string };

export interface LinkEnd {
  readonly base: number;
  readonly capacity: number;
  readonly limits: LinkLimits;
  readonly pad: PadRef;
  /** Whether waits on this link may block the thread (its other end runs elsewhere, and this thread has one task). */
  readonly mayBlock: boolean;
  /** Name for stats: "queue0" for a replaced queue, or "a:src->b:sink". */
  readonly label: string;
}

export interface ThreadInit {
  readonly index: number;
  /** The arena's WebAssembly.Memory (so kernels can run on it there), or its buffer. */
  readonly arena: SharedArrayBuffer | WebAssembly.Memory;
  readonly elements: readonly ElementSpec[];
  readonly links: readonly (readonly [PadRef, PadRef])[];
  /** Negotiated caps of every pad of the thread's elements that has any. */
  readonly caps: readonly (readonly [PadRef, string])[];
  readonly outputs: readonly LinkEnd[];
  readonly inputs: readonly LinkEnd[];
  readonly spin: number;
  /** Slots of a pool made for a size class no element reserved. */
  readonly slotsPerPool: number;
  /** Plugin modules loaded on the event loop, loaded here too so their elements resolve. */
  readonly plugins: readonly string[];
  /** What paces the thread's sources; null: they run free. */
  readonly driver: DriverSpec | null;
}

export type ToThread =
  | { readonly type: 'activate'; readonly baseTime: number; readonly timeOrigin: number; readonly originNs: number; readonly cyclesAtStart: number }
  | { readonly type: 'pause' }
  | { readonly type: 'resume'; readonly baseTime: number; readonly timeOrigin: number; readonly originNs: number }
  | { readonly type: 'send-eos' }
  | { readonly type: 'stop' };

export interface PadCounters {
  readonly buffers: number;
  readonly bytes: number;
}

export interface ThreadStats {
  readonly pads: Readonly<Record<string, PadCounters>>;
  readonly pools: { readonly pools: number; readonly slots: number; readonly freeSlots: number; readonly poolsAdded: number };
  /** Payload bytes copied on this thread since it started (copy-counter.ts counts per thread). */
  readonly bytesCopied: number;
}

export type FromThread =
  | { readonly type: 'prepared' }
  | { readonly type: 'prepare-failed'; readonly element: string; readonly message: string }
  | { readonly type: 'bus'; readonly msg: WireBusMessage }
  | { readonly type: 'eos'; readonly sink: string }
  | { readonly type: 'task-ended'; readonly driver: string; readonly result: number }
  | { readonly type: 'stats'; readonly stats: ThreadStats }
  | { readonly type: 'stopped'; readonly stats: ThreadStats };

/** A bus message made cloneable: errors travel as message and code. */
export type WireBusMessage =
  | { readonly type: 'error'; readonly source: string; readonly message: string; readonly code: string }
  | { readonly type: 'other'; readonly msg: unknown };
