import type { Caps } from './caps/index.js';

/** The states a pipeline moves through, after PipeWire (GStreamer's names in parentheses). */
export type PipelineState = 'suspended' | 'idle' | 'running' | 'error';

/**
 * Bus messages. `source` is the name of the element (or "pipeline") that posted it.
 * The bus delivers them on the event loop in the order they were posted.
 */
export type BusMessage =
  | { readonly type: 'error'; readonly source: string; readonly error: Error }
  | { readonly type: 'warning'; readonly source: string; readonly message: string }
  | { readonly type: 'info'; readonly source: string; readonly message: string }
  | { readonly type: 'eos'; readonly source: string }
  | { readonly type: 'state-changed'; readonly source: string; readonly from: PipelineState; readonly to: PipelineState }
  | { readonly type: 'element'; readonly source: string; readonly name: string; readonly data: Readonly<Record<string, unknown>> }
  | { readonly type: 'property-notify'; readonly source: string; readonly property: string; readonly value: unknown }
  | { readonly type: 'caps'; readonly source: string; readonly pad: string; readonly caps: Caps }
  | { readonly type: 'latency'; readonly source: string; readonly min: number; readonly max: number }
  | { readonly type: 'qos'; readonly source: string; readonly dropped: number; readonly processed: number };

export type BusMessageType = BusMessage['type'];
