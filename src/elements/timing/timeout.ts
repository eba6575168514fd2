import type { Buffer } from '../../element/buffer.js';
import { Element } from '../../element/element.js';
import { Events, type Event } from '../../element/event.js';
import { FlowResult } from '../../element/flow.js';
import type { ElementMetadata } from '../../element/metadata.js';
import type { Pad } from '../../element/pad.js';
import type { PropertyValue } from '../../element/property.js';
import type { PipelineState } from '../../element/message.js';

const ERROR = 0;
const EOS = 1;
const ACTIONS: Record<string, number> = { error: ERROR, eos: EOS };

/**
 * `fakesrc num-buffers=3 ! timeout timeout=1000 action=eos ! fakesink`
 *
 * Classification: Generic.
 *
 * Passes data through and watches it: when no buffer has come for `timeout` milliseconds of the
 * pipeline clock, it either posts an error naming itself (`action=error`, which stops the
 * pipeline) or ends the stream (`action=eos`: EOS goes downstream, a warning is posted, and
 * upstream gets EOS from then on). The watch starts with the first event or buffer (a source
 * that never starts is not timed), stops at EOS, and restarts after a flush. A pause is not a
 * stall: nothing fires while paused, and a resume restarts the watch with a whole timeout (as
 * GStreamer's watchdog does on PAUSED → PLAYING). `timed-out` keeps its value after the pipeline
 * stops, so an application can ask why it stopped, until the next start.
 *
 * The element arms one clock wait at a time, at the deadline of the newest buffer, so the hot
 * path only notes the time. The timeout's EOS is pushed from the clock callback, not from an
 * upstream task.
 *
 * Event-loop only.
 */
export class Timeout extends Element {
  static readonly metadata: ElementMetadata = {
    factory: 'timeout',
    classification: 'Generic',
    description: 'Posts an error or ends the stream when no data comes for a while',
    example: 'fakesrc num-buffers=3 ! timeout timeout=1000 action=eos ! fakesink',
    padTemplates: [
      { name: 'sink', direction: 'sink', presence: 'always' },
      { name: 'src', direction: 'src', presence: 'always' },
    ],
    properties: {
      timeout: { type: 'uint64', default: 5000, min: 1, mutable: true, description: 'Milliseconds without a buffer before the action' },
      action: {
        type: 'enum', default: 'error', mutable: true, description: 'What to do when the time is up',
        values: [
          { nick: 'error', value: ERROR, description: 'Post an error, which stops the pipeline' },
          { nick: 'eos', value: EOS, description: 'Send EOS downstream and upstream' },
        ],
      },
      'timed-out': { type: 'bool', default: false, readonly: true, description: 'Whether the timeout has fired since start' },
    },
    affinity: 'async',
    rtSafe: false,
  };

  private timeoutNs = 5e9;
  private action = ERROR;
  /** Clock time of the last buffer (or the first event); -1 while not watching. */
  private lastData = -1;
  /** Deadline of the clock wait in flight, -1 if none. */
  private armedAt = -1;
  /** Bumped on start, stop and flush, so a wait armed before them is ignored when it ends. */
  private generation = 0;
  private timedOut = false;
  private srcPadCache: Pad | null = null;
  protected override stateChanged(from: PipelineState, to: PipelineState): void {
    if (from === 'idle' && to === 'running') this.resumed();
  }

  get srcPad(): Pad {
    return (this.srcPadCache ??= this.pad('src')!);
  }

  override start(): void {
    this.timeoutNs = this.num('timeout') * 1e6;
    this.action = ACTIONS[this.str('action')] ?? ERROR;
    this.reset();
  }

  override stop(): void {
    this.unwatch();
  }

  private reset(): void {
    this.unwatch();
    this.timedOut = false;
  }

  /** Ends the watch; a clock wait in flight is ignored when it ends. */
  private unwatch(): void {
    this.generation++;
    this.lastData = -1;
    this.armedAt = -1;
  }

  /** The pipeline runs again after a pause: the stream gets a whole timeout from now. */
  private resumed(): void {
    if (this.lastData < 0 || this.timedOut) return;
    this.lastData = this.context.clock.now();
    if (this.armedAt < 0) this.arm();
  }

  protected override propertyChanged(name: string, value: PropertyValue): void {
    if (name === 'timeout') {
      this.timeoutNs = (value as number) * 1e6;
      if (this.lastData >= 0) this.arm();
    } else if (name === 'action') this.action = ACTIONS[value as string] ?? ERROR;
  }

  protected override readProperty(name: string): PropertyValue | undefined {
    return name === 'timed-out' ? this.timedOut : undefined;
  }

  override chain(_pad: Pad, buf: Buffer): FlowResult {
    if (this.timedOut) {
      buf.release();
      return this.action === EOS ? FlowResult.EOS : FlowResult.ERROR;
    }
    this.watch();
    return this.srcPad.push(buf);
  }

  override sinkEvent(pad: Pad, ev: Event): boolean {
    if (ev.type === 'caps') pad.caps = ev.caps;
    if (ev.type === 'eos') {
      // Stop watching; a timeout's own EOS already went out.
      this.unwatch();
      if (this.timedOut) return true;
    } else if (ev.type === 'flush-stop') {
      this.reset();
    } else if (ev.type !== 'flush-start' && this.lastData < 0 && !this.timedOut) {
      this.watch();
    }
    return this.srcPad.pushEvent(ev);
  }

  /** Notes data now; arms the clock wait if none is in flight. */
  private watch(): void {
    this.lastData = this.context.clock.now();
    if (this.armedAt < 0) this.arm();
  }

  private arm(): void {
    const gen = this.generation;
    const deadline = this.lastData + this.timeoutNs;
    this.armedAt = deadline;
    void this.context.clock.waitUntil(deadline).then((reached) => {
      if (gen !== this.generation || this.armedAt !== deadline) return;
      this.armedAt = -1;
      // Cancelled (the pipeline stops): the next buffer arms a new wait.
      // Paused: the resume arms the next wait.
      if (!reached || this.lastData < 0 || this.state !== 'running') return;
      if (this.context.clock.now() < this.lastData + this.timeoutNs) this.arm();
      else this.fire();
    });
  }

  private fire(): void {
    this.timedOut = true;
    this.notify('timed-out', true);
    const ms = this.timeoutNs / 1e6;
    if (this.action === ERROR) {
      this.error(`no data for ${ms} ms (timeout=${ms})`);
      return;
    }
    this.warning(`no data for ${ms} ms (timeout=${ms}): ending the stream`);
    this.srcPad.pushEvent(Events.eos());
  }
}

export default Timeout;
