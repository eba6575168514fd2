import { BufferFlags, type Buffer } from '../../element/buffer.js';
import type { Caps } from '../../element/caps/index.js';
import { Element } from '../../element/element.js';
import { Events, type Event } from '../../element/event.js';
import { FlowResult } from '../../element/flow.js';
import type { ElementMetadata } from '../../element/metadata.js';
import type { Pad } from '../../element/pad.js';
import type { PropertyValue } from '../../element/property.js';
import { ParallaxError } from '../../errors.js';
import { StreamSync } from './stream-sync.js';

/**
 * `input-selector name=s ! fakesink  fakesrc num-buffers=3 ! s.  fakesrc num-buffers=3 ! s.`
 *
 * Classification: Generic.
 *
 * N-to-1 switch, after GStreamer's input-selector: of its request sink pads (`sink_%u`) only the
 * active one's buffers go out; the others' are dropped (returning OK, so their upstreams keep
 * going; counted in `dropped`). With `sync-streams` (default, as in GStreamer) an inactive pad's
 * buffer that is ahead of the active stream in running time waits, its upstream blocked, until
 * the active stream gets there (stream-sync.ts); so after a switch the new stream goes on from
 * about where the old one was. The buffer held when its pad becomes active goes out first, with
 * that pad's next buffer or event. `active-pad` names the active pad ("sink_1") and may change
 * while running; unset, the first pad with activity (an event or a buffer) becomes active, as in
 * GStreamer.
 *
 * On a switch, as in GStreamer, the new pad's stream-start (if its stream differs), caps (if they
 * differ) and segment go out before its first buffer, and that buffer is flagged DISCONT (a
 * shared buffer's header is copied first, counted). Inactive pads' other events are dropped.
 *
 * EOS goes out when the active pad gets EOS; a switch to a pad that already had EOS sends it
 * then. Once EOS is out every pad's chain returns EOS, so all upstreams stop. Upstream events
 * (seeks and the like) go to the active pad.
 *
 * Not done: GStreamer's `sync-mode=clock` and `cache-buffers`.
 *
 * Event-loop, called from each upstream's streaming task. Hot path: one comparison and a push;
 * not rt-safe, as sync-streams makes an upstream wait (a promise) for another stream.
 */
export class InputSelector extends Element {
  static readonly metadata: ElementMetadata = {
    factory: 'input-selector',
    classification: 'Generic',
    description: 'N-to-1 input stream selector',
    example: 'input-selector name=s ! fakesink  fakesrc num-buffers=3 ! s.  fakesrc num-buffers=3 ! s.',
    padTemplates: [
      { name: 'sink_%u', direction: 'sink', presence: 'request' },
      { name: 'src', direction: 'src', presence: 'always' },
    ],
    properties: {
      'active-pad': { type: 'string', default: null, mutable: true, description: 'The currently active sink pad, by name (sink_N); unset = the first with activity' },
      'n-pads': { type: 'int', default: 0, min: 0, readonly: true, description: 'The number of sink pads' },
      'sync-streams': { type: 'bool', default: true, mutable: true, description: 'Inactive pads wait (by running time) for the active one instead of running free' },
      dropped: { type: 'uint64', default: 0, readonly: true, description: 'Buffers of inactive pads dropped since start' },
    },
    affinity: 'auto',
    rtSafe: false,
  };

  private active: Pad | null = null;
  /** A switch happened: the active pad's headers go out before its next buffer or event. */
  private switched = false;
  /** A switch happened: the active pad's next buffer is flagged DISCONT. */
  private discont = false;
  private readonly eosPads = new Set<Pad>();
  private eosSent = false;
  private sentStream: string | null = null;
  private sentCaps: Caps | null = null;
  private droppedCount = 0;
  private syncStreams = true;
  private readonly sync = new StreamSync();
  /** The buffer its pad held when it became active: it goes out before that pad's next item. */
  private heldForActive: Buffer | null = null;
  private srcPadCache: Pad | null = null;
  /**
   * This copy carries the data (it was started). When the element runs on a data thread, the
   * pipeline keeps a copy that only mirrors property values: it must not post notify as well.
   */
  private live = false;

