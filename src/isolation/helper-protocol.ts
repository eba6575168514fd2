/**
 * The wire format between the supervisor and parallax-helper (native-helper/helper/protocol.h is
 * the C side; native-helper/README.md has the tables). One record per SOCK_SEQPACKET message:
 * a 12-byte little-endian header `u32 type, u32 id, u32 length` and exactly `length` payload
 * bytes. Strings are `u32 byte length` + UTF-8. This file only encodes and decodes; it checks
 * every length before reading, because the helper's side of the socket is another process.
 */

export const PROTOCOL_VERSION = 1;
export const HEADER_BYTES = 12;
/** Largest record either side sends. */
export const MAX_RECORD = 256 * 1024;

export const MsgType = {
  hello: 1,
  createRegion: 2,
  spawn: 3,
  kill: 4,
  shutdown: 5,
  reply: 0x100,
  childExit: 0x201,
  childOutput: 0x202,
} as const;

export const SpawnFlag = { sandbox: 1, namespaces: 2, landlock: 4 } as const;
export const SpawnApplied = { landlock: 1, namespaces: 2, seccomp: 4 } as const;

/** A record from the helper that does not follow the protocol. */
export class HelperProtocolError extends Error {
  readonly code = 'HELPER_PROTOCOL';

  constructor(message: string) {
    super(`the isolation helper broke the protocol: ${message}`);
    this.name = 'HelperProtocolError';
  }
}

/** Appends little-endian fields to a growing buffer. */
export class RecordWriter {
  private buf = Buffer.alloc(256);
  private len = 0;

  private room(n: number): void {
    if (this.len + n <= this.buf.length) return;
    const grown = Buffer.alloc(Math.max(this.buf.length * 2, this.len + n));
    this.buf.copy(grown, 0, 0, this.len);
    this.buf = grown;
  }

  u32(v: number): this {
    this.room(4);
    this.buf.writeUInt32LE(v >>> 0, this.len);
    this.len += 4;
    return this;
  }

  i32(v: number): this {
    this.room(4);
    this.buf.writeInt32LE(v | 0, this.len);
    this.len += 4;
    return this;
  }

  u64(v: number): this {
    this.room(8);
    this.buf.writeBigUInt64LE(BigInt(v), this.len);
    this.len += 8;
    return this;
  }

  string(s: string): this {
    const bytes = Buffer.from(s, 'utf8');
    this.u32(bytes.length);
    this.room(bytes.length);
    bytes.copy(this.buf, this.len);
    this.len += bytes.length;
    return this;
  }

  bytes(): Uint8Array {
    return this.buf.subarray(0, this.len);
  }
}

/** Reads little-endian fields; any overrun throws a {@link HelperProtocolError} naming `what`. */
export class RecordReader {
  private off = 0;
  private readonly view: DataView;

  constructor(private readonly data: Uint8Array, private readonly what: string) {
    this.view = new DataView(data.buffer, data.byteOffset, data.byteLength);
  }

  private need(n: number): number {
    if (n > this.data.byteLength - this.off) throw new HelperProtocolError(`${this.what} is truncated`);
    const at = this.off;
    this.off += n;
    return at;
  }

  u32(): number {
    return this.view.getUint32(this.need(4), true);
  }

  i32(): number {
    return this.view.getInt32(this.need(4), true);
  }

  u64(): number {
    const v = this.view.getBigUint64(this.need(8), true);
    if (v > BigInt(Number.MAX_SAFE_INTEGER)) throw new HelperProtocolError(`${this.what} has a u64 above 2^53`);
    return Number(v);
  }

  string(): string {
    const n = this.u32();
    const at = this.need(n);
    return Buffer.from(this.data.buffer, this.data.byteOffset + at, n).toString('utf8');
  }

  rest(): Uint8Array {
    const at = this.need(this.data.byteLength - this.off);
    return this.data.subarray(at);
  }

  get remaining(): number {
    return this.data.byteLength - this.off;
  }
}

/** A whole record: the header, then the payload. */
export function encodeRecord(type: number, id: number, payload: Uint8Array): Uint8Array {
  const out = Buffer.alloc(HEADER_BYTES + payload.byteLength);
  out.writeUInt32LE(type, 0);
  out.writeUInt32LE(id, 4);
  out.writeUInt32LE(payload.byteLength, 8);
  out.set(payload, HEADER_BYTES);
  return out;
}

export interface DecodedRecord {
  readonly type: number;
  readonly id: number;
  readonly payload: Uint8Array;
}

export function decodeRecord(bytes: Uint8Array): DecodedRecord {
  if (bytes.byteLength < HEADER_BYTES) throw new HelperProtocolError(`a record of ${bytes.byteLength} bytes is shorter than its header`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const length = view.getUint32(8, true);
  if (length !== bytes.byteLength - HEADER_BYTES) {
    throw new HelperProtocolError(`a record's header says ${length} payload bytes, but it has ${bytes.byteLength - HEADER_BYTES}`);
  }
  return { type: view.getUint32(0, true), id: view.getUint32(4, true), payload: bytes.subarray(HEADER_BYTES) };
}

/** A reply's common part: errno 0 means ok and `body` holds the request's result. */
export interface DecodedReply {
  readonly errno: number;
  readonly message: string;
  readonly body: RecordReader;
}

export function decodeReply(payload: Uint8Array): DecodedReply {
  const r = new RecordReader(payload, 'a reply');
  const errno = r.i32();
  const message = r.string();
  return { errno, message, body: r };
}

export interface SpawnFields {
  readonly flags: number;
  readonly argv: readonly string[];
  readonly env: readonly string[];
  readonly paths: readonly string[];
  readonly addressSpaceBytes: number;
  readonly openFiles: number;
  readonly cpuSeconds: number;
  readonly threads: number;
}

export function encodeSpawn(s: SpawnFields): Uint8Array {
  const w = new RecordWriter().u32(s.flags).u32(s.argv.length).u32(s.env.length).u32(s.paths.length);
  w.u64(s.addressSpaceBytes).u64(s.openFiles).u64(s.cpuSeconds).u64(s.threads);
  for (const list of [s.argv, s.env, s.paths]) for (const item of list) w.string(item);
  return w.bytes();
}
