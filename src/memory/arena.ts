/**
 * An arena: the one shared region a threaded pipeline lays its pools and rings out in, with a
 * directory in its first bytes so that any thread can find any pool by number.
 *
 * Why one region: descriptors name a pool by a small number and a slot by an index; every thread
 * maps the same region once, when it starts, and resolves pool numbers lazily from the directory.
 * Nothing has to be announced between threads when a pool is created, and a WebAssembly kernel
 * instantiated over the same memory (a WasmMemoryRegion) addresses every payload in place.
 *
 * Layout, in 32-bit words from offset 0:
 *   word 0  magic 'PRLX'     word 1  layout version     word 2  bump: next free byte (u32)
 *   word 3  pools published
 *   word 4  stop: set when the pipeline stops; every blocked wait polls it (and is notified)
 *   word 5  cycles: manual-driver cycles signalled so far (free-running)
 *   word 6  xruns: cycle deadlines missed, all threads
 *   word 7  kernel area: 1 when bytes 64 KiB..4 MiB are kept for WebAssembly kernels' constant
 *           data (a WebAssembly arena of at least 8 MiB), else 0 (doc/design/006)
 *   word 8  slot sleepers: threads waiting for a slot of any pool (SharedAllocator)
 *   word 9  slot epoch: bumped by a release (in any pool) that saw slot sleepers; the wait word
 *   word 16 + 4i  pool i: base (u32), payload capacity (u32), slot count (u32), ready (0/1)
 *   then pools, rings and kernel state, each at a 64-byte boundary, carved by `carve`: from
 *   DIRECTORY_END, or from 4 MiB when the arena keeps the kernel area.
 *
 * Kernel data claims, only in an arena that keeps the kernel area (bytes 32 KiB..64 KiB, which
 * nothing else uses there): which user module's constant data occupies which bytes of the user
 * windows (1..4 MiB), so that two modules never write their data over each other, on any thread
 * (doc/design/006). In 32-bit words from byte 32768:
 *   word 0  lock: 0 free, 1 held      word 1  claims recorded      words 2..15  reserved
 *   from byte 32768 + 64, 16 bytes per claim: start (u32), end (u32, exclusive), and the
 *   module data's hash in two u32 words. Room for CLAIMS_MAX claims. Claims are never dropped:
 *   the arena lives as long as one prepared pipeline.
 *
 * Contract. `carve` bumps word 2 with compareExchange, so threads carve disjoint ranges. A pool is
 * initialised (its bitmap written) before its directory entry's `ready` word is stored; a thread
 * that loads `ready` = 1 then sees the whole pool. Pool numbers are taken with Atomics.add on
 * word 3, so two threads never publish the same number. The region never grows: views stay valid.
 * Memory is committed by the OS on first touch, so a generous arena costs address space, not RSS.
 * The claims table is read and written only by `claimKernelData`, which holds its lock word
 * (taken with compareExchange 0 → 1, given back with a store of 0): plain reads and writes of
 * the entries inside are ordered by those two atomics, so a thread that takes the lock sees
 * every claim made before.
 */
import { alignUp, type Region } from './region.js';
import { SabRegion, WasmMemoryRegion, type WasmMemory } from './shared-regions.js';
import { SharedPool, sharedPoolBytes, type ReleaseSignal } from './shared-pool.js';
import { ringBytes } from './spsc/ring.js';

/** Atomics.waitAsync; the ES2023 lib types do not declare it. */
const waitAsync = (Atomics as unknown as {
  waitAsync(a: Int32Array, i: number, v: number, t: number): { async: false; value: string } | { async: true; value: Promise<string> };
}).waitAsync;

