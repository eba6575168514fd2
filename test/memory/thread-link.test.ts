import { afterEach, describe, expect, it } from 'vitest';
import { FlowResult } from '../../src/element/flow.js';
import { Offer, SabRegion, ThreadLink, threadLinkBytes, type LinkLimits, type LinkProducer } from '../../src/memory/index.js';
import { Peer, sleep, stopPeers, until } from '../support/worker-peer.js';

afterEach(stopPeers);

/** Descriptor kinds in these tests: a buffer, an event, and the event that ends a stream. */
const KINDS = { buffer: 1, event: 2, end: 3 } as const;
const isBuffer = (kind: number): boolean => kind === KINDS.buffer;
/** Where the link starts in its region: the bytes before it and after it are canaries. */
const BASE = 128;

const limits = (l: Partial<LinkLimits>): LinkLimits => ({ maxBuffers: 0, maxBytes: 0, maxTime: 0, policy: 'block', ...l });
const range = (from: number, to: number): number[] => Array.from({ length: to - from }, (_, i) => from + i);

/** A link between canaries, initialised on this thread as the scheduler does. */
function makeLink(capacity: number): { link: ThreadLink; canariesIntact: () => boolean } {
  const end = BASE + threadLinkBytes(capacity);
  const region = new SabRegion(end + 128);
  const bytes = new Uint8Array(region.buffer);
  bytes.fill(0xa5, 0, BASE);
  bytes.fill(0x5a, end);
  const link = new ThreadLink(region, BASE, capacity, true);
  return { link, canariesIntact: () => bytes.subarray(0, BASE).every((b) => b === 0xa5) && bytes.subarray(end).every((b) => b === 0x5a) };
}

/** The link's consumer, on a worker (test/support/link-consumer.mjs). pts = seq × ptsStep. */
function consumerThread(link: ThreadLink, l: LinkLimits, ptsStep = 0): Peer {
  return new Peer('link-consumer.mjs', { buffer: link.region.buffer, base: link.base, capacity: link.capacity, limits: l, ptsStep, kinds: KINDS });
}

interface Popped {
  readonly slot: number;
  readonly length: number;
  readonly kind: number;
  readonly dropped: boolean;
}
interface Drained {
  readonly delivered: number[];
  readonly dropped: number[];
  readonly events: number[];
  readonly producerDone: boolean;
}

/**
 * Offers buffers `from`..`to - 1` from this thread. `burst` offers go out back to back, then the
 * event loop runs for `pauseMs`; a FULL link is waited on (waitForPopAsync) and offered again.
 */
async function offerAll(p: LinkProducer, from: number, to: number, o: { length?: number; burst?: number; pauseMs?: number } = {}): Promise<{ dropped: number; fulls: number }> {
  const { length = 100, burst = Infinity, pauseMs = 0 } = o;
  let dropped = 0;
  let fulls = 0;
  for (let seq = from; seq < to; seq++) {
    let r = p.offer(seq, length, KINDS.buffer, -1);
    while (r === Offer.FULL) {
      fulls++;
      await p.waitForPopAsync(20);
      r = p.offer(seq, length, KINDS.buffer, -1);
    }
    if (r === Offer.DROPPED) dropped++;
    if ((seq - from + 1) % burst === 0) await sleep(pauseMs);
  }
  return { dropped, fulls };
}

/** Offers the end-of-stream event, waiting for room: events are never dropped. */
async function offerEnd(p: LinkProducer, seq: number): Promise<void> {
  while (!p.offerEvent(seq, 0, KINDS.end)) await p.waitForPopAsync(20);
}

const isIncreasing = (xs: readonly number[]): boolean => xs.every((x, i) => i === 0 || x > xs[i - 1]!);

