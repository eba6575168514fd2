import type { CapsValue } from './value.js';

/**
 * Printing values. Two styles:
 * - `gst`: what gst_structure_to_string writes, with a type prefix so the text parses back to
 *   the same value: `(string){ S16LE, F32LE }`, `(int)[ 16000, 48000 ]`, `(fraction)30/1`,
 *   `(bitmask)0x0000000000000003`, `(gint64)5`.
 * - `compact`: for messages, without types or inner padding: `{S16LE, F32LE}`, `[16000, 48000]`.
 */

/** How {@link formatValue} prints. */
export type ValueStyle = 'gst' | 'compact';

/** Characters a string may hold unquoted (GST_ASCII_IS_STRING). */
const PLAIN_STRING = /^[A-Za-z0-9_+\-/:.]+$/;

/** The gst type name printed in parentheses before a value, by value kind. */
const TYPE_NAMES = {
  'int': 'int', 'int-range': 'int', 'uint': 'uint', 'int64': 'gint64', 'int64-range': 'gint64', 'uint64': 'guint64',
  'double': 'double', 'double-range': 'double', 'float': 'float', 'bitmask': 'bitmask',
  'fraction': 'fraction', 'fraction-range': 'fraction', 'string': 'string', 'bool': 'boolean',
} as const;

/** Prints `v` in the given style (`gst` by default, which {@link parseCaps} reads back). */
export function formatValue(v: CapsValue, style: ValueStyle = 'gst'): string {
  if (style === 'compact') return bare(v, false);
  const type = typeName(v);
  return type === undefined ? bare(v, true) : `(${type})${bare(v, true)}`;
}

/**
 * The gst type name of `v` (`int` for ints and int ranges): the type shared by everything
 * inside a list or array, or undefined for an empty or mixed one.
 */
export function typeName(v: CapsValue): string | undefined {
  if (v.kind !== 'list' && v.kind !== 'array') return TYPE_NAMES[v.kind];
  const first = v.items[0];
  const type = first === undefined ? undefined : typeName(first);
  return v.items.every((item) => typeName(item) === type) ? type : undefined;
}

/** `v` without its own type prefix; `gst` adds the padding gst prints inside brackets. */
function bare(v: CapsValue, gst: boolean): string {
  const [open, close] = gst ? ['[ ', ' ]'] : ['[', ']'];
  switch (v.kind) {
    case 'int': case 'uint': case 'int64': case 'uint64': return String(v.value);
    case 'double': case 'float': return formatDouble(v.value);
    case 'bitmask': return `0x${v.value.toString(16).padStart(16, '0')}`;
    case 'string': return quoteString(v.value);
    case 'bool': return v.value ? 'true' : 'false';
    case 'fraction': return `${v.num}/${v.den}`;
    case 'int-range': case 'int64-range': return `${open}${v.min}, ${v.max}${v.step === undefined || v.step === 1 ? '' : `, ${v.step}`}${close}`;
    case 'double-range': return `${open}${formatDouble(v.min)}, ${formatDouble(v.max)}${close}`;
    case 'fraction-range': return `${open}${v.min.num}/${v.min.den}, ${v.max.num}/${v.max.den}${close}`;
    case 'list': return items(v, '{', '}', gst);
    case 'array': return items(v, '<', '>', gst);
  }
}

function items(v: Extract<CapsValue, { kind: 'list' | 'array' }>, open: string, close: string, gst: boolean): string {
  if (!gst) return `${open}${v.items.map((item) => bare(item, false)).join(', ')}${close}`;
  if (v.items.length === 0) return `${open} ${close}`;
  // Items of one type share the prefix printed before the brackets; a mixed list cannot, so
  // each item keeps its own.
  const shared = typeName(v) !== undefined;
  const parts = v.items.map((item) => (shared ? bare(item, true) : formatValue(item, 'gst')));
  return `${open} ${parts.join(', ')} ${close}`;
}

/** Shortest text that reads back to the same double; infinities as `inf`, as g_ascii_strtod reads. */
function formatDouble(x: number): string {
  if (x === Infinity) return 'inf';
  if (x === -Infinity) return '-inf';
  return Number.isNaN(x) ? 'nan' : String(x);
}

/**
 * A string as gst serializes it: bare when it only holds plain characters, else in double
 * quotes with `"` and `\` escaped and control characters as 3-digit octal escapes.
 */
function quoteString(s: string): string {
  if (PLAIN_STRING.test(s)) return s;
  let out = '"';
  for (const ch of s) {
    const code = ch.codePointAt(0) ?? 0;
    if (ch === '"' || ch === '\\') out += `\\${ch}`;
    else if (code < 0x20 || code === 0x7f) out += `\\${code.toString(8).padStart(3, '0')}`;
    else out += ch;
  }
  return `${out}"`;
}
