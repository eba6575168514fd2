import { describe, expect, it } from 'vitest';
import { Bus, launch, type BusMessage } from '../../src/index.js';

describe('bus', () => {
  it('delivers typed messages to handlers and stops after unsubscribe', () => {
    const bus = new Bus();
    const got: string[] = [];
    const off = bus.on('warning', (m) => got.push(m.message));
    bus.post({ type: 'warning', source: 'a', message: 'one' });
    off();
    bus.post({ type: 'warning', source: 'a', message: 'two' });
    expect(got).toEqual(['one']);
  });

  it('is an async iterator that loses nothing posted before reading and ends on close', async () => {
    const bus = new Bus();
    const it = bus[Symbol.asyncIterator]();
    const first = it.next();
    bus.post({ type: 'info', source: 'x', message: '1' });
    bus.post({ type: 'info', source: 'x', message: '2' });
    bus.close();
    const msgs: BusMessage[] = [];
    const r1 = await first;
    if (!r1.done) msgs.push(r1.value);
    for (let r = await it.next(); !r.done; r = await it.next()) msgs.push(r.value);
    expect(msgs.map((m) => (m.type === 'info' ? m.message : '?'))).toEqual(['1', '2']);
  });

  it('carries state changes, caps and eos of a real run in order', async () => {
    const p = launch('fakesrc num-buffers=2 ! audio/x-raw,rate=8000 ! fakesink');
    const types: string[] = [];
    p.bus.on('message', (m) => types.push(m.type));
    await p.run();
    expect(types.filter((t) => t !== 'property-notify')).toEqual(['caps', 'caps', 'state-changed', 'latency', 'state-changed', 'eos', 'state-changed']);
  });
});
