import type { ElementContext } from '../../element/context.js';
import type { Pad } from '../../element/pad.js';
import { closeFd } from '../../isolation/fd.js';
import { createProcessLink } from '../../isolation/link/create.js';
import { ProcessBridgeSink } from '../../isolation/link/process-bridge-sink.js';
import { requireNative } from '../../isolation/native.js';
import { encode, IPC_PROTOCOL_VERSION } from './protocol.js';

/** Re-checks of a full ring before the bridge waits for the doorbell. */
const SPIN = 64;

/**
 * ipcsink's side of one consumer: a fresh process link, the ProcessBridgeSink that feeds it, and
 * the hello that hands the consumer its end.
 *
 * Composition, not a graph element: the bridge stays out of the pipeline (the pipeline never sees
 * a consumer come and go), ipcsink calls its `chain`/`sinkEvent`, and the bridge reaches the
 * pipeline through a context that lets ipcsink see the waits it asks upstream for — ipcsink needs
 * them to know when an EOS it handed over has gone into the ring.
 *
 * After the hello, this process closes its copies of the consumer's fds: then the consumer's
 * death closes the last copy of its doorbell and regions ends, and the bridge's waits see it.
 */
export class ProducerLink {
  readonly bridge: ProcessBridgeSink;
  /** Waits the bridge asked for since `capture()` began, or null when nobody captures. */
  private captured: Promise<unknown>[] | null = null;

  private constructor(private readonly ownFds: readonly number[], bridge: (ctx: ElementContext) => ProcessBridgeSink, context: ElementContext) {
    this.bridge = bridge({
      get allocator() { return context.allocator; },
      get clock() { return context.clock; },
      get baseTime() { return context.baseTime; },
      post: (m) => context.post(m),
      blockUpstream: (p) => {
        this.captured?.push(p);
        context.blockUpstream(p);
      },
      sinkReachedEos: () => {},
    });
  }

  /**
   * Makes the link and sends the hello on `socketFd`. Throws (having closed every fd it made)
   * when the consumer cannot be told.
   */
  static open(socketFd: number, options: { capacity: number; caps: string; label: string; context: ElementContext; onViolation(message: string): void }): ProducerLink {
    const link = createProcessLink(options.capacity);
    let made: ProducerLink;
    try {
      const { producer, consumer } = link;
      made = new ProducerLink([producer.regionsSocketFd, producer.doorbellFd], (ctx) => {
        const bridge = new ProcessBridgeSink(`${options.label}>`, producer, { mayBlock: false, spin: SPIN, label: options.label, onViolation: options.onViolation });
        bridge.attach(ctx);
        return bridge;
      }, options.context);
      const hello = encode({ type: 'hello', version: IPC_PROTOCOL_VERSION, capacity: consumer.capacity, byteLength: consumer.byteLength, caps: options.caps });
      // Blocking is fine: a hello is one small record on a fresh socket.
      requireNative().sendFds(socketFd, [consumer.regionFd, consumer.regionsSocketFd, consumer.doorbellFd], hello);
    } catch (e) {
      link.close();
      throw e;
    }
    // The region stays mapped by the bridge; the consumer's ends now live in the consumer.
    for (const fd of [link.consumer.regionFd, link.consumer.regionsSocketFd, link.consumer.doorbellFd]) closeFd(fd);
    return made;
  }

  get pad(): Pad {
    return this.bridge.pad('sink')!;
  }

  /** Runs `f` and returns a promise of every wait the bridge asked for meanwhile (its drain). */
  capture(f: () => unknown): Promise<unknown> {
    const waits: Promise<unknown>[] = [];
    this.captured = waits;
    try {
      f();
    } finally {
      this.captured = null;
    }
    return Promise.all(waits);
  }

  /** The consumer is gone: wake a waiting drain and release every buffer it held. */
  consumerGone(): void {
    this.bridge.unblock();
    this.bridge.reclaimAll();
  }

  close(): void {
    this.bridge.unblock();
    this.bridge.stop();
    this.bridge.reclaimAll();
    for (const fd of this.ownFds) closeFd(fd);
  }
}
