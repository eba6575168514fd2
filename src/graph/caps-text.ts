import { CapsSyntaxError, parseCaps, type Caps } from '../element/caps/index.js';
import type { Span } from './parse/ast.js';

/**
 * Caps written in a launch string, parsed with positions that point into the string.
 *
 * gst-launch lets a caps filter carry backslash escapes outside quotes (`video/x-raw,\ width=1`,
 * which is also what a multi-argument command line turns into); they are removed before parsing,
 * and an offset map sends a syntax error's position back to the character as written.
 */
export function parseCapsText(text: string, at: number): { caps: Caps } | { reason: string; span: Span } {
  let plain = '';
  const origin: number[] = [];
  let quote: string | null = null;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quote === null && c === '\\' && i + 1 < text.length) {
      i++;
      plain += text[i];
      origin.push(i);
      continue;
    }
    if (c === '"') quote = quote === null ? c : null;
    plain += c;
    origin.push(i);
  }
  origin.push(text.length);
  try {
    return { caps: parseCaps(plain) };
  } catch (e) {
    if (!(e instanceof CapsSyntaxError)) throw e;
    const start = at + (origin[Math.min(e.position, origin.length - 1)] ?? text.length);
    return { reason: e.reason, span: { start, end: start + 1 } };
  }
}