describe('ThreadLink policies, producer and consumer on different threads', () => {
  it('block, producer on a worker (Atomics.wait): every buffer arrives here, once, in order', async () => {
    const { link, canariesIntact } = makeLink(8);
    const l = limits({ maxBuffers: 4 });
    const count = 20_000;
    const producer = new Peer('link-producer.mjs', { buffer: link.region.buffer, base: link.base, capacity: 8, limits: l, count, length: 100, ptsStep: 0, kinds: KINDS });
    const c = link.consumer(l);
    let seq = 0;
    let firstBad = -1;
    const deadline = performance.now() + 15_000;
    for (;;) {
      if (!c.pop(isBuffer)) {
        if (performance.now() > deadline) throw new Error(`stuck after ${seq} buffers`);
        await c.ring.waitForDataAsync(100);
        continue;
      }
      const d = c.ring.current;
      if (d.kind === KINDS.end) break;
      if (firstBad < 0 && (d.kind !== KINDS.buffer || d.slot !== seq || d.length !== 100 || c.dropped)) firstBad = seq;
      c.markConsumed(d.length, -1);
      seq++;
    }
    expect(firstBad).toBe(-1);
    expect(seq).toBe(count);
    expect(await producer.next()).toMatchObject({ pushed: count, dropped: 0 });
    expect(c.producerDone()).toBe(true);
    expect(link.stats()).toMatchObject({ depth: 0, drops: 0 });
    expect(canariesIntact()).toBe(true);
  });

  it('block with a byte limit, producer here (waitForPopAsync), consumer sleeping on a worker: lossless, in order', async () => {
    const { link, canariesIntact } = makeLink(8);
    const l = limits({ maxBytes: 450 }); // four 100-byte buffers in flight, at most
    const consumer = consumerThread(link, l);
    const drained = consumer.ask<Drained>('drain', { delayMs: 0 });
    const p = link.producer(l);
    const count = 20_000;
    expect(await offerAll(p, 0, count)).toMatchObject({ dropped: 0 });
    await offerEnd(p, count);
    const got = await drained;
    expect(got.delivered.length).toBe(count);
    expect(got.delivered.every((s, i) => s === i)).toBe(true);
    expect(got.dropped).toEqual([]);
    expect(got.events).toEqual([count]);
    expect(link.stats()).toMatchObject({ depth: 0, drops: 0 });
    expect(canariesIntact()).toBe(true);
  });

  it('drop-newest with a slow consumer: the newest are dropped here and counted; what arrives is in order', async () => {
    const { link, canariesIntact } = makeLink(16);
    const l = limits({ maxBuffers: 8, policy: 'drop-newest' });
    const consumer = consumerThread(link, l);
    const drained = consumer.ask<Drained>('drain', { delayMs: 1 });
    const p = link.producer(l);
    const offered = 1000;
    const { dropped, fulls } = await offerAll(p, 0, offered, { burst: 50, pauseMs: 2 });
    await offerEnd(p, offered);
    const got = await drained;
    expect(fulls).toBe(0);
    expect(dropped).toBeGreaterThan(0);
    expect(link.stats().drops).toBe(dropped);
    expect(got.delivered.length + dropped).toBe(offered);
    expect(got.dropped).toEqual([]); // dropped before they entered the ring
    expect(isIncreasing(got.delivered)).toBe(true);
    expect(got.delivered.slice(0, 8)).toEqual(range(0, 8)); // under the limit nothing is dropped
    expect(got.events).toEqual([offered]);
    expect(canariesIntact()).toBe(true);
  });

  it('drop-oldest with a slow consumer: the consumer drops the oldest; the newest arrive, in order', async () => {
    const { link, canariesIntact } = makeLink(512);
    const l = limits({ maxBuffers: 4, policy: 'drop-oldest' });
    const consumer = consumerThread(link, l);
    const drained = consumer.ask<Drained>('drain', { delayMs: 1 });
    const p = link.producer(l);
    const offered = 300;
    // Over the limit the producer pushes and the consumer drops the oldest. The ring has room
    // for every offer, so nothing is dropped here however slow the consumer thread is; only a
    // ring that is full makes the producer drop the newest instead (next test).
    const { dropped: droppedHere, fulls } = await offerAll(p, 0, offered, { burst: 30, pauseMs: 2 });
    expect(fulls).toBe(0);
    await offerEnd(p, offered);
    const got = await drained;
    expect(got.dropped.length).toBeGreaterThan(0);
    expect(link.stats().drops).toBe(got.dropped.length + droppedHere);
    expect(got.delivered.length + got.dropped.length + droppedHere).toBe(offered);
    const seen = [...got.delivered, ...got.dropped];
    expect(new Set(seen).size).toBe(seen.length); // none went through twice
    expect(isIncreasing(got.delivered)).toBe(true);
    expect(got.delivered.slice(-3)).toEqual([offered - 3, offered - 2, offered - 1]);
    expect(got.events).toEqual([offered]);
    expect(canariesIntact()).toBe(true);
  });

  // Regression: drop-oldest used to return FULL once the ring itself filled, and the bridge then
  // waited like `block`; GStreamer's leaky queues never make upstream wait.
  it('drop-oldest never makes the producer wait, even when the consumer has stalled', () => {
    const { link } = makeLink(16);
    const p = link.producer(limits({ maxBuffers: 4, policy: 'drop-oldest' }));
    const results = range(0, 100).map((seq) => p.offer(seq, 100, KINDS.buffer, -1));
    expect(results.filter((r) => r === Offer.FULL)).toHaveLength(0);
  });

  it('maxBytes: FULL while the byte level would pass the limit; markConsumed lowers it, a pop alone does not', async () => {
    const { link } = makeLink(8);
    const l = limits({ maxBytes: 1000 });
    const consumer = consumerThread(link, l);
    const p = link.producer(l);
    expect([0, 1, 2].map((seq) => p.offer(seq, 300, KINDS.buffer, -1))).toEqual([Offer.PUSHED, Offer.PUSHED, Offer.PUSHED]);
    expect(p.offer(3, 300, KINDS.buffer, -1)).toBe(Offer.FULL);
    expect(p.offer(3, 300, KINDS.buffer, -1)).toBe(Offer.FULL); // FULL changes nothing
    expect(link.stats().depth).toBe(3);

    const [first] = await consumer.ask<Popped[]>('pop', { max: 1, consume: false });
    expect(first).toEqual({ slot: 0, length: 300, kind: KINDS.buffer, dropped: false });
    expect(p.offer(3, 300, KINDS.buffer, -1)).toBe(Offer.FULL); // popped but not consumed: 900 bytes still count

    expect((await consumer.ask<Popped[]>('pop', { max: 1 })).map((d) => d.slot)).toEqual([1]);
    expect(p.offer(3, 300, KINDS.buffer, -1)).toBe(Offer.PUSHED); // 600 + 300
    expect(p.offer(4, 300, KINDS.buffer, -1)).toBe(Offer.FULL);
    expect((await consumer.ask<Popped[]>('pop', { max: 10 })).map((d) => d.slot)).toEqual([2, 3]);
    expect(p.offer(4, 300, KINDS.buffer, -1)).toBe(Offer.PUSHED); // buffer 0 never consumed: level 300 + 300
    expect(link.stats()).toMatchObject({ depth: 1, drops: 0 });
  });

  it('maxTime: FULL once the newest pts is more than maxTime past the last pts consumed', async () => {
    const { link } = makeLink(8);
    const l = limits({ maxTime: 1000 });
    const consumer = consumerThread(link, l, 500); // buffer n has pts n × 500
    const p = link.producer(l);
    const offer = (seq: number, pts = seq * 500): Offer => p.offer(seq, 10, KINDS.buffer, pts);
    expect([offer(0), offer(1), offer(2)]).toEqual([Offer.PUSHED, Offer.PUSHED, Offer.PUSHED]); // 0 … 1000: not more than 1000
    expect(offer(3)).toBe(Offer.FULL); // 1500 - 0 (nothing consumed yet: the first pts)
    expect((await consumer.ask<Popped[]>('pop', { max: 1 })).map((d) => d.slot)).toEqual([0]);
    expect(offer(3)).toBe(Offer.FULL); // 1500 - 0
    expect((await consumer.ask<Popped[]>('pop', { max: 1 })).map((d) => d.slot)).toEqual([1]);
    expect(offer(3)).toBe(Offer.PUSHED); // 1500 - 500
    expect(offer(4)).toBe(Offer.FULL);
    expect(offer(4, -1)).toBe(Offer.PUSHED); // no timestamp: the time limit does not apply
  });

  it('events ignore the limits but not the ring capacity', async () => {
    const { link } = makeLink(4);
    const l = limits({ maxBytes: 100 });
    const consumer = consumerThread(link, l);
    const p = link.producer(l);
    expect(p.offer(0, 5000, KINDS.buffer, -1)).toBe(Offer.PUSHED); // alone on the link: it passes
    expect(p.offer(1, 10, KINDS.buffer, -1)).toBe(Offer.FULL);
    expect([10, 11, 12].map((e) => p.offerEvent(e, 0, KINDS.event))).toEqual([true, true, true]);
    expect(p.offerEvent(13, 0, KINDS.event)).toBe(false); // four descriptors: the ring is full
    expect(link.stats().depth).toBe(4);
    expect((await consumer.ask<Popped[]>('pop', { max: 1, consume: false })).map((d) => d.slot)).toEqual([0]);
    expect(p.offerEvent(13, 0, KINDS.event)).toBe(true);
    expect(p.offer(1, 10, KINDS.buffer, -1)).toBe(Offer.FULL);
    const rest = await consumer.ask<Popped[]>('pop', { max: 10 });
    expect(rest.map((d) => [d.slot, d.kind])).toEqual([[10, KINDS.event], [11, KINDS.event], [12, KINDS.event], [13, KINDS.event]]);
    expect(link.stats().depth).toBe(0);
  });

  it("the consumer's close(result) is what the producer sees; the producer's close() is what the consumer sees", async () => {
    const { link } = makeLink(4);
    const consumer = consumerThread(link, limits({}));
    const p = link.producer(limits({}));
    expect([p.consumerStopped(), p.consumerResult()]).toEqual([false, FlowResult.OK]);
    await consumer.ask('close', { result: FlowResult.ERROR });
    expect([p.consumerStopped(), p.consumerResult()]).toEqual([true, FlowResult.ERROR]);
    await consumer.ask('close', { result: FlowResult.OK });
    expect([p.consumerStopped(), p.consumerResult()]).toEqual([true, FlowResult.OK]); // stopped, with OK
    expect(await consumer.ask('producerDone')).toBe(false);
    p.close();
    expect(await consumer.ask('producerDone')).toBe(true);
  });

  it('stats(): depth and drops, and a wake-up once the consumer slept', async () => {
    const { link } = makeLink(8);
    const l = limits({ maxBuffers: 2, policy: 'drop-newest' });
    const consumer = consumerThread(link, l);
    const p = link.producer(l);
    expect([0, 1, 2].map((seq) => p.offer(seq, 10, KINDS.buffer, -1))).toEqual([Offer.PUSHED, Offer.PUSHED, Offer.DROPPED]);
    expect(link.stats()).toEqual({ depth: 2, drops: 1, wakeups: 0 });
    expect(await consumer.ask<Popped[]>('pop', { max: 10 })).toHaveLength(2);
    expect(link.stats()).toEqual({ depth: 0, drops: 1, wakeups: 0 });

    const woke = consumer.ask<{ ready: boolean }>('wait', { timeoutMs: 15_000 });
    // Word 32 of the ring: the consumer's sleeping flag (ring.ts). Push once it is raised.
    await until(() => Atomics.load(link.ring.words, 32) === 1, 'the consumer to sleep');
    expect(p.offer(3, 10, KINDS.buffer, -1)).toBe(Offer.PUSHED);
    expect((await woke).ready).toBe(true);
    expect(link.stats().depth).toBe(1);
    expect(link.stats().wakeups).toBeGreaterThan(0);
  });
});
