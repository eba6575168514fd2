import { zeroFill } from '../../memory/zero-fill.js';
import { Buffer } from '../../element/buffer.js';
import { Source, type Produced } from '../../element/base/source.js';
import { FlowResult } from '../../element/flow.js';
import type { ElementMetadata } from '../../element/metadata.js';
import type { PropertyValue } from '../../element/property.js';
import { describeBuffer } from './describe.js';
import { XorShift32 } from './xorshift.js';

const SIZE_EMPTY = 1;
const SIZE_FIXED = 2;
const SIZE_RANDOM = 3;
const FILL_NOTHING = 1;
const FILL_ZERO = 2;
const FILL_RANDOM = 3;
const FILL_PATTERN = 4;
const FILL_PATTERN_SPAN = 5;

const SIZE_TYPES: Record<string, number> = { empty: SIZE_EMPTY, fixed: SIZE_FIXED, random: SIZE_RANDOM };
const FILL_TYPES: Record<string, number> = {
  nothing: FILL_NOTHING, zero: FILL_ZERO, random: FILL_RANDOM, pattern: FILL_PATTERN, 'pattern-span': FILL_PATTERN_SPAN,
};

// Slots fakesrc reserves at start: enough for a queue or two of in-flight buffers without growing.
const RESERVED_SLOTS = 64;

/**
 * `fakesrc num-buffers=3 sizetype=fixed sizemax=64 filltype=pattern ! fakesink`
 *
 * Classification: Source/Testing.
 *
 * Pushes buffers of empty, fixed or random size, filled with nothing, zeros, seeded random bytes
 * or a counting pattern, after GStreamer's fakesrc. Every buffer gets `offset` (bytes sent so far)
 * and `sequence` (its index). Timestamps: with `datarate` set, pts and duration follow the bytes
 * sent (`pts = bytes * 1e9 / datarate`); otherwise, when `is-live` or `format=time`, pts is the
 * pipeline's running time when the buffer is made; otherwise none.
 *
 * With `is-live=true` and a datarate, each buffer is pushed when the clock reaches its running
 * time, so a live fakesrc paces the pipeline.
 *
 * Event-loop streaming task. Hot path: one slot from a pool reserved at start, no other allocation
 * (random sizes take a slot of `sizemax` bytes and shrink it).
 */
export class FakeSrc extends Source {
  static readonly metadata: ElementMetadata = {
    factory: 'fakesrc',
    classification: 'Source/Testing',
    description: 'Push empty (no data) buffers around',
    example: 'fakesrc num-buffers=3 sizetype=fixed sizemax=64 filltype=pattern ! fakesink',
    padTemplates: [{ name: 'src', direction: 'src', presence: 'always' }],
    properties: {
      'num-buffers': { type: 'int', default: -1, min: -1, description: 'Number of buffers to output before sending EOS (-1 = unlimited)' },
      sizetype: {
        type: 'enum', default: 'empty', description: 'How to determine buffer sizes',
        values: [
          { nick: 'empty', value: SIZE_EMPTY, description: 'Send empty buffers' },
          { nick: 'fixed', value: SIZE_FIXED, description: 'Fixed size buffers (sizemax sized)' },
          { nick: 'random', value: SIZE_RANDOM, description: 'Random sized buffers (sizemin <= size <= sizemax)' },
        ],
      },
      sizemin: { type: 'int', default: 0, min: 0, description: 'Minimum buffer size' },
      sizemax: { type: 'int', default: 4096, min: 0, description: 'Maximum buffer size' },
      filltype: {
        type: 'enum', default: 'nothing', description: 'How to fill the buffer, if at all',
        values: [
          { nick: 'nothing', value: FILL_NOTHING, description: 'Leave data as malloced' },
          { nick: 'zero', value: FILL_ZERO, description: 'Fill buffers with zeros' },
          { nick: 'random', value: FILL_RANDOM, description: 'Fill buffers with random data' },
          { nick: 'pattern', value: FILL_PATTERN, description: 'Fill buffers with pattern 0x00 -> 0xff' },
          { nick: 'pattern-span', value: FILL_PATTERN_SPAN, description: 'Fill buffers with pattern 0x00 -> 0xff that spans buffers' },
        ],
      },
      datarate: { type: 'int', default: 0, min: 0, description: 'Timestamps buffers with number of bytes per second (0 = none)' },
      'is-live': { type: 'bool', default: false, description: 'True if the element cannot produce data in PAUSED' },
      format: {
        type: 'enum', default: 'bytes', description: 'The format of the segment events and seek',
        values: [
          { nick: 'bytes', value: 2, description: 'Bytes' },
          { nick: 'time', value: 3, description: 'Time (buffers are stamped with the running time)' },
        ],
      },
      seed: { type: 'int', default: 0, description: 'Seed of the random sizes and fill (0 = pick one)' },
      silent: { type: 'bool', default: true, mutable: true, description: "Don't produce last-message events" },
      'last-message': { type: 'string', default: null, readonly: true, description: 'The message describing current status' },
    },
    affinity: 'auto',
    rtSafe: true,
  };

