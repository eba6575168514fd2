import { ParallaxError } from '../errors.js';
import type { Buffer } from './buffer.js';
import type { Caps } from './caps/index.js';
import type { ElementContext } from './context.js';
import type { Event } from './event.js';
import { FlowResult } from './flow.js';
import type { PipelineState } from './message.js';
import type { ElementMetadata } from './metadata.js';
import { Pad } from './pad.js';
import { PadTemplate, type PadDirection } from './pad-template.js';
import { convertPropertyValue, type PropertySpec, type PropertyValue } from './property.js';

/** The constructor shape the registry stores: a class with static metadata. */
export interface ElementClass<E extends Element = Element> {
  new (name: string): E;
  readonly metadata: ElementMetadata;
}

const NO_LATENCY = Object.freeze({ min: 0, max: 0 });

const templateCache = new WeakMap<ElementMetadata, PadTemplate[]>();

/** Parsed pad templates of an element class, parsed once per class. */
export function padTemplatesOf(meta: ElementMetadata): PadTemplate[] {
  let t = templateCache.get(meta);
  if (t === undefined) {
    t = meta.padTemplates.map((s) => new PadTemplate(s));
    templateCache.set(meta, t);
  }
  return t;
}

/**
 * The root of every element: pads, properties, the context it runs in, and the hooks the base
 * classes (Source, Transform, Sink, Aggregator) fill in. Element files fill in a few hooks only.
 *
 * Hot-path methods (`chain`, `sinkEvent`) are synchronous and return a FlowResult or a boolean;
 * they do not throw. API-edge methods (`set`, `requestPad`) throw ParallaxError.
 */
export abstract class Element {
  readonly pads: Pad[] = [];
  private readonly values = new Map<string, PropertyValue>();
  private ctx: ElementContext | null = null;
  /** Bumped by every `set`: base classes cache hot property values and re-read them when it moves. */
  protected propsVersion = 0;
  private stateNow: PipelineState = 'suspended';

  /** The pipeline's state as this element last saw it; `set` checks mutability against it. */
  get state(): PipelineState {
    return this.stateNow;
  }

  set state(next: PipelineState) {
    const from = this.stateNow;
    this.stateNow = next;
    if (from !== next) this.stateChanged(from, next);
  }

  /**
   * The pipeline moved this element from `from` to `to`. A resume after a pause is idle → running
   * (start() is not called again); a clock wait cannot tell that moment, it may end long after.
   */
  protected stateChanged(_from: PipelineState, _to: PipelineState): void {}

  constructor(public name: string) {
    for (const t of this.templates) {
      if (t.presence === 'always') this.addPad(new Pad(t.name, t.direction, t, this));
    }
  }

  get metadata(): ElementMetadata {
    return (this.constructor as ElementClass).metadata;
  }

  get factory(): string {
    return this.metadata.factory;
  }

  get templates(): PadTemplate[] {
    return padTemplatesOf(this.metadata);
  }

  /** The context, once the element has been attached to a pipeline or harness. */
  get context(): ElementContext {
    if (this.ctx === null) throw new ParallaxError('BAD_STATE_TRANSITION', `${this.name} is not attached to a pipeline`);
    return this.ctx;
  }

  attach(ctx: ElementContext): void {
    this.ctx = ctx;
  }

  // ---- pads ---------------------------------------------------------------------------------

  addPad(pad: Pad): Pad {
    if (this.pads.some((p) => p.name === pad.name)) {
      throw new ParallaxError('BAD_LINK', `${this.name} already has a pad named ${pad.name}`);
    }
    this.pads.push(pad);
    this.ctx?.padAdded?.(pad);
    return pad;
  }

  /** Removes a sometimes or request pad (unlinking it). */
  removePad(pad: Pad): void {
    const i = this.pads.indexOf(pad);
    if (i < 0) return;
    if (pad.peer !== null) pad.peer.peer = null;
    pad.peer = null;
    this.pads.splice(i, 1);
  }

  pad(name: string): Pad | undefined {
    return this.pads.find((p) => p.name === name);
  }

