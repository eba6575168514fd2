import type { Buffer } from '../../element/buffer.js';
import { DEFAULT_SEGMENT, type Event, type Segment } from '../../element/event.js';
import type { ElementMetadata } from '../../element/metadata.js';
import type { PropertyValue } from '../../element/property.js';
import { runningTime } from './running-time.js';
import { TimedGate } from './timed-gate.js';

/**
 * `fakesrc num-buffers=3 datarate=1000000 sizetype=fixed sizemax=10 ! clocksync ! fakesink`
 *
 * Classification: Generic.
 *
 * Holds each buffer until the pipeline clock reaches its running time, after GStreamer's
 * clocksync: a sink's `sync=true` in the middle of a pipeline, so everything downstream of it sees
 * data at the pace of its timestamps. `ts-offset` (ns, may be negative) moves every due time;
 * `sync-to-first` sets the offset so the first buffer is due when it arrives (a file played at
 * its own pace from whenever it starts). With `sync=false` buffers pass at once. Buffers without
 * a timestamp are not synced.
 *
 * Event-loop only, with a streaming task of its own (see TimedGate): a promise per wait.
 */
export class ClockSync extends TimedGate {
  static readonly metadata: ElementMetadata = {
    factory: 'clocksync',
    classification: 'Generic',
    description: 'Synchronise buffers to the clock',
    example: 'fakesrc num-buffers=3 datarate=1000000 sizetype=fixed sizemax=10 ! clocksync ! fakesink',
    padTemplates: [
      { name: 'sink', direction: 'sink', presence: 'always' },
      { name: 'src', direction: 'src', presence: 'always' },
    ],
    properties: {
      sync: { type: 'bool', default: true, mutable: true, description: 'Synchronise to the pipeline clock' },
      'ts-offset': { type: 'int', default: 0, min: -Number.MAX_SAFE_INTEGER, max: Number.MAX_SAFE_INTEGER, mutable: true, description: 'Nanoseconds added to every due time (may be negative)' },
      'sync-to-first': { type: 'bool', default: false, description: 'Set ts-offset so the first buffer is due when it arrives' },
    },
    affinity: 'async',
    rtSafe: false,
  };

  private sync = true;
  private tsOffset = 0;
  private syncToFirst = false;
  private firstSeen = false;
  private segment: Segment = DEFAULT_SEGMENT;

  override start(): void {
    super.start();
    this.sync = this.bool('sync');
    this.tsOffset = this.num('ts-offset');
    this.syncToFirst = this.bool('sync-to-first');
    this.firstSeen = false;
    this.segment = DEFAULT_SEGMENT;
  }

  protected override propertyChanged(name: string, value: PropertyValue): void {
    if (name === 'sync') this.sync = value as boolean;
    else if (name === 'ts-offset') this.tsOffset = value as number;
  }

  protected override observe(ev: Event): void {
    if (ev.type === 'segment') this.segment = ev.segment;
    else if (ev.type === 'flush-stop' && ev.resetTime) this.firstSeen = false;
  }

  protected dueTime(buf: Buffer): number {
    if (!this.sync) return -1;
    const rt = runningTime(this.segment, buf.pts);
    if (rt < 0) return -1;
    const ctx = this.context;
    if (this.syncToFirst && !this.firstSeen) {
      this.firstSeen = true;
      this.tsOffset = ctx.clock.now() - ctx.baseTime - rt;
    }
    return ctx.baseTime + rt + this.tsOffset;
  }
}

export default ClockSync;