  private numBuffers = -1;
  private sizeType = SIZE_EMPTY;
  private sizeMin = 0;
  private sizeMax = 4096;
  private fillType = FILL_NOTHING;
  private datarate = 0;
  private isLive = false;
  private timeFormat = false;
  private silent = true;
  private readonly rng = new XorShift32(0);
  private count = 0;
  private bytesSent = 0;
  private patternByte = 0;
  private lastMessage: string | null = null;

  override start(): void {
    super.start();
    this.numBuffers = this.num('num-buffers');
    this.sizeType = SIZE_TYPES[this.str('sizetype')] ?? SIZE_EMPTY;
    this.sizeMin = this.num('sizemin');
    this.sizeMax = this.num('sizemax');
    if (this.sizeMin > this.sizeMax) this.sizeMin = this.sizeMax;
    this.fillType = FILL_TYPES[this.str('filltype')] ?? FILL_NOTHING;
    this.datarate = this.num('datarate');
    this.isLive = this.bool('is-live');
    this.timeFormat = this.str('format') === 'time';
    this.silent = this.bool('silent');
    this.rng.reseed(this.num('seed'));
    this.count = 0;
    this.bytesSent = 0;
    this.patternByte = 0;
    this.lastMessage = null;
    if (this.numBuffers !== 0) this.context.allocator.reserve(this.slotSize(), RESERVED_SLOTS);
  }

  protected override propertyChanged(name: string, value: PropertyValue): void {
    if (name === 'silent') this.silent = value as boolean;
  }

  protected override readProperty(name: string): PropertyValue | undefined {
    return name === 'last-message' ? this.lastMessage : undefined;
  }

  /** The slot size every buffer is taken from: one size class for the whole stream. */
  private slotSize(): number {
    return this.sizeType === SIZE_EMPTY ? 0 : this.sizeMax;
  }

  protected create(): Produced | Promise<Produced> {
    if (this.numBuffers >= 0 && this.count >= this.numBuffers) return FlowResult.EOS;
    const size = this.sizeType === SIZE_EMPTY ? 0
      : this.sizeType === SIZE_FIXED ? this.sizeMax
        : this.rng.nextInt(this.sizeMin, this.sizeMax);
    const buf = Buffer.allocate(this.context.allocator, this.slotSize());
    if (size !== buf.size) buf.size = size;
    if (size > 0 && this.fillType !== FILL_NOTHING) this.fill(buf, size);
    buf.offset = this.bytesSent;
    buf.sequence = this.count;
    if (this.datarate > 0) {
      const pts = Math.floor((this.bytesSent * 1e9) / this.datarate);
      buf.pts = pts;
      buf.dts = pts;
      buf.duration = Math.floor((size * 1e9) / this.datarate);
    } else if (this.isLive || this.timeFormat) {
      const ctx = this.context;
      const t = Math.max(0, ctx.clock.now() - ctx.baseTime);
      buf.pts = t;
      buf.dts = t;
    }
    this.count++;
    this.bytesSent += size;
    if (!this.silent) this.describe(buf);
    if (this.isLive && this.datarate > 0) {
      const ctx = this.context;
      const due = ctx.baseTime + buf.pts;
      if (ctx.clock.now() < due) {
        return ctx.clock.waitUntil(due).then((reached): Produced => {
          if (reached) return buf;
          buf.release();
          return FlowResult.FLUSHING;
        });
      }
    }
    return buf;
  }

  private fill(buf: Buffer, size: number): void {
    const bytes = buf.pool.bytes;
    const start = buf.pool.payloadOffset(buf.slot);
    const end = start + size;
    switch (this.fillType) {
      case FILL_ZERO:
        zeroFill(bytes, start, end);
        break;
      case FILL_RANDOM: {
        const rng = this.rng;
        let i = start;
        for (; i + 4 <= end; i += 4) {
          const r = rng.next();
          bytes[i] = r & 0xff;
          bytes[i + 1] = (r >>> 8) & 0xff;
          bytes[i + 2] = (r >>> 16) & 0xff;
          bytes[i + 3] = r >>> 24;
        }
        for (; i < end; i++) bytes[i] = rng.next() & 0xff;
        break;
      }
      case FILL_PATTERN:
      case FILL_PATTERN_SPAN: {
        let p = this.fillType === FILL_PATTERN ? 0 : this.patternByte;
        for (let i = start; i < end; i++) {
          bytes[i] = p;
          p = (p + 1) & 0xff;
        }
        this.patternByte = p;
        break;
      }
      default:
        break;
    }
  }

  private describe(buf: Buffer): void {
    this.lastMessage = describeBuffer('create', this.srcPad.fullName, buf);
    this.notify('last-message', this.lastMessage);
  }
}

export default FakeSrc;
