/**
 * FNV-1a, 32 bits: picks a user module's data window from its file name (`parallax-wasm build`)
 * and fingerprints a module's constant data for the arena's claims table (doc/design/006).
 * Not a cryptographic hash: it tells the same bytes from different ones, nothing more.
 */
export const FNV_OFFSET_BASIS = 0x811c9dc5;
/** A second basis, for a second independent-ish 32 bits of fingerprint. */
export const FNV_ALT_BASIS = 0x050c5d1f;
const FNV_PRIME = 0x01000193;

/** Folds `bytes` into `hash` (start with a basis); returns the new hash as an unsigned 32-bit number. */
export function fnv1a(bytes: Uint8Array, hash = FNV_OFFSET_BASIS): number {
  let h = hash >>> 0;
  for (let i = 0; i < bytes.length; i++) h = Math.imul(h ^ bytes[i]!, FNV_PRIME) >>> 0;
  return h;
}

/** FNV-1a of a string's UTF-8 bytes. */
export function fnv1aText(text: string): number {
  return fnv1a(new TextEncoder().encode(text));
}
