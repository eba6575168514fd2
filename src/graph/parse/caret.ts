import type { Span } from './ast.js';

/**
 * Caret blocks for errors that point into a launch string. The parser uses them for syntax
 * errors and the graph builder for semantic ones (unknown element, bad value), so both read
 * the same:
 *
 *   unbalanced ')' at position 17
 *   fakesrc ! fakesink )
 *                      ^
 *
 * Columns count UTF-16 code units, so wide or astral characters before the fault shift the
 * caret; launch strings are almost always ASCII, and exact alignment is not worth a width table.
 */

/** How many source characters a caret line shows before it cuts the line with `…`. */
const WINDOW = 70;
/** How much context the window keeps before the fault when it has to cut. */
const LEAD = 25;

interface LineAt { lineStart: number; lineEnd: number; line: number }

function lineAt(source: string, offset: number): LineAt {
  // lastIndexOf clamps a negative start to 0 and would find a newline at offset 0 itself.
  const lineStart = offset === 0 ? 0 : source.lastIndexOf('\n', offset - 1) + 1;
  let lineEnd = source.indexOf('\n', offset);
  if (lineEnd < 0) lineEnd = source.length;
  if (lineEnd > lineStart && source[lineEnd - 1] === '\r') lineEnd -= 1;
  let line = 1;
  for (let i = source.indexOf('\n'); i >= 0 && i < lineStart; i = source.indexOf('\n', i + 1)) line += 1;
  return { lineStart, lineEnd, line };
}

function clamp(offset: number, source: string): number {
  return Math.min(Math.max(0, offset), source.length);
}

/**
 * Where `offset` is, for a message: `position 18` for a one-line source, `line 2, column 5`
 * when the source has several lines. Both are 1-based (the first character is position 1),
 * since that is how people count characters; spans stay 0-based.
 */
export function describePosition(source: string, offset: number): string {
  const at = clamp(offset, source);
  if (!source.includes('\n')) return `position ${at + 1}`;
  const { lineStart, line } = lineAt(source, at);
  return `line ${line}, column ${at - lineStart + 1}`;
}

/**
 * Two lines: the source (only the faulty line of a multi-line source, and a window of about 70
 * characters with `…` on cut sides for a long one) and a marker line, `^` under the first
 * character of `span` and `~` under the rest of it (`^~~~`). An empty span still gets one `^`.
 */
export function formatCaret(source: string, span: Span): string {
  const start = clamp(span.start, source);
  const { lineStart, lineEnd } = lineAt(source, start);
  const end = Math.min(Math.max(clamp(span.end, source), start + 1), Math.max(lineEnd, start + 1));

  let from = lineStart;
  let to = lineEnd;
  if (to - from > WINDOW) {
    from = Math.max(lineStart, start - LEAD);
    to = Math.min(lineEnd, from + WINDOW);
    from = Math.max(lineStart, to - WINDOW);
  }
  const head = from > lineStart ? '…' : '';
  const tail = to < lineEnd ? '…' : '';
  // Tabs and stray control characters would shift the caret; show them as spaces.
  const text = source.slice(from, to).replace(/[\t\v\f\r]/g, ' ');
  const width = Math.max(1, Math.min(end, Math.max(to, start + 1)) - start);
  const marker = ' '.repeat(head.length + start - from) + '^' + '~'.repeat(width - 1);
  return `${head}${text}${tail}\n${marker}`;
}

/** `<reason> at <position>`, a newline, and the caret block: the layout of every launch error. */
export function formatSourceError(reason: string, source: string, span: Span): string {
  return `${reason} at ${describePosition(source, span.start)}\n${formatCaret(source, span)}`;
}
