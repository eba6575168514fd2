import type { Buffer } from '../../element/buffer.js';
import { DEFAULT_SEGMENT } from '../../element/event.js';
import type { Pad } from '../../element/pad.js';
import { runningTime } from '../timing/running-time.js';

/** Running time of `t` in the segment that `pad` last received. */
function runningTimeOn(pad: Pad, t: number): number {
  const ev = pad.sticky.get('segment');
  return runningTime(ev?.type === 'segment' ? ev.segment : DEFAULT_SEGMENT, t);
}

/**
 * input-selector's `sync-streams`, after GStreamer's (sync-mode=active-segment): a buffer of an
 * inactive pad that is ahead of the active stream (by running time) waits, its upstream blocked,
 * until the active stream gets there, and is dropped then. So inactive streams advance at the
 * active one's pace, and a switch picks up the new stream where the old one was, instead of
 * wherever a free-running upstream got to.
 *
 * Untimed buffers, and any buffer while the active stream has not sent a timed one, are not
 * held. Event-loop only, one owner (the selector); one promise per held buffer.
 */
export class StreamSync {
  private readonly held = new Map<Pad, { readonly buf: Buffer; readonly rt: number; readonly wake: () => void }>();
  /** Running time the active stream reached (end of its last timed buffer), -1 before one. */
  position = -1;

  /** Holds `buf` if it is ahead of the active stream: returns what its upstream waits for, or null (drop it). */
  hold(pad: Pad, buf: Buffer): Promise<void> | null {
    const rt = runningTimeOn(pad, buf.pts);
    if (rt < 0 || this.position < 0 || rt <= this.position) return null;
    return new Promise<void>((resolve) => this.held.set(pad, { buf, rt, wake: resolve }));
  }

  /** The active stream sent `buf`: held buffers it caught up with are dropped. Returns how many. */
  advance(active: Pad, buf: Buffer): number {
    const rt = runningTimeOn(active, buf.pts);
    if (rt < 0) return 0;
    this.position = rt + Math.max(buf.duration, 0);
    let dropped = 0;
    for (const [pad, h] of this.held) {
      if (pad === active || h.rt > this.position) continue;
      this.held.delete(pad);
      h.buf.release();
      h.wake();
      dropped++;
    }
    return dropped;
  }

  /** `pad` became active: its held buffer (to push now) and its upstream goes on. */
  take(pad: Pad): Buffer | null {
    const h = this.held.get(pad);
    if (h === undefined) return null;
    this.held.delete(pad);
    h.wake();
    return h.buf;
  }

  /** Drops everything held and wakes every upstream (EOS, flush, stop). Returns how many. */
  releaseAll(): number {
    const n = this.held.size;
    for (const h of this.held.values()) {
      h.buf.release();
      h.wake();
    }
    this.held.clear();
    this.position = -1;
    return n;
  }
}
