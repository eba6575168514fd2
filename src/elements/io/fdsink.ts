import { write } from 'node:fs';
import { Socket } from 'node:net';
import type { Writable } from 'node:stream';
import { WriteStream } from 'node:tty';
import { ParallaxError } from '../../errors.js';
import type { Buffer } from '../../element/buffer.js';
import { SINK_PROPERTIES, Sink } from '../../element/base/sink.js';
import { FlowResult } from '../../element/flow.js';
import type { ElementMetadata } from '../../element/metadata.js';
import { describeFd, fdInfo, type FdInfo } from './fd-kind.js';

/**
 * `datasrc data="fdsink writes this to standard output" ! fdsink fd=1`
 *
 * Sink/File. Writes every buffer to a file descriptor, exactly and in order, after GStreamer's
 * fdsink: standard output by default (`fd=1`), or any descriptor the process holds.
 *
 * Writes never block the event loop where Node lets them (see fd-kind.ts): a regular file or a
 * device is written on libuv's thread pool straight from the buffer's slot; a pipe, socket or
 * terminal through a libuv stream, also from the slot (the slot is released only once the stream
 * says the bytes are written, so nothing is copied). Standard output and error go through
 * `process.stdout` and `process.stderr`, so they stay in order with the rest of the process's
 * output; note that Node writes those synchronously when they are pipes or files (its documented
 * choice on Linux), so a slow reader of a stdout pipe slows the pipeline down, as with GStreamer.
 * Another descriptor's stream belongs to fdsink once started and is closed when the pipeline
 * stops; standard output and error are left open.
 *
 * Errors name the element, the descriptor and the byte offset: a descriptor that is not open (at
 * start), a write that fails (EPIPE when the reader went away).
 */
export class FdSink extends Sink {
  static readonly metadata: ElementMetadata = {
    factory: 'fdsink',
    classification: 'Sink/File',
    description: 'Writes buffers to a file descriptor (standard output by default)',
    example: 'datasrc data="fdsink writes this to standard output" ! fdsink fd=1',
    padTemplates: [{ name: 'sink', direction: 'sink', presence: 'always', caps: 'ANY' }],
    properties: {
      ...SINK_PROPERTIES,
      fd: { type: 'int', default: 1, min: 0, description: 'The file descriptor to write to' },
    },
    affinity: 'async',
    rtSafe: false,
  };

  private fd = -1;
  private info: FdInfo | null = null;
  private stream: Writable | null = null;
  private ownsStream = false;
  private position = 0;

  override async start(): Promise<void> {
    await super.start();
    this.fd = this.num('fd');
    this.position = 0;
    try {
      this.info = await fdInfo(this.fd);
    } catch (e) {
      throw new ParallaxError('ELEMENT_ERROR', `${this.name}: cannot write to fd ${this.fd} (property "fd"): ${e instanceof Error ? e.message : String(e)}`, { cause: e });
    }
    if (this.fd === 1 || this.fd === 2) {
      this.stream = this.fd === 1 ? process.stdout : process.stderr;
      this.ownsStream = false;
    } else if (this.info.kind === 'stream') {
      this.stream = this.info.tty ? new WriteStream(this.fd) : new Socket({ fd: this.fd, readable: false, writable: true });
      this.ownsStream = true;
    }
    this.stream?.on('error', this.onStreamError);
  }

  /** A failed write is reported by its callback (render names the fd and offset); without a listener the same error would also be thrown as unhandled. */
  private readonly onStreamError = (): void => {};

  protected async render(buf: Buffer): Promise<FlowResult> {
    const info = this.info;
    if (info === null) return FlowResult.FLUSHING;
    const data = buf.data;
    const at = this.position;
    try {
      if (this.stream !== null) await this.writeStream(this.stream, data);
      else await this.writeFile(data);
    } catch (e) {
      if (this.info === null) return FlowResult.FLUSHING;
      return this.error(`writing to fd ${this.fd} (${describeFd(info)}) at byte ${at} failed: ${e instanceof Error ? e.message : String(e)}`, e);
    }
    this.position = at + data.byteLength;
    return FlowResult.OK;
  }

  /** The callback comes once the bytes left the slot (written, or handed to the kernel). */
  private writeStream(s: Writable, data: Uint8Array): Promise<void> {
    return new Promise((resolve, reject) => {
      s.write(data, (err) => (err != null ? reject(err) : resolve()));
    });
  }

  /** At the descriptor's own position, as GStreamer's fdsink; short writes are resumed. */
  private async writeFile(data: Uint8Array): Promise<void> {
    let done = 0;
    while (done < data.byteLength) {
      const n = await new Promise<number>((resolve, reject) => {
        write(this.fd, data, done, data.byteLength - done, null, (err, written) => (err !== null ? reject(err) : resolve(written)));
      });
      if (n <= 0) throw new Error('the descriptor accepted no bytes');
      done += n;
    }
  }

  override stop(): void {
    const s = this.stream;
    this.stream = null;
    this.info = null;
    if (s === null) return;
    if (this.ownsStream) s.destroy();
    // Late errors of a destroyed stream (EPIPE after a close) stay swallowed: the listener stays on what fdsink owns.
    // On stdout and stderr it stays one more turn: a failed write's 'error' comes a tick after it,
    // and without a listener by then it would be thrown as uncaught.
    else setImmediate(() => s.off('error', this.onStreamError));
  }
}

export default FdSink;
