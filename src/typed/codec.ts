import { deserialize, serialize } from 'node:v8';

/**
 * How a value batch is written into a slot's payload when it must cross to a data thread
 * (doc/design/008-typed-pipelines.md): `structured` is V8's structured-clone serialization
 * (Maps, Dates, typed arrays, cycles: what postMessage carries), `json` is JSON text (plain data,
 * portable, slower for numbers). Encoding allocates and the bytes are copied once into the slot,
 * a copy the engine counts.
 *
 * Neither is lossless for every value, and neither says so per item; the values that come back
 * differ from those that went in as follows.
 * - `json` changes values silently: a Date becomes its ISO string; `undefined`, a function or a
 *   symbol in an array becomes `null`, and an object property holding one is dropped; NaN and
 *   ±Infinity become `null`; a Map or a Set becomes `{}`; a typed array becomes an object with
 *   index keys; a class instance becomes a plain object (its own enumerable fields, no
 *   prototype), and `toJSON` is called where defined. A BigInt or a cycle fails the encode.
 * - `structured` keeps Dates, Maps, Sets, typed arrays, `undefined`, BigInts, Errors and cycles,
 *   but a class instance still comes back a plain object (no prototype, no getters), and a
 *   function or a symbol fails the encode (an error naming the stage).
 * Use `structured` (the default) unless the values are plain JSON data.
 */
export type ValueCodec = 'structured' | 'json';

export const VALUE_CODECS: readonly ValueCodec[] = ['structured', 'json'];

const utf8 = new TextEncoder();
const fromUtf8 = new TextDecoder();

export function encodeValues(values: readonly unknown[], codec: ValueCodec): Uint8Array {
  if (codec === 'json') return utf8.encode(JSON.stringify(values));
  return serialize(values);
}

/** The values in `bytes`; throws when they are not an encoded batch. */
export function decodeValues(bytes: Uint8Array, codec: ValueCodec): unknown[] {
  const v: unknown = codec === 'json' ? JSON.parse(fromUtf8.decode(bytes)) : deserialize(bytes);
  if (!Array.isArray(v)) throw new TypeError(`the payload holds ${v === null ? 'null' : typeof v}, not an encoded value batch`);
  return v;
}
