import { deserialize, serialize } from 'node:v8';

/**
 * How a value batch is written into a slot's payload when it must cross to a data thread
 * (doc/design/008-typed-pipelines.md): `structured` is V8's structured-clone serialization
 * (Maps, Dates, typed arrays, cycles: what postMessage carries), `json` is JSON text (plain data,
 * portable, slower for numbers). Encoding allocates and the bytes are copied once into the slot,
 * a copy the engine counts.
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
