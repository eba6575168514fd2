/**
 * Events on a process link: JSON in a slot of the producer's memfd pools (as on thread links,
 * see exec/threads/wire.ts, with caps as their text), decoded here by a consumer that trusts
 * nothing: a length bound, strict UTF-8, a JSON object of a known type with fields of the
 * right types. Anything else is a LinkViolation naming what was wrong.
 */
import { parseCaps } from '../../element/caps/index.js';
import type { Event, Segment } from '../../element/event.js';
import { LinkViolation } from './violation.js';

/** Largest serialized event accepted. */
export const MAX_EVENT_BYTES = 256 * 1024;

const decoder = new TextDecoder('utf-8', { fatal: true });

/** Decodes the event in `bytes` (a copy: never a view of the mapping, which may change). */
export function decodeEvent(bytes: Uint8Array): Event {
  let value: unknown;
  try {
    value = JSON.parse(decoder.decode(bytes));
  } catch (e) {
    throw new LinkViolation('event JSON', e instanceof Error ? e.message : String(e), 'valid UTF-8 JSON');
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new LinkViolation('event', typeof value, 'a JSON object');
  const o = value as Record<string, unknown>;
  const type = o.type;
  switch (type) {
    case 'stream-start':
      return { type, streamId: str(o, 'streamId') };
    case 'caps': {
      const caps = o.caps;
      const text = typeof caps === 'object' && caps !== null ? (caps as Record<string, unknown>).caps : undefined;
      if (typeof text !== 'string') throw new LinkViolation('caps event field caps', typeof text, 'caps text');
      try {
        return { type, caps: parseCaps(text) };
      } catch (e) {
        throw new LinkViolation('caps event caps', JSON.stringify(text.slice(0, 80)), `parseable caps (${e instanceof Error ? e.message : String(e)})`);
      }
    }
    case 'segment':
      return { type, segment: segment(o.segment) };
    case 'eos':
      return { type };
    case 'flush-stop':
      return { type, resetTime: bool(o, 'resetTime') };
    case 'gap':
      return { type, pts: num(o, 'pts'), duration: num(o, 'duration') };
    case 'custom': {
      const direction = o.direction;
      if (direction !== 'downstream' && direction !== 'upstream' && direction !== 'both') throw new LinkViolation('custom event direction', String(direction), 'downstream, upstream or both');
      const ev = { type, name: str(o, 'name'), direction, serialized: bool(o, 'serialized') } as const;
      return 'data' in o ? { ...ev, data: o.data } : ev;
    }
    default:
      throw new LinkViolation('event type', JSON.stringify(String(type).slice(0, 40)), 'a known event type');
  }
}

function str(o: Record<string, unknown>, k: string): string {
  const v = o[k];
  if (typeof v !== 'string') throw new LinkViolation(`event field ${k}`, typeof v, 'a string');
  return v;
}

function num(o: Record<string, unknown>, k: string): number {
  const v = o[k];
  if (typeof v !== 'number') throw new LinkViolation(`event field ${k}`, typeof v, 'a number');
  return v;
}

function bool(o: Record<string, unknown>, k: string): boolean {
  const v = o[k];
  if (typeof v !== 'boolean') throw new LinkViolation(`event field ${k}`, typeof v, 'a boolean');
  return v;
}

function segment(v: unknown): Segment {
  if (typeof v !== 'object' || v === null) throw new LinkViolation('segment event field segment', typeof v, 'an object');
  const o = v as Record<string, unknown>;
  const format = o.format;
  if (format !== 'time' && format !== 'bytes') throw new LinkViolation('segment format', String(format), 'time or bytes');
  return { format, rate: num(o, 'rate'), start: num(o, 'start'), stop: num(o, 'stop'), base: num(o, 'base'), time: num(o, 'time') };
}
