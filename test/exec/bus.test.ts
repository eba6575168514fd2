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

  it('a listener that throws does not keep the message from the other listeners; its exception surfaces as uncaught', async () => {
    const bus = new Bus();
    const seen: string[] = [];
    const uncaught: unknown[] = [];
    const onUncaught = (e: unknown): void => void uncaught.push(e);
    process.prependListener('uncaughtException', onUncaught);
    const listeners = process.listeners('uncaughtException').filter((l) => l !== onUncaught);
    for (const l of listeners) process.off('uncaughtException', l);
    try {
      bus.on('error', () => {
        throw new Error('an application bug');
      });
      bus.on('error', (m) => seen.push(m.source));
      bus.post({ type: 'error', source: 'x', error: new Error('boom') });
      expect(seen).toEqual(['x']);
      await new Promise((r) => setTimeout(r, 0));
      expect(uncaught).toHaveLength(1);
      expect((uncaught[0] as Error).message).toBe('an application bug');
    } finally {
      process.off('uncaughtException', onUncaught);
      for (const l of listeners) process.on('uncaughtException', l);
    }
  });
});
