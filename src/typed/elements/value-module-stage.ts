import type { Buffer } from '../../element/buffer.js';
import { Element } from '../../element/element.js';
import type { Event } from '../../element/event.js';
import { FlowResult } from '../../element/flow.js';
import type { ElementMetadata } from '../../element/metadata.js';
import type { Pad } from '../../element/pad.js';
import { Registry } from '../../registry/registry.js';
import { VALUE_CODECS, decodeValues, type ValueCodec } from '../codec.js';
import { ItemError, filterOperator, mapOperator, tapOperator, type BatchOperator } from '../operators.js';
import { VALUE_CAPS_TEXT } from '../value-batch.js';
import { toBytes } from './value-codec-element.js';

const KINDS = ['map', 'filter', 'tap'] as const;
type Kind = (typeof KINDS)[number];
const enumOf = (names: readonly string[], what: string) => names.map((nick, value) => ({ nick, value, description: `${what} ${nick}` }));

/**
 * Filter/Typed. A typed map, filter or tap whose function is a module export
 * (`flow.map(moduleFunction(url, 'name'))`), so the stage can run on a data thread. It takes a
 * value batch by reference or encoded in the payload (after a link from the event loop), and
 * passes its output by reference, or encoded when `encode-output` is set (the last module stage
 * before a link back). The module is imported at start; a missing module or export fails start
 * naming both. Registered in a private registry only, so a data thread can import this file; it
 * is not a launch-line element.
 *
 * Affinity realtime and `dataThread`: in hybrid scheduling, a run of module stages gets a thread.
 * It allocates (decoding makes objects), so it is not RT-safe in the audio sense. A stage made
 * with `{ thread: false }` is the subclass ValueLoopModuleStage, which placement keeps on the loop.
 */
export class ValueModuleStage extends Element {
  static readonly metadata: ElementMetadata = {
    factory: 'valuemodule',
    classification: 'Filter/Typed',
    description: 'Run a module function over value batches, on a data thread if the plan puts it there',
    example: '',
    padTemplates: [
      { name: 'sink', direction: 'sink', presence: 'always', caps: VALUE_CAPS_TEXT },
      { name: 'src', direction: 'src', presence: 'always', caps: VALUE_CAPS_TEXT },
    ],
    properties: {
      module: { type: 'string', default: '', description: 'URL of the module that exports the function' },
      export: { type: 'string', default: 'default', description: 'Name of the exported function' },
      kind: { type: 'enum', default: 'map', description: 'What the function does', values: enumOf(KINDS, 'a') },
      codec: { type: 'enum', default: 'structured', description: 'How an encoded batch is written', values: enumOf(VALUE_CODECS, 'codec') },
      'encode-output': { type: 'bool', default: false, description: 'Write the output batch into the payload (before a link to another thread)' },
    },
    affinity: 'realtime',
    rtSafe: false,
    dataThread: true,
  };

  private operator: BatchOperator | null = null;
  private kind: Kind = 'map';
  private codec: ValueCodec = 'structured';
  private encodeOutput = false;

  private get srcPad(): Pad {
    return this.pads[1]!;
  }

  override async start(): Promise<void> {
    const module = String(this.get('module'));
    const name = String(this.get('export'));
    this.kind = String(this.get('kind')) as Kind;
    this.codec = String(this.get('codec')) as ValueCodec;
    this.encodeOutput = this.get('encode-output') === true;
    if (module === '') throw new Error(`${this.name}: no module set`);
    let mod: Record<string, unknown>;
    try {
      mod = (await import(module)) as Record<string, unknown>;
    } catch (e) {
      throw new Error(`${this.name}: cannot import ${module}: ${e instanceof Error ? e.message : String(e)}`, { cause: e });
    }
    const fn = mod[name];
    if (typeof fn !== 'function') throw new Error(`${this.name}: ${module} has no function export "${name}" (found ${typeof fn})`);
    const f = fn as (v: unknown, i: number) => unknown;
    this.operator = this.kind === 'filter' ? filterOperator(f as (v: unknown, i: number) => boolean) : this.kind === 'tap' ? tapOperator(f) : mapOperator(f);
  }

  override chain(_pad: Pad, buf: Buffer): FlowResult {
    let input = buf.values;
    if (input === undefined) {
      try {
        input = decodeValues(buf.data, this.codec);
      } catch (e) {
        const size = buf.size;
        buf.release();
        return this.error(`a ${size}-byte payload is not a ${this.codec} value batch: ${e instanceof Error ? e.message : String(e)}`, e);
      }
    }
    let out: readonly unknown[];
    try {
      out = this.operator!.process(input);
    } catch (e) {
      buf.release();
      const where = e instanceof ItemError ? ` at item ${e.index}` : '';
      return this.error(`the ${this.kind} function ${String(this.get('export'))} threw${where}: ${e instanceof Error ? e.message : String(e)}`, e instanceof ItemError ? e.thrown : e);
    }
    if (out.length === 0) {
      buf.release();
      return FlowResult.OK;
    }
    if (!this.encodeOutput) {
      buf.values = out;
      return this.srcPad.push(buf);
    }
    let encoded: Buffer;
    try {
      encoded = toBytes(buf, out, this.codec, this.context.allocator);
    } catch (e) {
      buf.release();
      return this.error(`cannot encode the output of ${String(this.get('export'))} as ${this.codec}: ${e instanceof Error ? e.message : String(e)}`, e);
    }
    buf.release();
    return this.srcPad.push(encoded);
  }

  override sinkEvent(pad: Pad, ev: Event): boolean {
    if (ev.type === 'caps') pad.caps = ev.caps;
    return this.forwardDownstream(ev);
  }
}

// A private registry entry: it records this file as the module a data thread imports to make the
// element. The default registry does not list it (it is built by typed flows, not launch lines).
new Registry().register(ValueModuleStage, new URL('./value-module-stage.js', import.meta.url).href);
