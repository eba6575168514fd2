import { read } from 'node:fs';
import { Socket } from 'node:net';
import type { Readable } from 'node:stream';
import { ReadStream } from 'node:tty';
import { ParallaxError } from '../../errors.js';
import { Buffer, BufferFlags } from '../../element/buffer.js';
import { Source, type Produced } from '../../element/base/source.js';
import { FlowResult } from '../../element/flow.js';
import type { ElementMetadata } from '../../element/metadata.js';
import { copyPayload } from '../../memory/copy-counter.js';
import { describeFd, fdInfo, type FdInfo } from './fd-kind.js';

/**
 * `fdsrc fd=0 blocksize=4096 ! fakesink`
 *
 * Source/File. Reads a file descriptor until end of file, after GStreamer's fdsrc: standard input
 * by default (`fd=0`), or any descriptor the process holds (`fd=3` handed over by a parent, a
 * pipe, a socket). Each buffer carries its byte `offset` in the stream and a `sequence` number;
 * the first is flagged DISCONT. Buffers are at most `blocksize` bytes: from a pipe, whatever the
 * writer had written so far, so sizes vary.
 *
 * Never blocks the event loop (see fd-kind.ts): a regular file or a device is read on libuv's
 * thread pool straight into pool slots (no copy); a pipe, socket or terminal through a
 * non-blocking libuv stream, whose chunks are copied once into slots (counted). Stopping the
 * pipeline while a pipe has nothing to read ends the read at once. A pipe's descriptor (other than
 * 0) belongs to fdsrc's stream once started and is closed when the pipeline stops; standard input
 * is left open (what was read ahead stays for a later run) but no longer keeps the process alive.
 *
 * Errors name the element, the descriptor and the byte offset: a descriptor that is not open
 * (at start), a read that fails.
 */
export class FdSrc extends Source {
  static readonly metadata: ElementMetadata = {
    factory: 'fdsrc',
    classification: 'Source/File',
    description: 'Reads a file descriptor (standard input by default) until end of file',
    example: 'fdsrc fd=0 blocksize=4096 ! fakesink',
    padTemplates: [{ name: 'src', direction: 'src', presence: 'always', caps: 'ANY' }],
    properties: {
      fd: { type: 'int', default: 0, min: 0, description: 'The file descriptor to read' },
      blocksize: { type: 'uint64', default: 4096, min: 1, max: 0x7fffffff, description: 'Largest buffer, in bytes' },
    },
    affinity: 'async',
    rtSafe: false,
  };

  private fd = -1;
  private info: FdInfo | null = null;
  private stream: Readable | null = null;
  private ownsStream = false;
  /** Set by unblock/stop: no stream opens after it. */
  private closed = true;
  /** What the stream handed over and was not sent yet (a chunk larger than blocksize). */
  private pending: Uint8Array | null = null;
  private ended = false;
  private failure: Error | null = null;
  private wake: (() => void) | null = null;
  private position = 0;
  private count = 0;
  private readonly onReadable = (): void => this.notifyReader();
  private readonly onEnd = (): void => {
    this.ended = true;
    this.notifyReader();
  };
  private readonly onError = (e: Error): void => {
    this.failure = e;
    this.notifyReader();
  };

  override async start(): Promise<void> {
    await super.start();
    this.fd = this.num('fd');
    this.position = 0;
    this.count = 0;
    this.pending = null;
    this.ended = false;
    this.failure = null;
    try {
      this.info = await fdInfo(this.fd);
    } catch (e) {
      throw new ParallaxError('ELEMENT_ERROR', `${this.name}: cannot read fd ${this.fd} (property "fd"): ${e instanceof Error ? e.message : String(e)}`, { cause: e });
    }
    // A stream is opened by the first read: starting (prepare, --dry-run) must not take stdin's data.
    if (this.info.kind === 'file') this.context.allocator.reserve(this.num('blocksize'), 4);
    this.closed = false;
  }

