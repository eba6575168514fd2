import { open, stat, type FileHandle } from 'node:fs/promises';
import type { Socket } from 'node:net';
import { ParallaxError } from '../../errors.js';
import type { Buffer } from '../../element/buffer.js';
import type { Event } from '../../element/event.js';
import { SINK_PROPERTIES, Sink } from '../../element/base/sink.js';
import { FlowResult } from '../../element/flow.js';
import type { ElementMetadata } from '../../element/metadata.js';
import type { Pad } from '../../element/pad.js';
import { closePipe, openPipeForWriting, touchPipe, writeToPipe } from './pipe-writer.js';

/** Buffers, or bytes, that may wait to be written before upstream waits too. */
const MAX_PENDING_BUFFERS = 32;
const MAX_PENDING_BYTES = 1 << 20;

/** What waits to be written, in stream order: a buffer (a handle of our own), or a bytes segment's new position. */
type Pending = Buffer | { readonly seekTo: number };

/**
 * `fakesrc num-buffers=16 sizetype=fixed sizemax=64 filltype=pattern ! filesink location=/dev/null`
 *
 * Sink/File. Writes every buffer to a file, exactly and in order, after GStreamer's filesink.
 * The file is created (or truncated; with `append=true`, appended to) in `start()`, which throws
 * an error naming the element and the path when `location` is not set or cannot be opened (a
 * named pipe is opened later: see below; an error opening it is posted from the first write).
 *
 * Writes are asynchronous straight from the buffers' slots (no copy), behind the stream: a buffer
 * is queued (a handle on its slot) and rendering returns at once; one write at a time takes every
 * buffer queued meanwhile in a single `writev`. An asynchronous write costs a thread-pool round
 * trip (30–50 µs here), so writing small buffers one by one would cost more than the pipeline's
 * work. Upstream waits once 32 buffers or 1 MiB are queued. A failed write is an error naming the
 * path and the byte; the next render returns it. The file is closed at EOS, once every write has
 * finished, so the pipeline's `eos` message means the data is in the file.
 *
 * A segment in bytes (GStreamer's SEGMENT of format BYTES) moves where the next buffer is written
 * to its `start`: this is how wavenc rewrites its header at EOS. It is queued in order with the
 * buffers. Writes stay plain appends to the current position (pipes and devices work) until a
 * segment asks for another position. A pipe or terminal cannot go back, and neither can a file
 * opened with `append=true` (the OS writes at the end): the buffers of such a segment are dropped,
 * with a warning. What was written stays valid: wavenc's first header says "until the end".
 *
 * A named pipe (`mkfifo`) is written through a libuv stream handle (see pipe-writer.ts). It is
 * opened by the first write (or at EOS), which waits for a reader without holding a thread: in
 * start() that wait would hold up the whole prepare, which nothing can interrupt. Stopping the
 * pipeline ends that wait, and a write that waits on a reader that stopped reading, where a
 * write on the thread pool could not be cancelled.
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
  /** The named pipe to write instead of a file, and its handle once a reader opened it. */
  private pipePath: string | null = null;
  private pipe: Socket | null = null;
  /** Where the next write goes. */
  private position = 0;
  /** Writes name their position once a segment has moved it (plain writes until then). */
  private positional = false;
  /** A regular file or block device; a pipe, socket or terminal cannot go back. */
  private seekable = true;
  /** A segment asked a pipe to go back: its buffers are dropped until the next segment. */
  private skipping = false;
  private pending: Pending[] = [];
  private pendingBuffers = 0;
  private pendingBytes = 0;
  /** The write loop, while it runs. */
  private writing: Promise<void> | null = null;
  /** A write failed (the error is posted): every later render returns this. */
  private failed: FlowResult | null = null;
  /** A render waiting for room in the queue. */
  private room: (() => void) | null = null;

  override async start(): Promise<void> {
    await super.start();
    this.position = 0;
    this.positional = false;
    this.skipping = false;
    this.failed = null;
    this.dropPending();
    const location = this.get('location');
    if (typeof location !== 'string' || location === '') {
      throw new ParallaxError('ELEMENT_ERROR', `${this.name}: no file to write: the "location" property is not set`);
    }
    try {
      if ((await stat(location).catch(() => null))?.isFIFO() === true) {
        this.seekable = false;
        this.pipePath = location;
        return;
      }
      this.file = await open(location, this.bool('append') ? 'a' : 'w');
      const st = await this.file.stat();
      this.seekable = st.isFile() || st.isBlockDevice();
    } catch (e) {
      throw new ParallaxError('ELEMENT_ERROR', `${this.name}: cannot open "${location}" for writing: ${e instanceof Error ? e.message : String(e)}`, { cause: e });
    }
  }

  protected render(buf: Buffer): FlowResult | Promise<FlowResult> {
    if (this.stopping || (this.file === null && this.pipePath === null)) return FlowResult.FLUSHING;
    if (this.failed !== null) return this.failed;
    this.pending.push(buf.clone());
    this.pendingBuffers++;
    this.pendingBytes += buf.size;
    this.writing ??= this.writeLoop();
    if (this.pendingBuffers < MAX_PENDING_BUFFERS && this.pendingBytes < MAX_PENDING_BYTES) return FlowResult.OK;
    return new Promise<FlowResult>((resolve) => (this.room = () => resolve(this.failed ?? (this.stopping ? FlowResult.FLUSHING : FlowResult.OK))));
  }

  /** A bytes segment: the buffers after it go to its `start`. Queued in order with them. */
  override sinkEvent(pad: Pad, ev: Event): boolean {
    if (ev.type === 'segment' && ev.segment.format === 'bytes') this.pending.push({ seekTo: ev.segment.start });
    return super.sinkEvent(pad, ev);
  }

  protected override async onEos(): Promise<void> {
    while (this.writing !== null) await this.writing;
    // An empty stream still opens the pipe, so its reader sees the end rather than no writer.
    if (this.failed === null) await this.openPipe();
    await this.close();
  }

  override unblock(): void {
    // From here `stopping` holds: writes in flight are abandoned, a wait for a pipe's reader ends.
    super.unblock();
    this.wakeRenderer();
  }

  /** Opens the named pipe once a reader is there; false when it is not open (stopping, or failed). */
  private async openPipe(): Promise<boolean> {
    if (this.pipe !== null || this.pipePath === null) return true;
    try {
      this.pipe = await openPipeForWriting(this.pipePath, () => this.stopping);
    } catch (e) {
      if (!this.stopping) this.failed = this.error(`cannot open the pipe "${this.pipePath}" for writing: ${e instanceof Error ? e.message : String(e)}`, e);
      return false;
    }
    // Its errors reach the pending write's callback; without a listener they would also throw.
    this.pipe?.on('error', () => {});
    return this.pipe !== null;
  }

  override async stop(): Promise<void> {
    this.unblock();
    this.dropPending();
    // A write waiting on a reader that stopped reading ends here (with an error that is ignored).
    this.pipe?.destroy();
    while (this.writing !== null) await this.writing;
    // Never opened (stopped before the first write): a reader waiting in open() still gets its end.
    if (this.pipe === null && this.pipePath !== null) await touchPipe(this.pipePath);
    await this.close();
  }

  /** Writes what is queued, a run of buffers per writev, until the queue is empty. */
  private async writeLoop(): Promise<void> {
    try {
      if (!(await this.openPipe())) {
        this.dropPending();
        return;
      }
      while (this.pending.length > 0 && this.failed === null && !this.stopping) {
        const head = this.pending[0]!;
        if (!isBuffer(head)) {
          this.pending.shift();
          this.seek(head.seekTo);
          continue;
        }
        const run: Buffer[] = [];
        while (run.length < MAX_PENDING_BUFFERS && this.pending.length > 0 && isBuffer(this.pending[0]!)) run.push(this.pending.shift() as Buffer);
        if (!this.skipping) await this.write(run);
        for (const b of run) {
          this.pendingBuffers--;
          this.pendingBytes -= b.size;
          b.release();
        }
        if (this.pendingBuffers < MAX_PENDING_BUFFERS && this.pendingBytes < MAX_PENDING_BYTES) this.wakeRenderer();
      }
    } finally {
      this.writing = null;
      this.wakeRenderer();
    }
  }

  private seek(to: number): void {
    this.skipping = false;
    if (to !== this.position && (!this.seekable || this.bool('append'))) {
      // What was written stays valid (wavenc's first header says "until the end"); only the
      // rewrite is lost. GStreamer's filesink behaves the same on a pipe.
      this.skipping = true;
      const why = this.seekable ? 'append=true always writes at the end' : 'not a regular file';
      this.warning(`cannot go to byte ${to} in "${this.str('location')}" (${why}): the data meant for there is dropped`);
      return;
    }
    if (to !== this.position) this.positional = true;
    this.position = to;
  }

  /** Writes `run` at the current position, all of it (a short writev is continued). */
  private async write(run: Buffer[]): Promise<void> {
    const at = this.position;
    let views = run.map((b) => b.data).filter((v) => v.byteLength > 0);
    const total = views.reduce((n, v) => n + v.byteLength, 0);
    let done = 0;
    try {
      if (this.pipe !== null) {
        await writeToPipe(this.pipe, views);
        done = total;
      }
      const file = this.file;
      while (file !== null && done < total) {
        const { bytesWritten } = views.length === 1
          ? await file.write(views[0]!, 0, views[0]!.byteLength, this.positional ? at + done : null)
          : await file.writev(views, this.positional ? at + done : undefined);
        if (bytesWritten <= 0) throw new Error('the file accepted no bytes');
        done += bytesWritten;
        views = rest(views, bytesWritten);
      }
    } catch (e) {
      if (this.stopping) return;
      this.failed = this.error(`writing to "${this.str('location')}" at byte ${at + done} failed: ${e instanceof Error ? e.message : String(e)}`, e);
      return;
    }
    this.position = at + done;
  }

  private wakeRenderer(): void {
    const r = this.room;
    this.room = null;
    r?.();
  }

  private dropPending(): void {
    for (const p of this.pending) if (isBuffer(p)) p.release();
    this.pending = [];
    this.pendingBuffers = this.pendingBytes = 0;
  }

  private async close(): Promise<void> {
    const file = this.file;
    const pipe = this.pipe;
    this.file = null;
    this.pipe = null;
    this.pipePath = null;
    if (file !== null) await file.close();
    if (pipe !== null) await closePipe(pipe);
  }
}

function isBuffer(p: Pending): p is Buffer {
  return !('seekTo' in p);
}

/** `views` without their first `n` bytes. */
function rest(views: Uint8Array[], n: number): Uint8Array[] {
  let i = 0;
  while (i < views.length && n >= views[i]!.byteLength) n -= views[i++]!.byteLength;
  const out = views.slice(i);
  if (n > 0 && out.length > 0) out[0] = out[0]!.subarray(n);
  return out;
}

export default FileSink;
