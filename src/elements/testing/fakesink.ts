import { createNanoEvents, type Emitter, type Unsubscribe } from 'nanoevents';
import type { Buffer } from '../../element/buffer.js';
import { Sink, SINK_PROPERTIES } from '../../element/base/sink.js';
import type { Event } from '../../element/event.js';
import { FlowResult } from '../../element/flow.js';
import type { ElementMetadata } from '../../element/metadata.js';
import type { Pad } from '../../element/pad.js';
import type { PropertyValue } from '../../element/property.js';
import { bufferAddress, describeBuffer, describeEvent, hexdump } from './describe.js';

// Signals of fakesink: `handoff` gets each buffer before it is released (clone it to keep it).
export interface FakeSinkEvents {
  handoff: (buf: Buffer, pad: Pad) => void;
}

/**
 * `fakesrc num-buffers=3 ! fakesink silent=false`
 *
 * Classification: Sink/Testing.
 *
 * Swallows buffers, after GStreamer's fakesink. With `silent=false` it describes every buffer and
 * event in `last-message` (posted as a property-notify, which `parallax-launch -v` prints); with
 * `dump=true` it hexdumps payloads to stdout; with `signal-handoffs=true` it emits `handoff` for
 * each buffer (`fakesink.on('handoff', (buf) => …)`). After `num-buffers` buffers it returns EOS
 * upstream, so the source ends the stream.
 *
 * Event-loop, called from the upstream streaming task. Hot path (silent, no dump, no handoffs):
 * a counter and the base class's release.
 */
export class FakeSink extends Sink {
  static readonly metadata: ElementMetadata = {
    factory: 'fakesink',
    classification: 'Sink/Testing',
    description: 'Black hole for data',
    example: 'fakesrc num-buffers=3 ! fakesink silent=false',
    padTemplates: [{ name: 'sink', direction: 'sink', presence: 'always' }],
    properties: {
      ...SINK_PROPERTIES,
      silent: { type: 'bool', default: true, mutable: true, description: "Don't produce last-message events" },
      dump: { type: 'bool', default: false, mutable: true, description: 'Dump buffer contents to stdout' },
      'num-buffers': { type: 'int', default: -1, min: -1, description: 'Number of buffers to accept going EOS (-1 = unlimited)' },
      'signal-handoffs': { type: 'bool', default: false, mutable: true, description: 'Send a signal before unreffing the buffer' },
      'last-message': { type: 'string', default: null, readonly: true, description: 'The message describing current status' },
    },
    affinity: 'auto',
    rtSafe: true,
  };

  private readonly emitter: Emitter<FakeSinkEvents> = createNanoEvents<FakeSinkEvents>();
  private silent = true;
  private dump = false;
  private handoffs = false;
  private numBuffers = -1;
  private count = 0;
  private lastMessage: string | null = null;
  private sinkPadCache: Pad | null = null;

  /** Subscribes to a signal. Returns the unsubscribe function. */
  on<K extends keyof FakeSinkEvents>(event: K, handler: FakeSinkEvents[K]): Unsubscribe {
    return this.emitter.on(event, handler);
  }

  /** Buffers rendered since start. */
  get rendered(): number {
    return this.count;
  }

  override start(): void {
    super.start();
    this.silent = this.bool('silent');
    this.dump = this.bool('dump');
    this.handoffs = this.bool('signal-handoffs');
    this.numBuffers = this.num('num-buffers');
    this.count = 0;
    this.lastMessage = null;
  }

  protected override propertyChanged(name: string, value: PropertyValue): void {
    switch (name) {
      case 'silent': this.silent = value as boolean; break;
      case 'dump': this.dump = value as boolean; break;
      case 'signal-handoffs': this.handoffs = value as boolean; break;
      case 'num-buffers': this.numBuffers = value as number; break;
      default: break;
    }
  }

  protected override readProperty(name: string): PropertyValue | undefined {
    return name === 'last-message' ? this.lastMessage : undefined;
  }

  private get sinkPad(): Pad {
    return (this.sinkPadCache ??= this.pads[0]!);
  }

  protected render(buf: Buffer): FlowResult {
    if (this.numBuffers >= 0 && this.count >= this.numBuffers) return FlowResult.EOS;
    this.count++;
    if (!this.silent) this.setLastMessage(describeBuffer('chain', this.sinkPad.fullName, buf));
    if (this.handoffs) this.emitter.emit('handoff', buf, this.sinkPad);
    if (this.dump) process.stdout.write(hexdump(buf.data, bufferAddress(buf)));
    if (this.numBuffers >= 0 && this.count >= this.numBuffers) return FlowResult.EOS;
    return FlowResult.OK;
  }

  override sinkEvent(pad: Pad, ev: Event): boolean {
    if (!this.silent) this.setLastMessage(describeEvent(pad.fullName, ev));
    return super.sinkEvent(pad, ev);
  }

  private setLastMessage(msg: string): void {
    this.lastMessage = msg;
    this.notify('last-message', msg);
  }
}

export default FakeSink;