const MAGIC = 0x584c5250; // 'PRLX'
const VERSION = 2;
const W_MAGIC = 0;
const W_VERSION = 1;
const W_BUMP = 2;
const W_POOLS = 3;
const W_STOP = 4;
const W_CYCLES = 5;
const W_XRUNS = 6;
const W_KERNEL_AREA = 7;
/** Threads waiting for a slot of any pool, and the epoch a release bumps when there are some. */
const W_SLOT_SLEEPERS = 8;
const W_SLOT_EPOCH = 9;
const DIRECTORY = 16;
/** Where kernels' constant data may start (the built-in module's memoryBase) and must end. */
export const KERNEL_DATA_START = 64 * 1024;
export const KERNEL_DATA_END = 4 * 1024 * 1024;
/** The user modules' windows: 48 of 64 KiB between 1 MiB and the end of the kernel area. */
export const USER_DATA_START = 1024 * 1024;
export const USER_WINDOW_BYTES = 64 * 1024;
/** Where the claims table lives (bytes), and how many claims it holds. */
const CLAIMS_AT = 32 * 1024;
const CLAIMS_END = 64 * 1024;
const C_LOCK = 0;
const C_COUNT = 1;
const C_ENTRIES = 16;
export const CLAIMS_MAX = (CLAIMS_END - CLAIMS_AT - C_ENTRIES * 4) / 16;
/** Spins before `claimKernelData` gives up on a lock nobody releases (a thread that died holding it). */
const CLAIM_SPINS = 50_000_000;

/**
 * What `claimKernelData` found: the range was free and is now claimed, the same data (same
 * range, same hash) was claimed before — the same module again, harmless — or another
 * module's data overlaps it (`other`), or the table is full.
 */
export type KernelDataClaim =
  | { readonly result: 'claimed' | 'same' }
  | { readonly result: 'overlap'; readonly other: { readonly start: number; readonly end: number } }
  | { readonly result: 'full' };

/** A WebAssembly arena smaller than this keeps no kernel area: its pools would have no room. */
const KERNEL_ARENA_MIN = 8 * 1024 * 1024;
/** Pools an arena can hold. Pools are per size class and thread, so a pipeline needs tens. */
export const MAX_POOLS = 1024;
const DIRECTORY_END = alignUp((DIRECTORY + MAX_POOLS * 4) * 4, 64);

export class Arena {
  private readonly words: Int32Array;
  /** This thread's views of the pools it has looked up. */
  private readonly pools: (SharedPool | undefined)[] = [];
  /** The claims table (bytes 32..64 KiB), made on first use by a kernel-area arena. */
  private claimWords: Int32Array | null = null;

  private constructor(readonly region: Region, processLocal = false) {
    if (!region.shared && !processLocal) throw new Error(`an arena needs a shared region, not a ${region.kind} one`);
    if (region.byteLength < DIRECTORY_END + 64) throw new RangeError(`an arena needs at least ${DIRECTORY_END + 64} bytes, got ${region.byteLength}`);
    this.words = new Int32Array(region.buffer, 0, DIRECTORY_END / 4);
  }

  /**
   * A new arena of `byteLength` bytes. `wasm` (the default where WebAssembly has shared memory)
   * backs it with a shared WebAssembly.Memory so kernels can run in place; `sab` with a plain
   * SharedArrayBuffer.
   */
  static create(byteLength: number, kind: 'wasm' | 'sab' = 'wasm'): Arena {
    const region = kind === 'wasm' ? new WasmMemoryRegion(byteLength) : new SabRegion(byteLength);
    const arena = new Arena(region);
    const kernelArea = kind === 'wasm' && region.byteLength >= KERNEL_ARENA_MIN;
    Atomics.store(arena.words, W_KERNEL_AREA, kernelArea ? 1 : 0);
    Atomics.store(arena.words, W_BUMP, kernelArea ? KERNEL_DATA_END : DIRECTORY_END);
    Atomics.store(arena.words, W_VERSION, VERSION);
    Atomics.store(arena.words, W_MAGIC, MAGIC);
    return arena;
  }

