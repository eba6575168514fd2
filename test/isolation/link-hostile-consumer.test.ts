import { describe, expect, it } from 'vitest';
import { loadNative } from '../../src/isolation/native.js';
import { createProcessLink } from '../../src/isolation/link/create.js';
import { MemfdAllocator } from '../../src/isolation/link/memfd-allocator.js';
import { ProcessBridgeSink } from '../../src/isolation/link/process-bridge-sink.js';
import { StreamingTask } from '../../src/exec/streaming-task.js';
import { FlowResult } from '../../src/element/flow.js';
import { Gen, genDriver, linkPads, makeContext, openFds, runPeer } from '../support/link-harness.js';

// The supervisor's side of a link whose consumer is hostile: tokens it gives back that are not
// outstanding, or a return ring it overfills, are rejected, counted and reported; the producer
// stops, and reclaimAll brings every slot home.
const CASES: [mode: string, field: RegExp][] = [
  ['unknown-token', /returned token is 3735928559; it must be a token outstanding on this link/],
  ['duplicate-token', /returned token is \d+; it must be a token outstanding on this link \(unknown or returned twice\)/],
  ['return-fill', /return ring fill \(tail - head\) is 100000; it must be <= its capacity 1024/],
];

describe.skipIf(!loadNative().ok)('a process link with a hostile consumer', () => {
  for (const [mode, field] of CASES) {
    it(`rejects ${mode}: counted, reported, upstream stops with ERROR, slots reclaimed`, async () => {
      const fdsBefore = openFds();
      const link = createProcessLink(256);
      const violations: string[] = [];
      const allocator = new MemfdAllocator();
      const context = makeContext(allocator);
      const sink = new ProcessBridgeSink('link>', link.producer, { mayBlock: false, spin: 16, label: 'supervisor -> evil', onViolation: (m) => violations.push(m) });
      sink.attach(context);
      const gen = new Gen('gen');
      gen.attach(context);
      linkPads(gen.pad('src')!, sink.pad('sink')!);
      const peer = runPeer('link-hostile.mjs', link.consumer, { side: 'consumer', mode, capacity: 256, linger: 50 });
      const result = await Promise.race([
        new StreamingTask(genDriver(gen, allocator, 10_000, 64)).run(),
        new Promise((resolve) => setTimeout(() => resolve('hung'), 10_000)),
      ]);
      const out = await peer.done;
      expect(out.stderr).toBe('');
      expect(result).toBe(FlowResult.ERROR);
      expect(sink.violations).toBe(1);
      expect(violations).toHaveLength(1);
      expect(violations[0]).toMatch(/^link supervisor -> evil: the consumer broke the protocol: /);
      expect(violations[0]).toMatch(field);
      sink.reclaimAll();
      expect(sink.outstanding).toBe(0);
      const stats = allocator.stats();
      expect(stats.freeSlots).toBe(stats.slots);
      sink.stop();
      allocator.close();
      link.close();
      expect(openFds()).toEqual(fdsBefore);
    }, 20_000);
  }
});
