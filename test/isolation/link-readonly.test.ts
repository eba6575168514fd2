import { describe, expect, it } from 'vitest';
import { loadNative } from '../../src/isolation/native.js';
import { createProcessLink } from '../../src/isolation/link/create.js';
import { MemfdAllocator } from '../../src/isolation/link/memfd-allocator.js';
import { ProcessBridgeSink } from '../../src/isolation/link/process-bridge-sink.js';
import { StreamingTask } from '../../src/exec/streaming-task.js';
import { FlowResult } from '../../src/element/flow.js';
import { Gen, genDriver, linkPads, makeContext, openFds, runPeer } from '../support/link-harness.js';

// A consumer maps its producer's pools read-only: a received buffer is never writable, and a
// write through the mapping kills the writer (SIGSEGV), not the producer.
describe.skipIf(!loadNative().ok)('a process link consumer', () => {
  it('cannot write into the producer pool: isWritable is false, and a write kills only the writer with SIGSEGV', async () => {
    const fdsBefore = openFds();
    const link = createProcessLink(64);
    const allocator = new MemfdAllocator();
    const context = makeContext(allocator);
    const sink = new ProcessBridgeSink('link>', link.producer, { mayBlock: false, spin: 16, label: 'test -> writer', onViolation: () => {} });
    sink.attach(context);
    const gen = new Gen('gen');
    gen.attach(context);
    linkPads(gen.pad('src')!, sink.pad('sink')!);
    const peer = runPeer('link-peer.mjs', link.consumer, { role: 'consumer', capacity: 64, size: 64, writeInto: true });
    const task = new StreamingTask(genDriver(gen, allocator, 1000, 64)).run();
    const out = await peer.done;
    expect(out.signal).toBe('SIGSEGV');
    expect(JSON.parse(out.stdout.trim().split('\n')[0]!)).toEqual({ writable: false, refcount: 2 });
    expect(out.stdout).not.toMatch(/wrote/);
    // The supervisor learns of the death (here: we tell it) and takes its slots back.
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
});
