import { basename } from 'node:path';
import { Caps, parseCaps } from '../../element/caps/index.js';
import type { Element } from '../../element/element.js';
import type { PadDirection } from '../../element/pad-template.js';
import { convertPropertyValue, type PropertySpec } from '../../element/property.js';
import { ParallaxError } from '../../errors.js';
import { capsWords, type CapsWords } from '../../wasm/caps-struct.js';
import type { KernelHost } from '../../wasm/kernel-host.js';
import { describeCode, type KernelKind } from '../../wasm/user-abi.js';
import { UserKernel } from '../../wasm/user-kernel.js';
import { loadUserModule, type UserModule } from '../../wasm/user-module.js';
import { kernelValue, specOf } from './module-properties.js';

const ELEMENT_FOR: Readonly<Record<KernelKind, string>> = { transform: 'wasmtransform', source: 'wasmsrc', sink: 'wasmsink' };

/**
 * What wasmtransform, wasmsrc and wasmsink share: the `module` property and the properties the
 * module declares, the module's caps, and the running kernel (doc/design/006).
 *
 * Properties: setting `module` loads and checks the file at once (errors point at the launch
 * string), and from then on the element also has the module's properties — `propertySpec`,
 * `set` and `get` see them like any other. A launch string may give them before or after
 * `module=` (the builder sets them after the element's own); in code, set `module` first.
 *
 * Event loop for loading and negotiation; `start`, the calls and `changed` on the thread that
 * runs the element.
 */
export class ModuleBinding {
  module: UserModule | null = null;
  kernel: UserKernel | null = null;
  /** The mode of the last kernel started ("shared" or "private: …"), for the `mode` property. */
  private lastMode: string | null = null;
  private specs = new Map<string, PropertySpec>();
  private indices = new Map<string, number>();
  private declared: { sink: Caps | null; src: Caps | null } = { sink: null, src: null };
  /** The caps the kernel gets: the input's for transforms and sinks, the output's for sources. */
  private words: CapsWords | null = null;

  constructor(private readonly el: Element, private readonly kind: KernelKind) {}

  /** The pad direction whose caps the kernel is told about. */
  private get kernelSide(): PadDirection {
    return this.kind === 'source' ? 'src' : 'sink';
  }

  /** The module's name for messages: its file name. */
  get moduleName(): string {
    return this.module === null ? '(no module)' : basename(this.module.path);
  }

  get inPlace(): boolean {
    return this.module?.descriptor.inPlace ?? false;
  }

  /**
   * `module` is being set to `raw`: loads and checks the module first, so a bad file leaves the
   * element as it was, then lets `store` (Element.set) record the value. Values set earlier for
   * the old module's properties must be valid for the new one.
   */
  load(raw: unknown, store: () => void): void {
    if (this.el.state === 'running' || (raw !== null && typeof raw !== 'string')) return store();
    if (this.el.state !== 'suspended') {
      throw new ParallaxError('PROPERTY_NOT_MUTABLE', `property module of ${this.el.name} can only change while the pipeline is suspended (a kernel of the old module is prepared)`);
    }
    const path = raw === null || raw === '' ? null : (raw as string);
    const mod = path === null ? null : loadUserModule(path);
    const specs = new Map<string, PropertySpec>();
    if (mod !== null) {
      const kind = mod.descriptor.kind;
      if (kind !== this.kind) {
        throw new ParallaxError('BAD_PROPERTY_VALUE', `${this.el.name}: module ${basename(mod.path)} is a ${kind} kernel; run it with ${ELEMENT_FOR[kind]}, not ${this.el.factory}`);
      }
      for (const p of mod.descriptor.properties) {
        if (p.name === 'name' || this.el.metadata.properties[p.name] !== undefined) {
          throw new ParallaxError('BAD_PROPERTY_VALUE', `${this.el.name}: module ${basename(mod.path)} declares a property "${p.name}", which ${this.el.factory} has already; rename it in the descriptor`);
        }
        specs.set(p.name, specOf(p, mod.path));
      }
    }
    for (const [name, value] of this.el.changedProperties) {
      if (this.el.metadata.properties[name] !== undefined) continue;
      const spec = specs.get(name);
      if (spec === undefined) throw new ParallaxError('UNKNOWN_PROPERTY', `${this.el.name}: property ${name} was set, and module ${path ?? '(none)'} does not declare it`);
      convertPropertyValue(spec, value, { element: this.el.name, property: name });
    }
    store();
    this.module = mod;
    this.specs = specs;
    this.indices = new Map(mod?.descriptor.properties.map((p, i) => [p.name, i]) ?? []);
    const caps = mod?.descriptor.caps ?? {};
    this.declared = { sink: caps.sink === undefined ? null : parseCaps(caps.sink), src: caps.src === undefined ? null : parseCaps(caps.src) };
  }

  spec(name: string): PropertySpec | undefined {
    return this.specs.get(name);
  }

  names(): string[] {
    return [...this.specs.keys()];
  }

