import { open, type FileHandle } from 'node:fs/promises';
import { ParallaxError } from '../../errors.js';
import type { Buffer } from '../../element/buffer.js';
import type { Event } from '../../element/event.js';
import { SINK_PROPERTIES, Sink } from '../../element/base/sink.js';
import { FlowResult } from '../../element/flow.js';
import type { ElementMetadata } from '../../element/metadata.js';
import type { Pad } from '../../element/pad.js';

/**
 * `fakesrc num-buffers=16 sizetype=fixed sizemax=64 filltype=pattern ! filesink location=/dev/null`
 *
 * Sink/File. Writes every buffer to a file, exactly and in order, after GStreamer's filesink.
 * The file is created (or truncated; with `append=true`, appended to) in `start()`, which throws
 * an error naming the element and the path when `location` is not set or cannot be opened.
 *
 * Writes are asynchronous straight from the buffer's slot (no copy); the Sink base class keeps
 * them in order and makes upstream wait while one is in flight. The file is closed at EOS, once
 * every write has finished, so the pipeline's `eos` message means the data is in the file.
 *
 * A segment in bytes (GStreamer's SEGMENT of format BYTES) moves where the next buffer is written
 * to its `start`: this is how wavenc rewrites its header at EOS. Writes stay plain appends to the
 * current position (pipes and devices work) until a segment asks for another position; with
 * `append=true` such a segment is ignored with a warning, since the OS writes at the end anyway.
 * A pipe or terminal cannot go back: the buffers of such a segment are dropped, with a warning.
 */
export class FileSink extends Sink {
  static readonly metadata: ElementMetadata = {
    factory: 'filesink',
    classification: 'Sink/File',
    description: 'Writes buffers to a file',
    example: 'fakesrc num-buffers=16 sizetype=fixed sizemax=64 filltype=pattern ! filesink location=/dev/null',
    padTemplates: [{ name: 'sink', direction: 'sink', presence: 'always', caps: 'ANY' }],
    properties: {
      ...SINK_PROPERTIES,
      location: { type: 'string', default: null, description: 'Path of the file to write' },
      append: { type: 'bool', default: false, description: 'Append to an existing file instead of truncating it' },
    },
    affinity: 'async',
    rtSafe: false,
  };

  private file: FileHandle | null = null;
  /** Where the next write goes. */
  private position = 0;
  /** Byte position asked for by a bytes segment, taken by the next render. */
  private seekTo: number | null = null;
  /** Writes name their position once a segment has moved it (plain writes until then). */
  private positional = false;
  /** A regular file or block device; a pipe, socket or terminal cannot go back. */
  private seekable = true;
  /** A segment asked a pipe to go back: its buffers are dropped until the next segment. */
  private skipping = false;

  override async start(): Promise<void> {
    await super.start();
    this.position = 0;
    this.seekTo = null;
    this.positional = false;
    const location = this.get('location');
    if (typeof location !== 'string' || location === '') {
      throw new ParallaxError('ELEMENT_ERROR', `${this.name}: no file to write: the "location" property is not set`);
    }
    try {
      this.file = await open(location, this.bool('append') ? 'a' : 'w');
      const st = await this.file.stat();
      this.seekable = st.isFile() || st.isBlockDevice();
    } catch (e) {
      throw new ParallaxError('ELEMENT_ERROR', `${this.name}: cannot open "${location}" for writing: ${e instanceof Error ? e.message : String(e)}`, { cause: e });
    }
  }

  /** The Sink base never starts a render before the previous one finished, so writes stay in order. */
  protected async render(buf: Buffer): Promise<FlowResult> {
    const file = this.file;
    if (file === null) return FlowResult.FLUSHING;
    if (this.seekTo !== null) {
      const to = this.seekTo;
      this.seekTo = null;
      this.skipping = false;
      if (to !== this.position && !this.seekable) {
        // What was written stays valid (wavenc's first header says "until the end"); only the
        // rewrite is lost. GStreamer's filesink behaves the same on a pipe.
        this.skipping = true;
        this.warning(`cannot go back to byte ${to} in "${this.str('location')}" (not a regular file): the data meant for there is dropped`);
      } else {
        if (to !== this.position) this.positional = true;
        this.position = to;
      }
    }
    if (this.skipping) return FlowResult.OK;
    const data = buf.data;
    const at = this.position;
    let done = 0;
    try {
      while (done < data.byteLength) {
        const { bytesWritten } = await file.write(data, done, data.byteLength - done, this.positional ? at + done : null);
        if (bytesWritten <= 0) throw new Error('the file accepted no bytes');
        done += bytesWritten;
      }
    } catch (e) {
      if (this.file === null) return FlowResult.FLUSHING;
      return this.error(`writing to "${this.str('location')}" at byte ${at + done} failed: ${e instanceof Error ? e.message : String(e)}`, e);
    }
    this.position = at + done;
    return FlowResult.OK;
  }

  /** A bytes segment: the next buffer goes to its `start`. Applied in render, after writes in flight. */
  override sinkEvent(pad: Pad, ev: Event): boolean {
    if (ev.type === 'segment' && ev.segment.format === 'bytes') {
      if (!this.bool('append')) this.seekTo = ev.segment.start;
      else if (ev.segment.start !== this.position) this.warning(`ignored a bytes segment to byte ${ev.segment.start}: append=true always writes at the end`);
    }
    return super.sinkEvent(pad, ev);
  }

  protected override async onEos(): Promise<void> {
    await this.close();
  }

  override async stop(): Promise<void> {
    await this.close();
  }

  private async close(): Promise<void> {
    const file = this.file;
    this.file = null;
    if (file !== null) await file.close();
  }
}

export default FileSink;
