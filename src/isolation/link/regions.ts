/**
 * Region announcements: how a pool's memfd reaches the consumer of a process link. Before the
 * first record that points into a region, the producer sends one message on the link's regions
 * socket — 16 bytes, u32 region id, u32 zero, f64 byte length, with the fd — and then pushes a
 * kind-3 record naming the same id. SEQPACKET keeps the message whole, and it is queued before
 * the record is published, so a consumer that pops the record finds the message already there
 * and reads it without blocking. A kind-3 record without its message is a violation.
 */
import type { Region } from '../../memory/region.js';
import { MemfdRegion } from '../memfd-region.js';
import { MemfdSeal, requireNative, type NativeHelper } from '../native.js';
import { ForeignPool, type ForeignSlots } from './foreign-pool.js';
import { LinkViolation } from './violation.js';
import { closeFd, fdSize } from '../fd.js';

export const ANNOUNCEMENT_BYTES = 16;
/** Regions one link may announce: bounds the fds and mappings a hostile producer can make us hold. */
export const MAX_LINK_REGIONS = 1024;
/** Largest region accepted (what memfdCreate accepts). */
const MAX_REGION_BYTES = 2 ** 46;
const NEEDED_SEALS = MemfdSeal.SHRINK | MemfdSeal.GROW;

/** The producer's side: which regions this link has announced, and under which id. */
export class RegionAnnouncer {
  private readonly ids = new Map<Region, number>();
  private readonly native: NativeHelper = requireNative();
  private readonly message = new DataView(new ArrayBuffer(ANNOUNCEMENT_BYTES));

  constructor(private readonly socketFd: number) {}

  /** The id `region` has on this link, or 0 when it was not announced yet. */
  idOf(region: Region): number {
    return this.ids.get(region) ?? 0;
  }

  /**
   * Sends `region`'s fd and returns its new id, or 0 when the socket is full (a consumer that
   * has not read yet: try again later). Throws when the link has announced its maximum.
   */
  announce(region: MemfdRegion): number {
    const id = this.ids.size + 1;
    if (id > MAX_LINK_REGIONS) throw new RangeError(`a process link carries at most ${MAX_LINK_REGIONS} regions`);
    this.message.setUint32(0, id, true);
    this.message.setUint32(4, 0, true);
    this.message.setFloat64(8, region.byteLength, true);
    if (this.native.sendFds(this.socketFd, [region.fd], this.message, true) < 0) return 0;
    this.ids.set(region, id);
    return id;
  }
}

/** The consumer's side: the regions announced on one link, mapped read-only, by id. */
export class RegionTable {
  private readonly pools: (ForeignPool | undefined)[] = [];
  private readonly regions: MemfdRegion[] = [];
  private readonly native: NativeHelper = requireNative();

  constructor(private readonly socketFd: number, private readonly slots: ForeignSlots) {}

  /** The pool of region `id`, or undefined when it was never announced. */
  pool(id: number): ForeignPool | undefined {
    return this.pools[id];
  }

  /**
   * Takes the announcement of region `id` (a kind-3 record's) off the regions socket, checks it
   * and maps the region read-only. Never blocks; every failure is a LinkViolation, and a
   * received fd is closed unless it is kept.
   */
  receive(id: number): void {
    if (id < 1 || id > MAX_LINK_REGIONS) throw new LinkViolation('announced region id', id, `from 1 to ${MAX_LINK_REGIONS}`);
    if (this.pools[id] !== undefined) throw new LinkViolation('announced region id', id, 'a region not announced before');
    let got;
    try {
      got = this.native.recvFds(this.socketFd, 1, ANNOUNCEMENT_BYTES, true);
    } catch (e) {
      throw new LinkViolation('region announcement message', e instanceof Error ? e.message : String(e), `${ANNOUNCEMENT_BYTES} bytes with one fd`);
    }
    if (got === null) throw new LinkViolation(`region announcement for region ${id}`, 'missing', 'on the regions socket before its record');
    const fd = got.fds[0];
    try {
      if (got.bytes.byteLength !== ANNOUNCEMENT_BYTES || fd === undefined) {
        throw new LinkViolation('region announcement', `${got.bytes.byteLength} bytes, ${got.fds.length} fds`, `${ANNOUNCEMENT_BYTES} bytes with one fd`);
      }
      const view = new DataView(got.bytes.buffer, got.bytes.byteOffset, ANNOUNCEMENT_BYTES);
      const said = view.getUint32(0, true);
      if (said !== id) throw new LinkViolation('region id in the announcement', said, `${id}, the id of its record`);
      const byteLength = view.getFloat64(8, true);
      if (!Number.isInteger(byteLength) || byteLength < 1 || byteLength > MAX_REGION_BYTES) {
        throw new LinkViolation(`byte length of region ${id}`, byteLength, `an integer from 1 to 2^46`);
      }
      const seals = this.native.memfdSeals(fd);
      if (seals < 0 || (seals & NEEDED_SEALS) !== NEEDED_SEALS) {
        throw new LinkViolation(`seals of region ${id}`, seals, 'a memfd sealed against shrink and grow');
      }
      const size = fdSize(fd);
      if (size < byteLength) throw new LinkViolation(`file size of region ${id}`, size, `>= its announced ${byteLength} bytes`);
      const region = MemfdRegion.attach(fd, byteLength, false);
      this.regions.push(region);
      this.pools[id] = new ForeignPool(region, id, this.slots);
    } catch (e) {
      for (const f of got.fds) closeFd(f);
      throw e;
    }
    for (const f of got.fds.slice(1)) closeFd(f);
  }

  /** Regions mapped. */
  get count(): number {
    return this.regions.length;
  }

  /**
   * Closes the fds of the regions (mappings stay valid while views on them live). Called when
   * the link ends; a region forwarded onto another link was sent there as a copy of the fd.
   */
  close(): void {
    for (const r of this.regions.splice(0)) closeFd(r.fd);
  }
}
