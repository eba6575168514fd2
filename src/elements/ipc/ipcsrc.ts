import { Buffer } from '../../element/buffer.js';
import { Caps, parseCaps } from '../../element/caps/index.js';
import { Element } from '../../element/element.js';
import { Events, type Event } from '../../element/event.js';
import { FlowResult } from '../../element/flow.js';
import type { ElementMetadata } from '../../element/metadata.js';
import type { Pad } from '../../element/pad.js';
import { ParallaxError } from '../../errors.js';
import type { TaskDriver } from '../../exec/streaming-task.js';
import { closeFd } from '../../isolation/fd.js';
import { ConsumerLink } from './consumer-link.js';
import { ConnectError, ControlClient } from './control-client.js';
import { checkSocketPath } from './socket-path.js';

type Item = Buffer | Event;

/**
 * `ipcsrc path=/tmp/parallax-ipc.sock ! fakesink`
 *
 * Source/IPC. Receives the stream an `ipcsink path=…` in another program sends, with zero
 * copies: buffers are read in place in the producer's memory, mapped read-only (see ipcsink and
 * examples/08-ipc-two-processes/).
 *
 * - At start it connects to `path`, retrying every 50 ms for up to `timeout` ms while nobody
 *   listens there yet (the two programs may start in either order); then an error names the path
 *   and the reason. A path that cannot be a socket (too long, a directory) fails at prepare.
 * - `caps` (like appsrc's) are the caps it offers downstream at negotiation, before it has heard
 *   from the producer; ANY when unset. The producer's caps (in its hello, and in later caps
 *   events) must intersect the caps negotiated here, or the stream stops with an error naming both.
 * - EOS from the producer ends the stream. A producer that goes away before EOS (it stopped, or
 *   its process died) is an error naming the path.
 *
 * The producer is another program: its hello, its fds and everything it writes into the link are
 * checked before use (as for isolated elements); a violation is an `IPC_VIOLATION` error.
 */
export class IpcSrc extends Element implements TaskDriver {
  static readonly metadata: ElementMetadata = {
    factory: 'ipcsrc',
    classification: 'Source/IPC',
    description: 'Receives the stream of an ipcsink in another process over a Unix socket and shared memory, without copies',
    example: 'ipcsrc path=/tmp/parallax-ipc.sock ! fakesink',
    padTemplates: [{ name: 'src', direction: 'src', presence: 'always', caps: 'ANY' }],
    properties: {
      path: { type: 'string', default: null, description: 'Filesystem path of the Unix socket ipcsink listens on' },
      caps: { type: 'caps', default: Caps.ANY, description: 'The caps of the stream, for negotiation before the producer is heard (ANY: left open)' },
      timeout: { type: 'uint64', default: 5000, max: 2147483647, description: 'Milliseconds to wait for the producer (connect and hello) before an error' },
    },
    affinity: 'async',
    rtSafe: false,
  };

  private readonly srcPad: Pad = this.pad('src')!;
  private client: ControlClient | null = null;
  private link: ConsumerLink | null = null;
  /** Until the link is up: resolves with OK (linked) or the result that ends the task. */
  private connecting: Promise<FlowResult> | null = null;
  private lostWhy: string | null = null;
  private sawEos = false;
  private flushing = false;

  private get path(): string {
    return this.str('path');
  }

  override sourceCaps(pad: Pad): Caps {
    const caps = this.get('caps') as Caps;
    return caps.isAny() ? pad.template.caps : caps;
  }

