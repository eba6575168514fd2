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

const BASE64_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

/**
 * Standard base64 (RFC 4648 §4), whitespace ignored, strict otherwise: padding is optional but,
 * when present, exactly what the last group needs, and a short last group ends in a character
 * whose unused bits are zero (§3.5). A decoder that let these pass would drop bits of a test
 * vector without a word.
 */
function decodeBase64(value: string): Uint8Array | string {
  let clean = '';
  let padAt = -1;
  let pads = 0;
  let lastAt = -1;
  for (let i = 0; i < value.length; i++) {
    const c = value[i]!;
    if (c === ' ' || c === '\t' || c === '\n' || c === '\r') continue;
    if (c === '=') {
      if (padAt < 0) padAt = i;
      pads++;
      continue;
    }
    if (!BASE64_ALPHABET.includes(c)) {
      const hint = c === '-' || c === '_' ? ' (this is base64url; standard base64 uses + and /)' : '';
      return `"${c}" at character ${i} is not a base64 character${hint}`;
    }
    if (padAt >= 0) return `"${c}" at character ${i} comes after the "=" padding at character ${padAt}`;
    clean += c;
    lastAt = i;
  }
  const tail = clean.length % 4;
  if (tail === 1) return `"${value[lastAt]}" at character ${lastAt} is alone in the last group of four (one character holds only 6 bits)`;
  if (padAt >= 0) {
    const want = tail === 0 ? 0 : 4 - tail;
    if (want === 0) return `"=" at character ${padAt} pads a group of four that is already complete`;
    if (pads !== want) return `${pads} "=" at character ${padAt}: the last group has ${tail} characters, so it takes ${want}`;
  }
  if (tail !== 0) {
    const last = value[lastAt]!;
    const unusedBits = tail === 2 ? 4 : 2;
    if ((BASE64_ALPHABET.indexOf(last) & ((1 << unusedBits) - 1)) !== 0) {
      return `"${last}" at character ${lastAt} sets bits past the end of the data (the last character of a group of ${tail} has its low ${unusedBits} bits zero)`;
    }
  }
  return new Uint8Array(globalThis.Buffer.from(clean, 'base64'));
}