  get srcPad(): Pad {
    return (this.srcPadCache ??= this.pad('src')!);
  }

  /** The active sink pad, or null before one is chosen. */
  get activePad(): Pad | null {
    return this.active;
  }

  /** Checks the pad name before it is stored; a pad that does not exist yet is checked at start. */
  override set(name: string, raw: unknown): void {
    if (name === 'active-pad' && raw !== null) {
      const pad = typeof raw === 'string' ? this.pad(raw) : undefined;
      const fits = typeof raw === 'string' && this.templates[0]!.matches(raw) && raw !== this.templates[0]!.name;
      if (!fits || (this.state === 'running' && pad === undefined)) {
        const have = this.sinkPads.map((p) => p.name).join(', ') || 'none';
        throw new ParallaxError('BAD_PROPERTY_VALUE', `bad value ${JSON.stringify(raw)} for property active-pad of ${this.name}: expected the name of one of its sink pads (sink_N; it has ${have})`);
      }
    }
    super.set(name, raw);
  }

  override start(): void {
    this.live = true;
    this.eosPads.clear();
    this.eosSent = false;
    this.sentStream = null;
    this.sentCaps = null;
    this.droppedCount = 0;
    this.syncStreams = this.bool('sync-streams');
    this.releaseHeld();
    this.active = null;
    this.switched = false;
    this.discont = false;
    const wanted = this.get('active-pad') as string | null;
    if (wanted !== null) {
      const pad = this.pad(wanted);
      if (pad === undefined) throw new ParallaxError('BAD_PROPERTY_VALUE', `${this.name}: active-pad is ${wanted}, but there is no such pad (it has ${this.sinkPads.map((p) => p.name).join(', ') || 'none'})`);
      this.active = pad;
    }
  }

  override stop(): void {
    this.live = false;
    this.releaseHeld();
  }

  /** The pipeline is stopping: upstreams waiting for the active stream go on. */
  override unblock(): void {
    this.releaseHeld();
  }

  private releaseHeld(): void {
    this.sync.releaseAll();
    this.heldForActive?.release();
    this.heldForActive = null;
  }

  protected override propertyChanged(name: string, value: PropertyValue): void {
    if (name === 'sync-streams') {
      this.syncStreams = value as boolean;
      if (!this.syncStreams) this.droppedCount += this.sync.releaseAll();
      return;
    }
    if (name !== 'active-pad' || value === null) return;
    const pad = this.pad(value as string);
    if (pad !== undefined && pad !== this.active) this.activate(pad);
  }

  protected override readProperty(name: string): PropertyValue | undefined {
    if (name === 'n-pads') return this.sinkPads.length;
    if (name === 'dropped') return this.droppedCount;
    if (name === 'active-pad') return this.active?.name ?? null;
    return undefined;
  }

  override removePad(pad: Pad): void {
    super.removePad(pad);
    this.eosPads.delete(pad);
    // A buffer it held is dropped and its upstream let go.
    const held = this.sync.take(pad);
    if (held !== null) {
      held.release();
      this.droppedCount++;
    }
    if (pad === this.active) {
      this.active = null;
      this.heldForActive?.release();
      this.heldForActive = null;
    }
  }

  private activate(pad: Pad): void {
    const first = this.active === null;
    this.active = pad;
    this.switched = !first;
    this.discont = !first;
    // A buffer the new pad held (sync-streams) is the next one of its stream; the old pad's is stale.
    if (this.heldForActive !== null) {
      this.heldForActive.release();
      this.droppedCount++;
    }
    this.heldForActive = this.sync.take(pad);
    if (this.live && this.state === 'running' && !first) this.notify('active-pad', pad.name);
    // A switch to a stream that already ended ends the output.
    if (this.eosPads.has(pad) && !this.eosSent && this.state === 'running') this.sendEos();
  }

