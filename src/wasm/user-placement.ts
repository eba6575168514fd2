import { USER_DATA_START, KERNEL_DATA_END } from '../memory/arena.js';
import type { KernelHost } from './kernel-host.js';
import type { UserModule } from './user-module.js';

/**
 * Whether a user module may run in place on the arena, or why not (doc/design/006). A module
 * shares the arena only when all of these hold:
 * - it imports env.memory, shared, with a maximum of at least the arena's pages;
 * - it keeps no mutable globals (no top-level `let`, no allocator);
 * - every active data segment has a constant address inside the user windows [1 MiB, 4 MiB);
 * - the arena's claims table takes its data: the range is free, or holds the same bytes (the
 *   same module, on this thread or another).
 * Otherwise it runs in a memory of its own, with its input and output copied (and counted).
 *
 * Claims the data range when the answer is "shared": call once per instance, when it starts.
 */
export type Placement = { readonly shared: true } | { readonly shared: false; readonly reason: string };

const hex = (n: number): string => `0x${n.toString(16)}`;

export function placeUserModule(mod: UserModule, host: KernelHost | null): Placement {
  const why = (reason: string): Placement => ({ shared: false, reason });
  if (host === null) return why('no WebAssembly arena with a kernel area here (the element runs outside a pipeline, or the arena is a SharedArrayBuffer or smaller than 8 MiB)');
  const imp = mod.scan.memoryImport;
  if (imp === null) return why('it defines its own memory instead of importing env.memory');
  if (!imp.shared) return why('its env.memory import is not shared (build it with parallax-wasm build)');
  const pages = host.memory.buffer.byteLength / 65536;
  if (imp.maximum === undefined || imp.maximum < pages) return why(`its env.memory may grow to ${imp.maximum ?? 'an unstated number of'} pages, fewer than the arena's ${pages}`);
  if (imp.minimum > pages) return why(`it needs ${imp.minimum} pages of memory, more than the arena's ${pages}`);
  if (mod.scan.mutableGlobals > 0) return why(`it keeps ${mod.scan.mutableGlobals} mutable global(s): a top-level let, or an allocator (kernels must not allocate)`);
  const data = mod.data;
  if (data === null) return { shared: true };
  if (!data.placed) return why('a data segment has no constant address, so the engine cannot tell where it writes');
  if (data.start < USER_DATA_START || data.end > KERNEL_DATA_END) {
    return why(`its constant data at ${hex(data.start)}..${hex(data.end)} lies outside the user windows ${hex(USER_DATA_START)}..${hex(KERNEL_DATA_END)} (build it with parallax-wasm build)`);
  }
  const claim = host.arena.claimKernelData(data.start, data.end, data.hashLo, data.hashHi);
  switch (claim.result) {
    case 'claimed':
    case 'same':
      return { shared: true };
    case 'overlap':
      return why(`its constant data at ${hex(data.start)}..${hex(data.end)} overlaps another module's at ${hex(claim.other.start)}..${hex(claim.other.end)} in this arena (build one of them with another --memory-base)`);
    case 'full':
      return why('the arena\'s table of module data claims is full');
  }
}
