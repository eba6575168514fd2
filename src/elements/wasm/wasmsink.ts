import { MODE_PROPERTY, MODULE_PROPERTY } from './module-properties.js';
import { Buffer } from '../../element/buffer.js';
import { Sink, SINK_PROPERTIES } from '../../element/base/sink.js';
import type { Caps } from '../../element/caps/index.js';
import { FlowResult } from '../../element/flow.js';
import type { ElementMetadata } from '../../element/metadata.js';
import type { Pad } from '../../element/pad.js';
import type { PropertySpec, PropertyValue } from '../../element/property.js';
import { failureMessage, ModuleBinding, trapMessage } from './module-binding.js';

/**
 * `fakesrc num-buffers=4 sizetype=fixed sizemax=64 filltype=pattern ! wasmsink module=/tmp/limit.wasm`
 *
 * Classification: Sink/WebAssembly.
 *
 * Hands every buffer to a WebAssembly kernel of yours (doc/design/006): `pxl_consume(state, in,
 * inLen)` returns 0, or a negative code that stops the pipeline with an error.
 *
 * - `module`: the .wasm file, as for wasmtransform; the module's properties follow it.
 * - `mode` (read-only): "shared" or "private: <why>", as for wasmtransform.
 * - `sync`, `ts-offset`: as every sink's.
 *
 * The module's `caps.sink` becomes the sink pad's caps; the kernel gets the negotiated caps as
 * the caps struct. Errors as wasmtransform's, for pxl_consume. Data thread or event loop
 * (rt-safe).
 */
export class WasmSink extends Sink {
  static readonly metadata: ElementMetadata = {
    factory: 'wasmsink',
    classification: 'Sink/WebAssembly',
    description: 'Hands every buffer to a WebAssembly kernel (pxl_consume)',
    example: 'fakesrc num-buffers=4 sizetype=fixed sizemax=64 filltype=pattern ! wasmsink module=/tmp/limit.wasm',
    padTemplates: [{ name: 'sink', direction: 'sink', presence: 'always' }],
    properties: {
      ...SINK_PROPERTIES,
      module: MODULE_PROPERTY,
      mode: MODE_PROPERTY,
    },
    affinity: 'auto',
    rtSafe: true,
    sharedMemory: true,
  };

  private readonly binding = new ModuleBinding(this, 'sink');

  override propertySpec(name: string): PropertySpec | undefined {
    return super.propertySpec(name) ?? this.binding.spec(name);
  }

  override propertyNames(): string[] {
    return [...super.propertyNames(), ...this.binding.names()];
  }

  override explainUnknownProperty(name: string): string | undefined {
    return this.binding.explainUnknown(name);
  }

  override set(name: string, raw: unknown): void {
    if (name === 'module') this.binding.load(raw, () => super.set(name, raw));
    else super.set(name, raw);
  }

  protected override propertyChanged(name: string): void {
    this.binding.changed(name);
  }

  protected override readProperty(name: string): PropertyValue | undefined {
    return name === 'mode' ? this.binding.mode : undefined;
  }

  override start(): void {
    super.start();
    this.binding.start(this.context.kernels ?? null);
  }

  override stop(): void {
    this.binding.stop();
  }

  override sinkCaps(pad: Pad): Caps {
    return this.binding.declaredCaps('sink') ?? pad.template.caps;
  }

  override setCaps(pad: Pad, caps: Caps): boolean {
    return this.binding.setCaps(pad.direction, caps);
  }

  protected render(buf: Buffer): FlowResult {
    const k = this.binding.kernel;
    if (k === null) return this.error('not started: no kernel');
    // Shared mode, and a buffer from outside the arena: one counted copy brings it in.
    const input = k.reaches(buf) ? buf : Buffer.fromBytes(this.context.allocator, buf.data);
    let r: number;
    try {
      r = k.consume(input);
    } catch (e) {
      return this.error(trapMessage('pxl_consume', e), e);
    }
    finally {
      if (input !== buf) input.release();
    }
    return r < 0 ? this.error(failureMessage('pxl_consume', r, k)) : FlowResult.OK;
  }
}

export default WasmSink;
