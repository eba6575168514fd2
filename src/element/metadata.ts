import type { PadTemplateSpec } from './pad-template.js';
import type { PropertySchema } from './property.js';

/** Where an element prefers to run: on the event loop, on a data thread, or wherever the scheduler sees fit. */
export type Affinity = 'async' | 'realtime' | 'auto';

/** What `parallax-inspect` prints and what the registry knows about an element without running it. */
export interface ElementMetadata {
  /** The name used in launch strings: "fakesrc". */
  readonly factory: string;
  /** "Source/Testing", "Filter/Effect/Audio" … in GStreamer's style. */
  readonly classification: string;
  readonly description: string;
  /** A launch line that shows the element at work; a test runs every one. */
  readonly example: string;
  readonly padTemplates: readonly PadTemplateSpec[];
  readonly properties: PropertySchema;
  readonly affinity: Affinity;
  /** No allocation and no blocking in the hot path: may run on a data thread. */
  readonly rtSafe: boolean;
  /**
   * May run on a data thread although it is not RT-safe: its work is the reason to have a thread
   * (a typed module stage, which allocates as it decodes values).
   */
  readonly dataThread?: boolean;
  /**
   * The element hands buffers to other threads itself (a worker pool), so even an event-loop
   * pipeline must allocate every buffer in the shared arena.
   */
  readonly sharedMemory?: boolean;
  /**
   * The element hands buffers to another process (ipcsink): when the pipeline runs on the event
   * loop, its pools go in a memfd that process can map, so nothing is copied on the way out.
   */
  readonly processShared?: boolean;
}
