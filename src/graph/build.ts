import { ParallaxError } from '../errors.js';
import type { Element } from '../element/element.js';
import { Pipeline, type PipelineOptions } from '../exec/pipeline.js';
import type { Registry } from '../registry/registry.js';
import { didYouMean } from '../registry/suggest.js';
import type { BinNode, Chain, ChainItem, ElementNode, LinkNode, PipelineAst, PropNode, Span } from './parse/ast.js';
import { parseLaunch } from './parse/parser.js';
import { LaunchError, at } from './launch-error.js';
import { linkPads, pickPad } from './link.js';
import { parseCapsText } from './caps-text.js';

/** One side of a link as written: an element and, for references, the pads named. */
interface Endpoint { readonly el: Element; readonly pads: readonly { name: string; span: Span }[]; readonly span: Span }

/** Where a bin's elements ended up, for on-demand ghost pads and graph dumps. */
interface BuiltBin { readonly name: string; readonly elements: Element[] }

/**
 * Turns a launch string into a pipeline: makes the elements, sets their properties, resolves
 * references (forward ones too), inserts capsfilters for caps filters and links everything.
 * Every error names the fault and points at it in the string.
 */
export class LaunchBuilder {
  private readonly named = new Map<string, Element>();
  private readonly made = new Map<ElementNode | ChainItem, Element>();
  private readonly counters = new Map<string, number>();
  private readonly explicitNames = new Set<string>();
  private readonly pipeline: Pipeline;
  readonly bins: BuiltBin[] = [];

  constructor(private readonly ast: PipelineAst, private readonly registry: Registry, pipelineName?: string, options: PipelineOptions = {}) {
    this.pipeline = new Pipeline(pipelineName, options);
  }

  build(): Pipeline {
    this.collectNames(this.ast.chains);
    this.makeAll(this.ast.chains, undefined);
    for (const chain of this.ast.chains) this.linkChain(chain);
    return this.pipeline;
  }

  private get source(): string {
    return this.ast.source;
  }

  private fail(code: ParallaxError['code'], reason: string, span: Span): never {
    throw new LaunchError(code, reason, this.source, span);
  }

  private collectNames(chains: readonly Chain[]): void {
    for (const chain of chains) for (const item of chain.items) {
      if (item.kind === 'element') for (const p of item.props) if (p.name === 'name') this.explicitNames.add(p.value);
      if (item.kind === 'bin') this.collectNames(item.body);
    }
  }

  private autoName(factory: string): string {
    for (;;) {
      const n = this.counters.get(factory) ?? 0;
      this.counters.set(factory, n + 1);
      const name = `${factory}${n}`;
      if (!this.explicitNames.has(name)) return name;
    }
  }

  /** Pass 1: every element exists and is named before any link, so forward references resolve. */
  private makeAll(chains: readonly Chain[], bin: BuiltBin | undefined): void {
    for (const chain of chains) {
      chain.items.forEach((item, i) => {
        if (item.kind === 'element') this.makeElement(item, bin);
        else if (item.kind === 'uri') this.makeUri(item, i === 0 && chain.items.length > 1, i === chain.items.length - 1 && i > 0, bin);
        else if (item.kind === 'bin') this.makeBin(item, bin);
      });
    }
  }

  private add(el: Element, span: Span, bin: BuiltBin | undefined): void {
    if (this.named.has(el.name)) this.fail('BAD_LINK', `two elements are named "${el.name}"`, span);
    this.named.set(el.name, el);
    this.pipeline.add(el);
    bin?.elements.push(el);
  }

