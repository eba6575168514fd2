import { Buffer } from '../../element/buffer.js';
import { Element } from '../../element/element.js';
import { Events, type Event } from '../../element/event.js';
import { FlowResult } from '../../element/flow.js';
import type { ElementMetadata } from '../../element/metadata.js';
import type { Pad } from '../../element/pad.js';
import type { PropertyValue } from '../../element/property.js';
import { ParallaxError } from '../../errors.js';
import { checkLinkCapacity, MAX_LINK_CAPACITY } from '../../isolation/link/cross-ring.js';
import { ControlServer } from './control-server.js';
import { ProducerLink } from './producer-link.js';
import { checkSocketPath } from './socket-path.js';

type Phase = 'waiting' | 'linked' | 'ended';

/**
 * `audiotestsrc num-buffers=10 ! ipcsink path=/tmp/parallax-ipc.sock`
 *
 * Sink/IPC. Hands its stream to another program, where `ipcsrc path=…` picks it up, with zero
 * copies: the two programs are started separately and meet at a Unix socket (see
 * examples/08-ipc-two-processes/). This pipeline's buffers are allocated in a memfd (the
 * element's metadata says `processShared`), the consumer maps it read-only, and each buffer
 * crosses as a 128-byte record on a process link (src/isolation/link/); the socket carries only
 * the control records of protocol.ts and the link's fds.
 *
 * - At start it listens on `path` (a stale socket file left by a dead program is replaced; a
 *   directory, a file or a live listener is an error naming the path) and removes the file at stop.
 * - One consumer at a time; another one that connects is refused with a reason.
 * - Until a consumer connects, with `wait-for-connection=true` (the default) the streaming task
 *   waits, holding what came; with `false`, buffers are dropped (counted in `dropped`) and the
 *   consumer starts with the stream's stream-start, caps and segment, then the next buffer.
 * - A consumer that disconnects or dies before this side sent EOS ends the stream with an error
 *   naming the path. One that ended its own stream with EOS ends this one with EOS.
 * - The link is backpressure: a consumer that reads slowly makes upstream wait.
 *
 * The consumer is another program: everything it writes into the link is checked (as for
 * isolated elements), and a violation is an `IPC_VIOLATION` error naming the path.
 */
export class IpcSink extends Element {
  static readonly metadata: ElementMetadata = {
    factory: 'ipcsink',
    classification: 'Sink/IPC',
    description: 'Sends the stream to ipcsrc in another process over a Unix socket and shared memory, without copies',
    example: 'audiotestsrc num-buffers=10 ! ipcsink path=/tmp/parallax-ipc.sock',
    padTemplates: [{ name: 'sink', direction: 'sink', presence: 'always', caps: 'ANY' }],
    properties: {
      path: { type: 'string', default: null, description: 'Filesystem path of the Unix socket to listen on (at most 107 bytes)' },
      'wait-for-connection': { type: 'bool', default: true, description: 'Hold the stream until a consumer connects (false: drop buffers until then)' },
      capacity: { type: 'uint64', default: 256, min: 2, max: MAX_LINK_CAPACITY, description: 'Records in the link ring (a power of two): buffers in flight before upstream waits' },
      dropped: { type: 'uint64', default: 0, readonly: true, description: 'Buffers dropped while no consumer was connected (wait-for-connection=false)' },
      connected: { type: 'bool', default: false, readonly: true, description: 'Whether a consumer is connected now' },
    },
    affinity: 'async',
    rtSafe: false,
    processShared: true,
  };

  private server: ControlServer | null = null;
  private link: ProducerLink | null = null;
  private phase: Phase = 'waiting';
  /** With wait-for-connection: what arrived before the consumer, in order. */
  private queued: (Buffer | Event)[] = [];
  private wakeLinked: (() => void) | null = null;
  private linkedPromise: Promise<void> | null = null;
  private flushing = false;
  private eosSent = false;
  private consumerEos = false;
  private droppedCount = 0;
  /** What upstream hears once the link ended. */
  private endResult: FlowResult = FlowResult.FLUSHING;

  private get path(): string {
    return this.str('path');
  }

  override start(): void {
    const path = checkSocketPath(this.name, this.get('path'));
    try {
      checkLinkCapacity(this.num('capacity'));
    } catch (e) {
      throw new ParallaxError('BAD_PROPERTY_VALUE', `${this.name}: capacity: ${e instanceof Error ? e.message : String(e)}`);
    }
    this.phase = 'waiting';
    this.flushing = false;
    this.eosSent = this.consumerEos = false;
    this.droppedCount = 0;
    this.endResult = FlowResult.FLUSHING;
    this.server = new ControlServer(this.name, path, {
      connect: (fd) => this.connect(fd),
      done: (eos) => (this.consumerEos ||= eos),
      gone: (why) => this.consumerGone(why),
      failed: (why) => this.fail(`socket "${path}": ${why}`),
    });
  }

  override chain(_pad: Pad, buf: Buffer): FlowResult {
    if (this.phase === 'linked' && !this.flushing) return this.link!.bridge.chain(this.link!.pad, buf);
    return this.notLinked(buf);
  }