  override start(): void {
    const path = checkSocketPath(this.name, this.get('path'));
    this.sawEos = this.flushing = false;
    this.lostWhy = null;
    const client = new ControlClient(path, this.num('timeout'), (why) => this.producerLost(why));
    this.client = client;
    this.connecting = client.open().then(
      (hello) => {
        if (this.client !== client) {
          for (const fd of hello.fds) closeFd(fd); // stopped meanwhile
          return FlowResult.FLUSHING;
        }
        try {
          this.checkCaps(hello.message.caps, 'its hello');
        } catch (e) {
          for (const fd of hello.fds) closeFd(fd);
          client.close();
          return this.failed(e instanceof Error ? e.message : String(e));
        }
        try {
          this.link = new ConsumerLink(hello, { label: `${path} -> ${this.name}`, context: this.context, onViolation: (m) => this.violation(m) });
        } catch (e) {
          client.close();
          return this.failed(`the producer at "${path}" sent a link this side cannot use: ${e instanceof Error ? e.message : String(e)}`);
        }
        return FlowResult.OK;
      },
      (e: unknown) => (e instanceof ConnectError && e.cancelled ? FlowResult.FLUSHING : this.failed(e instanceof Error ? e.message : String(e))),
    );
  }

  produce(): Item | FlowResult | Promise<Item | FlowResult> {
    const link = this.link;
    if (link === null) {
      if (this.connecting === null || this.flushing) return FlowResult.FLUSHING;
      return this.connecting.then((r) => (r === FlowResult.OK && !this.flushing ? this.produce() : r));
    }
    const next = link.bridge.produce();
    return next instanceof Promise ? next.then(this.ended) : this.ended(next);
  }

  /** The bridge stops with FLUSHING when the producer left: an error unless EOS came first. */
  private readonly ended = (item: Item | FlowResult): Item | FlowResult => {
    if (item !== FlowResult.FLUSHING || this.flushing || this.sawEos || this.lostWhy === null) return item;
    return this.failed(`the producer at "${this.path}" ${this.lostWhy} before the end of the stream`);
  };

  deliver(item: Item): FlowResult {
    if (item instanceof Buffer) return this.srcPad.push(item);
    if (item.type === 'caps') {
      try {
        this.checkCaps(item.caps, 'a caps event');
      } catch (e) {
        return this.failed(e instanceof Error ? e.message : String(e));
      }
    }
    this.srcPad.pushEvent(item);
    if (item.type !== 'eos') return FlowResult.OK;
    this.sawEos = true;
    return FlowResult.EOS;
  }

  finish(result: FlowResult): void {
    this.link?.bridge.finish(result);
    this.client?.sendDone(result === FlowResult.EOS);
    // Downstream ended the stream before the producer's EOS came: send one, as a source does.
    if (result === FlowResult.EOS && !this.sawEos) {
      this.sawEos = true;
      this.srcPad.pushEvent(Events.eos());
    }
  }

  /** Throws when the producer's caps cannot be what this side negotiated. */
  private checkCaps(caps: Caps | string, where: string): void {
    const negotiated = this.srcPad.caps ?? (this.get('caps') as Caps);
    if (negotiated.isAny()) return;
    let theirs: Caps;
    try {
      theirs = typeof caps === 'string' ? parseCaps(caps) : caps;
    } catch (e) {
      throw new Error(`the producer at "${this.path}" sent caps that do not parse in ${where}: ${e instanceof Error ? e.message : String(e)}`);
    }
    if (!negotiated.canIntersect(theirs)) {
      throw new Error(`the producer at "${this.path}" sends ${theirs.toString()} (${where}), which does not intersect ${negotiated.toString()}, the caps of ${this.srcPad.fullName}`);
    }
  }

  private producerLost(why: string): void {
    this.lostWhy = why;
    this.link?.producerGone();
  }

  private failed(message: string): FlowResult {
    if (this.flushing) return FlowResult.FLUSHING;
    return this.error(message);
  }

  private violation(message: string): void {
    this.context.post({ type: 'error', source: this.name, error: new ParallaxError('IPC_VIOLATION', `${this.name}: ${message}`) });
  }

  override unblock(): void {
    this.flushing = true;
    this.client?.close();
    this.link?.bridge.unblock();
  }

  override stop(): void {
    this.unblock();
    this.client = null;
    this.link?.close();
    this.link = null;
    this.connecting = null;
  }
}

export default IpcSrc;
