import { describe, expect, it } from 'vitest';
import { loadNative } from '../../src/isolation/native.js';
import { createProcessLink } from '../../src/isolation/link/create.js';
import { MemfdAllocator } from '../../src/isolation/link/memfd-allocator.js';
import { ProcessBridgeSource } from '../../src/isolation/link/process-bridge-source.js';
import { StreamingTask } from '../../src/exec/streaming-task.js';
import { FlowResult } from '../../src/element/flow.js';
import { Collector, linkPads, makeContext, openFds, runPeer } from '../support/link-harness.js';

// The supervisor's side of a link whose producer is hostile: whatever it writes is rejected,
// counted and reported with the field named, and this process neither crashes nor hangs.
const CASES: [mode: string, field: RegExp][] = [
  ['tail-past-capacity', /forward ring fill \(tail - head\) is 261; it must be <= the capacity 256/],
  ['unknown-kind', /record kind is 9/],
  ['unannounced-region', /record region id is 7; it must be a region announced on this link/],
  ['offset-beyond', /record payload offset \+ length is 6464; it must be <= 4096/],
  ['length-huge', /record length is 4294967295; it must be <= 2\^31/],
  ['kind3-no-message', /region announcement for region 1 is missing/],
  ['event-json', /event JSON is .*; it must be valid UTF-8 JSON/],
  ['event-type', /event type is "__proto__"/],
  ['event-huge', /event length is 524288; it must be <= 262144/],
  ['unsealed-region', /seals of region 1 is -1; it must be a memfd sealed against shrink and grow/],
  ['random', /forward ring fill|record kind/],
];

describe.skipIf(!loadNative().ok)('a process link with a hostile producer', () => {
  for (const [mode, field] of CASES) {
    it(`rejects ${mode}: counted, reported with the field, the task ends with ERROR`, async () => {
      const fdsBefore = openFds();
      const link = createProcessLink(256);
      const violations: string[] = [];
      const context = makeContext(new MemfdAllocator());
      const source = new ProcessBridgeSource('link<', link.consumer, { mayBlock: false, spin: 16, label: 'evil -> supervisor', onViolation: (m) => violations.push(m) });
      source.attach(context);
      const collector = new Collector(64);
      collector.attach(context);
      linkPads(source.pad0, collector.pad('sink')!);
      const peer = runPeer('link-hostile.mjs', link.producer, { side: 'producer', mode, capacity: 256 });
      const result = await Promise.race([
        new StreamingTask(source).run(),
        new Promise((resolve) => setTimeout(() => resolve('hung'), 10_000)),
      ]);
      const out = await peer.done;
      expect(out.stderr).toBe('');
      expect(result).toBe(FlowResult.ERROR);
      expect(source.violations).toBe(1);
      expect(violations).toHaveLength(1);
      expect(violations[0]).toMatch(/^link evil -> supervisor: the producer broke the protocol: /);
      expect(violations[0]).toMatch(field);
      expect(collector.next).toBe(0);
      source.close();
      link.close();
      expect(openFds()).toEqual(fdsBefore);
    }, 20_000);
  }
});