  private makeElement(node: ElementNode, bin: BuiltBin | undefined): Element {
    const entry = this.registry.get(node.factory);
    if (entry === undefined) {
      this.fail('UNKNOWN_ELEMENT', `no element "${node.factory}"${didYouMean(node.factory, this.registry.factories())}`, node.factorySpan);
    }
    const nameProp = node.props.find((p) => p.name === 'name');
    const el = new entry.elementClass(nameProp?.value ?? this.autoName(node.factory));
    // Properties another property brings (a WebAssembly module's) are set after the rest, so
    // `wasmtransform gain=2 module=gain.wasm` works in either order.
    const later: PropNode[] = [];
    for (const prop of node.props) {
      if (prop.name === 'name') continue;
      if (el.propertySpec(prop.name) === undefined && el.propertySpec(prop.name.replace(/_/g, '-')) === undefined) later.push(prop);
      else this.setProp(el, prop);
    }
    for (const prop of later) this.setProp(el, prop);
    this.add(el, nameProp?.valueSpan ?? node.factorySpan, bin);
    this.made.set(node, el);
    return el;
  }

  private setProp(el: Element, given: PropNode): void {
    // GObject treats '_' and '-' in property names alike: num_buffers is num-buffers.
    const prop = given.name.includes('_') && el.propertySpec(given.name) === undefined ? { ...given, name: given.name.replace(/_/g, '-') } : given;
    const spec = el.propertySpec(prop.name);
    if (spec === undefined) {
      const names = el.propertyNames();
      this.fail('UNKNOWN_PROPERTY', el.explainUnknownProperty(prop.name) ?? `no property "${prop.name}" on ${el.name} (${el.factory})${didYouMean(prop.name, names)}`, prop.nameSpan);
    }
    if (spec.type === 'caps') {
      // Point at the fault inside the caps, not at the whole value.
      const offset = prop.quoted ? 1 : 0;
      const parsed = parseCapsText(this.source.slice(prop.valueSpan.start + offset, prop.valueSpan.end - offset), prop.valueSpan.start + offset);
      if ('reason' in parsed) this.fail('BAD_PROPERTY_VALUE', `bad caps for property ${prop.name} of ${el.name}: ${parsed.reason}`, parsed.span);
      el.set(prop.name, parsed.caps);
      return;
    }
    at(this.source, prop.valueSpan, () => el.set(prop.name, prop.value));
  }

  private makeUri(node: ChainItem & { kind: 'uri' }, isSource: boolean, isSink: boolean, bin: BuiltBin | undefined): void {
    let url: URL;
    try {
      url = new URL(node.uri);
    } catch {
      this.fail('LAUNCH_SYNTAX', `"${node.uri}" is not a valid URI`, node.span);
    }
    const scheme = url.protocol.replace(/:$/, '');
    const handler = this.registry.uriHandler(scheme);
    if (handler === undefined) this.fail('UNKNOWN_ELEMENT', `no element handles ${scheme}:// URIs`, node.span);
    if (isSource === isSink) this.fail('BAD_LINK', `a URI must start or end a chain`, node.span);
    const factory = isSource ? handler.source : handler.sink;
    if (factory === undefined) this.fail('UNKNOWN_ELEMENT', `no ${isSource ? 'source' : 'sink'} element handles ${scheme}:// URIs`, node.span);
    const el = at(this.source, node.span, () => this.registry.make(factory, this.autoName(factory)));
    const props = at(this.source, node.span, () => handler.toProperties(url));
    for (const [k, v] of Object.entries(props)) at(this.source, node.span, () => el.set(k, v));
    this.add(el, node.span, bin);
    this.made.set(node, el);
  }

  private makeBin(node: BinNode, parent: BuiltBin | undefined): void {
    if (node.binType !== undefined && node.binType !== 'bin' && node.binType !== 'pipeline') {
      this.fail('UNKNOWN_ELEMENT', `unknown bin type "${node.binType}": only bin is supported`, node.binTypeSpan ?? node.span);
    }
    const nameProp = node.props.find((p) => p.name === 'name');
    for (const p of node.props) if (p.name !== 'name') this.fail('UNKNOWN_PROPERTY', `bins have no property "${p.name}" (only name)`, p.nameSpan);
    const built: BuiltBin = { name: nameProp?.value ?? this.autoName('bin'), elements: [] };
    this.bins.push(built);
    this.makeAll(node.body, built);
    for (const el of built.elements) parent?.elements.push(el);
    for (const chain of node.body) this.linkChain(chain);
    this.binOf.set(node, built);
  }

