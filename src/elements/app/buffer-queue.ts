import type { Buffer } from '../../element/buffer.js';

/**
 * A FIFO of buffers that keeps its level in buffers and bytes: the queue inside appsrc and
 * appsink. A growable ring, so taking from the head is O(1) and does not allocate.
 */
export class BufferQueue {
  private items: (Buffer | undefined)[] = new Array<Buffer | undefined>(16);
  private head = 0;
  private count = 0;
  /** Sum of the sizes of the queued buffers. */
  bytes = 0;

  get length(): number {
    return this.count;
  }

  push(buf: Buffer): void {
    if (this.count === this.items.length) this.grow();
    this.items[(this.head + this.count) % this.items.length] = buf;
    this.count++;
    this.bytes += buf.size;
  }

  /** Takes the oldest buffer, or undefined when empty. The caller owns it. */
  shift(): Buffer | undefined {
    if (this.count === 0) return undefined;
    const buf = this.items[this.head];
    this.items[this.head] = undefined;
    this.head = (this.head + 1) % this.items.length;
    this.count--;
    if (buf !== undefined) this.bytes -= buf.size;
    return buf;
  }

  /** Whether the level reached a limit; a limit of 0 means unlimited (GStreamer's convention). */
  isFull(maxBuffers: number, maxBytes: number): boolean {
    return (maxBuffers > 0 && this.count >= maxBuffers) || (maxBytes > 0 && this.bytes >= maxBytes);
  }

  /** Releases every queued buffer. */
  clear(): void {
    for (let b = this.shift(); b !== undefined; b = this.shift()) b.release();
    this.head = 0;
    this.bytes = 0;
  }

  private grow(): void {
    const next = new Array<Buffer | undefined>(this.items.length * 2);
    for (let i = 0; i < this.count; i++) next[i] = this.items[(this.head + i) % this.items.length];
    this.items = next;
    this.head = 0;
  }
}
