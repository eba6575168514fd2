import { ParallaxError, type ErrorCode } from '../errors.js';
import type { Span } from './parse/ast.js';
import { formatSourceError } from './parse/caret.js';

/**
 * A launch string that parses but cannot be built: an unknown element or property, a bad value,
 * bad caps, a dangling reference, an impossible link. Same layout as a syntax error: the reason,
 * the position, and the string with a caret under the fault.
 */
export class LaunchError extends ParallaxError {
  constructor(code: ErrorCode, readonly reason: string, readonly source: string, readonly span: Span) {
    super(code, formatSourceError(reason, source, span));
  }
}

/** Runs `fn`; a ParallaxError it throws is re-thrown with the position of `span` in `source`. */
export function at<T>(source: string, span: Span, fn: () => T): T {
  try {
    return fn();
  } catch (e) {
    if (e instanceof LaunchError) throw e;
    if (e instanceof ParallaxError) throw new LaunchError(e.code, e.message, source, span);
    throw e;
  }
}
