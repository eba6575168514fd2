import { Caps } from './caps.js';
import { parseValue } from './parse-value.js';
import { Scanner } from './scanner.js';
import { Structure } from './structure.js';
import type { CapsValue } from './value.js';

/**
 * The GStreamer caps syntax (gst_caps_from_string):
 *
 *   caps      = "ANY" | "EMPTY" | "NONE" | structure *( ";" structure ) [ ";" ]
 *   structure = name [ "(" feature *( "," feature ) ")" ] *( "," field )
 *   field     = name "=" [ "(" type ")" ] ( scalar | range | list | array )
 *
 * `audio/x-raw(memory:SystemMemory), format={ S16LE, F32LE }, rate=(int)[ 8000, 48000 ]`.
 * Whitespace may surround every token. Errors are CapsSyntaxError with the 0-based offset.
 */

/** Characters of media types, field and feature names. `*` is allowed for `audio/*`. */
const NAME = /[A-Za-z0-9_+\-/:.*]/;

/**
 * Parses caps in GStreamer syntax. The empty string, like `EMPTY` and `NONE`, gives
 * {@link Caps.EMPTY}. Throws CapsSyntaxError (code CAPS_SYNTAX) with the offset of the fault.
 *
 * @example parseCaps('video/x-raw, format={ I420, NV12 }, width=[1, 8192]')
 */
export function parseCaps(text: string): Caps {
  const trimmed = text.trim();
  if (trimmed === 'ANY') return Caps.ANY;
  if (trimmed === 'EMPTY' || trimmed === 'NONE' || trimmed === '') return Caps.EMPTY;
  const sc = new Scanner(text);
  const structures: Structure[] = [];
  sc.skipSpace();
  while (!sc.atEnd()) {
    structures.push(readStructure(sc));
    if (sc.atEnd()) break;
    if (!sc.eat(';')) sc.fail("expected ',' between fields or ';' between structures");
    sc.skipSpace();
  }
  return Caps.of(...structures);
}

/** Parses one structure, `audio/x-raw, rate=48000`; throws CapsSyntaxError like {@link parseCaps}. */
export function parseStructure(text: string): Structure {
  const sc = new Scanner(text);
  sc.skipSpace();
  const s = readStructure(sc);
  if (!sc.atEnd()) sc.fail("expected ',' between fields");
  return s;
}

/** A structure at the cursor, and the whitespace after it. */
function readStructure(sc: Scanner): Structure {
  const name = readName(sc, 'a media type');
  sc.skipSpace();
  const features = sc.peek() === '(' ? readFeatures(sc) : undefined;
  const fields = new Map<string, CapsValue>();
  sc.skipSpace();
  while (sc.eat(',')) {
    sc.skipSpace();
    const field = readName(sc, 'a field name');
    sc.skipSpace();
    sc.expect('=', `after field name '${field}'`);
    sc.skipSpace();
    fields.set(field, parseValue(sc));
    sc.skipSpace();
  }
  return new Structure(name, fields, features);
}

/** A name that starts with a letter, as gst_structure_validate_name requires. */
function readName(sc: Scanner, what: string): string {
  if (!/[A-Za-z]/.test(sc.peek() ?? '')) sc.fail(`expected ${what}`);
  return sc.readWhile(NAME);
}

/** `(memory:GLMemory, meta:Foo)` after a media type. */
function readFeatures(sc: Scanner): string[] {
  sc.pos += 1;
  const features: string[] = [];
  do {
    sc.skipSpace();
    features.push(readName(sc, 'a caps feature'));
    sc.skipSpace();
  } while (sc.eat(','));
  sc.expect(')', 'to close caps features');
  return features;
}
