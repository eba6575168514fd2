import { ParallaxError } from '../../errors.js';
import type { Span } from './ast.js';
import { formatSourceError } from './caret.js';

/**
 * A launch string that cannot be parsed. The message reads `<reason> at position N`, then the
 * caret block from `formatCaret`; `reason` alone is kept for callers that build their own text.
 */
export class LaunchSyntaxError extends ParallaxError {
  readonly source: string;
  readonly span: Span;
  readonly reason: string;

  constructor(reason: string, source: string, span: Span) {
    super('LAUNCH_SYNTAX', formatSourceError(reason, source, span));
    this.source = source;
    this.span = span;
    this.reason = reason;
  }
}
