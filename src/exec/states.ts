import { ParallaxError } from '../errors.js';
import type { PipelineState } from '../element/message.js';

/**
 * Pipeline states, after PipeWire, with GStreamer's in brackets:
 * - suspended (NULL): nothing allocated, nothing open.
 * - idle (READY/PAUSED): validated, negotiated, resources open and pools reserved; no data flows.
 * - running (PLAYING): streaming tasks run.
 * - error: an element failed; tasks are stopped. Only `suspend()` leaves it.
 */
export type Transition = 'prepare' | 'activate' | 'pause' | 'suspend';

const allowed: Record<Transition, readonly PipelineState[]> = {
  prepare: ['suspended', 'idle'],
  activate: ['suspended', 'idle', 'running'],
  pause: ['running', 'idle'],
  suspend: ['suspended', 'idle', 'running', 'error'],
};

/** Throws a clear error when `transition` is not allowed from `state`. */
export function checkTransition(state: PipelineState, transition: Transition): void {
  if (allowed[transition].includes(state)) return;
  throw new ParallaxError('BAD_STATE_TRANSITION',
    `cannot ${transition}() a pipeline in state ${state}; ${transition}() is allowed from ${allowed[transition].join(', ')}` +
    (state === 'error' ? '. Call suspend() to clear the error first.' : ''));
}
