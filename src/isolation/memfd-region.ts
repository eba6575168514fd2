import { checkRegionSize, type Region } from '../memory/region.js';
import { requireNative } from './native.js';
import { closeFd } from './fd.js';

/**
 * A region in a sealed memfd (Linux), mapped MAP_SHARED: the memory an element host in another
 * process maps too, so buffers cross processes without moving (ARCHITECTURE §9). Created by the
 * supervisor; `attach` maps a region whose fd came from elsewhere (a child's inherited fd, one
 * received over the helper's socket).
 *
 * `shared` says whether the mapping is a SharedArrayBuffer (runtimes with
 * node_api_create_external_sharedarraybuffer): then threads can Atomics.wait on it. Either way
 * Atomics load, store and compareExchange work, and waits across processes go through the
 * addon's futex calls, since Atomics.notify cannot reach another process.
 */
export class MemfdRegion implements Region {
  readonly kind = 'memfd';
  readonly buffer: ArrayBufferLike;
  readonly shared: boolean;
  private closed = false;

  private constructor(readonly fd: number, readonly byteLength: number, writable: boolean, private readonly ownsFd: boolean) {
    const mapping = requireNative().mapShared(fd, byteLength, writable);
    this.buffer = mapping.buffer;
    this.shared = mapping.shared;
  }

  /** A new zeroed, sealed memfd of `byteLength` bytes, mapped read-write. */
  static create(byteLength: number, name = 'parallax-region'): MemfdRegion {
    checkRegionSize(byteLength);
    const fd = requireNative().memfdCreate(name, byteLength);
    try {
      return new MemfdRegion(fd, byteLength, true, true);
    } catch (e) {
      closeFd(fd);
      throw e;
    }
  }

  /** Maps the region behind `fd` (which the caller keeps owning); read-only for a consumer. */
  static attach(fd: number, byteLength: number, writable = true): MemfdRegion {
    checkRegionSize(byteLength);
    return new MemfdRegion(fd, byteLength, writable, false);
  }

  /**
   * Closes the fd this region created. The mapping stays valid until the buffer is collected
   * (the addon unmaps it then), so views already made keep working.
   */
  close(): void {
    if (this.closed || !this.ownsFd) return;
    this.closed = true;
    closeFd(this.fd);
  }
}
