/**
 * The messages between the `parallel` element (main side, parallel.ts and parallel-pool.ts) and
 * its piscina workers (worker side, workers/parallel-worker.mjs, plain JS that mirrors these
 * shapes). Each request is one piscina task; the worker's answer is the task's result.
 *
 * Zero copy: a buffer task carries the region's SharedArrayBuffer and where the payload lies in
 * it. Posting a SharedArrayBuffer shares it: the worker gets a new handle on the same memory, and
 * no payload byte is cloned. Only this small descriptor object is.
 */

/** Process one payload in place. Resolves with the payload's new size in bytes. */
export interface BufferRequest {
  readonly kind: 'buffer';
  /** The shared region the payload lives in (a SharedArrayBuffer; shared, never cloned). */
  readonly sab: ArrayBufferLike;
  /** Where the payload starts in `sab`. */
  readonly byteOffset: number;
  /** Payload bytes now. */
  readonly size: number;
  /** Bytes the slot can hold: the largest size the function may return. */
  readonly capacity: number;
  /** The user module, as an absolute URL (file: or data:). */
  readonly module: string;
  /** The export to call. */
  readonly fn: string;
  // Buffer metadata, read-only for the function (the header stays on the main side).
  readonly pts: number;
  readonly duration: number;
  readonly offset: number;
  readonly sequence: number;
}

/**
 * Load `module` and check that `fn` is a function export, without running it. Resolves with the
 * module's export names; rejects with a message that names the module and the export.
 */
export interface ProbeRequest {
  readonly kind: 'probe';
  readonly module: string;
  readonly fn: string;
}

export type ParallelRequest = BufferRequest | ProbeRequest;

/** What the user function receives as its second argument. */
export interface ParallelInfo {
  readonly pts: number;
  readonly duration: number;
  readonly offset: number;
  readonly sequence: number;
  /** Payload bytes (the length of `data`). */
  readonly size: number;
  /** Bytes the slot holds: a function that grows the payload writes into `slot` and returns its new size. */
  readonly capacity: number;
  /** The whole payload area of the slot, `capacity` bytes; `data` is its first `size` bytes. */
  readonly slot: Uint8Array;
}
