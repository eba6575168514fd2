import { describe, expect, it } from 'vitest';
import { Aggregator, Buffer, FlowResult, Harness, Transform, createDefaultRegistry, launch, type ElementMetadata, type Pad } from '../../src/index.js';

/** Sums the first byte of every input: the smallest aggregator that shows alignment. */
class ByteAdder extends Aggregator {
  static readonly metadata: ElementMetadata = {
    factory: 'byteadder', classification: 'Generic', description: 'adds the first bytes of its inputs', example: 'fakesrc ! byteadder',
    padTemplates: [
      { name: 'sink_%u', direction: 'sink', presence: 'request' },
      { name: 'src', direction: 'src', presence: 'always' },
    ],
    properties: {}, affinity: 'auto', rtSafe: true,
  };
  protected aggregate(inputs: ReadonlyMap<Pad, Buffer>): Buffer | FlowResult {
    const out = Buffer.allocate(this.context.allocator, 1);
    let sum = 0;
    for (const b of inputs.values()) {
      sum += b.size > 0 ? b.data[0]! : 0;
      b.release();
    }
    out.data[0] = sum & 0xff;
    return out;
  }
}

/** Writes an upper-cased copy into a fresh buffer: the out-of-place Transform path. */
class Upper extends Transform {
  static readonly metadata: ElementMetadata = {
    factory: 'upper', classification: 'Filter', description: 'upper-cases ASCII into a new buffer', example: 'fakesrc ! upper ! fakesink',
    padTemplates: [{ name: 'sink', direction: 'sink', presence: 'always' }, { name: 'src', direction: 'src', presence: 'always' }],
    properties: {}, affinity: 'auto', rtSafe: true,
  };
  protected override transform(input: Buffer, output: Buffer): FlowResult | typeof Transform.DROPPED {
    if (input.size === 0) return Transform.DROPPED;
    const a = input.data;
    const b = output.data;
    for (let i = 0; i < a.length; i++) b[i] = a[i]! >= 97 && a[i]! <= 122 ? a[i]! - 32 : a[i]!;
    return FlowResult.OK;
  }
}

describe('Aggregator base', () => {
  it('waits for one buffer per input, then combines them', async () => {
    const el = new ByteAdder('add');
    const a = el.requestPad('sink_%u');
    const b = el.requestPad('sink_%u');
    const h = new Harness(el, { sinkPad: a.name });
    await h.start();
    h.push(new Uint8Array([1]));
    expect(h.pending).toBe(0);
    expect(h.blocked).toBe(1);
    // The second input arrives through its own pad.
    expect(el.chain(b, Buffer.fromBytes(h.allocator, new Uint8Array([2])))).toBe(FlowResult.OK);
    expect([...h.pull()!.data]).toEqual([3]);
    await h.settle();
    await h.stop();
  });

  it('runs in a pipeline with two sources and ends when both reach EOS', async () => {
    const registry = createDefaultRegistry();
    registry.register(ByteAdder);
    const p = launch('byteadder name=m ! appsink name=out fakesrc num-buffers=3 sizetype=fixed sizemax=1 filltype=pattern ! m. fakesrc num-buffers=5 sizetype=fixed sizemax=1 filltype=pattern ! m.', { registry });
    const sink = p.get('out') as unknown as AsyncIterable<Buffer>;
    const run = p.run();
    const got: number[] = [];
    for await (const buf of sink) {
      got.push(buf.data[0]!);
      buf.release();
    }
    await run;
    // Both inputs send pattern byte 0 each time; after the 3-buffer source ends, the other goes on alone.
    expect(got).toEqual([0, 0, 0, 0, 0]);
  });
});

describe('Transform base, out of place', () => {
  it('writes into a fresh buffer with the input metadata and drops on DROPPED', async () => {
    const h = new Harness(new Upper('u'));
    await h.start();
    expect(h.push('hello', { pts: 5 })).toBe(FlowResult.OK);
    expect(h.push('')).toBe(FlowResult.OK);
    const out = h.pull()!;
    expect(new TextDecoder().decode(out.data)).toBe('HELLO');
    expect(out.pts).toBe(5);
    out.release();
    expect(h.pending).toBe(0);
    await h.stop();
  });
});

describe('Aggregator base, several buffers per push', () => {
  it('queues buffers per pad instead of dropping them, and ends at EOS', async () => {
    const el = new ByteAdder('add');
    const a = el.requestPad('sink_%u');
    const b = el.requestPad('sink_%u');
    const h = new Harness(el, { sinkPad: a.name });
    await h.start();
    h.push(new Uint8Array([1]));
    h.push(new Uint8Array([2]));
    h.push(new Uint8Array([3]));
    expect(h.pending).toBe(0);
    for (const v of [10, 20, 30]) el.chain(b, Buffer.fromBytes(h.allocator, new Uint8Array([v])));
    const out: number[] = [];
    for (let x = h.pull(); x !== undefined; x = h.pull()) {
      out.push(x.data[0]!);
      x.release();
    }
    expect(out).toEqual([11, 22, 33]);
    await h.settle();
    el.sinkEvent(b, { type: 'eos' });
    h.eos();
    expect(h.events.filter((e) => e.type === 'eos')).toHaveLength(1);
    await h.stop();
  });
});