  private readonly binOf = new Map<BinNode, BuiltBin>();

  /** Pass 2: links adjacent items of a chain, through a capsfilter where a filter is written. */
  private linkChain(chain: Chain): void {
    // A reference standing alone links nothing, but a misspelt one must still be reported.
    if (chain.links.length === 0) for (const item of chain.items) if (item.kind === 'ref') this.itemEndpoint(item, 'src');
    for (let i = 0; i < chain.links.length; i++) {
      const link = chain.links[i]!;
      const up = this.endpoint(chain, i, 'src');
      const down = this.endpoint(chain, i + 1, 'sink');
      if (link.caps === undefined) {
        this.linkEndpoints(up, down, link);
        continue;
      }
      const filter = at(this.source, link.caps.span, () => this.registry.make('capsfilter', this.autoName('capsfilter')));
      const capsSpan = link.caps.span;
      const parsed = parseCapsText(link.caps.text, capsSpan.start);
      if ('reason' in parsed) this.fail('CAPS_SYNTAX', `bad caps filter: ${parsed.reason}`, parsed.span);
      filter.set('caps', parsed.caps);
      this.add(filter, capsSpan, undefined);
      const mid: Endpoint = { el: filter, pads: [], span: capsSpan };
      this.linkEndpoints(up, mid, link);
      this.linkEndpoints(mid, down, link);
    }
  }

  private endpoint(chain: Chain, index: number, direction: 'src' | 'sink'): Endpoint {
    const item = chain.items[index]!;
    const ep = this.itemEndpoint(item, direction);
    // `elem .src` / `! .sink elem`: the pads written beside the item.
    const written = direction === 'src' ? item.srcPads : item.sinkPads;
    return written === undefined ? ep : { el: ep.el, pads: written, span: ep.span };
  }

  private itemEndpoint(item: ChainItem, direction: 'src' | 'sink'): Endpoint {
    switch (item.kind) {
      case 'element':
      case 'uri':
        return { el: this.made.get(item)!, pads: [], span: item.span };
      case 'bin':
        return { el: this.binEdge(item, direction), pads: [], span: item.span };
      case 'ref': {
        if (item.name === undefined) {
          this.fail('DANGLING_REFERENCE', `a pad reference without an element name ("${this.source.slice(item.span.start, item.span.end)}") must stand right after an element ("elem .src") or right before one ("! .sink elem")`, item.span);
        }
        const el = this.named.get(item.name);
        if (el === undefined) {
          this.fail('DANGLING_REFERENCE', `no element named "${item.name}"${didYouMean(item.name, this.named.keys())}`, item.nameSpan);
        }
        return { el, pads: item.pads, span: item.span };
      }
    }
  }

  /** The element of a bin that takes a link from outside: its pad is ghosted on demand. */
  private binEdge(node: BinNode, direction: 'src' | 'sink'): Element {
    const bin = this.binOf.get(node)!;
    const candidates = direction === 'sink' ? bin.elements : [...bin.elements].reverse();
    const free = candidates.find((el) => el.pads.some((p) => p.direction === direction && p.peer === null && p.template.presence === 'always'))
      ?? candidates.find((el) => el.templates.some((t) => t.direction === direction && t.presence === 'request'));
    if (free === undefined) this.fail('BAD_LINK', `bin ${bin.name} has no free ${direction} pad to link`, node.span);
    return free;
  }

