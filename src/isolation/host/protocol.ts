/**
 * The control protocol between the supervisor and an element host process: JSON, one message
 * per SEQPACKET record on the host's control socket (fd 3 of the host). The data plane never
 * travels here; buffers and events cross on process links (link/).
 *
 * The supervisor trusts nothing a host sends. `decodeFromHost` checks every field's type, range
 * and length and refuses the message otherwise; a host may speak only for its own elements.
 */
import type { DriverSpec } from '../../exec/driver.js';
import type { ElementSpec, FromThread, PadCounters, PadRef, ThreadStats, ToThread, WireBusMessage, WireValue } from '../../exec/threads/protocol.js';
import type { PropertyValue } from '../../element/property.js';

/** Largest control message either side sends or accepts. */
export const MAX_CONTROL_BYTES = 256 * 1024;

/** One end of a process link as its host sees it. `fds` index the fds that came with `init`. */
export interface HostLinkEnd {
  readonly pad: PadRef;
  readonly label: string;
  readonly capacity: number;
  /** Bytes of the link region (the rings). */
  readonly byteLength: number;
  /** Indexes into the init message's fds: the link region, the regions socket, the doorbell socket. */
  readonly fds: readonly [number, number, number];
  /** Whether the host may block in futex on this link (its only task). */
  readonly mayBlock: boolean;
}

export interface HostInit {
  /** The host's number in the isolation plan, and a name for messages ("host 2 (volume0)"). */
  readonly index: number;
  readonly name: string;
  readonly elements: readonly ElementSpec[];
  readonly links: readonly (readonly [PadRef, PadRef])[];
  readonly caps: readonly (readonly [PadRef, string])[];
  readonly outputs: readonly HostLinkEnd[];
  readonly inputs: readonly HostLinkEnd[];
  readonly spin: number;
  readonly slotsPerPool: number;
  /** Bytes of the host's arena (a sparse memfd). */
  readonly arenaBytes: number;
  readonly plugins: readonly string[];
  readonly driver: DriverSpec | null;
  /** Install the second seccomp stage after loading, before any element starts. */
  readonly lockdown: boolean;
}

export type ToHost =
  | { readonly type: 'init'; readonly init: HostInit }
  | ToThread
  | { readonly type: 'call'; readonly id: number; readonly op: 'set-property'; readonly element: string; readonly property: string; readonly value: WireValue }
  | { readonly type: 'call'; readonly id: number; readonly op: 'get-property'; readonly element: string; readonly property: string };

export type FromHost =
  | FromThread
  | { readonly type: 'reply'; readonly id: number; readonly ok: true; readonly value: PropertyValue | null }
  | { readonly type: 'reply'; readonly id: number; readonly ok: false; readonly message: string; readonly code: string | null };

const encoder = new TextEncoder();
const decoder = new TextDecoder('utf-8', { fatal: true });

export function encodeMessage(m: ToHost | FromHost): Uint8Array {
  const bytes = encoder.encode(JSON.stringify(m));
  if (bytes.byteLength > MAX_CONTROL_BYTES) throw new RangeError(`control message "${m.type}" is ${bytes.byteLength} bytes; at most ${MAX_CONTROL_BYTES}`);
  return bytes;
}

/** The supervisor's side trusts itself: a host decodes without checks beyond JSON. */
export function decodeToHost(bytes: Uint8Array): ToHost {
  return JSON.parse(decoder.decode(bytes)) as ToHost;
}

/** A host broke the protocol: the message says which field and why. */
export class HostProtocolError extends Error {
  override readonly name = 'HostProtocolError';
}

const MAX_TEXT = 4096;

function fail(what: string): never {
  throw new HostProtocolError(what);
}

function obj(v: unknown, what: string): Record<string, unknown> {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) fail(`${what} is not an object`);
  return v as Record<string, unknown>;
}

function text(v: unknown, what: string, max = MAX_TEXT): string {
  if (typeof v !== 'string') fail(`${what} is not a string`);
  if (v.length > max) fail(`${what} is ${v.length} characters long; at most ${max}`);
  return v;
}

function count(v: unknown, what: string, max = Number.MAX_SAFE_INTEGER): number {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 0 || v > max) fail(`${what} is ${JSON.stringify(v)}, not an integer from 0 to ${max}`);
  return v;
}

function counters(v: unknown, what: string): PadCounters {
  const o = obj(v, what);
  return { buffers: count(o['buffers'], `${what}.buffers`), bytes: count(o['bytes'], `${what}.bytes`) };
}

function stats(v: unknown, padOwners: ReadonlySet<string>): ThreadStats {
  const o = obj(v, 'stats');
  const padsIn = obj(o['pads'], 'stats.pads');
  const pads: Record<string, PadCounters> = {};
  const names = Object.keys(padsIn);
  if (names.length > 4096) fail(`stats.pads has ${names.length} entries`);
  for (const name of names) {
    const owner = name.slice(0, name.lastIndexOf(':'));
    if (!padOwners.has(owner)) fail(`stats.pads names "${name.slice(0, 200)}", a pad of no element of this host`);
    pads[name] = counters(padsIn[name], `stats.pads["${name}"]`);
  }
  const p = obj(o['pools'], 'stats.pools');
  return {
    pads,
    pools: { pools: count(p['pools'], 'stats.pools.pools'), slots: count(p['slots'], 'stats.pools.slots'), freeSlots: count(p['freeSlots'], 'stats.pools.freeSlots'), poolsAdded: count(p['poolsAdded'], 'stats.pools.poolsAdded') },
    bytesCopied: count(o['bytesCopied'], 'stats.bytesCopied'),
  };
}