  /**
   * An arena that one event loop uses, in a region other processes map (a memfd an element host's
   * consumers map read-only). Where the runtime cannot wrap a mapping in a SharedArrayBuffer
   * (Node before 26.1), the region is a plain ArrayBuffer: Atomics load, store and
   * compareExchange work on it, Atomics.wait does not, so its allocator must grow, never wait
   * (`onExhausted: 'grow'`), and no data thread may attach to it.
   */
  static inProcessRegion(region: Region): Arena {
    const arena = new Arena(region, true);
    Atomics.store(arena.words, W_KERNEL_AREA, 0);
    Atomics.store(arena.words, W_BUMP, DIRECTORY_END);
    Atomics.store(arena.words, W_VERSION, VERSION);
    Atomics.store(arena.words, W_MAGIC, MAGIC);
    return arena;
  }

  /**
   * The arena another thread created: from its WebAssembly.Memory (so kernels can be
   * instantiated over it here too) or from its buffer.
   */
  static attach(from: SharedArrayBuffer | WasmMemory): Arena {
    const arena = new Arena(from instanceof SharedArrayBuffer ? SabRegion.attach(from) : WasmMemoryRegion.attach(from));
    if (Atomics.load(arena.words, W_MAGIC) !== MAGIC) throw new Error('this buffer does not hold a Parallax arena (bad magic)');
    const v = Atomics.load(arena.words, W_VERSION);
    if (v !== VERSION) throw new Error(`arena layout version ${v}, this build reads version ${VERSION}`);
    return arena;
  }

  get buffer(): SharedArrayBuffer {
    return this.region.buffer as SharedArrayBuffer;
  }

  /** What to post to a thread that will attach: the WebAssembly.Memory when there is one. */
  get transferable(): SharedArrayBuffer | WasmMemory {
    return this.region instanceof WasmMemoryRegion ? this.region.memory : this.buffer;
  }

  /**
   * The WebAssembly.Memory kernels run on, when this arena keeps the kernel area (a WebAssembly
   * arena of at least 8 MiB, attached from its Memory); null otherwise.
   */
  get kernelMemory(): WasmMemory | null {
    if (!(this.region instanceof WasmMemoryRegion) || Atomics.load(this.words, W_KERNEL_AREA) !== 1) return null;
    return this.region.memory;
  }

  /** Bytes carved so far, directory included. */
  get used(): number {
    return Atomics.load(this.words, W_BUMP) >>> 0;
  }

  get byteLength(): number {
    return this.region.byteLength;
  }

  /** Takes `bytes` (rounded up to 64) and returns their offset, or -1 when the arena is full. Any thread. */
  carve(bytes: number): number {
    if (!(bytes >= 0) || bytes > this.region.byteLength) return -1;
    const size = alignUp(bytes, 64);
    for (;;) {
      // SYNC POINT with other carvers' compareExchange of the bump word.
      const at = Atomics.load(this.words, W_BUMP) >>> 0;
      // The bump word is a u32: an end of exactly 4 GiB would store as 0 (a 4 GiB WebAssembly
      // memory has that size), so the last bytes below 2^32 are never handed out.
      if (at + size > this.region.byteLength || at + size >= 2 ** 32) return -1;
      if (Atomics.compareExchange(this.words, W_BUMP, at | 0, (at + size) | 0) === (at | 0)) return at;
    }
  }

  /** Carves and publishes a pool; returns it, or null when the arena has no room. Any thread. */
  createPool(payloadCapacity: number, slotCount: number): SharedPool | null {
    if (this.poolCount >= MAX_POOLS) throw new RangeError(`an arena holds at most ${MAX_POOLS} pools`);
    const base = this.carve(sharedPoolBytes(payloadCapacity, slotCount));
    if (base < 0) return null;
    // SYNC POINT with other creators: each Atomics.add hands out a distinct number.
    const id = Atomics.add(this.words, W_POOLS, 1);
    if (id >= MAX_POOLS) throw new RangeError(`an arena holds at most ${MAX_POOLS} pools`);
    const pool = new SharedPool(this.region, base, payloadCapacity, slotCount, true, id, this.releaseSignal);
    const e = DIRECTORY + id * 4;
    Atomics.store(this.words, e, base);
    Atomics.store(this.words, e + 1, payloadCapacity);
    Atomics.store(this.words, e + 2, slotCount);
    // SYNC POINT with pool()'s load of `ready`: the pool is initialised before it is published.
    Atomics.store(this.words, e + 3, 1);
    this.pools[id] = pool;
    return pool;
  }

