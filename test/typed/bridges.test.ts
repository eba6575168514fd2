import { describe, expect, it } from 'vitest';
import { Pipeline, createDefaultRegistry } from '../../src/index.js';
import { ValueSink } from '../../src/typed/elements/value-sink.js';
import { ValueSource } from '../../src/typed/elements/value-source.js';

describe('value batches and data threads', () => {
  it('a value batch that meets a thread bridge fails the run instead of losing its items', async () => {
    const p = new Pipeline('mixed', { scheduling: 'realtime' });
    const got: number[] = [];
    const src = new ValueSource('from0', [1, 2, 3]);
    // Made by the registry, so a data thread can import its module.
    const id = createDefaultRegistry().make('identity');
    const sink = new ValueSink<number>('to0', (v) => void got.push(v));
    p.chain(src, id, sink);
    await p.prepare();
    expect(p.plan?.placement.get(id)).toBeGreaterThanOrEqual(0);
    await expect(p.run()).rejects.toThrow(/a typed value batch \(3 items\) cannot cross to another thread or process: its values are held by reference on the thread that made them; only a run of module stages crosses/);
    expect(got).toEqual([]);
  });
});
