/**
 * Errors thrown at the API edge. The hot path never throws: it returns a FlowResult.
 *
 * Every error carries a stable `code` so callers can branch without parsing messages,
 * and a message that names what is wrong and where (element, pad, property, position).
 */
export type ErrorCode =
  | 'LAUNCH_SYNTAX'
  | 'CAPS_SYNTAX'
  | 'UNKNOWN_ELEMENT'
  | 'UNKNOWN_PROPERTY'
  | 'BAD_PROPERTY_VALUE'
  | 'PROPERTY_NOT_MUTABLE'
  | 'BAD_LINK'
  | 'DANGLING_REFERENCE'
  | 'NOT_NEGOTIATED'
  | 'BAD_STATE_TRANSITION'
  | 'ELEMENT_ERROR'
  | 'PLUGIN_ERROR'
  | 'METRICS_ERROR'
  | 'ABORTED'
  /** An element host process died (crash, signal, rlimit) or stopped answering. */
  | 'HOST_DIED'
  /** A sandboxed process wrote something out of bounds or malformed into a shared ring or message. */
  | 'IPC_VIOLATION';

export class ParallaxError extends Error {
  readonly code: ErrorCode;

  constructor(code: ErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
    this.name = new.target.name;
  }
}
