/**
 * The character classes of the launch grammar, in one place so the lexer, the value scanner and
 * the caps scanner agree. Sticky (`y`) regexes are matched at a given offset with `matchAt`.
 */

/** Factory names, bin types and reference names: gst allows `-` and `+` after the first char. */
export const IDENT = /[A-Za-z_][A-Za-z0-9_+-]*/y;

/** Property names: `num-buffers`, child-proxy `elem::child::prop`, and `@preset`. */
export const PROP_NAME = /@?[A-Za-z_][A-Za-z0-9_+-]*(?:::[A-Za-z_][A-Za-z0-9_+-]*)*/y;

/** `=` with the whitespace gst allows around it (`num-buffers = 5`). */
export const ASSIGN = /\s*=\s*/y;

/** Pad names in references: `src`, `src_%u`, `sink_3`, `video_00`. */
export const PAD_NAME = /[A-Za-z0-9_%][A-Za-z0-9_%+-]*/y;

/** The comma between pads of one reference (`t.src_1,src_2`). */
export const PAD_COMMA = /\s*,\s*/y;

/** `name.(` or `name . (`: a typed bin. */
export const BIN_DOT = /\s*\.\s*\(/y;

/** `scheme://`, RFC 3986 scheme characters. */
export const URI_SCHEME = /[A-Za-z][A-Za-z0-9+.-]*:\/\//y;

/** A media type (`video/x-raw`, `audio/*`), optionally with `(features)` right after. */
export const MEDIA_TYPE = /[A-Za-z0-9*][A-Za-z0-9+.*-]*\/[A-Za-z0-9*][A-Za-z0-9+.*-]*/y;

/** `ANY` or `EMPTY` counts as caps only when a link operator follows. */
export const SPECIAL_CAPS = /(?:ANY|EMPTY)(?=\s*[!:])/y;

/** Brackets that keep whitespace (in values) or operators (in caps) from ending the text. */
export const CLOSER: Readonly<Record<string, string>> = { '(': ')', '[': ']', '{': '}', '<': '>' };

/** Pops `open` down to the opener that `ch` closes, if there is one; other characters are text. */
export function closeBracket(open: string[], ch: string): void {
  for (let k = open.length - 1; k >= 0; k -= 1) {
    if (CLOSER[open[k] ?? ''] === ch) {
      open.length = k;
      return;
    }
  }
}

export function isSpace(ch: string | undefined): boolean {
  return ch !== undefined && /\s/.test(ch);
}

/** The text `re` matches at exactly `pos`, or undefined. */
export function matchAt(re: RegExp, source: string, pos: number): string | undefined {
  re.lastIndex = pos;
  const m = re.exec(source);
  return m?.[0];
}

/** The first offset at or after `pos` that is not whitespace. */
export function skipSpace(source: string, pos: number): number {
  let at = pos;
  while (isSpace(source[at])) at += 1;
  return at;
}
