import { describe, expect, it } from 'vitest';
import { pipelineSoak } from '../support/pipeline-soak.js';

const COUNT = Number(process.env.STRESS_COUNT ?? 10_000_000);

describe('pipeline soak across data threads', () => {
  it(`moves ${COUNT} buffers between two threads losslessly, with flat memory`, async () => {
    const r = await pipelineSoak(COUNT);
    expect(r.checked).toBe(COUNT);
    expect(r.copied).toBe(0);
    expect(r.freeSlots).toBe(r.slots);
    const growth = (r.rssEnd - r.rssTenth) / r.rssTenth;
    console.log(`pipeline soak: ${COUNT} buffers; RSS after a tenth ${(r.rssTenth / 2 ** 20).toFixed(1)} MiB, at the end ${(r.rssEnd / 2 ** 20).toFixed(1)} MiB (${(growth * 100).toFixed(1)} %)`);
    expect(growth).toBeLessThan(0.05);
  });
});
