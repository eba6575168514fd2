import { readScalar, TYPE_ALIASES } from './parse-scalar.js';
import type { ScalarType } from './parse-scalar.js';
import { makeRange } from './parse-range.js';
import type { Scanner } from './scanner.js';
import type { CapsValue } from './value.js';

/**
 * Field values: `[(type)] scalar | range | list | array`. A type prefix applies to everything
 * inside the brackets that follow it: `(int)[ 1, 2 ]`, `(string){ a, b }`.
 */

/** Characters of an unquoted string (GST_ASCII_IS_STRING); `\` escapes any other character. */
const PLAIN = /[A-Za-z0-9_+\-/:.]/;

const NAMES: Readonly<Record<ScalarType, string>> = {
  int: 'an int', uint: 'a uint', int64: 'a gint64', uint64: 'a guint64', double: 'a double', float: 'a float',
  bitmask: 'a bitmask', string: 'a string', bool: 'a boolean', fraction: 'a fraction',
};

/** Reads one value at the cursor, typed by its own prefix or else by the enclosing one. */
export function parseValue(sc: Scanner, type?: ScalarType): CapsValue {
  if (sc.peek() === '(') {
    type = parseType(sc);
    sc.skipSpace();
  }
  switch (sc.peek()) {
    case '[': return parseRange(sc, type);
    case '{': return { kind: 'list', items: parseItems(sc, type, '}', 'list') };
    case '<': return { kind: 'array', items: parseItems(sc, type, '>', 'array') };
    default: return parseScalar(sc, type);
  }
}

function parseType(sc: Scanner): ScalarType {
  sc.expect('(', 'before type');
  sc.skipSpace();
  const at = sc.pos;
  const name = sc.readWhile(/[A-Za-z0-9_]/);
  if (name === '') sc.fail('expected a type name');
  const type = TYPE_ALIASES[name];
  if (type === undefined) sc.error(`unknown type '${name}'`, at);
  sc.skipSpace();
  sc.expect(')', 'to close type');
  return type;
}

function parseScalar(sc: Scanner, type: ScalarType | undefined): CapsValue {
  const start = sc.pos;
  const quoted = sc.peek() === '"';
  const token = quoted ? readQuoted(sc) : readPlain(sc);
  if (!quoted && token === '') sc.fail('expected a value');
  const value = readScalar(token, type, quoted);
  if (value === undefined) sc.error(`expected ${NAMES[type ?? 'string']}, found '${token}'`, start);
  if (typeof value === 'string') sc.error(value, start);
  return value;
}

function readPlain(sc: Scanner): string {
  let out = '';
  for (let ch = sc.peek(); ch !== undefined; ch = sc.peek()) {
    if (PLAIN.test(ch)) out += ch;
    else if (ch === '\\' && sc.pos + 1 < sc.text.length) out += sc.text[++sc.pos];
    else break;
    sc.pos += 1;
  }
  return out;
}

/** A `"..."` string: `\"` and `\\` escape themselves, `\ooo` is an octal character code. */
function readQuoted(sc: Scanner): string {
  const open = sc.pos;
  sc.pos += 1;
  let out = '';
  for (;;) {
    const ch = sc.peek();
    if (ch === undefined) sc.error('unterminated quoted string', open);
    sc.pos += 1;
    if (ch === '"') return out;
    if (ch !== '\\') {
      out += ch;
      continue;
    }
    const octal = /^[0-7]{3}/.exec(sc.text.slice(sc.pos, sc.pos + 3));
    if (octal !== null) {
      out += String.fromCharCode(Number.parseInt(octal[0], 8));
      sc.pos += 3;
    } else if (sc.pos < sc.text.length) {
      out += sc.text[sc.pos];
      sc.pos += 1;
    }
  }
}

function parseItems(sc: Scanner, type: ScalarType | undefined, close: string, what: string): CapsValue[] {
  sc.pos += 1;
  sc.skipSpace();
  const items: CapsValue[] = [];
  if (sc.eat(close)) return items;
  for (;;) {
    items.push(parseValue(sc, type));
    sc.skipSpace();
    if (sc.eat(close)) return items;
    if (!sc.eat(',')) sc.fail(`expected '${close}' to close ${what}`);
    sc.skipSpace();
  }
}

/** `[ min, max ]` or `[ min, max, step ]`; see {@link makeRange} for how bounds combine. */
function parseRange(sc: Scanner, type: ScalarType | undefined): CapsValue {
  const open = sc.pos;
  sc.pos += 1;
  const bounds: [CapsValue, number][] = [];
  for (;;) {
    sc.skipSpace();
    const at = sc.pos;
    bounds.push([parseValue(sc, type), at]);
    sc.skipSpace();
    if (bounds.length < 2) sc.expect(',', 'between range bounds');
    else if (bounds.length === 3 || !sc.eat(',')) break;
  }
  sc.expect(']', 'to close range');
  return makeRange(sc, bounds, open);
}
