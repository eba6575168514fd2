export { type Region, HeapRegion, alignUp } from './region.js';
export { Pool } from './pool.js';
export { Allocator, sizeClass } from './allocator.js';
export { copyPayload, copyStats } from './copy-counter.js';
export * from './slot-layout.js';