  get srcPads(): Pad[] { return this.pads.filter((p) => p.direction === 'src'); }
  get sinkPads(): Pad[] { return this.pads.filter((p) => p.direction === 'sink'); }

  /**
   * Makes a request pad from a template (`src_%u`), by concrete name (`src_3`) or the next free
   * index. Throws when no request template fits or the name is taken.
   */
  requestPad(nameOrTemplate: string | PadDirection): Pad {
    const byDirection = nameOrTemplate === 'src' || nameOrTemplate === 'sink';
    const template = this.templates.find((t) => t.presence === 'request' &&
      (byDirection ? t.direction === nameOrTemplate : t.matches(nameOrTemplate)));
    if (template === undefined) {
      throw new ParallaxError('BAD_LINK', `${this.name} (${this.factory}) has no request pad template for "${nameOrTemplate}"`);
    }
    let name = nameOrTemplate;
    if (byDirection || name === template.name) {
      let i = 0;
      while (this.pad(template.nameFor(i))) i++;
      name = template.nameFor(i);
    }
    if (this.pad(name)) throw new ParallaxError('BAD_LINK', `${this.name} already has a pad named ${name}`);
    return this.addPad(new Pad(name, template.direction, template, this));
  }

  // ---- properties -----------------------------------------------------------------------------

  propertySpec(name: string): PropertySpec | undefined {
    return this.metadata.properties[name];
  }

  /**
   * Every property this element has: its class's, and for elements whose properties come from
   * another property's value (wasmtransform's from its module), those too.
   */
  propertyNames(): string[] {
    return Object.keys(this.metadata.properties);
  }

  /**
   * Why `name` is not a property of this element, for elements that can say more than "no such
   * property" (wasmtransform: "module m.wasm declares a, b"); undefined for the usual message.
   */
  explainUnknownProperty(_name: string): string | undefined {
    return undefined;
  }

  /** Reads a property: its set value, or its default. */
  get(name: string): PropertyValue {
    const v = this.values.get(name);
    if (v !== undefined) return v;
    const spec = this.propertySpec(name);
    if (spec === undefined) {
      if (name === 'name') return this.name;
      throw new ParallaxError('UNKNOWN_PROPERTY', this.explainUnknownProperty(name) ?? `${this.name} (${this.factory}) has no property "${name}"`);
    }
    return this.readProperty(name) ?? spec.default;
  }

  /** Reads a numeric property; typed shortcut for element code. */
  num(name: string): number { return this.get(name) as number; }
  bool(name: string): boolean { return this.get(name) as boolean; }
  str(name: string): string { return this.get(name) as string; }

  /**
   * Sets a property from a typed value or launch-string text, with validation. While the pipeline
   * runs, only properties marked mutable may change.
   */
  set(name: string, raw: unknown): void {
    if (name === 'name') {
      if (typeof raw !== 'string' || raw === '') throw new ParallaxError('BAD_PROPERTY_VALUE', `bad value for property name of ${this.name}: expected a non-empty string`);
      this.name = raw;
      return;
    }
    const spec = this.propertySpec(name);
    if (spec === undefined) throw new ParallaxError('UNKNOWN_PROPERTY', this.explainUnknownProperty(name) ?? `${this.name} (${this.factory}) has no property "${name}"`);
    if (spec.readonly) throw new ParallaxError('PROPERTY_NOT_MUTABLE', `property ${name} of ${this.name} is read-only`);
    if (this.state === 'running' && !spec.mutable) {
      throw new ParallaxError('PROPERTY_NOT_MUTABLE', `property ${name} of ${this.name} cannot change while the pipeline is running`);
    }
    const value = convertPropertyValue(spec, raw, { element: this.name, property: name });
    this.values.set(name, value);
    this.propsVersion++;
    this.propertyChanged(name, value);
  }

  /** Names of properties set explicitly (for `-v` and graph dumps). */
  get changedProperties(): ReadonlyMap<string, PropertyValue> {
    return this.values;
  }

  /** Hook: a property changed. Elements cache hot values here. */
  protected propertyChanged(_name: string, _value: PropertyValue): void {}

  /** Hook for read-outs (`current-level-buffers`): return a live value, or undefined for the stored one. */
  protected readProperty(_name: string): PropertyValue | undefined {
    return undefined;
  }

