import { open, unlink, type FileHandle } from 'node:fs/promises';
import type { Buffer } from '../../element/buffer.js';
import { SINK_PROPERTIES, Sink } from '../../element/base/sink.js';
import { FlowResult } from '../../element/flow.js';
import type { ElementMetadata } from '../../element/metadata.js';
import type { PropertyValue } from '../../element/property.js';
import { parseLocationPattern, type LocationPattern } from './location-pattern.js';

const NEXT_BUFFER = 0;
const NEXT_MAX_SIZE = 4;

/**
 * `testsrc num-buffers=3 blocksize=16 ! multifilesink location=/tmp/out-%05d.bin max-files=2`
 *
 * Sink/File. Writes buffers to a numbered sequence of files, after GStreamer's multifilesink:
 * `location=frame-%05d.raw` names them (see location-pattern.ts) from `index` on; every run
 * starts again from the `index` set (or 0). With `next-file=buffer` (the default) each buffer is
 * one file; with `next-file=max-size` buffers are appended to a file until the next one would
 * take it past `max-file-size` bytes (a buffer larger than that gets a file of its own, never
 * split). With `max-files=N` only the newest N files are kept: older ones are deleted as new ones
 * are made, and the file being written is never one of them.
 *
 * A location without %d names the same file for every index, as in GStreamer: each new file
 * rewrites it, so it ends up holding the last buffer (or, with next-file=max-size, the last
 * file's worth).
 *
 * Writes are asynchronous straight from the buffer's slot (no copy), in order (the Sink base makes
 * upstream wait while one is in flight); the last file is closed at EOS, before the pipeline's
 * `eos`. A pattern with two conversions or one that is not an integer (%s, %x) is refused at
 * start; a file that cannot be created or written stops the stream with an error naming the
 * element, the file and the byte offset.
 */
export class MultiFileSink extends Sink {
  static readonly metadata: ElementMetadata = {
    factory: 'multifilesink',
    classification: 'Sink/File',
    description: 'Writes buffers to a numbered sequence of files',
    example: 'testsrc num-buffers=3 blocksize=16 ! multifilesink location=/tmp/out-%05d.bin max-files=2',
    padTemplates: [{ name: 'sink', direction: 'sink', presence: 'always', caps: 'ANY' }],
    properties: {
      ...SINK_PROPERTIES,
      location: { type: 'string', default: null, description: 'Pattern of the file names with one %d, as frame-%05d.raw (without one, every index names the same file)' },
      index: { type: 'int', default: 0, min: 0, description: 'Index of the next file to write (advances while running)' },
      'next-file': {
        type: 'enum', default: 'buffer', description: 'When to start a new file',
        values: [
          { nick: 'buffer', value: NEXT_BUFFER, description: 'New file for each buffer' },
          { nick: 'max-size', value: NEXT_MAX_SIZE, description: 'New file when the next buffer would exceed max-file-size' },
        ],
      },
      'max-file-size': { type: 'uint64', default: 2147483648, min: 1, description: 'Largest file for next-file=max-size, in bytes' },
      'max-files': { type: 'int', default: 0, min: 0, max: 0x7fffffff, description: 'Keep only this many newest files, deleting older ones (0 = keep all)' },
    },
    affinity: 'async',
    rtSafe: false,
  };

  private pattern: LocationPattern | null = null;
  private index = 0;
  private file: FileHandle | null = null;
  private path = '';
  private fileBytes = 0;
  /** Files made, oldest first, each path once: what `max-files` deletes from (only kept when it is set). */
  private readonly made: string[] = [];
  private maxFiles = 0;

  override start(): void {
    super.start();
    // Before `pattern` is set: while it is, reading `index` gives the live one of the last run.
    this.index = this.num('index');
    this.maxFiles = this.num('max-files');
    this.pattern = parseLocationPattern(this.get('location'), this.name);
    this.made.length = 0;
    this.fileBytes = 0;
  }

  protected override readProperty(name: string): PropertyValue | undefined {
    return name === 'index' && this.pattern !== null ? this.index : undefined;
  }

  protected async render(buf: Buffer): Promise<FlowResult> {
    const pattern = this.pattern;
    if (pattern === null) return FlowResult.FLUSHING;
    const perBuffer = this.str('next-file') === 'buffer';
    const full = this.file !== null && this.fileBytes > 0 && this.fileBytes + buf.size > this.num('max-file-size');
    if (perBuffer || full || this.file === null) {
      const r = await this.nextFile(pattern);
      if (r !== FlowResult.OK) return r;
    }
    const file = this.file!;
    const data = buf.data;
    let done = 0;
    try {
      while (done < data.byteLength) {
        const { bytesWritten } = await file.write(data, done, data.byteLength - done, null);
        if (bytesWritten <= 0) throw new Error('the file accepted no bytes');
        done += bytesWritten;
      }
    } catch (e) {
      if (this.pattern === null) return FlowResult.FLUSHING;
      return this.error(`writing to "${this.path}" at byte ${this.fileBytes + done} failed: ${e instanceof Error ? e.message : String(e)}`, e);
    }
    this.fileBytes += done;
    if (perBuffer) await this.closeFile();
    return FlowResult.OK;
  }

  /** Closes the current file, creates the next one, and deletes the oldest beyond `max-files`. */
  private async nextFile(pattern: LocationPattern): Promise<FlowResult> {
    await this.closeFile();
    const path = pattern.format(this.index);
    try {
      this.file = await open(path, 'w');
    } catch (e) {
      return this.error(`cannot open "${path}" (index ${this.index}) for writing: ${e instanceof Error ? e.message : String(e)}`, e);
    }
    this.path = path;
    this.fileBytes = 0;
    this.index++;
    const keep = this.maxFiles;
    if (keep === 0) return FlowResult.OK;
    // The same path again (a location without %d) is the newest file now, not an old one to delete.
    const again = this.made.indexOf(path);
    if (again >= 0) this.made.splice(again, 1);
    this.made.push(path);
    while (this.made.length > keep) {
      const old = this.made.shift()!;
      try {
        await unlink(old);
      } catch (e) {
        // Someone else removed it already: what max-files wants. Anything else is worth a warning.
        if ((e as NodeJS.ErrnoException).code !== 'ENOENT') this.warning(`could not delete "${old}" (max-files=${keep}): ${e instanceof Error ? e.message : String(e)}`);
      }
    }
    return FlowResult.OK;
  }

  private async closeFile(): Promise<void> {
    const file = this.file;
    this.file = null;
    if (file !== null) await file.close();
  }

  protected override async onEos(): Promise<void> {
    await this.closeFile();
  }

  override async stop(): Promise<void> {
    this.pattern = null;
    await this.closeFile();
  }
}

export default MultiFileSink;
