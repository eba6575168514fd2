import { pathToFileURL } from 'node:url';
import { resolve } from 'node:path';
import { createDefaultRegistry, launch } from '../../src/index.js';

const PLUGIN = pathToFileURL(resolve('test/fixtures/thread-plugin.mjs')).href;

/**
 * Sends `count` buffers from a source thread through a ring to a checking thread (seqcheck: no
 * gap, no reordering, intact canaries) and returns what the pipeline counted and how resident
 * memory moved. Shared by the CI test (short) and `npm run test:stress` (10 million).
 */
export async function pipelineSoak(count: number): Promise<{ checked: number; copied: number; freeSlots: number; slots: number; rssTenth: number; rssEnd: number }> {
  const registry = createDefaultRegistry();
  await registry.loadPlugin(PLUGIN);
  const p = launch(`fakesrc num-buffers=${count} sizetype=fixed sizemax=64 filltype=pattern ! queue ! seqcheck ! fakesink`, { registry, plugins: [PLUGIN], scheduling: 'hybrid' });
  await p.prepare();
  let rssTenth = 0;
  const timer = setInterval(() => {
    const seen = p.stats().pads['fakesrc0:src']?.buffers ?? 0;
    if (rssTenth === 0 && seen >= count / 10) rssTenth = process.memoryUsage().rss;
  }, 50);
  await p.run();
  clearInterval(timer);
  const s = p.stats();
  const result = { checked: s.pads['seqcheck0:src']?.buffers ?? 0, copied: s.bytesCopied, freeSlots: s.pools.freeSlots, slots: s.pools.slots, rssTenth, rssEnd: process.memoryUsage().rss };
  await p.dispose();
  return result;
}
