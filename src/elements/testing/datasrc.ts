import { readFile } from 'node:fs/promises';
import { ParallaxError } from '../../errors.js';
import { Buffer, BufferFlags } from '../../element/buffer.js';
import { Source, type Produced } from '../../element/base/source.js';
import { Caps } from '../../element/caps/index.js';
import { FlowResult } from '../../element/flow.js';
import type { ElementMetadata } from '../../element/metadata.js';
import type { Pad } from '../../element/pad.js';
import { decodeData, type DataEncoding } from './data-decode.js';

/**
 * `datasrc data="48656c6c6f0a" encoding=hex ! fakesink`
 *
 * Source/Testing. Pushes a fixed payload, then EOS, after GStreamer's datasrc: the `data`
 * property as UTF-8 text, hex digits (`00 ff`, `00:ff` or `00ff`) or base64 (`encoding`), or the
 * whole content of the file at `location`. With `blocksize=0` (the default) it is one buffer;
 * otherwise buffers of `blocksize` bytes, the last one shorter. Each buffer carries its byte
 * `offset` and `sequence`; the first is flagged DISCONT. An empty payload gives EOS at once.
 *
 * Meant for small payloads (test vectors, headers, a caps-tagged blob with `caps`): the payload is
 * decoded into memory at start and written once into each slot (the copy is counted). To stream a
 * large file, use filesrc, which reads into slots without a copy.
 *
 * Errors at start name the element, the property and the character: bad hex or base64, both or
 * neither of `data` and `location`, a file that cannot be read.
 */
export class DataSrc extends Source {
  static readonly metadata: ElementMetadata = {
    factory: 'datasrc',
    classification: 'Source/Testing',
    description: 'Pushes a payload given as text, hex, base64 or a file',
    example: 'datasrc data="48656c6c6f0a" encoding=hex ! fakesink',
    padTemplates: [{ name: 'src', direction: 'src', presence: 'always', caps: 'ANY' }],
    properties: {
      data: { type: 'string', default: null, description: 'The payload, decoded as the encoding property says' },
      encoding: {
        type: 'enum', default: 'text', description: 'How the data property is written',
        values: [
          { nick: 'text', value: 0, description: 'Text, sent as UTF-8' },
          { nick: 'hex', value: 1, description: 'Hex digits, two per byte; spaces and colons may separate bytes' },
          { nick: 'base64', value: 2, description: 'Base64 (RFC 4648), padding optional' },
        ],
      },
      location: { type: 'string', default: null, description: 'A file whose whole content is the payload (instead of data)' },
      blocksize: { type: 'uint64', default: 0, min: 0, max: 0x7fffffff, description: 'Bytes per buffer (0 = the whole payload in one buffer)' },
      caps: { type: 'caps', default: Caps.ANY, description: 'The caps of the payload (ANY: left to negotiation)' },
    },
    affinity: 'async',
    rtSafe: false,
  };

  private payload: Uint8Array = new Uint8Array(0);
  private position = 0;
  private count = 0;

  override sourceCaps(pad: Pad): Caps {
    const caps = this.get('caps') as Caps;
    return caps.isAny() ? pad.template.caps : caps;
  }

  override async start(): Promise<void> {
    await super.start();
    this.position = 0;
    this.count = 0;
    const data = this.get('data');
    const location = this.get('location');
    const hasData = typeof data === 'string';
    const hasFile = typeof location === 'string' && location !== '';
    if (hasData === hasFile) {
      throw new ParallaxError('ELEMENT_ERROR', `${this.name}: set exactly one of the "data" and "location" properties (${hasData ? 'both are' : 'neither is'} set)`);
    }
    if (hasData) {
      const decoded = decodeData(data, this.str('encoding') as DataEncoding);
      if (typeof decoded === 'string') throw new ParallaxError('ELEMENT_ERROR', `${this.name}: bad "data" (encoding=${this.str('encoding')}): ${decoded}`);
      this.payload = decoded;
      return;
    }
    try {
      this.payload = new Uint8Array(await readFile(location as string));
    } catch (e) {
      throw new ParallaxError('ELEMENT_ERROR', `${this.name}: cannot read "location" file "${String(location)}": ${e instanceof Error ? e.message : String(e)}`, { cause: e });
    }
  }

  protected create(): Produced {
    const total = this.payload.byteLength;
    if (this.position >= total) return FlowResult.EOS;
    const block = this.num('blocksize');
    const end = block === 0 ? total : Math.min(total, this.position + block);
    const buf = Buffer.fromBytes(this.context.allocator, this.payload.subarray(this.position, end));
    buf.offset = this.position;
    buf.sequence = this.count;
    buf.flags = this.count === 0 ? BufferFlags.DISCONT : 0;
    this.position = end;
    this.count++;
    return buf;
  }

  override stop(): void {
    this.payload = new Uint8Array(0);
  }
}

export default DataSrc;
