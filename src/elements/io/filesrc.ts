import { open, stat, type FileHandle } from 'node:fs/promises';
import { ParallaxError } from '../../errors.js';
import { Buffer, BufferFlags } from '../../element/buffer.js';
import { Source, type Produced } from '../../element/base/source.js';
import { FlowResult } from '../../element/flow.js';
import type { ElementMetadata } from '../../element/metadata.js';

/**
 * `filesrc location=package.json blocksize=256 ! fakesink`
 *
 * Source/File. Reads a file from start to end in blocks of `blocksize` bytes and ends with EOS,
 * after GStreamer's filesrc. Each buffer carries its byte `offset` in the file and a `sequence`
 * number; the first one is flagged DISCONT.
 *
 * Zero copy: every block is read by the OS straight into a pool slot's payload, never through an
 * intermediate Node Buffer. The last block may be shorter than `blocksize`; an empty file yields
 * EOS at once.
 *
 * Small blocks are read several at a time: one `readv` fills up to 64 KiB of slots (at most 32),
 * and the blocks go out one per `create()` without waiting. An asynchronous read costs a
 * thread-pool round trip (30–50 µs here), which at the default 4 KiB would otherwise be most of
 * the time of a whole pipeline (bench/wav-volume.mjs). Buffers and offsets are the same as with
 * one read per block; only the reads are fewer.
 *
 * The file is opened in `start()` (preparing the pipeline), which throws an error naming the
 * element and the path when `location` is not set, names a directory, a named pipe or a socket
 * (read those with fdsrc), or cannot be opened.
 */
export class FileSrc extends Source {
  static readonly metadata: ElementMetadata = {
    factory: 'filesrc',
    classification: 'Source/File',
    description: 'Reads a file block by block, zero copy into pool slots',
    example: 'filesrc location=package.json blocksize=256 ! fakesink',
    padTemplates: [{ name: 'src', direction: 'src', presence: 'always', caps: 'ANY' }],
    properties: {
      location: { type: 'string', default: null, description: 'Path of the file to read' },
      blocksize: { type: 'uint64', default: 4096, min: 1, max: 0x7fffffff, description: 'Bytes read per buffer' },
      'num-buffers': { type: 'int', default: -1, min: -1, description: 'Number of buffers to output before EOS (-1 = until the end of the file)' },
    },
    affinity: 'async',
    rtSafe: false,
  };

  private file: FileHandle | null = null;
  private position = 0;
  private count = 0;
  /** Blocks read ahead by the last readv, oldest first, and where the next one to hand out is. */
  private ahead: Buffer[] = [];
  private aheadAt = 0;

  override async start(): Promise<void> {
    await super.start();
    this.dropAhead();
    this.position = 0;
    this.count = 0;
    const location = this.get('location');
    if (typeof location !== 'string' || location === '') {
      throw new ParallaxError('ELEMENT_ERROR', `${this.name}: no file to read: the "location" property is not set`);
    }
    // Opening a FIFO would wait for a writer, and reads by position fail on it (ESPIPE): refuse
    // it before opening, and say what reads a stream.
    const kind = await stat(location).then((st) => (st.isFIFO() ? 'a named pipe' : st.isSocket() ? 'a socket' : null), () => null);
    if (kind !== null) {
      throw new ParallaxError('ELEMENT_ERROR', `${this.name}: cannot read "${location}": it is ${kind}, and filesrc reads files by position; read a stream with fdsrc (fdsrc fd=N) or Pipeline.fromReadable(fs.createReadStream(path))`);
    }
    let file: FileHandle;
    try {
      file = await open(location, 'r');
    } catch (e) {
      throw new ParallaxError('ELEMENT_ERROR', `${this.name}: cannot open "${location}" for reading: ${e instanceof Error ? e.message : String(e)}`, { cause: e });
    }
    try {
      const st = await file.stat();
      if (st.isDirectory()) throw new ParallaxError('ELEMENT_ERROR', `${this.name}: cannot read "${location}": it is a directory`);
    } catch (e) {
      await file.close().catch(() => {});
      if (e instanceof ParallaxError) throw e;
      throw new ParallaxError('ELEMENT_ERROR', `${this.name}: cannot read "${location}": ${e instanceof Error ? e.message : String(e)}`, { cause: e });
    }
    this.file = file;
    // Slots of the block size up front (a readv's worth and a few in flight), so the read loop only pops free slots.
    this.context.allocator.reserve(this.num('blocksize'), blocksPerRead(this.num('blocksize')) + 4);
  }

  override async stop(): Promise<void> {
    this.dropAhead();
    const file = this.file;
    this.file = null;
    if (file !== null) await file.close();
  }

  protected create(): Produced | Promise<Produced> {
    if (this.aheadAt < this.ahead.length) return this.next();
    return this.readAhead();
  }

  /** The next block read ahead, stamped with its place in the file. */
  private next(): Buffer {
    const buf = this.ahead[this.aheadAt]!;
    this.ahead[this.aheadAt++] = undefined as unknown as Buffer;
    buf.offset = this.position;
    buf.sequence = this.count;
    buf.flags = this.count === 0 ? BufferFlags.DISCONT : 0;
    this.position += buf.size;
    this.count++;
    return buf;
  }

  /** Reads up to a readv's worth of blocks, then hands out the first. */
  private async readAhead(): Promise<Produced> {
    const file = this.file;
    if (file === null) return FlowResult.FLUSHING;
    const limit = this.num('num-buffers');
    if (limit >= 0 && this.count >= limit) return FlowResult.EOS;
    const size = this.num('blocksize');
    const n = Math.min(blocksPerRead(size), limit >= 0 ? limit - this.count : Infinity);
    const bufs: Buffer[] = [];
    for (let i = 0; i < n; i++) bufs.push(Buffer.allocate(this.context.allocator, size));
    let bytesRead: number;
    try {
      bytesRead = n === 1 || typeof file.readv !== 'function'
        ? (await file.read(bufs[0]!.data, 0, size, this.position)).bytesRead
        : (await file.readv(bufs.map((b) => b.data), this.position)).bytesRead;
    } catch (e) {
      for (const b of bufs) b.release();
      if (this.file === null) return FlowResult.FLUSHING;
      return this.error(`reading "${this.str('location')}" at offset ${this.position} failed: ${e instanceof Error ? e.message : String(e)}`, e);
    }
    if (this.file === null) {
      for (const b of bufs) b.release();
      return FlowResult.FLUSHING;
    }
    // Whole blocks, then the partial one (end of file, or a short read); the rest go back.
    const used = Math.ceil(bytesRead / size);
    for (let i = used; i < n; i++) bufs[i]!.release();
    if (used === 0) return FlowResult.EOS;
    bufs.length = used;
    bufs[used - 1]!.size = bytesRead - (used - 1) * size;
    this.ahead = bufs;
    this.aheadAt = 0;
    return this.next();
  }

  private dropAhead(): void {
    for (let i = this.aheadAt; i < this.ahead.length; i++) this.ahead[i]?.release();
    this.ahead = [];
    this.aheadAt = 0;
  }
}

/** Blocks one readv fills: 64 KiB worth, at least 1, at most 32. */
function blocksPerRead(blocksize: number): number {
  return Math.max(1, Math.min(32, Math.floor(65536 / blocksize)));
}

export default FileSrc;
