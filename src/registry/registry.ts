import { ParallaxError } from '../errors.js';
import type { Element, ElementClass } from '../element/element.js';
import { didYouMean } from './suggest.js';

/** A registered element: its class, and the module a data thread or a sandbox loads it from. */
export interface RegistryEntry {
  readonly factory: string;
  readonly elementClass: ElementClass;
  /** Module specifier that exports the class (as `default` or by class name). */
  readonly module: string;
}

/**
 * The module each registered class can be imported from, across registries: a data thread
 * loads an element by this specifier. Classes registered without a module are missing, and
 * the scheduler keeps them on the event loop.
 */
const loadableFrom = new WeakMap<ElementClass, string>();

export function moduleOf(elementClass: ElementClass): string | undefined {
  return loadableFrom.get(elementClass);
}

/** How a URI in a launch string becomes an element: `file:///x` → `filesrc location=/x`. */
export interface UriHandler {
  readonly scheme: string;
  readonly source?: string;
  readonly sink?: string;
  /** Properties to set on the element made for `uri`. */
  toProperties(uri: URL): Record<string, string>;
}

/** A plugin: an ESM module (or npm package) exporting element classes. */
export interface Plugin {
  readonly name: string;
  readonly elements: readonly ElementClass[];
  readonly uriHandlers?: readonly UriHandler[];
}

/**
 * Maps factory names to element classes and the modules they live in.
 * Built-in elements are registered by `builtins.ts`; users register their own classes, or load a
 * plugin module with `loadPlugin`.
 */
const PROPERTY_TYPES: readonly string[] = ['int', 'uint64', 'double', 'bool', 'string', 'enum', 'caps', 'fraction'];

export class Registry {
  private readonly entries = new Map<string, RegistryEntry>();
  private readonly uris = new Map<string, UriHandler>();
  private readonly counters = new Map<string, number>();

  /** Registers an element class. `module` is the specifier that exports it (import.meta.url). */
  register(elementClass: ElementClass, module = 'user:' + elementClass.metadata.factory): void {
    const factory = elementClass.metadata.factory;
    if (!/^[A-Za-z_][A-Za-z0-9_+-]*$/.test(factory)) {
      throw new ParallaxError('PLUGIN_ERROR', `invalid factory name "${factory}": use letters, digits, _, + and -`);
    }
    // A property of a type the engine does not know would take every value as undefined.
    for (const [name, spec] of Object.entries(elementClass.metadata.properties)) {
      if (!PROPERTY_TYPES.includes(spec.type)) {
        throw new ParallaxError('PLUGIN_ERROR', `element "${factory}" declares property "${name}" of type "${String(spec.type)}"; the types are ${PROPERTY_TYPES.join(', ')}`);
      }
    }
    const existing = this.entries.get(factory);
    if (existing !== undefined && existing.elementClass !== elementClass) {
      throw new ParallaxError('PLUGIN_ERROR', `an element named "${factory}" is already registered (from ${existing.module})`);
    }
    this.entries.set(factory, { factory, elementClass, module });
    if (!module.startsWith('user:')) loadableFrom.set(elementClass, module);
  }

  registerUriHandler(handler: UriHandler): void {
    this.uris.set(handler.scheme.toLowerCase(), handler);
  }

  registerPlugin(plugin: Plugin, module?: string): void {
    for (const cls of plugin.elements) this.register(cls, module);
    for (const h of plugin.uriHandlers ?? []) this.registerUriHandler(h);
  }

  /** Imports a plugin module (a path, file URL or package name) and registers what it exports. */
  async loadPlugin(specifier: string): Promise<Plugin> {
    let mod: { default?: unknown; plugin?: unknown };
    try {
      mod = (await import(specifier)) as typeof mod;
    } catch (e) {
      throw new ParallaxError('PLUGIN_ERROR', `cannot load plugin ${specifier}: ${e instanceof Error ? e.message : String(e)}`, { cause: e });
    }
    const plugin = (mod.plugin ?? mod.default) as Plugin | undefined;
    if (plugin === undefined || !Array.isArray(plugin.elements)) {
      throw new ParallaxError('PLUGIN_ERROR', `plugin ${specifier} must export "plugin" (or a default export) with an "elements" array`);
    }
    this.registerPlugin(plugin, specifier);
    return plugin;
  }

  has(factory: string): boolean {
    return this.entries.has(factory);
  }

  get(factory: string): RegistryEntry | undefined {
    return this.entries.get(factory);
  }

  /** The entry for `factory`, or an UNKNOWN_ELEMENT error with "did you mean". */
  require(factory: string): RegistryEntry {
    const e = this.entries.get(factory);
    if (e === undefined) {
      throw new ParallaxError('UNKNOWN_ELEMENT', `no element "${factory}"${didYouMean(factory, this.entries.keys())}`);
    }
    return e;
  }

  uriHandler(scheme: string): UriHandler | undefined {
    return this.uris.get(scheme.toLowerCase());
  }

  list(): RegistryEntry[] {
    return [...this.entries.values()].sort((a, b) => a.factory.localeCompare(b.factory));
  }

  factories(): IterableIterator<string> {
    return this.entries.keys();
  }

  /** Makes an element; unnamed ones are called factory + index ("fakesrc0"), as in GStreamer. */
  make(factory: string, name?: string): Element {
    const entry = this.require(factory);
    return new entry.elementClass(name ?? this.nextName(factory));
  }

  private nextName(factory: string): string {
    const n = this.counters.get(factory) ?? 0;
    this.counters.set(factory, n + 1);
    return `${factory}${n}`;
  }
}