  override sinkEvent(pad: Pad, ev: Event): boolean {
    if (ev.type === 'caps') pad.caps = ev.caps;
    if (ev.type === 'flush-start') return true;
    if (this.phase === 'linked' && !this.flushing) {
      if (ev.type === 'eos') return this.sendEos();
      return this.link!.bridge.sinkEvent(this.link!.pad, ev);
    }
    if (ev.type === 'eos' && (this.phase === 'ended' || this.flushing || !this.bool('wait-for-connection'))) {
      // Nobody to tell: the stream ends here (a consumer that connects later is refused).
      this.phase = 'ended';
      this.context.sinkReachedEos(this);
      return true;
    }
    if (this.phase === 'waiting' && this.bool('wait-for-connection') && !this.flushing) {
      this.queued.push(ev);
      this.context.blockUpstream(this.whenLinked());
    }
    return true;
  }

  /** Before a consumer, or after it left: hold, drop, or refuse the buffer. */
  private notLinked(buf: Buffer): FlowResult {
    if (this.phase === 'waiting' && !this.flushing) {
      if (this.bool('wait-for-connection')) {
        this.queued.push(buf);
        this.context.blockUpstream(this.whenLinked());
        return FlowResult.OK;
      }
      this.droppedCount++;
      buf.release();
      return FlowResult.OK;
    }
    buf.release();
    return this.flushing ? FlowResult.FLUSHING : this.endResult;
  }

  private whenLinked(): Promise<void> {
    this.linkedPromise ??= new Promise<void>((resolve) => (this.wakeLinked = resolve));
    return this.linkedPromise;
  }

  private wake(): void {
    this.wakeLinked?.();
    this.wakeLinked = null;
    this.linkedPromise = null;
  }

  /** A consumer asked for the link: make it, then hand over what waited. Null, or why not. */
  private connect(fd: number): string | null {
    if (this.phase !== 'waiting' || this.flushing) return 'the stream has ended';
    try {
      this.link = ProducerLink.open(fd, {
        capacity: this.num('capacity'),
        caps: this.pad('sink')!.caps?.toString() ?? 'ANY',
        label: `${this.name} -> ${this.path}`,
        context: this.context,
        onViolation: (message) => this.violation(message),
      });
    } catch (e) {
      return `the producer could not make the link: ${e instanceof Error ? e.message : String(e)}`;
    }
    this.phase = 'linked';
    const link = this.link;
    if (this.bool('wait-for-connection')) {
      for (const item of this.queued.splice(0)) {
        if (item instanceof Buffer) link.bridge.chain(link.pad, item);
        else if (item.type === 'eos') this.sendEos();
        else link.bridge.sinkEvent(link.pad, item);
      }
    } else {
      // The consumer joins mid-stream: it starts with the stream's description.
      const sticky = this.pad('sink')!.sticky;
      for (const type of ['stream-start', 'caps', 'segment'] as const) {
        const ev = sticky.get(type);
        if (ev !== undefined) link.bridge.sinkEvent(link.pad, ev);
      }
    }
    this.wake();
    return null;
  }

  /** EOS into the link; this sink is done once it is in the ring (or nobody can take it). */
  private sendEos(): boolean {
    const link = this.link!;
    let accepted = false;
    const drained = link.capture(() => (accepted = link.bridge.sinkEvent(link.pad, Events.eos())));
    this.eosSent = accepted;
    this.context.blockUpstream(drained.then(() => this.context.sinkReachedEos(this)));
    return true;
  }

  private consumerGone(why: string): void {
    if (this.phase === 'ended') return;
    this.phase = 'ended';
    this.link?.consumerGone();
    if (this.eosSent || this.consumerEos || this.flushing) {
      this.endResult = this.consumerEos ? FlowResult.EOS : FlowResult.FLUSHING;
    } else {
      this.endResult = FlowResult.ERROR;
      this.error(`the consumer at "${this.path}" ${why} before the end of the stream`);
    }
    this.wake();
  }

  private violation(message: string): void {
    this.endResult = FlowResult.ERROR;
    this.context.post({ type: 'error', source: this.name, error: new ParallaxError('IPC_VIOLATION', `${this.name}: ${message}`) });
  }

  private fail(message: string): void {
    if (this.phase === 'ended') return;
    this.phase = 'ended';
    this.endResult = FlowResult.ERROR;
    this.error(message);
    this.wake();
  }

  protected override readProperty(name: string): PropertyValue | undefined {
    if (name === 'dropped') return this.droppedCount;
    if (name === 'connected') return this.phase === 'linked';
    return undefined;
  }

  override unblock(): void {
    this.flushing = true;
    for (const item of this.queued.splice(0)) if (item instanceof Buffer) item.release();
    this.link?.bridge.unblock();
    this.wake();
  }

  override stop(): void {
    this.unblock();
    this.server?.close();
    this.server = null;
    this.link?.close();
    this.link = null;
    this.phase = 'waiting';
  }
}

export default IpcSink;
