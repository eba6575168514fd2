import { describe, expect, it } from 'vitest';
import { pipelineSoak } from '../support/pipeline-soak.js';

// The short version of `npm run test:stress`'s 10-million-buffer soak.
describe('pipeline soak across data threads (short)', () => {
  it('moves 300,000 buffers through a ring gap-free, intact, with no copy and every slot back', async () => {
    const r = await pipelineSoak(300_000);
    expect(r.checked).toBe(300_000);
    expect(r.copied).toBe(0);
    expect(r.freeSlots).toBe(r.slots);
  });
});
