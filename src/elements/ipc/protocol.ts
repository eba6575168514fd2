/**
 * The control protocol of ipcsink and ipcsrc: a few JSON records on the Unix SEQPACKET socket at
 * `path` (one record per message). The data never goes here; it crosses on a process link
 * (src/isolation/link/) whose fds the hello carries.
 *
 *   consumer → producer   {"type":"connect","version":1}             first, right after connect
 *   producer → consumer   {"type":"hello","version":1,"capacity":256,"byteLength":…,"caps":"…"}
 *                         with 3 fds: the link region, the regions socket end, the doorbell end
 *                    or   {"type":"refused","version":1,"reason":"…"}   no fds; then it closes
 *   consumer → producer   {"type":"done","eos":true}                  when its task ends
 *
 * Why the consumer speaks first: a program probing whether a socket file is stale (unixListen
 * does, when a second producer starts on the same path) connects and leaves at once; the
 * producer makes a link only for a connection that asks for one.
 *
 * Each side is another program, so every record is checked here, field by field, before use:
 * a record that does not decode is a `ProtocolError` naming the field.
 */
import { checkLinkCapacity, linkRegionBytes } from '../../isolation/link/cross-ring.js';

export const IPC_PROTOCOL_VERSION = 1;
/** Largest control record accepted (the caps string is the only free-form field). */
export const MAX_CONTROL_BYTES = 16384;
/** fds a hello carries: link region, regions socket, doorbell. */
export const HELLO_FDS = 3;

export interface ConnectMessage { readonly type: 'connect'; readonly version: number }
export interface HelloMessage {
  readonly type: 'hello';
  readonly version: number;
  readonly capacity: number;
  readonly byteLength: number;
  /** The negotiated caps of the producer's sink pad ("ANY" when nothing narrowed them). */
  readonly caps: string;
}
export interface RefusedMessage { readonly type: 'refused'; readonly version: number; readonly reason: string }
export interface DoneMessage { readonly type: 'done'; readonly eos: boolean }

export type ToProducer = ConnectMessage | DoneMessage;
export type ToConsumer = HelloMessage | RefusedMessage;

/** A control record that does not follow this protocol. */
export class ProtocolError extends Error {
  override name = 'ProtocolError';
}

export function encode(message: ToProducer | ToConsumer): Uint8Array {
  return new TextEncoder().encode(JSON.stringify(message));
}

function parse(bytes: Uint8Array, truncated: boolean): Record<string, unknown> {
  if (truncated || bytes.byteLength > MAX_CONTROL_BYTES) throw new ProtocolError(`a control record longer than ${MAX_CONTROL_BYTES} bytes`);
  let value: unknown;
  try {
    value = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes));
  } catch (e) {
    throw new ProtocolError(`a control record that is not JSON (${e instanceof Error ? e.message : String(e)})`);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new ProtocolError('a control record that is not a JSON object');
  return value as Record<string, unknown>;
}

function checkVersion(m: Record<string, unknown>): void {
  if (m['version'] !== IPC_PROTOCOL_VERSION) {
    throw new ProtocolError(`protocol version ${JSON.stringify(m['version'])}; this side speaks version ${IPC_PROTOCOL_VERSION}`);
  }
}

/** What a consumer sent; `fds` must be empty (the caller closes them either way). */
export function decodeToProducer(bytes: Uint8Array, fds: readonly number[], truncated: boolean): ToProducer {
  const m = parse(bytes, truncated);
  if (fds.length > 0) throw new ProtocolError(`a control record with ${fds.length} fds; the consumer sends none`);
  if (m['type'] === 'connect') {
    checkVersion(m);
    return { type: 'connect', version: IPC_PROTOCOL_VERSION };
  }
  if (m['type'] === 'done') {
    if (typeof m['eos'] !== 'boolean') throw new ProtocolError(`done.eos ${JSON.stringify(m['eos'])}; expected a boolean`);
    return { type: 'done', eos: m['eos'] };
  }
  throw new ProtocolError(`record type ${JSON.stringify(m['type'])}; a consumer sends "connect" or "done"`);
}

/** What a producer sent. A hello's numbers are checked against each other and against the fds. */
export function decodeToConsumer(bytes: Uint8Array, fds: readonly number[], truncated: boolean): ToConsumer {
  const m = parse(bytes, truncated);
  checkVersion(m);
  if (m['type'] === 'refused') {
    if (fds.length > 0) throw new ProtocolError(`a refusal with ${fds.length} fds; it carries none`);
    const reason = typeof m['reason'] === 'string' ? m['reason'].slice(0, 200) : 'no reason given';
    return { type: 'refused', version: IPC_PROTOCOL_VERSION, reason };
  }
  if (m['type'] !== 'hello') throw new ProtocolError(`record type ${JSON.stringify(m['type'])}; a producer sends "hello" or "refused"`);
  if (fds.length !== HELLO_FDS) throw new ProtocolError(`a hello with ${fds.length} fds; it carries ${HELLO_FDS}`);
  const capacity = m['capacity'];
  if (typeof capacity !== 'number') throw new ProtocolError(`hello.capacity ${JSON.stringify(capacity)}; expected a number`);
  try {
    checkLinkCapacity(capacity);
  } catch (e) {
    throw new ProtocolError(`hello.capacity: ${e instanceof Error ? e.message : String(e)}`);
  }
  const byteLength = m['byteLength'];
  if (byteLength !== linkRegionBytes(capacity)) {
    throw new ProtocolError(`hello.byteLength ${JSON.stringify(byteLength)}; a link of ${capacity} records has ${linkRegionBytes(capacity)}`);
  }
  const caps = m['caps'];
  if (typeof caps !== 'string' || caps === '') throw new ProtocolError(`hello.caps ${JSON.stringify(caps)}; expected a caps string`);
  return { type: 'hello', version: IPC_PROTOCOL_VERSION, capacity, byteLength, caps };
}
