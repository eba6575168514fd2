/**
 * Decoding of datasrc's `data` property: text as UTF-8, hex digits, or base64. Errors say what is
 * wrong and at which character of the property's value, so a typo in a long test vector is easy
 * to find. Returns the bytes or an error message (the element adds its name and the property).
 *
 * Off the hot path: runs once, when the element starts.
 */
export type DataEncoding = 'text' | 'hex' | 'base64';

export function decodeData(value: string, encoding: DataEncoding): Uint8Array | string {
  if (encoding === 'text') return new TextEncoder().encode(value);
  if (encoding === 'hex') return decodeHex(value);
  return decodeBase64(value);
}

/** Pairs of hex digits; whitespace and `:` may separate bytes but not split one (`00 ff`, `00:ff`, `00ff`). */
function decodeHex(value: string): Uint8Array | string {
  const out = new Uint8Array(value.length >>> 1);
  let n = 0;
  let high = -1;
  let highAt = 0;
  for (let i = 0; i < value.length; i++) {
    const c = value[i]!;
    if (c === ' ' || c === '\t' || c === '\n' || c === '\r' || c === ':') {
      if (high >= 0) return `hex digit "${value[highAt]}" at character ${highAt} has no partner (bytes are two digits)`;
      continue;
    }
    const d = parseInt(c, 16);
    if (Number.isNaN(d)) return `"${c}" at character ${i} is not a hex digit`;
    if (high < 0) {
      high = d;
      highAt = i;
    } else {
      out[n++] = (high << 4) | d;
      high = -1;
    }
  }
  if (high >= 0) return `hex digit "${value[highAt]}" at character ${highAt} has no partner (bytes are two digits)`;
  return out.slice(0, n);
}

const BASE64_CHAR = /[A-Za-z0-9+/]/;

/** Standard base64 (RFC 4648 §4), padding optional, whitespace ignored. */
function decodeBase64(value: string): Uint8Array | string {
  let clean = '';
  let padAt = -1;
  for (let i = 0; i < value.length; i++) {
    const c = value[i]!;
    if (c === ' ' || c === '\t' || c === '\n' || c === '\r') continue;
    if (c === '=') {
      if (padAt < 0) padAt = i;
      continue;
    }
    if (!BASE64_CHAR.test(c)) return `"${c}" at character ${i} is not a base64 character`;
    if (padAt >= 0) return `"${c}" at character ${i} comes after the "=" padding at character ${padAt}`;
    clean += c;
  }
  if (clean.length % 4 === 1) return `${clean.length} base64 characters cannot end a group of four (one character holds only 6 bits)`;
  return new Uint8Array(globalThis.Buffer.from(clean, 'base64'));
}
