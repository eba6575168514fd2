import { createNanoEvents, type Emitter, type Unsubscribe } from 'nanoevents';
import type { Buffer } from '../../element/buffer.js';
import { Element } from '../../element/element.js';
import type { Event } from '../../element/event.js';
import { FlowResult } from '../../element/flow.js';
import type { ElementMetadata } from '../../element/metadata.js';
import { Pad } from '../../element/pad.js';
import type { PropertyValue } from '../../element/property.js';

// Signals of streamiddemux: `pad-added` fires for each new src pad, before any data goes out of it.
export interface StreamIdDemuxEvents {
  'pad-added': (pad: Pad, streamId: string) => void;
}

/**
 * `fakesrc num-buffers=3 ! streamiddemux name=d  d.src_0 ! fakesink`
 *
 * Classification: Generic.
 *
 * 1-to-N demuxer by stream-id, after GStreamer's streamiddemux: each stream-start with a new
 * stream-id makes a sometimes src pad (`src_0`, `src_1`, …, in order of appearance), and what
 * follows it (caps, segment, buffers, other events) goes out of that pad until the next
 * stream-start switches to another stream's pad. A launch line links a pad by name before it
 * exists (`d.src_1 ! …`), and the application can link it in the `pad-added` signal
 * (`demux.on('pad-added', (pad, streamId) => …)`), which fires before anything is pushed on it;
 * the pipeline also posts a `pad-added` element message when a pending link is made. EOS and
 * flushes go to every src pad. A buffer before any stream-start is an error naming the element.
 * `active-pad` reads the pad data goes to now.
 *
 * Run again, the element keeps its pads (they may be linked) but forgets the stream-ids, which a
 * source gives anew each run: the run's first stream goes to `src_0` again, its second to
 * `src_1`, and so on. `pad-added` fires only for a pad that did not exist yet.
 *
 * Event-loop, called from the upstream streaming task (sometimes pads keep it off data threads).
 */
export class StreamIdDemux extends Element {
  static readonly metadata: ElementMetadata = {
    factory: 'streamiddemux',
    classification: 'Generic',
    description: '1-to-N output stream by stream-id',
    example: 'fakesrc num-buffers=3 ! streamiddemux name=d  d.src_0 ! fakesink',
    padTemplates: [
      { name: 'sink', direction: 'sink', presence: 'always' },
      { name: 'src_%u', direction: 'src', presence: 'sometimes' },
    ],
    properties: {
      'active-pad': { type: 'string', default: null, readonly: true, description: 'The currently active src pad' },
    },
    affinity: 'async',
    rtSafe: false,
  };

  private readonly emitter: Emitter<StreamIdDemuxEvents> = createNanoEvents<StreamIdDemuxEvents>();
  private readonly byStream = new Map<string, Pad>();
  private active: Pad | null = null;

  /** Subscribes to a signal. Returns the unsubscribe function. */
  on<K extends keyof StreamIdDemuxEvents>(event: K, handler: StreamIdDemuxEvents[K]): Unsubscribe {
    return this.emitter.on(event, handler);
  }

  /** The src pad of `streamId`, if it appeared. */
  padFor(streamId: string): Pad | undefined {
    return this.byStream.get(streamId);
  }

  override start(): void {
    // Pads of a previous run stay (they may be linked); data goes nowhere until a stream-start.
    this.active = null;
    this.byStream.clear();
  }

  protected override readProperty(name: string): PropertyValue | undefined {
    return name === 'active-pad' ? this.active?.name ?? null : undefined;
  }

  override chain(_pad: Pad, buf: Buffer): FlowResult {
    const out = this.active;
    if (out === null) {
      buf.release();
      return this.error('got a buffer before any stream-start: no stream-id to route it by');
    }
    return out.push(buf);
  }

  override sinkEvent(pad: Pad, ev: Event): boolean {
    switch (ev.type) {
      case 'stream-start': {
        this.active = this.byStream.get(ev.streamId) ?? this.addStream(ev.streamId);
        return this.active.pushEvent(ev);
      }
      case 'eos':
      case 'flush-start':
      case 'flush-stop':
        return this.forwardDownstream(ev);
      case 'caps':
        pad.caps = ev.caps;
        return this.active?.pushEvent(ev) ?? false;
      default:
        return this.active?.pushEvent(ev) ?? false;
    }
  }

  /**
   * The src pad for a new stream: the pad a previous run made in the same place, or a new one
   * that pending links and `pad-added` handlers link.
   */
  private addStream(streamId: string): Pad {
    const template = this.templates.find((t) => t.presence === 'sometimes')!;
    const name = template.nameFor(this.byStream.size);
    const kept = this.pad(name);
    if (kept !== undefined) {
      this.byStream.set(streamId, kept);
      return kept;
    }
    const pad = new Pad(name, 'src', template, this);
    this.byStream.set(streamId, pad);
    this.addPad(pad);
    this.emitter.emit('pad-added', pad, streamId);
    return pad;
  }
}

export default StreamIdDemux;
