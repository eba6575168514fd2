import type { Span } from './ast.js';
import { CLOSER, closeBracket, isSpace } from './chars.js';
import { LaunchSyntaxError } from './errors.js';

/**
 * Property values (and URIs, which follow the same rules):
 *
 * - `"double"`: quotes removed, `\x` becomes `x` (so `\"` and `\\` work);
 * - `'single'`: quotes removed, content taken literally;
 * - bare: runs to unescaped whitespace, `!`, or a `)` that closes nothing; `\x` becomes `x`
 *   (`my\ file.txt`). Whitespace inside `[ ]`, `{ }`, `< >` or `( )` does not end it, so
 *   `caps=audio/x-raw,rate=[1, 2]` is one value, but only when the brackets close: if the value
 *   would end with one still open, it is read again with whitespace ending it, as gst does.
 *   Quote characters inside a bare value are ordinary characters, as in gst.
 */
export interface ScannedValue { value: string; span: Span; quoted: boolean }

/** Reads a value at `pos`; undefined when there is none there (`!`, `)`, end of input). */
export function scanValue(source: string, pos: number): ScannedValue | undefined {
  const q = source.charAt(pos);
  if (q === '"' || q === "'") return scanQuoted(source, pos, q);
  const bare = scanBare(source, pos, true) ?? scanBare(source, pos, false);
  return bare !== undefined && bare.span.end > pos ? bare : undefined;
}

function scanQuoted(source: string, pos: number, q: string): ScannedValue {
  let out = '';
  let i = pos + 1;
  for (;;) {
    if (i >= source.length) throw new LaunchSyntaxError('unterminated quoted string', source, { start: pos, end: pos + 1 });
    const ch = source.charAt(i);
    if (ch === q) break;
    if (ch === '\\' && q === '"' && i + 1 < source.length) {
      out += source.charAt(i + 1);
      i += 2;
    } else {
      out += ch;
      i += 1;
    }
  }
  const end = i + 1;
  const next = source.charAt(end);
  // `"a b"c` would be ambiguous (gst reads it differently than a shell would), so refuse it.
  if (next !== '' && !isSpace(next) && next !== '!' && next !== ')') {
    throw new LaunchSyntaxError(`unexpected '${next}' after quoted value`, source, { start: end, end: end + 1 });
  }
  return { value: out, span: { start: pos, end }, quoted: true };
}

/**
 * One pass over a bare value. With `brackets`, whitespace inside brackets is kept; the result is
 * undefined if a bracket is still open at the end, so the caller can retry without.
 */
function scanBare(source: string, pos: number, brackets: boolean): ScannedValue | undefined {
  const open: string[] = [];
  let out = '';
  let i = pos;
  while (i < source.length) {
    const ch = source.charAt(i);
    if (ch === '\\' && i + 1 < source.length) {
      out += source.charAt(i + 1);
      i += 2;
      continue;
    }
    if (ch === '!' || (isSpace(ch) && open.length === 0) || (ch === ')' && !open.includes('('))) break;
    if (brackets && ch in CLOSER) open.push(ch);
    else if (brackets) closeBracket(open, ch);
    out += ch;
    i += 1;
  }
  if (open.length > 0) return undefined;
  return { value: out, span: { start: pos, end: i }, quoted: false };
}