  explainUnknown(name: string): string {
    if (this.module === null) return `${this.el.name} (${this.el.factory}) has no property "${name}" (a module's properties exist once module= is set)`;
    const names = this.names();
    return `${this.el.name}: unknown property ${name}: module ${this.moduleName} declares ${names.length === 0 ? 'no properties' : names.join(', ')}`;
  }

  /** The `mode` property: where the kernel runs now, or ran last. */
  get mode(): string | null {
    return this.kernel?.mode ?? this.lastMode;
  }

  /** The caps the module declares for pads of `direction`, or null for any. */
  declaredCaps(direction: PadDirection): Caps | null {
    return this.declared[direction];
  }

  /** For Element.transformCaps: what the other side can be, given `caps` on a pad of `direction`. */
  transformCaps(direction: PadDirection, caps: Caps): Caps {
    const mine = this.declared[direction];
    const theirs = this.declared[direction === 'sink' ? 'src' : 'sink'];
    if (theirs === null) return caps;
    // A kernel that keeps the format (the same caps both ways) keeps rate, size and the rest too.
    if (mine !== null && mine.toString() === theirs.toString()) return caps.intersect(theirs);
    // One that changes it (F32LE in, S16LE out) changes only what its caps name: the fields
    // its caps on this side constrain are dropped from `caps`, the rest (rate, channels, size)
    // carried over, and the other side's caps applied. Declared caps of another media type
    // than the input's start from the declared caps alone.
    if (caps.isAny() || caps.isEmpty()) return theirs;
    const constrained = new Set((mine?.structures ?? []).flatMap((st) => [...st.fields.keys()]));
    const carried = Caps.of(...caps.structures.map((st) => [...constrained].reduce((acc, f) => acc.without(f), st)));
    const out = carried.intersect(theirs);
    return out.isEmpty() ? theirs : out;
  }

  /**
   * Negotiated caps on a pad of `direction`: refused when the module's caps exclude them; on the
   * kernel's side, written to the caps struct (now, if the kernel runs, else when it starts).
   */
  setCaps(direction: PadDirection, caps: Caps): boolean {
    const declared = this.declared[direction];
    if (declared !== null && !caps.isAny() && !caps.canIntersect(declared)) return false;
    if (direction !== this.kernelSide) return true;
    this.words = capsWords(caps);
    const k = this.kernel;
    if (k === null) return true;
    return this.call(() => k.setCaps(this.words!), 'pxl_set_caps', (msg) => this.el.error(msg)) >= 0;
  }

  /** The number the kernel gets for property `name` (its current value). */
  private valueOf(name: string): number {
    return kernelValue(this.specs.get(name)!, this.el.get(name));
  }

  /**
   * Starts a kernel on this thread: places and instantiates it, then pxl_init, every property
   * (set or default) and the caps. Throws, naming the element, the call and the kernel's words.
   */
  start(host: KernelHost | null): void {
    const mod = this.module;
    if (mod === null) throw new ParallaxError('BAD_PROPERTY_VALUE', `${this.el.name}: property module is not set (give the path of a .wasm built with parallax-wasm build)`);
    const k = UserKernel.create(mod, host);
    const fail = (msg: string): never => {
      throw new ParallaxError('ELEMENT_ERROR', `${this.el.name}: ${msg}`);
    };
    this.call(() => k.init(), 'pxl_init', fail, k);
    for (const [name, index] of this.indices) this.call(() => k.setProperty(index, this.valueOf(name)), `pxl_set_property (${name})`, fail, k);
    if (this.words !== null) this.call(() => k.setCaps(this.words!), 'pxl_set_caps', fail, k);
    this.kernel = k;
    this.lastMode = k.mode;
    this.el.notify('mode', k.mode);
    if (!k.shared) this.el.warning(`runs ${this.moduleName} in a memory of its own, copying every buffer in and out: ${k.mode.slice('private: '.length)}`);
  }

  stop(): void {
    this.kernel = null;
  }

  /** A property changed: a module property goes to the running kernel (an error is posted). */
  changed(name: string): void {
    const index = this.indices.get(name);
    const k = this.kernel;
    if (index === undefined || k === null) return;
    this.call(() => k.setProperty(index, this.valueOf(name)), `pxl_set_property (${name})`, (msg) => this.el.error(msg));
  }

  /**
   * Runs one kernel call; a negative result or a trap goes to `report` with a message that names
   * the call, the code and the kernel's own words. Returns the result, or -1 after a trap.
   */
  call(fn: () => number, what: string, report: (message: string) => unknown, k: UserKernel | null = this.kernel): number {
    let r: number;
    try {
      r = fn();
    } catch (e) {
      report(trapMessage(what, e));
      return -1;
    }
    if (r < 0) report(failureMessage(what, r, k));
    return r;
  }
}

/** "kernel trapped in pxl_process: unreachable". */
export function trapMessage(what: string, e: unknown): string {
  return `kernel trapped in ${what}: ${e instanceof Error ? e.message : String(e)}`;
}

/** "pxl_consume returned -2 (ERR_FAILED): byte 200 is above the limit". */
export function failureMessage(what: string, code: number, k: UserKernel | null): string {
  const text = k?.errorText() ?? '';
  return `${what} returned ${describeCode(code)}${text === '' ? '' : `: ${text}`}`;
}
