/**
 * Copy accounting. Every payload copy the engine makes goes through `copyPayload`, so that
 * zero-copy is something tests assert (bytes copied == 0), not something the docs claim.
 * Exposed as `parallax_bytes_copied_total` in metrics and in `pipeline.stats()`.
 */
let bytesCopied = 0;
let copies = 0;

/** Copies `src` into `dst` at `dstOffset` and counts the bytes. */
export function copyPayload(dst: Uint8Array, dstOffset: number, src: Uint8Array): void {
  dst.set(src, dstOffset);
  bytesCopied += src.byteLength;
  copies += 1;
}

/** Total payload bytes and copy operations since the process started. */
export function copyStats(): { bytesCopied: number; copies: number } {
  return { bytesCopied, copies };
}
