import { BufferFlags, type Buffer } from '../../element/buffer.js';
import type { Event } from '../../element/event.js';

/**
 * GStreamer-style text for the testing elements' `last-message` and `dump`: clock times as
 * `H:MM:SS.NNNNNNNNN`, buffer descriptions as fakesink prints them, and gst_util_dump_mem
 * hexdumps. Off the hot path: only used when `silent=false` or `dump=true`.
 */

/** `0:00:01.500000000`, or `none` for CLOCK_TIME_NONE (-1). */
export function formatClockTime(ns: number): string {
  if (!(ns >= 0) || !Number.isFinite(ns)) return 'none';
  const t = Math.round(ns);
  const sec = Math.floor(t / 1e9);
  const frac = t - sec * 1e9;
  const h = Math.floor(sec / 3600);
  const m = Math.floor((sec % 3600) / 60);
  const s = sec % 60;
  return `${h}:${pad(m, 2)}:${pad(s, 2)}.${pad(frac, 9)}`;
}

function pad(n: number, width: number): string {
  return String(n).padStart(width, '0');
}

const FLAG_NAMES: readonly (readonly [number, string])[] = [
  [BufferFlags.DISCONT, 'discont'],
  [BufferFlags.GAP, 'gap'],
  [BufferFlags.DELTA_UNIT, 'delta-unit'],
  [BufferFlags.HEADER, 'header'],
  [BufferFlags.DROPPABLE, 'droppable'],
  [BufferFlags.MARKER, 'marker'],
];

/** The slot's address as a stable pseudo-pointer: `0x` + the header's byte offset in its pool, tagged by slot. */
export function bufferAddress(buf: Buffer): string {
  return `0x${buf.pool.headerOffset(buf.slot).toString(16).padStart(8, '0')}`;
}

/**
 * One line in GStreamer's fakesink/identity format:
 * `chain   ******* (fakesink0:sink) (64 bytes, dts: none, pts: 0:00:00.000000000, duration: none,
 * offset: 0, offset_end: none, flags: 00000000 ) 0x…`.
 */
export function describeBuffer(verb: string, padFullName: string, buf: Buffer): string {
  const flags = buf.flags;
  let names = '';
  for (const [bit, name] of FLAG_NAMES) if ((flags & bit) !== 0) names += `${name} `;
  const offset = buf.offset >= 0 ? String(buf.offset) : 'none';
  const offsetEnd = buf.offset >= 0 ? String(buf.offset + buf.size) : 'none';
  return `${verb.padEnd(8)}******* (${padFullName}) (${buf.size} bytes, dts: ${formatClockTime(buf.dts)}, ` +
    `pts: ${formatClockTime(buf.pts)}, duration: ${formatClockTime(buf.duration)}, offset: ${offset}, ` +
    `offset_end: ${offsetEnd}, flags: ${(flags >>> 0).toString(16).padStart(8, '0')} ${names}) ${bufferAddress(buf)}`;
}

/** `event   ******* (fakesink0:sink) E (type: segment, …)`, GStreamer's event line. */
export function describeEvent(padFullName: string, ev: Event): string {
  let detail = '';
  switch (ev.type) {
    case 'stream-start': detail = `stream-id=${ev.streamId}`; break;
    case 'caps': detail = `caps=${ev.caps.toString()}`; break;
    case 'segment': {
      const s = ev.segment;
      detail = `segment=format=${s.format}, rate=${s.rate}, start=${formatClockTime(s.start)}, stop=${formatClockTime(s.stop)}, base=${formatClockTime(s.base)}, time=${formatClockTime(s.time)}`;
      break;
    }
    case 'gap': detail = `timestamp=${formatClockTime(ev.pts)}, duration=${formatClockTime(ev.duration)}`; break;
    case 'custom': detail = `name=${ev.name}`; break;
    default: break;
  }
  return `event   ******* (${padFullName}) E (type: ${ev.type}, ${detail}) `;
}

/**
 * gst_util_dump_mem's format, 16 bytes a line:
 * `00000000 (0x…): 00 01 02 … 0f  ................`
 */
export function hexdump(data: Uint8Array, address: string): string {
  let out = '';
  for (let off = 0; off < data.length; off += 16) {
    let hex = '';
    let ascii = '';
    const end = Math.min(off + 16, data.length);
    for (let i = off; i < end; i++) {
      const b = data[i]!;
      hex += `${b.toString(16).padStart(2, '0')} `;
      ascii += b >= 0x20 && b < 0x7f ? String.fromCharCode(b) : '.';
    }
    out += `${off.toString(16).padStart(8, '0')} (${address}): ${hex.padEnd(48)} ${ascii.padEnd(16)}\n`;
  }
  return out;
}
