const NS_PER_SECOND = 1_000_000_000;

/**
 * Nanoseconds from frame 0 to frame `n` at `fpsN`/`fpsD` frames per second, rounded down, as
 * videotestsrc stamps frames (gst_util_uint64_scale(n, fpsD * GST_SECOND, fpsN)). `fpsN` must be
 * positive. Exact: the product goes through BigInt only when it passes 2^53.
 *
 * Any thread; allocation-free unless the product is that large.
 */
export function frameTime(n: number, fpsN: number, fpsD: number): number {
  const t = n * fpsD * NS_PER_SECOND;
  if (Number.isSafeInteger(t)) {
    // The float quotient can land one off when t / fpsN is just below an integer: correct it.
    let q = Math.floor(t / fpsN);
    if (q * fpsN > t) q--;
    else if ((q + 1) * fpsN <= t) q++;
    return q;
  }
  return Number((BigInt(n) * BigInt(fpsD) * BigInt(NS_PER_SECOND)) / BigInt(fpsN));
}
