import type { Segment } from '../../element/event.js';

/**
 * Running time of timestamp `t` in `seg`, GStreamer's gst_segment_to_running_time for time
 * segments played forward: 0 before the segment starts, -1 for no timestamp.
 */
export function runningTime(seg: Segment, t: number): number {
  if (t < 0) return -1;
  if (t < seg.start) return seg.base;
  return (t - seg.start) / Math.abs(seg.rate) + seg.base;
}
