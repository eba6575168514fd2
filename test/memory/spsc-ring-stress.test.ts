import { afterEach, describe, expect, it } from 'vitest';
import { SabRegion, SpscRing, ringBytes } from '../../src/memory/index.js';
import { Peer, prng, stopPeers } from '../support/worker-peer.js';

afterEach(stopPeers);

/**
 * spsc-ring.test.ts moves descriptors from a blocking producer on a worker to an event-loop
 * consumer. These cover the other two pairings: both sides blocking in Atomics.wait on their own
 * threads (where a lost wake-up would stall both), and an event-loop producer (waitForRoomAsync)
 * feeding a blocking consumer. Both run the free-running counters across 2^32.
 */

/** Descriptor fields for sequence number s, as test/support/ring-producer.mjs writes them. */
const encode = (s: number): { slot: number; offset: number; length: number; kind: number } => ({ slot: s, offset: (s * 2654435761) >>> 0, length: s & 0xffff, kind: s % 7 });

interface Received {
  readonly received: number;
  readonly firstBad: number;
  readonly sleeps: number;
  readonly left: number;
}

/** A ring between canaries whose head and tail both start `belowWrap` short of 2^32. */
function ringNearWrap(capacity: number, belowWrap: number): { ring: SpscRing; canariesIntact: () => boolean } {
  const base = 128;
  const end = base + ringBytes(capacity);
  const region = new SabRegion(end + 128);
  const bytes = new Uint8Array(region.buffer);
  bytes.fill(0xa5, 0, base);
  bytes.fill(0x5a, end);
  const ring = new SpscRing(region, base, capacity);
  ring.words[0] = -belowWrap; // head
  ring.words[16] = -belowWrap; // tail
  return { ring, canariesIntact: () => bytes.subarray(0, base).every((b) => b === 0xa5) && bytes.subarray(end).every((b) => b === 0x5a) };
}

describe('SPSC ring stress, blocking waits', () => {
  it('moves 300,000 descriptors between two workers that both sleep in Atomics.wait, across the u32 wrap', async () => {
    const capacity = 16;
    const count = 300_000;
    const { ring, canariesIntact } = ringNearWrap(capacity, 1000);
    const shared = { buffer: ring.region.buffer, base: ring.base, capacity, count };
    const consumer = new Peer('ring-consumer.mjs', { ...shared, seed: 99 });
    const producer = new Peer('ring-producer.mjs', { ...shared, seed: 4242 });
    const [got, sent] = await Promise.all([consumer.next<Received>(), producer.next<{ pushed: number }>()]);
    expect(sent).toEqual({ pushed: count });
    expect(got).toMatchObject({ received: count, firstBad: -1, left: 0 });
    expect(ring.length).toBe(0);
    expect(ring.words[0]).toBe((count - 1000) | 0); // head went past 2^32
    expect(ring.words[16]).toBe((count - 1000) | 0);
    expect(canariesIntact()).toBe(true);
  });

  it('moves 100,000 descriptors from an event-loop producer (waitForRoomAsync) to a sleeping worker', async () => {
    const capacity = 32;
    const count = 100_000;
    const { ring, canariesIntact } = ringNearWrap(capacity, 5000);
    const consumer = new Peer('ring-consumer.mjs', { buffer: ring.region.buffer, base: ring.base, capacity, count, seed: 7 });
    const p = ring.producer();
    const rand = prng(31337);
    let seq = 0;
    while (seq < count) {
      const n = Math.min(1 + (rand() % 37), count - seq);
      const batch = Array.from({ length: n }, (_, i) => encode(seq + i));
      let done = 0;
      while (done < n) {
        if (rand() & 1) done += p.pushBatch(batch, done);
        else {
          const d = batch[done]!;
          if (p.push(d.slot, d.offset, d.length, d.kind)) done++;
        }
        if (done < n) await p.waitForRoomAsync(1000);
      }
      seq += n;
    }
    const got = await consumer.next<Received>();
    expect(got).toMatchObject({ received: count, firstBad: -1, left: 0 });
    expect(ring.length).toBe(0);
    expect(p.free()).toBe(capacity);
    expect(canariesIntact()).toBe(true);
  });
});
