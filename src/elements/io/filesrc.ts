import { open, type FileHandle } from 'node:fs/promises';
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
 * The file is opened in `start()` (preparing the pipeline), which throws an error naming the
 * element and the path when `location` is not set, names a directory, or cannot be opened.
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

  override async start(): Promise<void> {
    await super.start();
    this.position = 0;
    this.count = 0;
    const location = this.get('location');
    if (typeof location !== 'string' || location === '') {
      throw new ParallaxError('ELEMENT_ERROR', `${this.name}: no file to read: the "location" property is not set`);
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
    // A few slots of the block size up front, so the read loop only pops free slots.
    this.context.allocator.reserve(this.num('blocksize'), 4);
  }

  override async stop(): Promise<void> {
    const file = this.file;
    this.file = null;
    if (file !== null) await file.close();
  }

  protected async create(): Promise<Produced> {
    const file = this.file;
    if (file === null) return FlowResult.FLUSHING;
    const limit = this.num('num-buffers');
    if (limit >= 0 && this.count >= limit) return FlowResult.EOS;
    const size = this.num('blocksize');
    const buf = Buffer.allocate(this.context.allocator, size);
    let bytesRead: number;
    try {
      ({ bytesRead } = await file.read(buf.data, 0, size, this.position));
    } catch (e) {
      buf.release();
      if (this.file === null) return FlowResult.FLUSHING;
      return this.error(`reading "${this.str('location')}" at offset ${this.position} failed: ${e instanceof Error ? e.message : String(e)}`, e);
    }
    if (bytesRead === 0) {
      buf.release();
      return FlowResult.EOS;
    }
    buf.size = bytesRead;
    buf.offset = this.position;
    buf.sequence = this.count;
    if (this.count === 0) buf.flags = BufferFlags.DISCONT;
    this.position += bytesRead;
    this.count++;
    return buf;
  }
}

export default FileSrc;
