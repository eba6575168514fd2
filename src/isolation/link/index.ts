/**
 * Process links: the cross-process data plane of the Isolated and Grouped modes (ARCHITECTURE
 * §9). A link joins an element in one process to one in another; buffers cross by reference to
 * the producer's memfd pools, which the consumer maps read-only.
 */
export { MemfdAllocator, type PoolRegion } from './memfd-allocator.js';
export {
  CrossRingProducer, CrossRingConsumer, linkRegionBytes, returnCapacity, initLinkRegion, checkLinkCapacity,
  LINK_HEADER_BYTES, RECORD_BYTES, MAX_LINK_CAPACITY, KIND_BUFFER, KIND_EVENT, KIND_REGION, PAYLOAD_UNIT,
  R_KIND, R_TOKEN, R_REGION, R_PAYLOAD, R_LENGTH, R_FLAGS, R_STREAM, R_CAPS,
  R64_PTS, R64_DTS, R64_DURATION, R64_OFFSET, R64_SEQUENCE, SLEEP_FUTEX, SLEEP_DOORBELL,
} from './cross-ring.js';
export { ForeignPool, ForeignSlots } from './foreign-pool.js';
export { Doorbell } from './doorbell.js';
export { RegionAnnouncer, RegionTable, ANNOUNCEMENT_BYTES, MAX_LINK_REGIONS } from './regions.js';
export { TokenTable } from './token-table.js';
export { decodeEvent, MAX_EVENT_BYTES } from './events.js';
export { LinkViolation } from './violation.js';
export { type LinkEndpoint, type ProcessBridgeOptions, mapLinkRegion } from './endpoint.js';
export { createProcessLink, type ProcessLink } from './create.js';
export { ProcessBridgeSink } from './process-bridge-sink.js';
export { ProcessBridgeSource } from './process-bridge-source.js';
