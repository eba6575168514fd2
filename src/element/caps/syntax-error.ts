import { ParallaxError } from '../../errors.js';

/**
 * Caps text that does not parse. The message reads `<reason> at <position>`, e.g.
 * `expected ']' to close range, found ';' at 23`; the launch parser finds the offset with
 * /at (\d+)/ and maps it into the pipeline string, so the offset comes last and nothing before
 * it reads "at <digits>".
 */
export class CapsSyntaxError extends ParallaxError {
  /** 0-based offset into the caps text where the fault was found. */
  readonly position: number;
  /** The message without the position: `expected ']' to close range, found ';'`. */
  readonly reason: string;

  constructor(reason: string, position: number) {
    super('CAPS_SYNTAX', `${reason} at ${position}`);
    this.reason = reason;
    this.position = position;
  }
}
