import type { Span } from './ast.js';
import { looksLikeCaps, scanCaps } from './caps.js';
import { ASSIGN, BIN_DOT, IDENT, PAD_COMMA, PAD_NAME, PROP_NAME, URI_SCHEME, matchAt, skipSpace } from './chars.js';
import { LaunchSyntaxError } from './errors.js';
import type { Token } from './tokens.js';
import { scanValue } from './value.js';

/**
 * Splits a launch string into tokens, one at a time, so that a fault is reported at the first
 * place it occurs in the source. Which token starts at an offset is decided in this order:
 *
 *   `!` `:`           a link, with a caps filter folded in when caps follow (see caps.ts)
 *   `(` `)`           bin open / close
 *   `.pad`            an anonymous pad reference
 *   caps-like text    an error: caps must sit between two links
 *   `scheme://...`    a URI
 *   `name = value`    a property (`num-buffers`, `elem::child::prop`, `@preset`)
 *   `type.(`          a typed bin open (whitespace around the `.` allowed)
 *   `name.` `name.pad1,pad2`  a reference
 *   `name`            a factory name
 */
export class Lexer {
  private pos = 0;

  constructor(readonly source: string) {}

  /** The next token; after the end of input, `end` again. */
  next(): Token {
    const tok = this.read(skipSpace(this.source, this.pos));
    this.pos = tok.span.end;
    return tok;
  }

  private fail(reason: string, span: Span): never {
    throw new LaunchSyntaxError(reason, this.source, span);
  }

  private read(at: number): Token {
    const src = this.source;
    const ch = src.charAt(at);
    const one = { start: at, end: at + 1 };
    if (ch === '') return { kind: 'end', span: { start: at, end: at } };
    if (ch === '!' || ch === ':') return this.link(at, ch);
    if (ch === '(') return { kind: 'open', binType: undefined, binTypeSpan: undefined, paren: one, span: one };
    if (ch === ')') return { kind: 'close', span: one };
    if (ch === '.') return this.ref(at, undefined, { start: at, end: at });
    if (ch === '=') this.fail("'=' with no property name", one);
    if (looksLikeCaps(src, at)) {
      const afterCaps = /[!:]\s*$/.test(src.slice(0, at));
      this.fail(afterCaps
        ? 'two caps filters in a row: put an element between them (for example identity), or merge them into one'
        : "caps filter must be preceded by an element and '!'", scanCaps(src, at, '!').span);
    }
    if (matchAt(URI_SCHEME, src, at) !== undefined) {
      const v = scanValue(src, at);
      if (v !== undefined) return { kind: 'uri', uri: { kind: 'uri', uri: v.value, span: v.span }, span: v.span };
    }
    return this.word(at);
  }

  private link(at: number, op: '!' | ':'): Token {
    const span = { start: at, end: at + 1 };
    const after = skipSpace(this.source, at + 1);
    if (!looksLikeCaps(this.source, after)) return { kind: 'link', link: { op, span }, span };
    const caps = scanCaps(this.source, after, op);
    if (caps.close === undefined) this.fail(`caps filter must be followed by '${op}' and an element`, caps.span);
    const whole = { start: at, end: caps.close + 1 };
    return { kind: 'link', link: { op, caps: { text: caps.text, span: caps.span }, span: whole }, span: whole };
  }

  private word(at: number): Token {
    const src = this.source;
    const prop = matchAt(PROP_NAME, src, at);
    if (prop !== undefined) {
      const assign = matchAt(ASSIGN, src, at + prop.length);
      if (assign !== undefined) return this.prop(at, prop, at + prop.length + assign.indexOf('=') + 1, at + prop.length + assign.length);
      if (prop.includes('::') || prop.startsWith('@')) this.fail(`expected '=' after property name '${prop}'`, { start: at, end: at + prop.length });
    }
    const name = matchAt(IDENT, src, at);
    if (name === undefined) {
      const ch = String.fromCodePoint(src.codePointAt(at) ?? 0);
      this.fail(`unexpected character '${ch}'`, { start: at, end: at + ch.length });
    }
    const nameSpan = { start: at, end: at + name.length };
    const bin = matchAt(BIN_DOT, src, nameSpan.end);
    if (bin !== undefined) {
      const end = nameSpan.end + bin.length;
      return { kind: 'open', binType: name, binTypeSpan: nameSpan, paren: { start: end - 1, end }, span: { start: at, end } };
    }
    if (src.charAt(nameSpan.end) === '.') return this.ref(nameSpan.end, name, nameSpan);
    return { kind: 'ident', text: name, span: nameSpan };
  }

  /** `name=` has been matched up to `eq` (just past the `=`); the value starts at `valueAt`. */
  private prop(at: number, name: string, eq: number, valueAt: number): Token {
    const nameSpan = { start: at, end: at + name.length };
    const v = scanValue(this.source, valueAt);
    if (v === undefined) this.fail(`property '${name}' has no value`, { start: at, end: eq });
    const span = { start: at, end: v.span.end };
    return { kind: 'prop', prop: { name, nameSpan, value: v.value, valueSpan: v.span, quoted: v.quoted }, span };
  }

  /** A reference whose `.` is at `dot`; `name` is undefined for `.pad`. */
  private ref(dot: number, name: string | undefined, nameSpan: Span): Token {
    const src = this.source;
    const pads: { name: string; span: Span }[] = [];
    let at = dot + 1;
    let pad = matchAt(PAD_NAME, src, at);
    if (pad === undefined && name === undefined) {
      this.fail("'.' reference with neither element name nor pad name", { start: dot, end: dot + 1 });
    }
    while (pad !== undefined) {
      pads.push({ name: pad, span: { start: at, end: at + pad.length } });
      at += pad.length;
      const comma = matchAt(PAD_COMMA, src, at);
      if (comma === undefined) break;
      const commaAt = at + comma.indexOf(',');
      at += comma.length;
      pad = matchAt(PAD_NAME, src, at);
      if (pad === undefined) this.fail("expected a pad name after ','", { start: commaAt, end: commaAt + 1 });
    }
    const span = { start: name === undefined ? dot : nameSpan.start, end: at };
    return { kind: 'ref', ref: { kind: 'ref', name, nameSpan, pads, span }, span };
  }
}
