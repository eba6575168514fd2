import { describe, expect, it } from 'vitest';
import { loadNative } from '../../src/isolation/native.js';
import { createProcessLink } from '../../src/isolation/link/create.js';
import { MemfdAllocator } from '../../src/isolation/link/memfd-allocator.js';
import { ProcessBridgeSink } from '../../src/isolation/link/process-bridge-sink.js';
import { ProcessBridgeSource } from '../../src/isolation/link/process-bridge-source.js';
import { StreamingTask } from '../../src/exec/streaming-task.js';
import { FlowResult } from '../../src/element/flow.js';
import { Collector, Gen, genDriver, linkPads, makeContext, openFds, runPeer } from '../support/link-harness.js';

// A peer that dies mid-stream: the survivor in this process is told (as the supervisor does
// when a host exits), stops without hanging, and every slot comes home.
describe.skipIf(!loadNative().ok)('a process link whose peer dies', () => {
  it('consumer killed while holding buffers: reclaimAll frees every slot, the producer stops with FLUSHING', async () => {
    const fdsBefore = openFds();
    const link = createProcessLink(64);
    const allocator = new MemfdAllocator();
    const context = makeContext(allocator);
    const sink = new ProcessBridgeSink('link>', link.producer, { mayBlock: false, spin: 16, label: 'test -> doomed', onViolation: () => {} });
    sink.attach(context);
    const gen = new Gen('gen');
    gen.attach(context);
    linkPads(gen.pad('src')!, sink.pad('sink')!);
    // It holds every buffer it gets: the producer fills the link's limit and waits.
    const peer = runPeer('link-peer.mjs', link.consumer, { role: 'consumer', capacity: 64, size: 64, hold: 1_000_000 });
    const task = new StreamingTask(genDriver(gen, allocator, 1_000_000, 64)).run();
    const full = performance.now() + 5000;
    while (sink.outstanding < 200 && performance.now() < full) await new Promise((r) => setTimeout(r, 5));
    expect(sink.outstanding).toBeGreaterThanOrEqual(200);
    peer.kill();
    const out = await peer.done;
    expect(out.signal).toBe('SIGKILL');
    link.consumerGone();
    expect(await task).toBe(FlowResult.FLUSHING);
    expect(sink.outstanding).toBe(0);
    const stats = allocator.stats();
    expect(stats.freeSlots).toBe(stats.slots);
    sink.stop();
    allocator.close();
    link.close();
    expect(openFds()).toEqual(fdsBefore);
  }, 20_000);

  it('producer killed mid-stream: the consumer drains what was published, stops with FLUSHING, gives nothing back', async () => {
    const fdsBefore = openFds();
    const link = createProcessLink(64);
    const context = makeContext(new MemfdAllocator());
    const source = new ProcessBridgeSource('link<', link.consumer, { mayBlock: false, spin: 16, label: 'doomed -> test', onViolation: () => {} });
    source.attach(context);
    const collector = new Collector(64);
    collector.attach(context);
    collector.hold = 10;
    linkPads(source.pad0, collector.pad('sink')!);
    const peer = runPeer('link-peer.mjs', link.producer, { role: 'producer', capacity: 64, count: 10_000_000, size: 64 });
    const task = new StreamingTask(source).run();
    const going = performance.now() + 5000;
    while (collector.next < 1000 && performance.now() < going) await new Promise((r) => setTimeout(r, 5));
    peer.kill();
    const out = await peer.done;
    expect(out.signal).toBe('SIGKILL');
    link.producerGone();
    expect(await Promise.race([task, new Promise((r) => setTimeout(() => r('hung'), 10_000))])).toBe(FlowResult.FLUSHING);
    expect(collector.errors).toEqual([]);
    expect(collector.next).toBeGreaterThanOrEqual(1000);
    for (const b of collector.held.splice(0)) b.release();
    expect(source.held).toBe(0);
    source.close();
    link.close();
    expect(openFds()).toEqual(fdsBefore);
  }, 20_000);
});
