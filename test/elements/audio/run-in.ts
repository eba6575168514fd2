import { createDefaultRegistry, launch } from '../../../src/index.js';

/**
 * Hybrid scheduling loads an element on a data thread from dist/ by the module builtins.ts gives
 * it, so these run once the element is registered there (and dist/ rebuilt); until then they skip.
 */
export const builtin = (factory: string): boolean => createDefaultRegistry().has(factory);

/** Runs `desc` (ending in `appsink name=out`) in `scheduling`; returns each buffer's bytes and pts, the copies, and where `element` ran. */
export async function runIn(desc: string, scheduling: 'async' | 'hybrid', element: string): Promise<{ got: { bytes: Uint8Array; pts: number }[]; copied: number; thread: number | undefined }> {
  const p = launch(desc, { scheduling });
  const sink = p.get('out') as unknown as AsyncIterable<{ data: Uint8Array; pts: number; release(): void }>;
  const got: { bytes: Uint8Array; pts: number }[] = [];
  const reading = (async () => {
    for await (const b of sink) {
      got.push({ bytes: b.data.slice(), pts: b.pts });
      b.release();
    }
  })();
  await p.run();
  await reading;
  const copied = p.stats().bytesCopied;
  const thread = [...(p.plan?.placement ?? new Map<unknown, number>()).entries()].find(([e]) => (e as { name: string }).name === element)?.[1];
  await p.dispose();
  return { got, copied, thread };
}
