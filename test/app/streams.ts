import { Readable } from 'node:stream';

/** A Readable of `total` bytes (byte i = i & 0xff) in `chunk`-byte chunks that counts what it produced. */
export function patternReadable(total: number, chunk = 65536, highWaterMark = 65536): { readable: Readable; produced: () => number } {
  let produced = 0;
  const readable = new Readable({
    highWaterMark,
    read(): void {
      if (produced >= total) {
        this.push(null);
        return;
      }
      const n = Math.min(chunk, total - produced);
      this.push(pattern(produced, n));
      produced += n;
    },
  });
  return { readable, produced: () => produced };
}

/** The same as a WHATWG ReadableStream with a byte-length strategy. */
export function patternWebStream(total: number, chunk = 65536, highWaterMark = 65536): { stream: ReadableStream<Uint8Array>; produced: () => number } {
  let produced = 0;
  const stream = new ReadableStream<Uint8Array>({
    pull(controller): void {
      if (produced >= total) {
        controller.close();
        return;
      }
      const n = Math.min(chunk, total - produced);
      controller.enqueue(pattern(produced, n));
      produced += n;
    },
  }, { highWaterMark, size: (c) => c.byteLength });
  return { stream, produced: () => produced };
}

export function pattern(start: number, n: number): Uint8Array {
  const c = new Uint8Array(n);
  for (let i = 0; i < n; i++) c[i] = (start + i) & 0xff;
  return c;
}

/** Checks chunks against the pattern as they come: `check(chunk)` returns false at the first wrong byte. */
export function patternChecker(): { check: (c: Uint8Array) => boolean; seen: () => number } {
  let at = 0;
  return {
    check(c: Uint8Array): boolean {
      for (let i = 0; i < c.byteLength; i++) if (c[i] !== ((at + i) & 0xff)) return false;
      at += c.byteLength;
      return true;
    },
    seen: () => at,
  };
}

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
