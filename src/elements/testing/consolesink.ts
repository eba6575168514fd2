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
 * the stream asks to wait (`write` returns false), upstream waits for its `drain`.
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

  override start(): void {
    super.start();
    this.out = this.stream ?? (this.str('output') === 'stderr' ? process.stderr : process.stdout);
    this.decoder = new TextDecoder();
    this.position = 0;
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
    if (text === '' || this.out.write(text)) return FlowResult.OK;
    const out = this.out;
    return new Promise((resolve) => {
      const done = (): void => {
        out.off('drain', done);
        out.off('close', done);
        resolve(FlowResult.OK);
      };
      out.on('drain', done);
      out.on('close', done);
    });
  }

  /** The end of the text: a character cut short by the stream's end prints as U+FFFD. */
  protected override async onEos(): Promise<void> {
    if (this.str('mode') === 'text') await this.print(this.decoder.decode());
  }
}

export default ConsoleSink;
