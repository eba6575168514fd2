import { fileURLToPath } from 'node:url';
import type { ElementClass } from '../../element/element.js';
import type { ElementMetadata } from '../../element/metadata.js';
import { loadUserModule } from '../../wasm/user-module.js';
import { WasmSink } from './wasmsink.js';
import { WasmSrc } from './wasmsrc.js';
import { WasmTransform } from './wasmtransform.js';

/**
 * An element class for a `.wasm` kernel a plugin ships: named by the module's descriptor, its
 * properties the descriptor's, its `module` fixed. A plugin declares one per kernel:
 *
 * ```js
 * import { wasmElement } from 'parallax';
 * export const plugin = { name: 'my-kernels', elements: [wasmElement(new URL('./invert.wasm', import.meta.url))] };
 * ```
 *
 * and `fakesrc ! invert mask=15 ! fakesink` works, on the event loop or a data thread (a data
 * thread imports the plugin, which makes the class again there). The module is loaded and
 * checked when this is called, so a bad kernel fails the plugin's import, naming the file.
 */
export function wasmElement(module: string | URL): ElementClass {
  const path = module instanceof URL ? fileURLToPath(module) : module;
  const { descriptor: d } = loadUserModule(path);
  const base = d.kind === 'transform' ? WasmTransform : d.kind === 'source' ? WasmSrc : WasmSink;
  const example = d.kind === 'transform' ? `fakesrc num-buffers=4 ! ${d.name} ! fakesink`
    : d.kind === 'source' ? `${d.name} num-buffers=4 ! fakesink` : `fakesrc num-buffers=4 ! ${d.name}`;
  const metadata: ElementMetadata = {
    ...base.metadata,
    factory: d.name,
    description: d.description === '' ? `WebAssembly kernel ${d.name} (${path})` : d.description,
    example,
    // `module` defaults to the plugin's kernel (setting another one is allowed, as on the
    // generic element, but not what this element is for).
    properties: { ...base.metadata.properties, module: { type: 'string', default: path, description: `The kernel module (this plugin's: ${path})` } },
  };
  const Base = base as unknown as new (name: string) => WasmTransform;
  const cls = class extends Base {
    static readonly metadata = metadata;
    constructor(name: string) {
      super(name);
      this.set('module', path);
    }
  };
  Object.defineProperty(cls, 'name', { value: `WasmElement_${d.name.replace(/[^A-Za-z0-9_]/g, '_')}` });
  return cls as unknown as ElementClass;
}
