import { zeroFill } from '../../memory/zero-fill.js';
import { Buffer } from '../../element/buffer.js';
import { Source, type Produced } from '../../element/base/source.js';
import { Caps } from '../../element/caps/index.js';
import { FlowResult } from '../../element/flow.js';
import type { ElementMetadata } from '../../element/metadata.js';
import type { Pad } from '../../element/pad.js';

const PATTERN_BYTES = 0;
const PATTERN_U32LE = 1;
const PATTERN_U32BE = 2;
const PATTERN_ZERO = 3;
const PATTERNS: Record<string, number> = { bytes: PATTERN_BYTES, u32le: PATTERN_U32LE, u32be: PATTERN_U32BE, zero: PATTERN_ZERO };

// Slots reserved at start: a queue or two of buffers in flight without growing the pool.
const RESERVED_SLOTS = 16;

/**
 * `testsrc num-buffers=4 blocksize=8 pattern=u32le ! fakesink`
 *
 * Source/Testing. Pushes buffers of `blocksize` bytes holding a counting pattern that runs on
 * across buffers, so a test downstream can check every byte against its stream position p:
 * `bytes` is p mod 256 (00 01 02 … ff 00 …); `u32le` and `u32be` are 32-bit counters
 * (0, 1, 2, … as little- or big-endian words, word n at bytes 4n..4n+3; a blocksize that is not a
 * multiple of 4 splits a word across buffers); `zero` is all zeros.
 *
 * Every buffer carries `offset` (its stream position in bytes) and `sequence` (its index); no
 * timestamps. `caps` sets the caps of the src pad (ANY: left to negotiation). Ends with EOS after
 * `num-buffers` buffers (-1: never).
 *
 * Event-loop or data thread; hot path: one slot from a pool reserved at start, no allocation.
 */
export class TestSrc extends Source {
  static readonly metadata: ElementMetadata = {
    factory: 'testsrc',
    classification: 'Source/Testing',
    description: 'Pushes buffers of a counting byte or u32 pattern',
    example: 'testsrc num-buffers=4 blocksize=8 pattern=u32le ! fakesink',
    padTemplates: [{ name: 'src', direction: 'src', presence: 'always', caps: 'ANY' }],
    properties: {
      'num-buffers': { type: 'int', default: -1, min: -1, description: 'Number of buffers to output before EOS (-1 = unlimited)' },
      blocksize: { type: 'uint64', default: 4096, min: 0, max: 0x7fffffff, description: 'Bytes per buffer' },
      pattern: {
        type: 'enum', default: 'bytes', description: 'What the bytes count',
        values: [
          { nick: 'bytes', value: PATTERN_BYTES, description: 'Byte at stream position p is p mod 256' },
          { nick: 'u32le', value: PATTERN_U32LE, description: 'Little-endian 32-bit counter: word n at bytes 4n..4n+3' },
          { nick: 'u32be', value: PATTERN_U32BE, description: 'Big-endian 32-bit counter: word n at bytes 4n..4n+3' },
          { nick: 'zero', value: PATTERN_ZERO, description: 'All zeros' },
        ],
      },
      caps: { type: 'caps', default: Caps.ANY, description: 'The caps of the output (ANY: left to negotiation)' },
    },
    affinity: 'auto',
    rtSafe: true,
  };

  private numBuffers = -1;
  private blocksize = 4096;
  private pattern = PATTERN_BYTES;
  private count = 0;
  private position = 0;

  override sourceCaps(pad: Pad): Caps {
    const caps = this.get('caps') as Caps;
    return caps.isAny() ? pad.template.caps : caps;
  }

  override start(): void {
    super.start();
    this.numBuffers = this.num('num-buffers');
    this.blocksize = this.num('blocksize');
    this.pattern = PATTERNS[this.str('pattern')] ?? PATTERN_BYTES;
    this.count = 0;
    this.position = 0;
    if (this.numBuffers !== 0) this.context.allocator.reserve(this.blocksize, RESERVED_SLOTS);
  }

  protected create(): Produced {
    if (this.numBuffers >= 0 && this.count >= this.numBuffers) return FlowResult.EOS;
    const size = this.blocksize;
    const buf = Buffer.allocate(this.context.allocator, size);
    fillPattern(buf.data, this.position, this.pattern);
    buf.offset = this.position;
    buf.sequence = this.count;
    this.position += size;
    this.count++;
    return buf;
  }
}

/** Writes the pattern's bytes for stream positions `at`, `at + 1`, … into `out`. Allocation-free. */
export function fillPattern(out: Uint8Array, at: number, pattern: number): void {
  const n = out.length;
  switch (pattern) {
    case PATTERN_BYTES:
      for (let i = 0; i < n; i++) out[i] = (at + i) & 0xff;
      break;
    case PATTERN_U32LE:
    case PATTERN_U32BE:
      for (let i = 0; i < n; i++) {
        const p = at + i;
        // Word p/4 counts past 2^32 on long streams: wrap it like a u32 counter would.
        const word = Math.floor(p / 4) % 0x100000000;
        const byteInWord = pattern === PATTERN_U32LE ? p & 3 : 3 - (p & 3);
        out[i] = Math.floor(word / 2 ** (8 * byteInWord)) & 0xff;
      }
      break;
    default:
      zeroFill(out, 0, n);
      break;
  }
}

export default TestSrc;
