/**
 * Restarting a crashed element host (opt-in: `isolation: { restart: { max, windowMs } }`).
 *
 * A restart replaces the host's process links, so the supervisor's ends of those links must
 * outlive any one link: these two elements stand where the process bridges stood and switch from
 * the dead link's bridge to the new one. While a host is down:
 * - upstream keeps flowing into a `SwitchingSink`, which drops (and counts) what arrives, since
 *   nobody can take it; once the new host is up, the upstream pad's sticky events (stream-start,
 *   caps, segment) go first, so the new element starts the stream as the first one did;
 * - the task driving a `SwitchingSource` waits for the new link instead of ending.
 * Buffers that were inside the dead host are lost; the warning that announces the restart says so.
 *
 * A crash loop — more than `max` restarts of one host within `windowMs` — ends the pipeline with
 * the host's own error, as without a policy.
 */
import type { Buffer } from '../element/buffer.js';
import { Element } from '../element/element.js';
import { Events, type Event } from '../element/event.js';
import { FlowResult } from '../element/flow.js';
import type { ElementMetadata } from '../element/metadata.js';
import type { Pad } from '../element/pad.js';
import type { TaskDriver } from '../exec/streaming-task.js';
import type { ProcessBridgeSink } from './link/process-bridge-sink.js';
import type { ProcessBridgeSource } from './link/process-bridge-source.js';

export interface RestartOptions {
  /** Restarts of one host allowed within `windowMs`; one more is a crash loop. */
  readonly max: number;
  readonly windowMs: number;
}

/** Counts one host's restarts in a sliding window. */
export class RestartBudget {
  private readonly times: number[] = [];

  constructor(private readonly options: RestartOptions) {}

  /** Records a crash at `now`; whether the host may be restarted for it. */
  allow(now: number): boolean {
    while (this.times.length > 0 && now - this.times[0]! > this.options.windowMs) this.times.shift();
    if (this.times.length >= this.options.max) return false;
    this.times.push(now);
    return true;
  }

  get used(): number {
    return this.times.length;
  }
}

const STICKY = ['stream-start', 'caps', 'segment'] as const;

/** The supervisor's end of a link into a restartable host. */
export class SwitchingSink extends Element {
  static readonly metadata: ElementMetadata = {
    factory: 'processswitchsink',
    classification: 'Generic/Bridge',
    description: 'The supervisor end of a link into a restartable element host (inserted by the scheduler)',
    example: '',
    padTemplates: [{ name: 'sink', direction: 'sink', presence: 'always', caps: 'ANY' }],
    properties: {},
    affinity: 'auto',
    rtSafe: true,
  };

  private target: ProcessBridgeSink | null;
  /** Serialized events that came while the host was down (EOS among them): the new host gets them. */
  private readonly held: Event[] = [];
  /** EOS passed here: a new host must get it too, or the stream never ends. */
  private eosSeen = false;
  /** Buffers dropped because their host was down. */
  dropped = 0;

  constructor(name: string, first: ProcessBridgeSink) {
    super(name);
    this.target = first;
  }

  /** The host is down: drop until `switchTo`. */
  suspendTarget(): void {
    this.target = null;
  }

  /** The new host is up: replay the stream's sticky events into it, then send it everything. */
  switchTo(next: ProcessBridgeSink): void {
    const upstream = this.pad('sink')!.peer;
    const pad = next.pad('sink')!;
    for (const type of STICKY) {
      const ev = upstream?.sticky.get(type);
      if (ev !== undefined) next.sinkEvent(pad, ev);
    }
    const held = this.held.splice(0);
    for (const ev of held) if (!(STICKY as readonly string[]).includes(ev.type)) next.sinkEvent(pad, ev);
    // An EOS the dead host took with it (in its ring, or unread) goes to the new one.
    if (this.eosSeen && !held.some((ev) => ev.type === 'eos')) next.sinkEvent(pad, Events.eos());
    this.target = next;
  }

  override chain(_pad: Pad, buf: Buffer): FlowResult {
    const t = this.target;
    if (t === null) {
      this.dropped++;
      buf.release();
      return FlowResult.OK;
    }
    const r = t.chain(t.pad('sink')!, buf);
    // The host died under this buffer: the restart decides; until then nothing is refused.
    if (r === FlowResult.FLUSHING && this.target !== t) return FlowResult.OK;
    return r;
  }

  override sinkEvent(_pad: Pad, ev: Event): boolean {
    const t = this.target;
    if (ev.type === 'caps') this.pad('sink')!.caps = ev.caps;
    if (ev.type === 'eos') this.eosSeen = true;
    if (t !== null) return t.sinkEvent(t.pad('sink')!, ev);
    if (ev.type !== 'flush-start' && ev.type !== 'flush-stop') this.held.push(ev);
    return true;
  }

  override unblock(): void {
    this.target?.unblock();
  }
}

/** The supervisor's end of a link out of a restartable host: one task across restarts. */
export class SwitchingSource extends Element implements TaskDriver {
  static readonly metadata: ElementMetadata = {
    factory: 'processswitchsrc',
    classification: 'Generic/Bridge',
    description: 'The supervisor end of a link out of a restartable element host (inserted by the scheduler)',
    example: '',
    padTemplates: [],
    properties: {},
    affinity: 'auto',
    rtSafe: true,
  };

  private target: ProcessBridgeSource | null;
  private waiting: { promise: Promise<void>; resolve(): void } | null = null;
  private stopped = false;

  constructor(name: string, first: ProcessBridgeSource) {
    super(name);
    this.target = first;
  }

  /** The host died: its source will end; the task waits for `switchTo` (or `giveUp`). */
  suspendTarget(): void {
    this.target = null;
    let resolve!: () => void;
    const promise = new Promise<void>((r) => (resolve = r));
    this.waiting ??= { promise, resolve };
  }

  switchTo(next: ProcessBridgeSource): void {
    this.target = next;
    this.waiting?.resolve();
    this.waiting = null;
  }

  /** No restart after all (a crash loop, or the pipeline stops): the task ends. */
  giveUp(): void {
    this.stopped = true;
    this.waiting?.resolve();
    this.waiting = null;
  }

  produce(): Buffer | Event | FlowResult | Promise<Buffer | Event | FlowResult> {
    const t = this.target;
    if (this.stopped) return FlowResult.FLUSHING;
    if (t === null) return this.waiting!.promise.then(() => this.produce());
    const r = t.produce();
    const settle = (v: Buffer | Event | FlowResult): Buffer | Event | FlowResult | Promise<Buffer | Event | FlowResult> =>
      v === FlowResult.FLUSHING && this.target !== t && !this.stopped ? this.produce() : v;
    return r instanceof Promise ? r.then(settle) : settle(r);
  }

  deliver(item: Buffer | Event): FlowResult {
    const t = this.target;
    if (t === null) {
      (item as Partial<Buffer>).release?.();
      return FlowResult.OK;
    }
    return t.deliver(item);
  }

  finish(result: FlowResult): void {
    this.target?.finish(result);
  }

  override unblock(): void {
    this.giveUp();
    this.target?.unblock();
  }
}
