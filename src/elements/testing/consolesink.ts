import type { Writable } from 'node:stream';
import type { Buffer } from '../../element/buffer.js';
import { SINK_PROPERTIES, Sink } from '../../element/base/sink.js';
import { FlowResult } from '../../element/flow.js';
import type { ElementMetadata } from '../../element/metadata.js';
import { hexdump } from './describe.js';

/**
 * `datasrc data="consolesink prints this" ! consolesink mode=hex`
 *
 * Sink/Debug. Prints every buffer for a human: `mode=hex` as a hexdump in the format of
 * GStreamer's fakesink `dump=true` (gst_util_dump_mem: 16 bytes a line, offset in the buffer, hex,
 * ASCII), where the address in brackets is the buffer's byte position in the stream rather than a
 * memory address, so two runs print the same text; `mode=text` as UTF-8 text, decoded across buffers (a character split between two buffers
 * prints whole; an incomplete one at EOS prints as U+FFFD).
 *
 * Output goes to `output=stdout` (the default) or `stderr`, or, from TypeScript, to any writable
 * stream given with `sink.stream = writable` (a file stream, a socket, a test's collector). When
 * the stream asks to wait (`write` returns false), upstream waits for its `drain`. When it fails
 * or closes (EPIPE: `parallax-launch … ! consolesink | head`), consolesink posts an error naming
 * itself and the output, which stops the pipeline; it never waits for a drain that cannot come.
 *
 * Off the hot path by nature: it formats text for each buffer.
 */
export class ConsoleSink extends Sink {
  static readonly metadata: ElementMetadata = {
    factory: 'consolesink',
    classification: 'Sink/Debug',
    description: 'Prints buffers as a hexdump or as text',
    example: 'datasrc data="consolesink prints this" ! consolesink mode=hex',
    padTemplates: [{ name: 'sink', direction: 'sink', presence: 'always', caps: 'ANY' }],
    properties: {
      ...SINK_PROPERTIES,
      mode: {
        type: 'enum', default: 'hex', mutable: true, description: 'How to print each buffer',
        values: [
          { nick: 'hex', value: 0, description: 'Hexdump, 16 bytes a line, as fakesink dump=true' },
          { nick: 'text', value: 1, description: 'UTF-8 text' },
        ],
      },
      output: {
        type: 'enum', default: 'stdout', description: 'Where to print (unless a stream was given from TypeScript)',
        values: [
          { nick: 'stdout', value: 1, description: 'Standard output' },
          { nick: 'stderr', value: 2, description: 'Standard error' },
        ],
      },
    },
    affinity: 'async',
    rtSafe: false,
  };

  /** A stream to print to instead of `output`; set before the pipeline starts. */
  stream: Writable | null = null;
  private out: Writable = process.stdout;
  private decoder = new TextDecoder();
  private position = 0;
  /** Why the output cannot be written to any more, once it failed or closed; null while it works. */
  private broken: string | null = null;
  private reported = false;
  /** Ends a wait for `drain` (stop, failure). */
  private endWait: ((r: FlowResult) => void) | null = null;
  private listening: Writable | null = null;

  override start(): void {
    super.start();
    this.out = this.stream ?? (this.str('output') === 'stderr' ? process.stderr : process.stdout);
    this.decoder = new TextDecoder();
    this.position = 0;
    this.broken = null;
    this.reported = false;
    this.listen(this.out);
  }

  override unblock(): void {
    super.unblock();
    this.wake(FlowResult.FLUSHING);
  }

  override stop(): void {
    this.wake(FlowResult.FLUSHING);
    const out = this.listening;
    this.listening = null;
    if (out === null) return;
    out.off('close', this.onClose);
    // A failed write's 'error' comes a tick after it; without a listener by then it would be
    // thrown as uncaught (a stdout pipe whose reader went away would kill the process).
    setImmediate(() => out.off('error', this.onError));
  }

  private listen(out: Writable): void {
    if (this.listening === out) return;
    if (this.listening !== null) this.stop();
    this.listening = out;
    out.on('error', this.onError);
    out.on('close', this.onClose);
  }

  private readonly onError = (e: Error): void => {
    const code = (e as { code?: unknown }).code;
    this.fail(code === 'EPIPE' ? `${e.message} (the reader went away)` : e.message);
  };

  private readonly onClose = (): void => this.fail('it was closed');

  /** The output broke: an error now, while running (nothing may come to print), and never twice. */
  private fail(why: string): void {
    if (this.broken !== null || this.listening === null) return;
    this.broken = why;
    if (this.state === 'running' || this.endWait !== null) this.wake(this.report());
  }

  private report(): FlowResult {
    if (this.reported) return FlowResult.ERROR;
    this.reported = true;
    const where = this.stream !== null ? 'its stream' : this.str('output') === 'stderr' ? 'standard error' : 'standard output';
    return this.error(`cannot print to ${where}: ${this.broken ?? 'it failed'}`);
  }

  private wake(r: FlowResult): void {
    const w = this.endWait;
    this.endWait = null;
    w?.(r);
  }

  protected render(buf: Buffer): FlowResult | Promise<FlowResult> {
    const data = buf.data;
    const text = this.str('mode') === 'text'
      ? this.decoder.decode(data, { stream: true })
      : hexdump(data, `0x${this.position.toString(16).padStart(8, '0')}`);
    this.position += data.byteLength;
    return this.print(text);
  }

  private print(text: string): FlowResult | Promise<FlowResult> {
    const out = this.out;
    // A destroyed stream takes writes without an 'error' and never drains.
    if (this.broken === null && (out.destroyed || out.writableEnded)) this.broken = 'it was closed';
    if (this.broken !== null) return this.report();
    if (text === '' || out.write(text)) return FlowResult.OK;
    return new Promise((resolve) => {
      const drained = (): void => this.wake(FlowResult.OK);
      this.endWait = (r) => {
        out.off('drain', drained);
        resolve(r);
      };
      out.on('drain', drained);
    });
  }

  /** The end of the text: a character cut short by the stream's end prints as U+FFFD. */
  protected override async onEos(): Promise<void> {
    if (this.str('mode') === 'text') await this.print(this.decoder.decode());
  }
}

export default ConsoleSink;
