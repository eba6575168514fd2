import type { Buffer } from '../buffer.js';
import { Element } from '../element.js';
import { Events } from '../event.js';
import { FlowResult } from '../flow.js';
import type { Pad } from '../pad.js';

/** What a streaming task's producer hands back: a buffer, an event, or a FlowResult that ends the task. */
export type Produced = Buffer | FlowResult;

let streamCounter = 0;

/**
 * Base class of sources: fill in `create()`. The base class sends stream-start, caps and segment
 * before the first buffer, and EOS at the end.
 *
 * `create()` may return a promise (an I/O source); the executor awaits it, then pushes the result
 * from inside its streaming task, so the push is synchronous like any other.
 * Event-loop streaming task only.
 */
export abstract class Source extends Element {
  private headerSent = false;
  private finished = false;

  get srcPad(): Pad {
    const p = this.pads[0];
    if (p === undefined || p.direction !== 'src') throw new Error(`${this.name}: a Source needs an always src pad first`);
    return p;
  }

  /** Produces the next buffer, or a FlowResult (EOS when done). */
  protected abstract create(): Produced | Promise<Produced>;

  /** Called by the streaming task. */
  produce(): Produced | Promise<Produced> {
    if (!this.headerSent) this.sendHeader();
    return this.create();
  }

  /** Pushes what `produce()` returned. Returns the downstream FlowResult. Hot path. */
  deliver(buf: Buffer): FlowResult {
    return this.srcPad.push(buf);
  }

  /** The task is ending with `result`: EOS goes downstream once. */
  finish(result: FlowResult): void {
    if (this.finished) return;
    this.finished = true;
    if (result === FlowResult.EOS) {
      if (!this.headerSent) this.sendHeader();
      this.srcPad.pushEvent(Events.eos());
    }
  }

  /** Resets stream state so a restarted pipeline sends its header again. */
  override start(): void | Promise<void> {
    this.headerSent = false;
    this.finished = false;
  }

  protected sendHeader(): void {
    this.headerSent = true;
    const pad = this.srcPad;
    pad.pushEvent(Events.streamStart(`${this.name}/${(++streamCounter).toString(16).padStart(8, '0')}`));
    if (pad.caps !== null && !pad.caps.isAny()) pad.pushEvent(Events.caps(pad.caps));
    pad.pushEvent(Events.segment());
  }
}
