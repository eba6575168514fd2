import type { Buffer } from '../../element/buffer.js';
import { Transform } from '../../element/base/transform.js';
import { DEFAULT_SEGMENT, Events, type Event, type Segment } from '../../element/event.js';
import { FlowResult } from '../../element/flow.js';
import type { ElementMetadata } from '../../element/metadata.js';
import type { Pad } from '../../element/pad.js';
import type { PropertyValue } from '../../element/property.js';
import { describeBuffer } from './describe.js';
import { XorShift32 } from './xorshift.js';

/**
 * `fakesrc num-buffers=5 ! identity silent=false ! fakesink`
 *
 * Classification: Generic.
 *
 * Passes buffers through unchanged (in place, zero copy), after GStreamer's identity, with the
 * debugging knobs that make it useful in tests:
 * - `silent=false` describes each buffer in `last-message`;
 * - `sleep-time` (µs) makes upstream wait that long after each buffer (real time);
 * - `error-after=N` posts "identityN: error-after reached" on the N-th buffer and returns ERROR;
 * - `eos-after=N` lets N buffers through, then returns EOS;
 * - `drop-probability` drops buffers at random (`seed` makes it repeatable);
 * - `single-segment` turns every segment into one time segment from 0 and restamps buffers with
 *   their running time.
 *
 * Event-loop, called from the upstream streaming task. Not rt-safe: `sleep-time` waits on a timer.
 */
export class Identity extends Transform {
  static readonly metadata: ElementMetadata = {
    factory: 'identity',
    classification: 'Generic',
    description: 'Pass data without modification',
    example: 'fakesrc num-buffers=5 ! identity silent=false ! fakesink',
    padTemplates: [
      { name: 'sink', direction: 'sink', presence: 'always' },
      { name: 'src', direction: 'src', presence: 'always' },
    ],
    properties: {
      silent: { type: 'bool', default: true, mutable: true, description: "Don't produce last-message events" },
      'sleep-time': { type: 'uint64', default: 0, max: 4294967295, mutable: true, description: 'Microseconds to sleep between processing' },
      'error-after': { type: 'int', default: -1, min: -1, description: 'Error after N buffers (-1 = never)' },
      'eos-after': { type: 'int', default: -1, min: -1, description: 'EOS after N buffers (-1 = never)' },
      'drop-probability': { type: 'double', default: 0, min: 0, max: 1, mutable: true, description: 'The Probability a buffer is dropped' },
      'single-segment': { type: 'bool', default: false, description: 'Timestamp buffers and eat segments so as to appear as one segment' },
      seed: { type: 'int', default: 0, description: 'Seed of drop-probability (0 = pick one)' },
      'last-message': { type: 'string', default: null, readonly: true, description: 'The message describing current status' },
    },
    affinity: 'auto',
    rtSafe: true,
  };

  private silent = true;
  private sleepUs = 0;
  private errorAfter = -1;
  private eosAfter = -1;
  private dropProbability = 0;
  private singleSegment = false;
  private readonly rng = new XorShift32(0);
  private count = 0;
  private lastMessage: string | null = null;
  private segment: Segment = DEFAULT_SEGMENT;
  private segmentSent = false;
  /** Every sleep in progress: several upstream tasks (a funnel) may be sleeping here at once. */
  private readonly sleeping = new Set<{ timer: ReturnType<typeof setTimeout>; wake: () => void }>();

  override start(): void {
    this.silent = this.bool('silent');
    this.sleepUs = this.num('sleep-time');
    this.errorAfter = this.num('error-after');
    this.eosAfter = this.num('eos-after');
    this.dropProbability = this.num('drop-probability');
    this.singleSegment = this.bool('single-segment');
    this.rng.reseed(this.num('seed'));
    this.count = 0;
    this.lastMessage = null;
    this.segment = DEFAULT_SEGMENT;
    this.segmentSent = false;
  }

  override unblock(): void {
    for (const s of this.sleeping) {
      clearTimeout(s.timer);
      s.wake();
    }
    this.sleeping.clear();
  }

  override stop(): void {
    this.unblock();
  }

  /** sleep-time holds every buffer that long. */
  override latency(): { readonly min: number; readonly max: number } {
    return { min: this.num('sleep-time') * 1000, max: 0 };
  }

  protected override propertyChanged(name: string, value: PropertyValue): void {
    switch (name) {
      case 'silent': this.silent = value as boolean; break;
      case 'sleep-time': this.sleepUs = value as number; break;
      case 'drop-probability': this.dropProbability = value as number; break;
      default: break;
    }
  }

  protected override readProperty(name: string): PropertyValue | undefined {
    return name === 'last-message' ? this.lastMessage : undefined;
  }

  protected override transformInPlace(buf: Buffer): FlowResult | typeof Transform.DROPPED {
    if (this.errorAfter >= 0 && this.count + 1 >= this.errorAfter) {
      this.count++;
      return this.error('error-after reached');
    }
    if (this.eosAfter >= 0 && this.count >= this.eosAfter) return FlowResult.EOS;
    this.count++;
    if (this.dropProbability > 0 && this.rng.nextFloat() < this.dropProbability) return Transform.DROPPED;
    if (this.singleSegment && buf.pts >= 0) this.restamp(buf);
    if (!this.silent) {
      this.lastMessage = describeBuffer('chain', this.sinkPad.fullName, buf);
      this.notify('last-message', this.lastMessage);
    }
    if (this.sleepUs > 0) this.sleep();
    return FlowResult.OK;
  }

  /** Rewrites pts/dts as running time. Header fields are shared by clones, so a shared buffer is made writable first. */
  private restamp(buf: Buffer): void {
    const seg = this.segment;
    const running = (t: number): number => (t < seg.start ? 0 : (t - seg.start) / Math.abs(seg.rate) + seg.base);
    buf.pts = running(buf.pts);
    if (buf.dts >= 0) buf.dts = running(buf.dts);
  }

  override chain(pad: Pad, buf: Buffer): FlowResult {
    // single-segment writes timestamps, which live in the shared slot header.
    if (this.singleSegment && !buf.isWritable) buf = buf.makeWritable(this.context.allocator);
    return super.chain(pad, buf);
  }

  private sleep(): void {
    let wake!: () => void;
    const done = new Promise<void>((resolve) => (wake = resolve));
    const entry = {
      timer: setTimeout(() => {
        this.sleeping.delete(entry);
        wake();
      }, this.sleepUs / 1000),
      wake,
    };
    this.sleeping.add(entry);
    this.context.blockUpstream(done);
  }

  override sinkEvent(pad: Pad, ev: Event): boolean {
    if (ev.type === 'caps') pad.caps = ev.caps;
    if (this.singleSegment && ev.type === 'segment') {
      this.segment = ev.segment;
      if (this.segmentSent) return true;
      this.segmentSent = true;
      return this.forwardDownstream(Events.segment());
    }
    return this.forwardDownstream(ev);
  }
}

export default Identity;