  /** Pool number `id`, as created on any thread. Throws for a number never published. */
  pool(id: number): SharedPool {
    const known = this.pools[id];
    if (known !== undefined) return known;
    if (!Number.isInteger(id) || id < 0 || id >= MAX_POOLS) throw new RangeError(`pool number ${id} is outside 0..${MAX_POOLS - 1}`);
    const e = DIRECTORY + id * 4;
    // SYNC POINT with createPool's store of `ready`.
    if (Atomics.load(this.words, e + 3) !== 1) throw new Error(`pool ${id} is not published in this arena`);
    const pool = new SharedPool(this.region, Atomics.load(this.words, e) >>> 0, Atomics.load(this.words, e + 1) >>> 0, Atomics.load(this.words, e + 2) >>> 0, false, id, this.releaseSignal);
    this.pools[id] = pool;
    return pool;
  }

  /** What every pool of this arena signals on release, so one wait covers them all. */
  private get releaseSignal(): ReleaseSignal {
    return { words: this.words, sleepers: W_SLOT_SLEEPERS, epoch: W_SLOT_EPOCH };
  }

  /**
   * Runs `tryTake` and, if it finds nothing, waits up to `ms` for a release in any pool of this
   * arena, then runs it once more. Threads that may block only (Atomics.wait).
   */
  waitForRelease<T>(tryTake: () => T | null, ms: number): T | null {
    // SYNC POINT with SharedPool.release's load of the slot sleepers: from here on every release
    // bumps the epoch, so one between the re-check below and the wait is not lost.
    Atomics.add(this.words, W_SLOT_SLEEPERS, 1);
    try {
      const epoch = Atomics.load(this.words, W_SLOT_EPOCH);
      const got = tryTake();
      if (got !== null) return got;
      // SYNC POINT with SharedPool.release's notify; waits on the epoch read before the re-check.
      Atomics.wait(this.words, W_SLOT_EPOCH, epoch, ms);
      return tryTake();
    } finally {
      Atomics.sub(this.words, W_SLOT_SLEEPERS, 1);
    }
  }

  /**
   * Pools, slots and free slots over every pool published, read from their bitmaps now. Any
   * thread; a pool still being created elsewhere is not counted yet.
   */
  poolStats(): { pools: number; slots: number; freeSlots: number } {
    let slots = 0;
    let freeSlots = 0;
    let pools = 0;
    const n = this.poolCount;
    for (let id = 0; id < n; id++) {
      // A number is taken before its pool is published: another thread may be laying it out now.
      // SYNC POINT with createPool's store of `ready`.
      if (this.pools[id] === undefined && Atomics.load(this.words, DIRECTORY + id * 4 + 3) !== 1) continue;
      const pool = this.pool(id);
      pools++;
      slots += pool.slotCount;
      freeSlots += pool.freeCount;
    }
    return { pools, slots, freeSlots };
  }

  /** Pools published so far, by any thread. */
  get poolCount(): number {
    return Math.min(Atomics.load(this.words, W_POOLS), MAX_POOLS);
  }

  /** Tells every thread to stop: waits that poll `stopRequested` end. Any thread. */
  requestStop(): void {
    // SYNC POINT with stopRequested's load, and with waits on the stop word.
    Atomics.store(this.words, W_STOP, 1);
    Atomics.notify(this.words, W_STOP);
  }

  /** Clears the stop word for the next run (the event loop, before threads start). */
  clearStop(): void {
    Atomics.store(this.words, W_STOP, 0);
  }

  stopRequested(): boolean {
    return Atomics.load(this.words, W_STOP) !== 0;
  }

