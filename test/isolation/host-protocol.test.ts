// The supervisor's decoder of element host messages: every field checked, hostile input refused
// with the field named, a host speaking only for its own elements.
import { describe, expect, it } from 'vitest';
import { HostProtocolError, MAX_CONTROL_BYTES, decodeFromHost, encodeMessage } from '../../src/isolation/host/protocol.js';

const mine = new Set(['volume0', 'identity0']);
const bytes = (v: unknown): Uint8Array => new TextEncoder().encode(typeof v === 'string' ? v : JSON.stringify(v));
const decode = (v: unknown, truncated = false): ReturnType<typeof decodeFromHost> => decodeFromHost(bytes(v), truncated, mine);
const refused = (v: unknown, why: RegExp, truncated = false): void => {
  expect(() => decode(v, truncated)).toThrow(HostProtocolError);
  expect(() => decode(v, truncated)).toThrow(why);
};

const stats = { pads: { 'volume0:src': { buffers: 3, bytes: 96 } }, pools: { pools: 1, slots: 8, freeSlots: 7, poolsAdded: 0 }, bytesCopied: 0 };

describe('decodeFromHost', () => {
  it('round-trips every message a well-behaved host sends', () => {
    const messages = [
      { type: 'prepared' },
      { type: 'prepare-failed', element: 'volume0', message: 'no such file' },
      { type: 'bus', msg: { type: 'error', source: 'volume0', message: 'bad', code: 'ELEMENT_ERROR' } },
      { type: 'bus', msg: { type: 'other', msg: { type: 'warning', source: 'identity0', message: 'slow' } } },
      { type: 'eos', sink: 'identity0' },
      { type: 'task-ended', driver: 'volume0', result: 1 },
      { type: 'stats', stats },
      { type: 'stopped', stats },
      { type: 'reply', id: 7, ok: true, value: 0.5 },
      { type: 'reply', id: 8, ok: false, message: 'no property x', code: 'UNKNOWN_PROPERTY' },
      { type: 'reply', id: 9, ok: false, message: 'failed', code: null },
    ];
    for (const m of messages) expect(decodeFromHost(encodeMessage(m as never), false, mine)).toEqual(m);
  });

  it('refuses what is not a JSON object', () => {
    refused('{"type":', /not UTF-8 JSON/);
    refused('[1,2]', /the message is not an object/);
    expect(() => decodeFromHost(new Uint8Array([0xff, 0xfe, 0x7b]), false, mine)).toThrow(/not UTF-8 JSON/);
    refused({ type: 'prepared' }, /longer than 262144 bytes/, true);
  });

  it('refuses unknown types and wrong field types, naming the field', () => {
    refused({ type: 'shell' }, /unknown message type "shell"/);
    refused({ type: 'task-ended', driver: 'volume0', result: 9 }, /result is 9, not an integer from 0 to 5/);
    refused({ type: 'task-ended', driver: 5, result: 0 }, /driver is not a string/);
    refused({ type: 'reply', id: -1, ok: true, value: 1 }, /id is -1/);
    refused({ type: 'reply', id: 1, ok: true, value: { toString: 'x' } }, /reply.value is a object/);
    refused({ type: 'stats', stats: { ...stats, bytesCopied: -5 } }, /stats.bytesCopied is -5/);
    refused({ type: 'stats', stats: { ...stats, pools: { pools: 1.5, slots: 0, freeSlots: 0, poolsAdded: 0 } } }, /stats.pools.pools is 1.5/);
  });

  it('refuses a host speaking for elements it does not run', () => {
    refused({ type: 'bus', msg: { type: 'error', source: 'filesink0', message: 'x', code: 'ELEMENT_ERROR' } }, /names "filesink0", which is no element of this host/);
    refused({ type: 'eos', sink: 'fakesink0' }, /eos names "fakesink0"/);
    refused({ type: 'stats', stats: { ...stats, pads: { 'fakesink0:src': { buffers: 1, bytes: 1 } } } }, /a pad of no element of this host/);
  });

  it('refuses bus messages a host may not post, and oversized text', () => {
    refused({ type: 'bus', msg: { type: 'other', msg: { type: 'state-changed', source: 'volume0' } } }, /may not post bus messages of type "state-changed"/);
    refused({ type: 'bus', msg: { type: 'other', msg: { type: 'eos', source: 'volume0' } } }, /of type "eos"/);
    refused({ type: 'prepare-failed', element: 'volume0', message: 'x'.repeat(5000) }, /message is 5000 characters long; at most 4096/);
  });

  it('lets a host give only element error codes: the supervisor\'s own (HOST_DIED, ABORTED) become ELEMENT_ERROR', () => {
    for (const code of ['<script>', 'ABORTED', 'HOST_DIED', 'BAD_STATE_TRANSITION']) {
      const m = decode({ type: 'bus', msg: { type: 'error', source: 'volume0', message: 'x', code } });
      expect(m).toEqual({ type: 'bus', msg: { type: 'error', source: 'volume0', message: 'x', code: 'ELEMENT_ERROR' } });
    }
    expect(decode({ type: 'bus', msg: { type: 'error', source: 'volume0', message: 'x', code: 'NOT_NEGOTIATED' } })).toMatchObject({ msg: { code: 'NOT_NEGOTIATED' } });
  });

  it('refuses a prepare failure blamed on an element of another process', () => {
    refused({ type: 'prepare-failed', element: 'filesink0', message: 'x' }, /prepare-failed names "filesink0", which is no element of this host/);
    expect(decode({ type: 'prepare-failed', element: 'the element host', message: 'x' })).toMatchObject({ element: 'the element host' });
  });

  it('takes only plain data in other bus messages: bounded, printable, no keys that shadow toString', () => {
    const other = (msg: Record<string, unknown>): unknown => ({ type: 'bus', msg: { type: 'other', msg: { type: 'element', source: 'volume0', name: 'x', ...msg } } });
    expect(decode(other({ data: { level: [-20.5, -18], ok: true, note: null } }))).toMatchObject({ msg: { msg: { data: { level: [-20.5, -18] } } } });
    refused(other({ data: { toString: 1 } }), /bus.msg.msg.data has a key "toString"/);
    refused(other({ data: { a: { b: { c: { d: { e: 1 } } } } } }), /nests deeper than 4 levels/);
    refused(other({ data: Object.fromEntries(Array.from({ length: 65 }, (_, i) => [`k${i}`, i])) }), /has 65 entries; at most 64/);
    refused({ type: 'bus', msg: { type: 'other', msg: { type: 'warning', source: 'hostile', message: 'x' } } }, /names "hostile", which is no element of this host/);
  });

  it('refuses to encode a message past the limit', () => {
    expect(() => encodeMessage({ type: 'prepare-failed', element: 'x', message: 'y'.repeat(MAX_CONTROL_BYTES) })).toThrow(/control message "prepare-failed" is \d+ bytes; at most 262144/);
  });
});