  override chain(pad: Pad, buf: Buffer): FlowResult {
    if (this.eosSent) {
      buf.release();
      return FlowResult.EOS;
    }
    if (this.active === null) this.activate(pad);
    if (pad !== this.active) {
      const wait = this.syncStreams ? this.sync.hold(pad, buf) : null;
      if (wait !== null) {
        this.context.blockUpstream(wait);
        return FlowResult.OK;
      }
      this.droppedCount++;
      buf.release();
      return FlowResult.OK;
    }
    const held = this.heldForActive;
    if (held !== null) {
      this.heldForActive = null;
      const r = this.pushActive(pad, held);
      if (r !== FlowResult.OK) {
        buf.release();
        return r;
      }
    }
    return this.pushActive(pad, buf);
  }

  private pushActive(pad: Pad, buf: Buffer): FlowResult {
    if (this.switched) this.sendHeaders(pad);
    if (this.discont) {
      this.discont = false;
      // Flags live in the slot header, which clones share.
      if (!buf.isWritable) buf = buf.makeWritable(this.context.allocator);
      buf.flags |= BufferFlags.DISCONT;
    }
    if (this.syncStreams) this.droppedCount += this.sync.advance(pad, buf);
    return this.srcPad.push(buf);
  }

  /** The new active pad's stream-start (new stream only), caps (if other) and segment. */
  private sendHeaders(pad: Pad): void {
    this.switched = false;
    const ss = pad.sticky.get('stream-start');
    if (ss?.type === 'stream-start' && ss.streamId !== this.sentStream) {
      this.sentStream = ss.streamId;
      this.srcPad.pushEvent(ss);
    }
    const caps = pad.sticky.get('caps');
    if (caps?.type === 'caps') this.sendCaps(caps.caps);
    const seg = pad.sticky.get('segment');
    if (seg !== undefined) this.srcPad.pushEvent(seg);
  }

  private sendCaps(caps: Caps): void {
    if (this.sentCaps !== null && this.sentCaps.equals(caps)) return;
    this.sentCaps = caps;
    this.srcPad.pushEvent(Events.caps(caps));
  }

  private sendEos(): void {
    this.eosSent = true;
    this.droppedCount += this.sync.releaseAll();
    this.srcPad.pushEvent(Events.eos());
  }

  override sinkEvent(pad: Pad, ev: Event): boolean {
    if (ev.type === 'caps') pad.caps = ev.caps;
    // A buffer held for the active pad goes out before anything else of its stream.
    if (pad === this.active && this.heldForActive !== null && ev.type !== 'flush-start' && ev.type !== 'flush-stop') {
      const held = this.heldForActive;
      this.heldForActive = null;
      if (this.eosSent) held.release();
      else this.pushActive(pad, held);
    }
    if (ev.type === 'eos') {
      this.eosPads.add(pad);
      if (pad === this.active && !this.eosSent) this.sendEos();
      return true;
    }
    if (ev.type === 'flush-stop' && pad === this.active) {
      this.eosPads.clear();
      this.eosSent = false;
      this.releaseHeld();
    }
    // Before any buffer the first pad to speak is where the stream headers come from.
    if (this.active === null && ev.type !== 'flush-start' && ev.type !== 'flush-stop') this.activate(pad);
    if (pad !== this.active) return true;
    if (this.switched) {
      // Headers go out together (sendHeaders reads them from the pad); anything else after them.
      if (ev.type === 'stream-start' || ev.type === 'caps' || ev.type === 'segment') return true;
      this.sendHeaders(pad);
    }
    switch (ev.type) {
      case 'stream-start':
        if (ev.streamId === this.sentStream) return true;
        this.sentStream = ev.streamId;
        return this.srcPad.pushEvent(ev);
      case 'caps':
        this.sendCaps(ev.caps);
        return true;
      default:
        return this.srcPad.pushEvent(ev);
    }
  }

  /** Upstream events (seeks…) go to the active pad only. */
  override srcEvent(_pad: Pad, ev: Event): boolean {
    return this.active?.pushEvent(ev) ?? false;
  }
}

export default InputSelector;