  /** Sleeps up to `ms` unless stop is requested meanwhile (worker threads only). */
  sleepUnlessStopped(ms: number): void {
    Atomics.wait(this.words, W_STOP, 0, ms);
  }

  /** Signals `n` manual-driver cycles to every thread. */
  signalCycles(n: number): void {
    // SYNC POINT with waitForCycle's load and wait on the cycle word.
    Atomics.add(this.words, W_CYCLES, n);
    Atomics.notify(this.words, W_CYCLES);
  }

  /** Manual-driver cycles signalled so far (free-running u32). */
  cycles(): number {
    return Atomics.load(this.words, W_CYCLES) >>> 0;
  }

  /** Waits up to `ms` for the cycle count to move past `seen` (worker threads only). */
  waitForCycle(seen: number, ms: number): void {
    Atomics.wait(this.words, W_CYCLES, seen | 0, ms);
  }

  /** The event-loop form of `waitForCycle`. */
  async waitForCycleAsync(seen: number, ms: number): Promise<void> {
    const r = waitAsync(this.words, W_CYCLES, seen | 0, ms);
    if (r.async) await r.value;
  }

  /** Counts missed cycle deadlines, from any thread. */
  addXruns(n: number): void {
    Atomics.add(this.words, W_XRUNS, n);
  }

  xruns(): number {
    return Atomics.load(this.words, W_XRUNS) >>> 0;
  }

  /**
   * Claims bytes [start, end) of the user windows for a module whose constant data hashes to
   * (hashLo, hashHi). Any thread; holds the claims lock for a scan of at most CLAIMS_MAX entries.
   * Throws when this arena keeps no kernel area (it has no claims table).
   */
  claimKernelData(start: number, end: number, hashLo: number, hashHi: number): KernelDataClaim {
    if (this.kernelMemory === null) throw new Error('this arena keeps no kernel area, so no kernel data can be claimed in it');
    const c = (this.claimWords ??= new Int32Array(this.region.buffer, CLAIMS_AT, (CLAIMS_END - CLAIMS_AT) / 4));
    let spins = 0;
    // SYNC POINT with the store of 0 below, on whichever thread holds the lock.
    while (Atomics.compareExchange(c, C_LOCK, 0, 1) !== 0) {
      if (++spins > CLAIM_SPINS) throw new Error('the kernel data claims table stays locked: a thread died while holding it');
    }
    try {
      const n = c[C_COUNT]!;
      for (let i = 0; i < n; i++) {
        const e = C_ENTRIES + i * 4;
        const s = c[e]! >>> 0;
        const t = c[e + 1]! >>> 0;
        if (end <= s || start >= t) continue;
        if (s === start && t === end && c[e + 2] === (hashLo | 0) && c[e + 3] === (hashHi | 0)) return { result: 'same' };
        return { result: 'overlap', other: { start: s, end: t } };
      }
      if (n >= CLAIMS_MAX) return { result: 'full' };
      const e = C_ENTRIES + n * 4;
      c[e] = start | 0;
      c[e + 1] = end | 0;
      c[e + 2] = hashLo | 0;
      c[e + 3] = hashHi | 0;
      c[C_COUNT] = n + 1;
      return { result: 'claimed' };
    } finally {
      // SYNC POINT with the compareExchange above: the entries written before are seen by the next holder.
      Atomics.store(c, C_LOCK, 0);
    }
  }

  /** Kernel data claims recorded so far (0 when the arena keeps no kernel area). */
  get kernelDataClaims(): number {
    if (this.kernelMemory === null) return 0;
    const c = (this.claimWords ??= new Int32Array(this.region.buffer, CLAIMS_AT, (CLAIMS_END - CLAIMS_AT) / 4));
    // SYNC POINT with claimKernelData's writes, ordered by its lock: may be one claim late.
    return Atomics.load(c, C_COUNT);
  }

  /** Carves room for a ring of `capacity` descriptors; returns its base, or -1 when full. */
  carveRing(capacity: number): number {
    return this.carve(ringBytes(capacity));
  }
}
