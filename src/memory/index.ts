export { type Region, HeapRegion, alignUp } from './region.js';
export { Pool } from './pool.js';
export { Allocator, sizeClass } from './allocator.js';
export { copyPayload, copyStats } from './copy-counter.js';
export * from './slot-layout.js';
export { SabRegion, WasmMemoryRegion, type WasmMemory } from './shared-regions.js';
export { SpscRing, RingProducer, RingConsumer, ringBytes, RING_HEADER_BYTES, DESCRIPTOR_BYTES, type Descriptor } from './spsc/ring.js';
export { SharedPool, sharedPoolBytes } from './shared-pool.js';