  private openStream(info: FdInfo): void {
    const fd = this.fd;
    this.ownsStream = fd !== 0;
    const s: Readable = fd === 0 ? process.stdin : info.tty ? new ReadStream(fd) : new Socket({ fd, readable: true, writable: false });
    // An earlier run let go of stdin's handle (see closeStream); this run waits on it again.
    if (fd === 0) (s as Socket).ref();
    s.on('readable', this.onReadable);
    s.on('end', this.onEnd);
    s.on('error', this.onError);
    // Standard input read to its end by an earlier run will not say 'end' again.
    this.ended = s.readableEnded;
    this.stream = s;
  }

  private notifyReader(): void {
    const w = this.wake;
    this.wake = null;
    w?.();
  }

  protected create(): Produced | Promise<Produced> {
    if (this.info === null) return FlowResult.FLUSHING;
    return this.info.kind === 'file' ? this.readFile() : this.readStream();
  }

  /** A file or device: the OS reads into the slot on the thread pool, at the descriptor's own position. */
  private async readFile(): Promise<Produced> {
    const size = this.num('blocksize');
    const buf = Buffer.allocate(this.context.allocator, size);
    let bytesRead: number;
    try {
      bytesRead = await new Promise<number>((resolve, reject) => {
        read(this.fd, buf.data, 0, size, null, (err, n) => (err !== null ? reject(err) : resolve(n)));
      });
    } catch (e) {
      buf.release();
      if (this.info === null) return FlowResult.FLUSHING;
      return this.error(`reading fd ${this.fd} at byte ${this.position} failed: ${e instanceof Error ? e.message : String(e)}`, e);
    }
    if (bytesRead === 0) {
      buf.release();
      return FlowResult.EOS;
    }
    buf.size = bytesRead;
    return this.stamp(buf);
  }

  /** A pipe, socket or terminal: waits for the stream's next chunk without holding any thread. */
  private async readStream(): Promise<Produced> {
    if (this.stream === null && !this.closed) this.openStream(this.info!);
    for (;;) {
      const s = this.stream;
      if (s === null) return FlowResult.FLUSHING;
      const chunk = this.pending ?? (s.read() as Uint8Array | null);
      if (chunk !== null) {
        const size = Math.min(chunk.byteLength, this.num('blocksize'));
        this.pending = size < chunk.byteLength ? chunk.subarray(size) : null;
        const buf = Buffer.allocate(this.context.allocator, size);
        copyPayload(buf.data, 0, chunk.subarray(0, size));
        return this.stamp(buf);
      }
      if (this.failure !== null) {
        return this.error(`reading fd ${this.fd} (${describeFd(this.info!)}) at byte ${this.position} failed: ${this.failure.message}`, this.failure);
      }
      if (this.ended) return FlowResult.EOS;
      await new Promise<void>((resolve) => (this.wake = resolve));
    }
  }

  private stamp(buf: Buffer): Buffer {
    buf.offset = this.position;
    buf.sequence = this.count;
    buf.flags = this.count === 0 ? BufferFlags.DISCONT : 0;
    this.position += buf.size;
    this.count++;
    return buf;
  }

  override unblock(): void {
    this.closeStream();
  }

  override stop(): void {
    this.closeStream();
    this.info = null;
  }

  /** Ends a waiting read (it returns FLUSHING); closes a descriptor fdsrc's stream owns, never stdin. */
  private closeStream(): void {
    this.closed = true;
    const s = this.stream;
    this.stream = null;
    this.pending = null;
    if (s !== null) {
      s.off('readable', this.onReadable);
      s.off('end', this.onEnd);
      s.off('error', this.onError);
      if (this.ownsStream) s.destroy();
      else {
        // Stdin stays open for a later run, but its handle, still reading, would keep the
        // process alive after the pipeline stopped: only pausing does not stop the read.
        s.pause();
        (s as Socket).unref();
      }
    }
    this.notifyReader();
  }
}

export default FdSrc;
