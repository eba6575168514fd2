import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { launch } from '../../../src/index.js';
import { loadNative } from '../../../src/isolation/native.js';
import { runChild, socketDir } from './peer.js';

// Pass-through with nothing that copies on either side: whatever is copied is the link's doing.
describe.skipIf(!loadNative().ok)('ipcsink → ipcsrc copies nothing', () => {
  it.each(['producer', 'consumer'] as const)('with the %s in this process: bytesCopied is 0 on both sides', async (here) => {
    const sock = join(socketDir(), 'z.sock');
    const produce = `fakesrc num-buffers=300 sizetype=fixed sizemax=4096 filltype=pattern ! ipcsink path=${sock}`;
    const consume = `ipcsrc path=${sock} ! fakesink`;
    const local = launch(here === 'producer' ? produce : consume);
    const running = local.run();
    const child = runChild(here === 'producer' ? consume : produce, 'stats');
    await running;
    const r = await child.done;
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const remote = JSON.parse(r.stdout.trim().split('\n').pop()!) as { bytesCopied: number; buffers: Record<string, number> };
    const stats = local.stats();
    expect(stats.bytesCopied).toBe(0);
    expect(remote.bytesCopied).toBe(0);
    const received = here === 'producer' ? remote.buffers['ipcsrc0'] : stats.elements['ipcsrc0']!.buffersOut;
    expect(received).toBe(300);
  }, 20_000);
});
