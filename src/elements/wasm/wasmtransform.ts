import { MODE_PROPERTY, MODULE_PROPERTY } from './module-properties.js';
import { Buffer } from '../../element/buffer.js';
import { Transform } from '../../element/base/transform.js';
import type { Caps } from '../../element/caps/index.js';
import { Events, type Event } from '../../element/event.js';
import { FlowResult } from '../../element/flow.js';
import type { ElementMetadata } from '../../element/metadata.js';
import type { Pad } from '../../element/pad.js';
import type { PropertySpec, PropertyValue } from '../../element/property.js';
import { failureMessage, ModuleBinding, trapMessage } from './module-binding.js';

/**
 * `fakesrc num-buffers=4 sizetype=fixed sizemax=64 filltype=pattern ! wasmtransform module=/tmp/invert.wasm mask=15 ! fakesink`
 *
 * Classification: Filter/WebAssembly.
 *
 * Runs a WebAssembly kernel of yours on every buffer (doc/design/006, the user kernel ABI):
 * `pxl_process(state, in, inLen, out, outCap)` returns the bytes it wrote. Build the module from
 * AssemblyScript with `parallax-wasm build element.ts` (assembly/sdk/README.md).
 *
 * - `module`: the .wasm file (relative to the working directory). Required; loaded and checked
 *   when set, so a bad module fails at the launch string.
 * - The module's own properties (its descriptor's `properties`), range-checked here before
 *   `pxl_set_property` sees them. In a launch string they may come before or after `module=`.
 * - `mode` (read-only): "shared" when the kernel runs in place on the pipeline's shared memory,
 *   or "private: <why>" when it runs in a memory of its own, its input and output copied and
 *   counted in `bytesCopied`. Private mode also posts a warning at start.
 *
 * In place when the descriptor says `inPlace` and the buffer is writable (not shared with a tee
 * branch); otherwise out of place, into a new buffer of the input's size. The module's caps
 * become the pads' caps; the kernel gets the input caps as the caps struct.
 *
 * Errors: a negative return posts an element error with the code and `pxl_error`'s text; a trap
 * posts "<element>: kernel trapped in pxl_process: <message>". Either moves the pipeline to Error.
 *
 * Data thread or event loop (rt-safe: shared mode allocates nothing per buffer but the output
 * buffer's handle).
 */
export class WasmTransform extends Transform {
  static readonly metadata: ElementMetadata = {
    factory: 'wasmtransform',
    classification: 'Filter/WebAssembly',
    description: 'Runs a WebAssembly kernel (pxl_process) on every buffer',
    example: 'fakesrc num-buffers=4 sizetype=fixed sizemax=64 filltype=pattern ! wasmtransform module=/tmp/invert.wasm mask=15 ! fakesink',
    padTemplates: [
      { name: 'sink', direction: 'sink', presence: 'always' },
      { name: 'src', direction: 'src', presence: 'always' },
    ],
    properties: {
      module: MODULE_PROPERTY,
      mode: MODE_PROPERTY,
    },
    affinity: 'auto',
    rtSafe: true,
    sharedMemory: true,
  };

  private readonly binding = new ModuleBinding(this, 'transform');

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
    this.binding.start(this.context.kernels ?? null);
  }

  override stop(): void {
    this.binding.stop();
  }

  override sinkCaps(pad: Pad): Caps {
    return this.binding.declaredCaps('sink') ?? pad.template.caps;
  }

  override transformCaps(pad: Pad, caps: Caps): Caps {
    return this.binding.transformCaps(pad.direction, caps);
  }

  override setCaps(pad: Pad, caps: Caps): boolean {
    return this.binding.setCaps(pad.direction, caps);
  }

  override sinkEvent(pad: Pad, ev: Event): boolean {
    if (ev.type !== 'caps') return super.sinkEvent(pad, ev);
    pad.caps = ev.caps;
    if (!this.setCaps(pad, ev.caps)) return false;
    const out = this.transformCaps(pad, ev.caps);
    return this.forwardDownstream(out.isFixed() && out !== ev.caps ? Events.caps(out) : ev);
  }

  override chain(_pad: Pad, buf: Buffer): FlowResult {
    const k = this.binding.kernel;
    if (k === null) {
      buf.release();
      return this.error('not started: no kernel');
    }
    let input = buf;
    if (!k.reaches(input)) {
      // Shared mode, and a buffer from outside the arena: one counted copy brings it in.
      input = Buffer.fromBytes(this.context.allocator, buf.data);
      input.copyMetadataFrom(buf);
      buf.release();
    }
    const inPlace = this.binding.inPlace && input.isWritable;
    const out = inPlace ? null : Buffer.allocate(this.context.allocator, input.size);
    if (out !== null) {
      out.copyMetadataFrom(input);
      if (!k.reaches(out)) {
        out.release();
        input.release();
        return this.error('the allocator gave an output buffer outside the kernel\'s memory');
      }
    }
    let r: number;
    try {
      r = k.process(input, out);
    } catch (e) {
      out?.release();
      input.release();
      return this.error(trapMessage('pxl_process', e), e);
    }
    const cap = out === null ? input.capacity : out.size;
    if (r < 0 || r > cap) {
      out?.release();
      input.release();
      return this.error(r < 0 ? failureMessage('pxl_process', r, k) : `pxl_process returned ${r} bytes, more than the ${cap} it was given`);
    }
    if (out === null) {
      if (r !== input.size) input.size = r;
      return this.srcPad.push(input);
    }
    input.release();
    out.size = r;
    return this.srcPad.push(out);
  }
}

export default WasmTransform;
