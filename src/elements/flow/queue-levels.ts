import type { Buffer } from '../../element/buffer.js';

/**
 * How full a queue is, in buffers, bytes and time, against its limits (GStreamer's queue
 * semantics). Time is the span from the start of the oldest queued buffer to the end of the
 * newest; buffers without timestamps count for buffers and bytes only. A limit of 0 is off.
 *
 * Event-loop only; the queue calls `add` when a buffer goes in and `remove` when one leaves.
 */
export class QueueLevels {
  maxBuffers = 200;
  maxBytes = 10485760;
  maxTime = 1e9;
  minBuffers = 0;
  minBytes = 0;
  minTime = 0;

  buffers = 0;
  bytes = 0;
  time = 0;
  /** End (pts + duration) of the newest timed buffer that came in; -1 none. */
  private sinkTime = -1;
  /** Start of the time span still queued; -1 none. */
  private srcTime = -1;

  /** Whether `buf` can go in without passing a limit. An empty queue takes anything. */
  fits(buf: Buffer): boolean {
    if (this.buffers === 0) return true;
    if (this.maxBuffers > 0 && this.buffers + 1 > this.maxBuffers) return false;
    if (this.maxBytes > 0 && this.bytes + buf.size > this.maxBytes) return false;
    if (this.maxTime > 0) {
      const pts = buf.pts;
      if (pts >= 0 && this.srcTime >= 0) {
        const d = buf.duration;
        if (pts + (d > 0 ? d : 0) - this.srcTime > this.maxTime) return false;
      }
    }
    return true;
  }

  /** Below a min-threshold: the consumer waits for more (unless EOS or a held buffer forces it). */
  belowMinThreshold(): boolean {
    return (this.minBuffers > 0 && this.buffers < this.minBuffers) ||
      (this.minBytes > 0 && this.bytes < this.minBytes) ||
      (this.minTime > 0 && this.time < this.minTime);
  }

  add(buf: Buffer): void {
    const pts = buf.pts;
    if (pts >= 0) {
      if (this.buffers === 0 || this.srcTime < 0) this.srcTime = pts;
      const d = buf.duration;
      this.sinkTime = pts + (d > 0 ? d : 0);
    }
    this.buffers++;
    this.bytes += buf.size;
    this.updateTime();
  }

  /** A buffer left the queue (delivered or leaked). */
  remove(buf: Buffer): void {
    this.buffers--;
    this.bytes -= buf.size;
    const pts = buf.pts;
    if (pts >= 0) {
      const d = buf.duration;
      this.srcTime = pts + (d > 0 ? d : 0);
    }
    if (this.buffers === 0) this.srcTime = this.sinkTime;
    this.updateTime();
  }

  reset(): void {
    this.buffers = 0;
    this.bytes = 0;
    this.time = 0;
    this.sinkTime = -1;
    this.srcTime = -1;
  }

  private updateTime(): void {
    const t = this.sinkTime >= 0 && this.srcTime >= 0 ? this.sinkTime - this.srcTime : 0;
    this.time = t > 0 ? t : 0;
  }
}
