import { describe, expect, it } from 'vitest';
import { Element, Events, FlowResult, Pad, Transform, createDefaultRegistry, launch, type Buffer, type ElementMetadata, type Event } from '../../src/index.js';

/** Throws on its third buffer: elements must not throw, and one that does is named. */
class Thrower extends Transform {
  static readonly metadata: ElementMetadata = {
    factory: 'thrower', classification: 'Testing', description: 'throws on the third buffer', example: 'fakesrc ! thrower ! fakesink',
    padTemplates: [{ name: 'sink', direction: 'sink', presence: 'always' }, { name: 'src', direction: 'src', presence: 'always' }],
    properties: {}, affinity: 'auto', rtSafe: true,
  };
  private n = 0;
  protected override transformInPlace(): FlowResult {
    if (++this.n === 3) throw new TypeError('kernel exploded');
    return FlowResult.OK;
  }
}

/** Records buffers and events in arrival order. */
class Recorder extends Element {
  static readonly metadata: ElementMetadata = {
    factory: 'recorder', classification: 'Sink/Testing', description: 'records arrival order', example: 'fakesrc ! recorder',
    padTemplates: [{ name: 'sink', direction: 'sink', presence: 'always' }],
    properties: {}, affinity: 'async', rtSafe: true,
  };
  readonly log: string[] = [];
  override chain(_pad: Pad, buf: Buffer): FlowResult {
    this.log.push(`buffer:${buf.sequence}`);
    buf.release();
    return FlowResult.OK;
  }
  override sinkEvent(_pad: Pad, ev: Event): boolean {
    this.log.push(ev.type === 'custom' ? `custom:${ev.name}` : ev.type);
    if (ev.type === 'eos') this.context.sinkReachedEos(this);
    return true;
  }
}

const registry = createDefaultRegistry();
registry.register(Thrower);
registry.register(Recorder);

describe('event-loop executor', () => {
  it('turns a throw inside an element into an error that names it', async () => {
    const p = launch('fakesrc num-buffers=10 ! thrower ! fakesink', { registry });
    await expect(p.run()).rejects.toThrow('thrower0: threw while handling a buffer on sink: kernel exploded');
    expect(p.state).toBe('suspended');
  });

  it('keeps custom serialized events in order with buffers through a queue', async () => {
    const p = launch('fakesrc name=src num-buffers=4 ! queue ! recorder name=rec', { registry });
    const src = p.get('src')!;
    await p.prepare();
    // Inject a custom event between buffers from inside the source's own task.
    const orig = (src as unknown as { create: () => unknown }).create.bind(src);
    let n = 0;
    (src as unknown as { create: () => unknown }).create = () => {
      if (n++ === 2) src.pad('src')!.pushEvent(Events.custom('marker', { at: 2 }));
      return orig();
    };
    await p.run();
    const log = (p.get('rec') as Recorder).log;
    expect(log).toEqual(['stream-start', 'segment', 'buffer:0', 'buffer:1', 'custom:marker', 'buffer:2', 'buffer:3', 'eos']);
  });

  it('renders on the clock with sync=true', async () => {
    // 64-byte buffers at 6400 bytes/s: one every 10 ms, so 6 buffers span at least 50 ms.
    const p = launch('fakesrc num-buffers=6 sizetype=fixed sizemax=64 datarate=6400 ! fakesink sync=true');
    const t0 = performance.now();
    await p.run();
    expect(performance.now() - t0).toBeGreaterThanOrEqual(45);
  });

  it('does not sync without sync=true', async () => {
    const p = launch('fakesrc num-buffers=6 sizetype=fixed sizemax=64 datarate=64 ! fakesink');
    const t0 = performance.now();
    await p.run();
    // 6 s of stream time, rendered as fast as possible.
    expect(performance.now() - t0).toBeLessThan(3000);
  });

  it('suspends promptly while tasks are blocked on a full queue and a sleeping element', async () => {
    const p = launch('fakesrc num-buffers=-1 ! queue max-size-buffers=2 ! identity sleep-time=200000 ! fakesink');
    await p.activate();
    await new Promise((r) => setTimeout(r, 30));
    await p.suspend();
    expect(p.state).toBe('suspended');
    expect(p.stats().pools.slots).toBeGreaterThan(0);
  });

  it('keeps the event loop responsive while a source runs free', async () => {
    const p = launch('fakesrc num-buffers=-1 sizetype=fixed sizemax=64 ! fakesink');
    await p.activate();
    const t0 = performance.now();
    await new Promise((r) => setTimeout(r, 5));
    const late = performance.now() - t0 - 5;
    await p.suspend();
    // The task yields every few milliseconds: a 5 ms timer is not starved.
    expect(late).toBeLessThan(100);
  });
});
