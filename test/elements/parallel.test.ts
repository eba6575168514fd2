import { pathToFileURL } from 'node:url';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Events } from '../../src/element/event.js';
import { FlowResult } from '../../src/element/flow.js';
import { AppSink } from '../../src/elements/app/appsink.js';
import { ArrivalOrder, Job } from '../../src/elements/compute/arrival-order.js';
import { Parallel } from '../../src/elements/compute/parallel.js';
import { Buffer } from '../../src/element/buffer.js';
import { Allocator } from '../../src/memory/allocator.js';
import type { Pipeline } from '../../src/exec/pipeline.js';
import { Harness } from '../../src/harness/harness.js';
import { copyStats } from '../../src/memory/copy-counter.js';
import { launch } from '../../src/index.js';

// Real piscina workers run workers/parallel-worker.mjs, which calls the functions in this module.
// Relative to the working directory (the repository root under vitest), as a user would write it.
const KERNELS = 'test/support/parallel-kernels.mjs';
const KERNELS_URL = pathToFileURL(resolve(KERNELS)).href;

interface Out { readonly sequence: number; readonly bytes: Uint8Array }

/** Runs `p` to the end while pulling every buffer from appsink `name`; copies the bytes out. */
async function runCollecting(p: Pipeline, name = 'out'): Promise<Out[]> {
  const sink = p.get(name) as AppSink;
  const running = p.run();
  const out: Out[] = [];
  for await (const buf of sink) {
    out.push({ sequence: buf.sequence, bytes: buf.data.slice() });
    buf.release();
  }
  await running;
  return out;
}

/** fakesrc's `filltype=pattern`: byte i of every buffer is i & 255. */
const pattern = (size: number): Uint8Array => Uint8Array.from({ length: size }, (_, i) => i & 255);
const inverted = (size: number): Uint8Array => pattern(size).map((b) => 255 - b);

/** Most intervals that overlap at any instant (ends before starts at equal times). */
function maxOverlap(intervals: readonly (readonly [number, number])[]): number {
  const points = intervals.flatMap(([s, e]) => [[s, 1], [e, -1]] as const).sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  let now = 0;
  let max = 0;
  for (const [, d] of points) max = Math.max(max, (now += d));
  return max;
}

describe('ArrivalOrder', () => {
  it('lets the head out only when it is ready, whatever order jobs finish in', () => {
    const q = new ArrivalOrder();
    const [a, b, c] = [1, 2, 3].map((n) => new Job({ sequence: n } as unknown as Buffer));
    const marker = Events.custom('marker');
    for (const item of [a!, b!, marker, c!]) q.push(item);
    const take = (): string => {
      const item = q.takeReady();
      return item === undefined ? '-' : item instanceof Job ? String(item.buf.sequence) : item.type;
    };
    // step: which job finishes → what can be taken, held jobs afterwards
    const steps: [Job | null, string[], number][] = [
      [c!, ['-'], 3],
      [b!, ['-'], 3],
      [a!, ['1', '2', 'custom', '3', '-'], 0],
    ];
    for (const [finished, out, held] of steps) {
      if (finished !== null) finished.done = true;
      const got: string[] = [];
      for (let t = take(); ; t = take()) {
        got.push(t);
        if (t === '-') break;
      }
      expect(got).toEqual(out);
      expect(q.held).toBe(held);
    }
    expect(q.isEmpty).toBe(true);
  });
});

