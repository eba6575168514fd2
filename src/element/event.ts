import type { Caps } from './caps/index.js';

/**
 * Events, after GStreamer. Serialized events travel in order with the buffers (in the same queue
 * or ring); out-of-band ones (flush-start) overtake them. Sticky events (stream-start, caps,
 * segment, eos) describe the stream and are replayed to a pad that links late.
 */
export interface Segment {
  /** Time format only: this engine's streams are timed in nanoseconds. */
  readonly format: 'time' | 'bytes';
  readonly rate: number;
  readonly start: number;
  /** -1 = open-ended. */
  readonly stop: number;
  /** Running time already elapsed when this segment begins. */
  readonly base: number;
  /** Stream time of `start`. */
  readonly time: number;
}

export const DEFAULT_SEGMENT: Segment = Object.freeze({ format: 'time', rate: 1, start: 0, stop: -1, base: 0, time: 0 });

export type Event =
  | { readonly type: 'stream-start'; readonly streamId: string }
  | { readonly type: 'caps'; readonly caps: Caps }
  | { readonly type: 'segment'; readonly segment: Segment }
  | { readonly type: 'eos' }
  | { readonly type: 'flush-start' }
  | { readonly type: 'flush-stop'; readonly resetTime: boolean }
  | { readonly type: 'gap'; readonly pts: number; readonly duration: number }
  | {
      readonly type: 'custom';
      readonly name: string;
      readonly direction: 'downstream' | 'upstream' | 'both';
      readonly serialized: boolean;
      readonly data?: unknown;
    };

export type EventType = Event['type'];

/** Serialized events keep their place among buffers; flush-start and OOB customs do not. */
export function isSerialized(ev: Event): boolean {
  if (ev.type === 'flush-start') return false;
  if (ev.type === 'custom') return ev.serialized;
  return true;
}

/** Sticky events are remembered per pad and replayed to late links. */
export function isSticky(ev: Event): boolean {
  return ev.type === 'stream-start' || ev.type === 'caps' || ev.type === 'segment' || ev.type === 'eos';
}

export const Events = {
  streamStart: (streamId: string): Event => ({ type: 'stream-start', streamId }),
  caps: (caps: Caps): Event => ({ type: 'caps', caps }),
  segment: (segment: Segment = DEFAULT_SEGMENT): Event => ({ type: 'segment', segment }),
  eos: (): Event => EOS_EVENT,
  flushStart: (): Event => ({ type: 'flush-start' }),
  flushStop: (resetTime = true): Event => ({ type: 'flush-stop', resetTime }),
  custom: (name: string, data?: unknown, opts: { serialized?: boolean; direction?: 'downstream' | 'upstream' | 'both' } = {}): Event =>
    ({ type: 'custom', name, data, serialized: opts.serialized ?? true, direction: opts.direction ?? 'downstream' }),
};

const EOS_EVENT: Event = Object.freeze({ type: 'eos' });
