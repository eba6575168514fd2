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

/** The codes a refused property change carries back from a data thread or a host process. */
export const PROPERTY_ERROR_CODES: readonly ErrorCode[] = ['UNKNOWN_PROPERTY', 'BAD_PROPERTY_VALUE', 'PROPERTY_NOT_MUTABLE'];

/** A refusal as it crosses a thread or process boundary, which keeps only plain data. */
export interface WireRefusal {
  readonly code: string | null;
  readonly message: string;
}

/** `e` as plain data, for a reply across a boundary. */
export function toWireRefusal(e: unknown): WireRefusal {
  return { code: e instanceof ParallaxError ? e.code : null, message: e instanceof Error ? e.message : String(e) };
}

/**
 * The error a refusal from across a boundary stands for. A property refusal keeps its code and
 * message (it names the element and the property, as it would on the event loop); anything else
 * is an ELEMENT_ERROR whose message starts with `prefix` (what was being done).
 */
export function fromWireRefusal(r: WireRefusal, prefix: string): ParallaxError {
  const code = PROPERTY_ERROR_CODES.find((c) => c === r.code);
  if (code !== undefined) return new ParallaxError(code, r.message);
  return new ParallaxError('ELEMENT_ERROR', prefix === '' ? r.message : `${prefix}: ${r.message}`);
}
