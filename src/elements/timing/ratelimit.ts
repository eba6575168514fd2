import type { Buffer } from '../../element/buffer.js';
import type { Event } from '../../element/event.js';
import type { ElementMetadata } from '../../element/metadata.js';
import type { PropertyValue } from '../../element/property.js';
import { TimedGate } from './timed-gate.js';

/**
 * `fakesrc num-buffers=5 sizetype=fixed sizemax=100 ! ratelimit bytes-per-second=100000 ! fakesink`
 *
 * Classification: Generic.
 *
 * Lets no more than `bytes-per-second` bytes and `buffers-per-second` buffers through (0 = no
 * limit), by the pipeline clock: buffer n goes out once the clock, counted from the first
 * buffer, has passed the time the bytes and buffers before it take at those rates. So the first
 * buffer goes at once and a burst is spread out; a buffer that comes late starts the count again
 * (no credit for a burst after a stall). Timestamps are not looked at or changed.
 * Changing a rate while running starts the count again from then on. Upstream waits while two
 * buffers are held (one on the clock, one behind it), so nothing is dropped.
 *
 * Event-loop only, with a streaming task of its own (see TimedGate).
 */
export class RateLimit extends TimedGate {
  static readonly metadata: ElementMetadata = {
    factory: 'ratelimit',
    classification: 'Generic',
    description: 'Limits the data rate in bytes and buffers per second',
    example: 'fakesrc num-buffers=5 sizetype=fixed sizemax=100 ! ratelimit bytes-per-second=100000 ! fakesink',
    padTemplates: [
      { name: 'sink', direction: 'sink', presence: 'always' },
      { name: 'src', direction: 'src', presence: 'always' },
    ],
    properties: {
      'bytes-per-second': { type: 'uint64', default: 0, mutable: true, description: 'Maximum bytes per second (0 = no limit)' },
      'buffers-per-second': { type: 'double', default: 0, min: 0, max: 1e9, mutable: true, description: 'Maximum buffers per second (0 = no limit)' },
    },
    affinity: 'async',
    rtSafe: false,
  };

  private bytesPerSecond = 0;
  private buffersPerSecond = 0;
  /** Clock time the count started, -1 before the first buffer. */
  private origin = -1;
  private bytes = 0;
  private buffers = 0;

  override start(): void {
    super.start();
    this.bytesPerSecond = this.num('bytes-per-second');
    this.buffersPerSecond = this.num('buffers-per-second');
    this.restart();
  }

  protected override propertyChanged(name: string, value: PropertyValue): void {
    if (name === 'bytes-per-second') this.bytesPerSecond = value as number;
    else if (name === 'buffers-per-second') this.buffersPerSecond = value as number;
    else return;
    this.restart();
  }

  protected override observe(ev: Event): void {
    if (ev.type === 'flush-stop') this.restart();
  }

  private restart(): void {
    this.origin = -1;
    this.bytes = 0;
    this.buffers = 0;
  }

  protected dueTime(buf: Buffer): number {
    const now = this.context.clock.now();
    if (this.origin >= 0) {
      let after = 0;
      if (this.bytesPerSecond > 0) after = (this.bytes * 1e9) / this.bytesPerSecond;
      if (this.buffersPerSecond > 0) after = Math.max(after, (this.buffers * 1e9) / this.buffersPerSecond);
      const due = this.origin + Math.ceil(after);
      if (due > now) {
        this.bytes += buf.size;
        this.buffers++;
        return due;
      }
    }
    // The first buffer, or one that is not early: the count starts again here, so a stall does
    // not build up credit for a burst afterwards.
    this.origin = now;
    this.bytes = buf.size;
    this.buffers = 1;
    return -1;
  }
}

export default RateLimit;
