import { Buffer } from '../element/buffer.js';
import { FlowResult } from '../element/flow.js';
import type { BufferAllocator } from '../memory/allocator.js';

/**
 * Value batches: how typed pipelines carry JavaScript values through the engine. A batch is an
 * ordinary buffer with an empty payload whose `values` holds the items by reference, so a stage
 * costs a function call per item and the engine's per-buffer work (a slot, a push) is paid once
 * per batch. Timestamps and flags live in the slot header as for any buffer.
 *
 * Values never leave the thread that made them: the engine's thread and process bridges refuse a
 * value batch (`refuseValueBatch`) instead of dropping its items.
 */

/** Caps on every typed link. */
export const VALUE_CAPS_TEXT = 'application/x-parallax-values';

/** A buffer holding `values` (an empty payload). Event loop. */
export function valueBatch(allocator: BufferAllocator, values: readonly unknown[]): Buffer {
  const buf = Buffer.allocate(allocator, 0);
  buf.values = values;
  return buf;
}

/** What a bridge says when it meets a value batch: the items cannot be placed in shared memory. */
export function refuseValueBatch(buf: Buffer, fail: (message: string) => FlowResult): FlowResult {
  const n = buf.values?.length ?? 0;
  buf.release();
  return fail(`a typed value batch (${n} items) cannot cross to another thread or process: its values are held by reference on the thread that made them; only a run of module stages crosses, with its batches encoded (valueencode, valuedecode; doc/design/008-typed-pipelines.md)`);
}