  private linkEndpoints(up: Endpoint, down: Endpoint, link: LinkNode): void {
    if (link.op === ':') return this.linkAll(up, down, link);
    const ups = up.pads.length > 0 ? up.pads : [undefined];
    const downs = down.pads.length > 0 ? down.pads : [undefined];
    if (ups.length !== downs.length) {
      this.fail('BAD_LINK', `${ups.length} pads on the left of the link but ${downs.length} on the right`, link.span);
    }
    ups.forEach((u, i) => {
      const d = downs[i];
      const upLater = this.sometimesPad(up.el, 'src', u?.name);
      const downLater = this.sometimesPad(down.el, 'sink', d?.name);
      if (upLater !== undefined && downLater !== undefined) this.fail('BAD_LINK', 'cannot link two pads that do not exist yet', link.span);
      if (upLater !== undefined) {
        const peer = at(this.source, d?.span ?? down.span, () => pickPad(down.el, 'sink', d?.name));
        this.pipeline.pendingLinks.add({ element: up.el, pad: upLater, direction: 'src', peer });
        return;
      }
      if (downLater !== undefined) {
        const peer = at(this.source, u?.span ?? up.span, () => pickPad(up.el, 'src', u?.name));
        this.pipeline.pendingLinks.add({ element: down.el, pad: downLater, direction: 'sink', peer });
        return;
      }
      const src = at(this.source, u?.span ?? up.span, () => pickPad(up.el, 'src', u?.name));
      const sink = at(this.source, d?.span ?? down.span, () => pickPad(down.el, 'sink', d?.name));
      at(this.source, link.span, () => linkPads(src, sink));
    });
  }

  /**
   * The pad name (or template) to wait for when a link must go to a sometimes pad that does not
   * exist yet; undefined when the link can be made now.
   */
  private sometimesPad(el: Element, direction: 'src' | 'sink', name: string | undefined): string | undefined {
    if (name !== undefined) {
      if (el.pad(name) !== undefined) return undefined;
      const t = el.templates.find((tp) => tp.direction === direction && tp.matches(name));
      return t?.presence === 'sometimes' ? name : undefined;
    }
    const now = el.pads.some((p) => p.direction === direction && p.peer === null && p.template.presence === 'always')
      || el.templates.some((t) => t.direction === direction && t.presence === 'request');
    if (now) return undefined;
    return el.templates.find((t) => t.direction === direction && t.presence === 'sometimes')?.name;
  }

  /**
   * `a. : b.` links every free src pad of a that b can take (a request pad when a has none
   * free). With pads named on either side it links exactly those, as `!` does.
   */
  private linkAll(up: Endpoint, down: Endpoint, link: LinkNode): void {
    if (up.pads.length > 0 || down.pads.length > 0) return this.linkEndpoints(up, down, { ...link, op: '!' });
    const srcs = up.el.srcPads.filter((p) => p.peer === null);
    if (srcs.length === 0 && up.el.templates.some((t) => t.direction === 'src' && t.presence === 'request')) srcs.push(up.el.requestPad('src'));
    let linked = 0;
    for (const src of srcs) {
      const sink = down.el.pads.find((p) => p.direction === 'sink' && p.peer === null && p.template.caps.canIntersect(src.template.caps))
        ?? (down.el.templates.some((t) => t.direction === 'sink' && t.presence === 'request') ? down.el.requestPad('sink') : undefined);
      if (sink === undefined) break;
      at(this.source, link.span, () => linkPads(src, sink));
      linked++;
    }
    if (linked === 0) this.fail('BAD_LINK', `no compatible free pads between ${up.el.name} and ${down.el.name}`, link.span);
  }
}

/**
 * Parses and builds a launch string. Throws LaunchSyntaxError or LaunchError (both
 * ParallaxError) with the position and a caret under the fault.
 */
export function buildLaunch(source: string, registry: Registry, options: { name?: string } & PipelineOptions = {}): Pipeline {
  const ast = parseLaunch(source);
  const { name, ...pipelineOptions } = options;
  return new LaunchBuilder(ast, registry, name, pipelineOptions).build();
}