  // ---- lifecycle ----------------------------------------------------------------------------

  /** Suspended → Idle: open resources (files, sockets), reserve pools. May be async. */
  start(): void | Promise<void> {}
  /** Back to Suspended: free everything. Must be safe to call after a failed or partial start. */
  stop(): void | Promise<void> {}
  /** The pipeline is stopping: wake anything this element waits on. */
  unblock(): void {}

  /** Elements that drive a streaming task (sources, queues) return its next step. */
  iterate?(): FlowResult | Promise<FlowResult>;

  /**
   * This element's own latency in nanoseconds: `min` it always adds, `max` it can buffer
   * (a queue's max-size-time). The pipeline sums them along each path (GStreamer's LATENCY query).
   */
  latency(): { readonly min: number; readonly max: number } {
    return NO_LATENCY;
  }

  /**
   * For elements that hold buffers between their sink and src pads (queue): what waits now and
   * what was dropped, reported as the level of the link out of their src pad. Null otherwise.
   */
  queueLevel(): { readonly depth: number; readonly drops: number; readonly wakeups: number } | null {
    return null;
  }

  // ---- negotiation --------------------------------------------------------------------------

  /**
   * Caps transform for negotiation: given caps on `pad`, what caps are possible on the pads of
   * the other direction. The default is pass-through, right for elements that do not change the
   * format.
   */
  transformCaps(_pad: Pad, caps: Caps): Caps {
    return caps;
  }

  /**
   * The caps a source pad can produce before anything downstream is known: its template caps by
   * default. Sources with a `caps` property or a format of their own narrow them here.
   */
  sourceCaps(pad: Pad): Caps {
    return pad.template.caps;
  }

  /**
   * The caps a sink pad accepts before anything upstream is known: its template caps by default.
   * Sinks with a `caps` property (appsink) narrow them here.
   */
  sinkCaps(pad: Pad): Caps {
    return pad.template.caps;
  }

  /** Picks one fixed caps out of the possible ones for `pad` (GStreamer's fixate). */
  fixateCaps(_pad: Pad, caps: Caps): Caps {
    return caps.isAny() ? caps : caps.fixate();
  }

  /** Negotiation settled the caps of `pad`. Kernels are chosen here, once, not per buffer. */
  setCaps(_pad: Pad, _caps: Caps): boolean {
    return true;
  }

  // ---- data flow ----------------------------------------------------------------------------

  /** A buffer arrives on sink pad `pad`. Hot path: owns `buf` from here on. */
  chain(_pad: Pad, buf: Buffer): FlowResult {
    buf.release();
    return FlowResult.NOT_LINKED;
  }

  /** A downstream event arrives on sink pad `pad`. Default: forward to every src pad. */
  sinkEvent(pad: Pad, ev: Event): boolean {
    if (ev.type === 'caps') pad.caps = ev.caps;
    return this.forwardDownstream(ev);
  }

  /** An upstream event arrives on src pad `pad`. Default: forward to every sink pad. */
  srcEvent(_pad: Pad, ev: Event): boolean {
    let handled = false;
    for (const p of this.pads) if (p.direction === 'sink' && p.pushEvent(ev)) handled = true;
    return handled;
  }

  protected forwardDownstream(ev: Event): boolean {
    let handled = false;
    for (const p of this.pads) {
      if (p.direction === 'src' && p.pushEvent(ev)) handled = true;
    }
    return handled;
  }

  /** Posts an error on the bus, naming this element, and returns ERROR for the hot path. */
  error(message: string, cause?: unknown): FlowResult {
    const err = new ParallaxError('ELEMENT_ERROR', `${this.name}: ${message}`, cause === undefined ? undefined : { cause });
    this.context.post({ type: 'error', source: this.name, error: err });
    return FlowResult.ERROR;
  }

  warning(message: string): void {
    this.context.post({ type: 'warning', source: this.name, message });
  }

  /** Tells `-v` listeners a property changed while running (fakesink's last-message, …). */
  notify(property: string, value: unknown): void {
    this.context.post({ type: 'property-notify', source: this.name, property, value });
  }
}
