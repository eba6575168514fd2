import type { Span } from './ast.js';
import { CLOSER, MEDIA_TYPE, SPECIAL_CAPS, closeBracket, isSpace, matchAt } from './chars.js';
import { LaunchSyntaxError } from './errors.js';

/**
 * Caps filters: `a ! video/x-raw,width=320 ! b`. gst's lexer folds `! CAPS !` into one link
 * token; so does ours. The caps text itself is not parsed here, only delimited: the caps parser
 * works on `text` and maps its offsets back through `span`.
 */

/** A quoted string whose content starts like caps: `"video/x-raw, format=I420"`, `'ANY'`. */
const QUOTED_CAPS = /["']\s*(?:[A-Za-z0-9*][A-Za-z0-9+.*-]*\/[A-Za-z0-9*]|(?:ANY|EMPTY)(?![A-Za-z0-9_]))/y;

/**
 * Whether the text at `pos` reads as caps: a media type `type/subtype`, `ANY`/`EMPTY` before a
 * link operator, or a quoted string that starts like either. Element names never contain `/`,
 * and a URI has `:` before its first `/`, so neither is mistaken for caps.
 */
export function looksLikeCaps(source: string, pos: number): boolean {
  return matchAt(MEDIA_TYPE, source, pos) !== undefined
    || matchAt(SPECIAL_CAPS, source, pos) !== undefined
    || matchAt(QUOTED_CAPS, source, pos) !== undefined;
}

/**
 * The caps text starting at `pos`, delimited.
 * `close` is the offset of the operator that ends it, or undefined if the text ran into the
 * end of the input or into a `)` that closes an enclosing bin.
 */
export interface ScannedCaps { text: string; span: Span; close: number | undefined }

/**
 * Reads caps at `pos` up to the next `op` (the operator that opened the filter) outside quotes
 * and brackets. Only that operator ends it, so `! text/x-foo,a=b:c !` keeps its `:`. If a
 * bracket never closes, the text is read again with brackets ignored, so the error lands on the
 * caps and not on "missing '!'".
 */
export function scanCaps(source: string, pos: number, op: '!' | ':'): ScannedCaps {
  let end = scanTo(source, pos, op, true);
  if (!end.balanced) end = scanTo(source, pos, op, false);
  let last = end.at;
  while (last > pos && isSpace(source[last - 1])) last -= 1;
  let span = { start: pos, end: last };
  if (end.firstQuoteEnd === last - 1 && (source[pos] === '"' || source[pos] === "'")) {
    span = { start: pos + 1, end: last - 1 };
  }
  const close = end.at < source.length && source[end.at] === op ? end.at : undefined;
  return { text: source.slice(span.start, span.end), span, close };
}

/** Where the caps text stopped; `balanced` is false if a bracket was still open there. */
interface CapsEnd { at: number; firstQuoteEnd: number; balanced: boolean }

function scanTo(source: string, pos: number, op: string, brackets: boolean): CapsEnd {
  const open: string[] = [];
  let quote = '';
  let quoteStart = -1;
  let firstQuoteEnd = -1;
  let i = pos;
  for (; i < source.length; i += 1) {
    const ch = source.charAt(i);
    if (ch === '\\') {
      i += 1;
    } else if (quote !== '') {
      if (ch !== quote) continue;
      quote = '';
      if (firstQuoteEnd < 0) firstQuoteEnd = i;
    } else if (ch === '"' || ch === "'") {
      quote = ch;
      quoteStart = i;
    } else if (open.length === 0 && (ch === op || ch === ')')) {
      break;
    } else if (brackets && ch in CLOSER) {
      open.push(ch);
    } else if (brackets) {
      closeBracket(open, ch);
    }
  }
  if (quote !== '') throw new LaunchSyntaxError('unterminated quoted string', source, { start: quoteStart, end: quoteStart + 1 });
  return { at: Math.min(i, source.length), firstQuoteEnd, balanced: open.length === 0 };
}
