import { open, type FileHandle } from 'node:fs/promises';
import { Buffer, BufferFlags } from '../../element/buffer.js';
import { Source, type Produced } from '../../element/base/source.js';
import { Caps } from '../../element/caps/index.js';
import { FlowResult } from '../../element/flow.js';
import type { ElementMetadata } from '../../element/metadata.js';
import type { Pad } from '../../element/pad.js';
import type { PropertyValue } from '../../element/property.js';
import { parseLocationPattern, type LocationPattern } from './location-pattern.js';

/**
 * `multifilesrc location=/tmp/input.bin stop-index=2 caps=application/octet-stream ! fakesink`
 *
 * (A location without %d names one file for every index: this line reads input.bin three times.)
 *
 * Source/File. Reads a numbered sequence of files, one buffer per file, after GStreamer's
 * multifilesrc: `location=frame-%05d.raw` names them (see location-pattern.ts), starting at
 * `index` or `start-index` (the larger; every run starts there again), up to `stop-index` (-1:
 * until a file is missing). With `loop=true` it goes back to `start-index` after the last file
 * instead of ending.
 *
 * A missing first file is an error naming the element and the path; a missing later file ends the
 * stream (that is how a sequence of unknown length ends). With `loop=true` and no stop-index the
 * sequence wraps at the first missing file; a sequence with no file at all is an error, not a
 * busy loop. Each buffer carries the byte offset of its file in the stream and its sequence
 * number; the first is flagged DISCONT. When `caps` has a framerate, buffers are stamped
 * `pts = n / framerate`, one frame per file.
 *
 * Zero copy: every file is read by the OS straight into a pool slot sized from its `stat`.
 * Event-loop streaming task; reads are asynchronous.
 */
export class MultiFileSrc extends Source {
  static readonly metadata: ElementMetadata = {
    factory: 'multifilesrc',
    classification: 'Source/File',
    description: 'Reads a numbered sequence of files, one buffer per file',
    example: 'multifilesrc location=/tmp/input.bin stop-index=2 caps=application/octet-stream ! fakesink',
    padTemplates: [{ name: 'src', direction: 'src', presence: 'always', caps: 'ANY' }],
    properties: {
      location: { type: 'string', default: null, description: 'Pattern of the file names with one %d, as frame-%05d.raw (without one, every index names the same file)' },
      index: { type: 'int', default: 0, min: 0, description: 'Index of the next file to read (advances while running)' },
      'start-index': { type: 'int', default: 0, min: 0, description: 'First index, and where loop=true goes back to' },
      'stop-index': { type: 'int', default: -1, min: -1, description: 'Last index to read (-1 = until a file is missing)' },
      loop: { type: 'bool', default: false, description: 'Go back to start-index after the last file' },
      caps: { type: 'caps', default: Caps.ANY, description: 'The caps of the files (ANY: left to negotiation)' },
    },
    affinity: 'async',
    rtSafe: false,
  };

  private pattern: LocationPattern | null = null;
  private index = 0;
  private count = 0;
  private bytes = 0;
  /** Files read since the sequence last (re)started: a loop over no file must not spin. */
  private readSinceWrap = 0;
  private frameNs = 0;

  override sourceCaps(pad: Pad): Caps {
    const caps = this.get('caps') as Caps;
    return caps.isAny() ? pad.template.caps : caps;
  }

  override start(): void {
    super.start();
    // Before `pattern` is set: while it is, reading `index` gives the live one of the last run.
    this.index = Math.max(this.num('index'), this.num('start-index'));
    this.pattern = parseLocationPattern(this.get('location'), this.name);
    this.count = 0;
    this.bytes = 0;
    this.readSinceWrap = 0;
    const s = (this.get('caps') as Caps).structures[0];
    const rate = s?.getFraction('framerate');
    this.frameNs = rate !== undefined && rate.num > 0 ? (1e9 * rate.den) / rate.num : 0;
  }

  protected override readProperty(name: string): PropertyValue | undefined {
    return name === 'index' && this.pattern !== null ? this.index : undefined;
  }

  protected async create(): Promise<Produced> {
    const pattern = this.pattern;
    if (pattern === null) return FlowResult.FLUSHING;
    const stop = this.num('stop-index');
    if (stop >= 0 && this.index > stop) {
      if (!this.bool('loop')) return FlowResult.EOS;
      this.wrap();
    }
    let path = pattern.format(this.index);
    let file = await this.openOrNull(path);
    if (file === null && this.bool('loop') && this.readSinceWrap > 0) {
      this.wrap();
      path = pattern.format(this.index);
      file = await this.openOrNull(path);
    }
    if (typeof file === 'number') return file;
    if (file === null) {
      if (this.count === 0 || this.readSinceWrap === 0) {
        return this.error(`cannot open "${path}" (index ${this.index}) for reading: no such file`);
      }
      return FlowResult.EOS;
    }
    if (this.pattern === null) {
      await file.close();
      return FlowResult.FLUSHING;
    }
    try {
      return await this.readWhole(file, path);
    } finally {
      await file.close();
    }
  }

  private wrap(): void {
    this.index = this.num('start-index');
    this.readSinceWrap = 0;
  }

  /** The file, or null when it does not exist; any other failure (EACCES, EISDIR…) is reported. */
  private async openOrNull(path: string): Promise<FileHandle | null | FlowResult> {
    try {
      return await open(path, 'r');
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null;
      return this.error(`cannot open "${path}" (index ${this.index}) for reading: ${e instanceof Error ? e.message : String(e)}`, e);
    }
  }

  /** One file into one slot, read by the OS in place; a file that grows while read is cut at its stat size. */
  private async readWhole(file: FileHandle, path: string): Promise<Produced> {
    const st = await file.stat();
    if (st.isDirectory()) return this.error(`cannot read "${path}" (index ${this.index}): it is a directory`);
    const size = st.size;
    const buf = Buffer.allocate(this.context.allocator, size);
    let done = 0;
    try {
      while (done < size) {
        const { bytesRead } = await file.read(buf.data, done, size - done, done);
        if (bytesRead === 0) break;
        done += bytesRead;
      }
    } catch (e) {
      buf.release();
      if (this.pattern === null) return FlowResult.FLUSHING;
      return this.error(`reading "${path}" at byte ${done} failed: ${e instanceof Error ? e.message : String(e)}`, e);
    }
    buf.size = done;
    buf.offset = this.bytes;
    buf.sequence = this.count;
    buf.flags = this.count === 0 ? BufferFlags.DISCONT : 0;
    if (this.frameNs > 0) {
      buf.pts = Math.round(this.count * this.frameNs);
      buf.duration = Math.round((this.count + 1) * this.frameNs) - buf.pts;
    }
    this.bytes += done;
    this.count++;
    this.readSinceWrap++;
    this.index++;
    return buf;
  }

  override stop(): void {
    this.pattern = null;
  }
}

export default MultiFileSrc;
