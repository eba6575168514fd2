import { describe, expect, it } from 'vitest';
import { loadNative } from '../../src/isolation/native.js';
import { createProcessLink } from '../../src/isolation/link/create.js';
import { returnCapacity } from '../../src/isolation/link/cross-ring.js';
import { MemfdAllocator } from '../../src/isolation/link/memfd-allocator.js';
import { ProcessBridgeSink } from '../../src/isolation/link/process-bridge-sink.js';
import { StreamingTask } from '../../src/exec/streaming-task.js';
import { FlowResult } from '../../src/element/flow.js';
import { Gen, genDriver, lastJson, linkPads, makeContext, openFds, runPeer } from '../support/link-harness.js';

// A slow consumer that also holds buffers: the producer waits (no loss), never has more out
// than the link allows, and its pools stay bounded by that.
describe.skipIf(!loadNative().ok)('a process link with a slow consumer', () => {
  it('applies backpressure: nothing lost, outstanding bounded, pools bounded', async () => {
    const fdsBefore = openFds();
    const capacity = 32;
    const count = 20_000;
    const link = createProcessLink(capacity);
    const allocator = new MemfdAllocator(64);
    const context = makeContext(allocator);
    const violations: string[] = [];
    const sink = new ProcessBridgeSink('link>', link.producer, { mayBlock: false, spin: 16, label: 'test -> slow', onViolation: (m) => violations.push(m) });
    sink.attach(context);
    const gen = new Gen('gen');
    gen.attach(context);
    linkPads(gen.pad('src')!, sink.pad('sink')!);
    const driver = genDriver(gen, allocator, count, 64);
    let maxOut = 0;
    const produce = driver.produce.bind(driver);
    driver.produce = () => {
      maxOut = Math.max(maxOut, sink.outstanding);
      return produce();
    };
    const peer = runPeer('link-peer.mjs', link.consumer, { role: 'consumer', capacity, size: 64, hold: 40, delayEvery: 500, mayBlock: true });
    const result = await new StreamingTask(driver).run();
    const out = await peer.done;
    expect(out.stderr).toBe('');
    expect(result).toBe(FlowResult.EOS);
    const child = lastJson<{ received: number; errors: string[]; violations: string[] }>(out.stdout);
    expect(child.errors).toEqual([]);
    expect(child.violations).toEqual([]);
    expect(child.received).toBe(count);
    expect(violations).toEqual([]);
    expect(maxOut).toBeGreaterThan(capacity);
    expect(maxOut).toBeLessThanOrEqual(returnCapacity(capacity));
    // Slots exist for what can be out, plus what upstream holds meanwhile: not one per buffer.
    expect(allocator.stats().slots).toBeLessThanOrEqual(returnCapacity(capacity) + 2 * 64);
    sink.collectReturns();
    expect(sink.outstanding).toBe(0);
    sink.stop();
    allocator.close();
    link.close();
    expect(openFds()).toEqual(fdsBefore);
  }, 60_000);
});