/** Bus messages a host may post, all but errors as plain data; anything else is refused. */
const OTHER_BUS_TYPES = new Set(['warning', 'info', 'element', 'property-notify', 'qos', 'latency']);

/** Error codes a host may give its elements' errors; others become ELEMENT_ERROR (HOST_DIED, ABORTED… are the supervisor's to say). */
const HOST_ERROR_CODES = new Set(['ELEMENT_ERROR', 'NOT_NEGOTIATED', 'IPC_VIOLATION', 'BAD_PROPERTY_VALUE']);

/** Keys that would shadow what code calls on any object (String(x) calls toString). */
const SHADOWING_KEYS = new Set(Object.getOwnPropertyNames(Object.prototype));

/** Checks that `v` is plain JSON data a listener can print: bounded depth, size and text, no shadowing keys. */
function plain(v: unknown, what: string, depth = 0): void {
  if (v === null || typeof v === 'boolean') return;
  if (typeof v === 'number') {
    if (!Number.isFinite(v)) fail(`${what} is not a finite number`);
    return;
  }
  if (typeof v === 'string') return void text(v, what);
  if (depth >= 4) fail(`${what} nests deeper than 4 levels`);
  const entries = Array.isArray(v) ? v.map((x, i) => [String(i), x] as const) : Object.entries(obj(v, what));
  if (entries.length > 64) fail(`${what} has ${entries.length} entries; at most 64`);
  for (const [k, x] of entries) {
    if (!Array.isArray(v) && SHADOWING_KEYS.has(k)) fail(`${what} has a key "${k}"`);
    plain(x, `${what}.${k}`, depth + 1);
  }
}

function busMessage(v: unknown, elements: ReadonlySet<string>): WireBusMessage {
  const o = obj(v, 'bus.msg');
  if (o['type'] === 'error') {
    const source = text(o['source'], 'bus.msg.source', 256);
    if (!elements.has(source)) fail(`an error names "${source}", which is no element of this host`);
    const code = text(o['code'], 'bus.msg.code', 64);
    return { type: 'error', source, message: text(o['message'], 'bus.msg.message'), code: HOST_ERROR_CODES.has(code) ? code : 'ELEMENT_ERROR' };
  }
  if (o['type'] !== 'other') fail(`bus.msg.type is ${JSON.stringify(o['type'])}`);
  const inner = obj(o['msg'], 'bus.msg.msg');
  const type = text(inner['type'], 'bus.msg.msg.type', 32);
  if (!OTHER_BUS_TYPES.has(type)) fail(`a host may not post bus messages of type "${type}"`);
  const source = text(inner['source'], 'bus.msg.msg.source', 256);
  if (!elements.has(source) && source !== 'host') fail(`a bus message names "${source}", which is no element of this host`);
  plain(inner, 'bus.msg.msg');
  return { type: 'other', msg: inner };
}

/**
 * Decodes and checks one message from a host whose elements are `elements` (by name). Throws a
 * {@link HostProtocolError} naming the first field that is wrong.
 */
export function decodeFromHost(bytes: Uint8Array, truncated: boolean, elements: ReadonlySet<string>): FromHost {
  if (truncated) fail(`a message longer than ${MAX_CONTROL_BYTES} bytes`);
  let raw: unknown;
  try {
    raw = JSON.parse(decoder.decode(bytes));
  } catch (e) {
    fail(`a message that is not UTF-8 JSON (${e instanceof Error ? e.message : String(e)})`);
  }
  const m = obj(raw, 'the message');
  switch (m['type']) {
    case 'prepared':
      return { type: 'prepared' };
    case 'prepare-failed': {
      const element = text(m['element'], 'element', 256);
      if (!elements.has(element) && element !== 'the element host') fail(`prepare-failed names "${element}", which is no element of this host`);
      return { type: 'prepare-failed', element, message: text(m['message'], 'message') };
    }
    case 'bus':
      return { type: 'bus', msg: busMessage(m['msg'], elements) };
    case 'eos': {
      const sink = text(m['sink'], 'sink', 256);
      if (!elements.has(sink)) fail(`eos names "${sink}", which is no element of this host`);
      return { type: 'eos', sink };
    }
    case 'task-ended':
      return { type: 'task-ended', driver: text(m['driver'], 'driver', 256), result: count(m['result'], 'result', 5) };
    case 'stats':
      return { type: 'stats', stats: stats(m['stats'], elements) };
    case 'stopped':
      return { type: 'stopped', stats: stats(m['stats'], elements) };
    case 'reply': {
      const id = count(m['id'], 'id', 2 ** 31);
      if (m['ok'] === true) {
        const value = m['value'];
        if (value !== null && !['string', 'number', 'boolean'].includes(typeof value)) fail(`reply.value is a ${typeof value}`);
        if (typeof value === 'string') text(value, 'reply.value');
        return { type: 'reply', id, ok: true, value: value as PropertyValue | null };
      }
      const code = m['code'] === undefined || m['code'] === null ? null : text(m['code'], 'reply.code', 64);
      return { type: 'reply', id, ok: false, message: text(m['message'], 'reply.message'), code };
    }
    default:
      return fail(`an unknown message type ${JSON.stringify(m['type'])?.slice(0, 64)}`);
  }
}
