import { describe, expect, it } from 'vitest';
import { Element, FlowResult, Pad, createDefaultRegistry, launch, type Buffer, type ElementMetadata, type Event } from '../../src/index.js';

/** A demuxer-shaped element: its src pads appear when data arrives, one per "stream" byte value. */
class SplitByFirstByte extends Element {
  static readonly metadata: ElementMetadata = {
    factory: 'splitter', classification: 'Codec/Demuxer', description: 'test demuxer with sometimes pads', example: 'fakesrc ! splitter',
    padTemplates: [
      { name: 'sink', direction: 'sink', presence: 'always' },
      { name: 'src_%u', direction: 'src', presence: 'sometimes' },
    ],
    properties: {}, affinity: 'async', rtSafe: false,
  };

  override chain(_pad: Pad, buf: Buffer): FlowResult {
    const name = `src_${buf.size > 0 ? buf.data[0]! : 0}`;
    let out = this.pad(name);
    if (out === undefined) {
      out = this.addPad(new Pad(name, 'src', this.templates[1]!, this));
      for (const type of ['stream-start', 'segment'] as const) {
        const ev = this.pad('sink')!.sticky.get(type);
        if (ev) out.pushEvent(ev);
      }
    }
    return out.push(buf);
  }

  override sinkEvent(pad: Pad, ev: Event): boolean {
    if (ev.type === 'eos') {
      for (const p of this.srcPads) p.pushEvent(ev);
      return true;
    }
    return super.sinkEvent(pad, ev);
  }
}

const registry = createDefaultRegistry();
registry.register(SplitByFirstByte);

describe('sometimes pads', () => {
  it('links a named sometimes pad when it appears, and the stream flows through it', async () => {
    const p = launch('fakesrc num-buffers=4 sizetype=fixed sizemax=8 filltype=zero ! splitter name=d d.src_0 ! queue ! fakesink name=out', { registry });
    const added: unknown[] = [];
    p.bus.on('element', (m) => m.name === 'pad-added' && added.push(m.data));
    await p.run();
    expect(added).toEqual([{ pad: 'd:src_0', peer: 'queue0:sink' }]);
    expect(p.stats().elements['queue0']!.buffersOut).toBe(4);
  });

  it('links to the first sometimes pad of a template when no pad is named', async () => {
    const p = launch('fakesrc num-buffers=2 sizetype=fixed sizemax=4 filltype=zero ! splitter ! fakesink', { registry });
    await p.run();
    expect(p.get('splitter0')!.pad('src_0')!.peer?.fullName).toBe('fakesink0:sink');
  });

  it('does not call the waiting sink pad unlinked at prepare', async () => {
    const p = launch('fakesrc num-buffers=1 ! splitter name=d d.src_7 ! fakesink', { registry });
    await expect(p.prepare()).resolves.toBeUndefined();
    expect(p.pendingLinks.size).toBe(1);
    await p.suspend();
  });
});