describe('parallel', () => {
  it('has metadata and defaults', () => {
    expect(Parallel.metadata.factory).toBe('parallel');
    expect(Parallel.metadata.sharedMemory).toBe(true);
    expect([Parallel.metadata.affinity, Parallel.metadata.rtSafe]).toEqual(['async', false]);
    const el = new Parallel('parallel0');
    expect([el.get('module'), el.get('function'), el.get('max-in-flight')]).toEqual([null, 'default', 0]);
    expect(el.num('workers')).toBeGreaterThanOrEqual(1);
  });

  it('keeps the input order when workers finish out of order, and transforms every byte', async () => {
    const p = launch(`fakesrc num-buffers=120 sizetype=fixed sizemax=1000 filltype=pattern ! parallel module=${KERNELS} function=sleepy workers=4 ! appsink name=out`);
    const out = await runCollecting(p);
    expect(out.map((o) => o.sequence)).toEqual(Array.from({ length: 120 }, (_, i) => i));
    for (const o of out) expect(o.bytes).toEqual(inverted(1000));
  });

  it.each([
    ['fakesink', 'fakesink name=out'],
    ['appsink', 'appsink name=out'],
  ])('copies no payload byte on the way to a %s', async (_name, sink) => {
    const p = launch(`fakesrc num-buffers=50 sizetype=fixed sizemax=65536 filltype=pattern ! parallel module=${KERNELS} workers=2 ! ${sink}`);
    if (sink.startsWith('appsink')) {
      const out = await runCollecting(p);
      expect(out).toHaveLength(50);
      expect(out[49]!.bytes).toEqual(inverted(65536));
    } else {
      await p.run();
    }
    const s = p.stats();
    expect(s.bytesCopied).toBe(0);
    expect(s.pads['parallel0:src']).toEqual({ buffers: 50, bytes: 50 * 65536 });
  });

  it('takes a file: URL, a named export, and new sizes (shrink and grow into the slot)', async () => {
    const halved = await runCollecting(launch(`fakesrc num-buffers=3 sizetype=fixed sizemax=100 filltype=pattern ! parallel module="${KERNELS_URL}" function=halve ! appsink name=out`));
    expect(halved.map((o) => o.bytes)).toEqual([pattern(50), pattern(50), pattern(50)]);
    const grown = await runCollecting(launch(`fakesrc num-buffers=2 sizetype=fixed sizemax=100 filltype=pattern ! parallel module=${KERNELS} function=grow ! appsink name=out`));
    expect(grown.map((o) => o.bytes)).toEqual([Uint8Array.from([...pattern(100), 33]), Uint8Array.from([...pattern(100), 33])]);
  });

  it('sends EOS only after every buffer in flight went out', async () => {
    const p = launch(`fakesrc num-buffers=6 sizetype=fixed sizemax=64 ! parallel module=${KERNELS} function=timed workers=2 ! appsink name=out`);
    const order: string[] = [];
    const sink = p.get('out') as AppSink;
    sink.on('new-sample', () => order.push('buffer'));
    sink.on('eos', () => order.push('eos'));
    const out = await runCollecting(p);
    expect(out.map((o) => o.sequence)).toEqual([0, 1, 2, 3, 4, 5]);
    expect(order).toEqual([...Array<string>(6).fill('buffer'), 'eos']);
  });

  it.each([
    // workers, max-in-flight, most buffers in workers at once
    [4, 2, 2],
    [2, 0, 2],
    [3, 1, 1],
  ] as const)('workers=%i max-in-flight=%i: at most %i buffers are processed at once', async (workers, maxInFlight, expected) => {
    const p = launch(`fakesrc num-buffers=12 sizetype=fixed sizemax=64 ! parallel module=${KERNELS} function=timed workers=${workers} max-in-flight=${maxInFlight} ! appsink name=out`);
    const out = await runCollecting(p);
    const spans = out.map((o) => {
      const v = new DataView(o.bytes.buffer);
      return [v.getFloat64(0, true), v.getFloat64(8, true)] as const;
    });
    // Each function call sleeps 20 ms: with `expected` running at once they overlap that much.
    expect(maxOverlap(spans)).toBe(expected);
  });

  it('makes a tee branch writable with a counted copy, leaving the other branch untouched', async () => {
    const before = copyStats().bytesCopied;
    const p = launch(`fakesrc num-buffers=4 sizetype=fixed sizemax=256 filltype=pattern ! tee name=t ! queue ! parallel module=${KERNELS} ! appsink name=a t. ! queue ! appsink name=b`);
    const b = p.get('b') as AppSink;
    const fromB: Uint8Array[] = [];
    const drainB = (async () => {
      for await (const buf of b) {
        fromB.push(buf.data.slice());
        buf.release();
      }
    })();
    const fromA = await runCollecting(p, 'a');
    await drainB;
    expect(fromA.map((o) => o.bytes)).toEqual(Array(4).fill(inverted(256)));
    expect(fromB).toEqual(Array(4).fill(pattern(256)));
    expect(copyStats().bytesCopied - before).toBe(4 * 256);
  });

  it('copies a heap buffer once into shared memory, and keeps serialized events in order', async () => {
    const el = new Parallel('parallel0');
    el.set('module', KERNELS);
    el.set('function', 'timed');
    el.set('workers', 2);
    const h = await new Harness(el, { caps: 'application/octet-stream' }).start();
    expect(h.events.map((e) => e.type)).toEqual(['stream-start', 'caps', 'segment']);
    const before = copyStats().bytesCopied;
    // A buffer from a heap pool (the harness itself allocates from an arena, as a pipeline would).
    const heap = new Allocator();
    expect(h.push(Buffer.fromBytes(heap, new Uint8Array(16)), { pts: 7 })).toBe(FlowResult.OK);
    expect(copyStats().bytesCopied - before).toBe(2 * 16); // writing the heap slot, then parallel's one copy into shared memory
    h.pushEvent(Events.custom('marker'));
    h.push(Buffer.fromBytes(heap, new Uint8Array(16)), { pts: 8 });
    h.eos();
    expect(h.events).toHaveLength(3); // the marker waits behind the first buffer
    const steps = [await h.step(), await h.step(), await h.step(), await h.step()];
    expect(steps).toEqual([FlowResult.OK, FlowResult.OK, FlowResult.OK, FlowResult.EOS]);
    expect(h.events.map((e) => e.type)).toEqual(['stream-start', 'caps', 'segment', 'custom', 'eos']);
    const bufs = [h.pull()!, h.pull()!];
    expect(bufs.map((b) => [b.pts, b.pool.region.shared, new DataView(b.data.buffer, b.data.byteOffset).getFloat64(0, true) > 0])).toEqual([[7, true, true], [8, true, true]]);
    for (const b of bufs) b.release();
    await h.stop();
  });

  it.each([
    ['a throw', 'boom', /^parallel0: boom\(\) of file:\/\/\S+parallel-kernels\.mjs threw on buffer 5: kaboom$/],
    ['a rejection', 'rejects', /^parallel0: rejects\(\) of file:\/\/\S+parallel-kernels\.mjs threw on buffer 2: no good$/],
    ['a size the slot cannot hold', 'tooBig', /^parallel0: tooBig\(\) of file:\/\/\S+parallel-kernels\.mjs returned \d+ for buffer \d+; expected undefined or a payload size in 0\.\.\d+$/],
  ])('%s in the function reaches the bus naming the element, and the pipeline goes to Error', async (_what, fn, message) => {
    const p = launch(`fakesrc num-buffers=50 sizetype=fixed sizemax=64 ! parallel module=${KERNELS} function=${fn} workers=2 ! fakesink`);
    const errors: string[] = [];
    const states: string[] = [];
    p.bus.on('error', (m) => errors.push(`${m.source}|${m.error.message}`));
    p.bus.on('state-changed', (m) => states.push(m.to));
    await expect(p.run()).rejects.toThrow(message);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(/^parallel0\|/);
    expect(states).toEqual(['idle', 'running', 'error', 'suspended']);
  });

  it('an error no task owns (a worker throwing from a microtask) reaches the bus, not the process', async () => {
    const p = launch(`fakesrc num-buffers=200 sizetype=fixed sizemax=64 ! parallel module=${KERNELS} function=lateThrow workers=2 ! fakesink sync=false`);
    const errors: string[] = [];
    p.bus.on('error', (m) => errors.push(`${m.source}|${m.error.message}`));
    const ran = p.run();
    await expect(ran).rejects.toThrow(/^parallel0: (worker pool: |a worker failed after lateThrow\(\) of file:\S+parallel-kernels\.mjs returned: )thrown from a microtask$/);
    expect(errors).toHaveLength(1);
    expect(p.state).toBe('suspended');
  });

  it.each([
    ['a missing module', 'module=test/support/no-such-module.mjs', /^parallel0 failed to start: cannot import module file:\/\/\S+\/test\/support\/no-such-module\.mjs: /],
    ['a missing export', `module=${KERNELS} function=nothere`, /^parallel0 failed to start: module \S+parallel-kernels\.mjs has no function export "nothere" \(missing; it exports .*boom/],
    ['an export that is not a function', `module=${KERNELS} function=notAFunction`, /has no function export "notAFunction" \(a number;/],
    ['no module at all', '', /^parallel0 failed to start: property module is not set/],
  ])('%s fails prepare, naming the element and the module', async (_what, props, message) => {
    const p = launch(`fakesrc num-buffers=1 ! parallel ${props} ! fakesink`);
    await expect(p.run()).rejects.toThrow(message);
    expect(p.state).toBe('suspended');
  });

  it('stops a worker stuck in a loop when the pipeline stops', async () => {
    const p = launch(`fakesrc num-buffers=10 sizetype=fixed sizemax=64 ! parallel module=${KERNELS} function=spin workers=2 ! fakesink`);
    const started = performance.now();
    await expect(p.run({ signal: AbortSignal.timeout(300) })).rejects.toThrow(/aborted/);
    expect(p.state).toBe('suspended');
    expect(performance.now() - started).toBeLessThan(5000);
    // The pool is gone: the pipeline can run again (a new pool).
    await expect(p.run({ signal: AbortSignal.timeout(300) })).rejects.toThrow(/aborted/);
  });
});
