import { describe, expect, it } from 'vitest';
import { Buffer } from '../../src/element/buffer.js';
import type { ElementContext } from '../../src/element/context.js';
import { FlowResult } from '../../src/element/flow.js';
import { RingBridgeSink } from '../../src/exec/threads/bridge-sink.js';
import { Arena, Offer, SharedAllocator, ThreadLink, threadLinkBytes, type LinkProducer } from '../../src/memory/index.js';
import { MonotonicClock } from '../../src/exec/clock.js';

const LIMITS = { maxBuffers: 0, maxBytes: 0, maxTime: 0, policy: 'block' } as const;

/** A bridge on the event loop over a real link of `capacity` places, with a consumer we drive by hand. */
function setup(capacity: number) {
  const arena = Arena.create(1 << 20, 'sab');
  const allocator = new SharedAllocator(arena, { onExhausted: 'grow', slotsPerPool: 16 });
  const link = new ThreadLink(arena.region, arena.carve(threadLinkBytes(capacity)), capacity, true);
  const producer = link.producer(LIMITS);
  const consumer = link.consumer(LIMITS);
  const blocks: Promise<unknown>[] = [];
  const context: ElementContext = {
    allocator,
    clock: new MonotonicClock(),
    baseTime: 0,
    post: () => {},
    blockUpstream: (p) => blocks.push(p),
    sinkReachedEos: () => {},
  };
  const sink = new RingBridgeSink('link>', producer, arena, { mayBlockThread: false, spin: 0 });
  sink.attach(context);
  const buffer = (tag: number) => {
    const b = Buffer.allocate(allocator, 8);
    b.data[0] = tag;
    return b;
  };
  /** Pops one descriptor and returns the first payload byte of its buffer (and frees the slot). */
  const pop = (): number | null => {
    if (!consumer.pop(() => true)) return null;
    const d = consumer.ring.current;
    const pool = arena.pool(d.kind >>> 8);
    const tag = pool.bytes[pool.payloadOffset(d.slot)]!;
    pool.unref(d.slot);
    return tag;
  };
  return { sink, producer, buffer, pop, blocks };
}

describe('RingBridgeSink', () => {
  it('a wait whose first retry fits at once does not leave a stale drain behind (upstream is held back again next time)', async () => {
    const { sink, producer, buffer, pop, blocks } = setup(2);
    // The race, made deterministic: the consumer pops between the bridge's failed offer and its
    // drain's first retry, so that retry fits and the drain ends before it returns. Fault
    // injection on a real link: only the first offer is made to fail.
    const offer = producer.offer.bind(producer) as LinkProducer['offer'];
    let calls = 0;
    producer.offer = (...a: Parameters<LinkProducer['offer']>) => (calls++ === 0 ? Offer.FULL : offer(...a));
    const pad = sink.pad('sink')!;
    expect(sink.chain(pad, buffer(1))).toBe(FlowResult.OK);
    expect(blocks).toHaveLength(1);
    await blocks[0];
    expect(sink.chain(pad, buffer(2))).toBe(FlowResult.OK); // ring: 1, 2 (full)
    expect(blocks).toHaveLength(1);
    // The ring is really full now: buffer 3 must wait, and upstream must be told to wait for it.
    expect(sink.chain(pad, buffer(3))).toBe(FlowResult.OK);
    expect(blocks).toHaveLength(2);
    let drained = false;
    void blocks[1]!.then(() => (drained = true));
    await new Promise((r) => setTimeout(r, 20));
    expect(drained).toBe(false);
    expect(pop()).toBe(1);
    await Promise.race([blocks[1], new Promise((_, reject) => setTimeout(() => reject(new Error('buffer 3 was never offered after the consumer made room')), 2000))]);
    expect([pop(), pop(), pop()]).toEqual([2, 3, null]);
  });
});
