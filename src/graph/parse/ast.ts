/**
 * The syntax tree of a launch string, as written. Nothing here knows which elements exist: a
 * graph builder resolves factory names, properties, caps text and references later, and uses the
 * spans to point at the source when it rejects something.
 *
 * Every span is a pair of 0-based UTF-16 offsets into `PipelineAst.source`, end exclusive.
 */

/** A range of the source: `source.slice(start, end)`. */
export interface Span { start: number; end: number }

/**
 * `name=value`. `value` is unquoted and unescaped; `valueSpan` covers the value as written,
 * quotes included, so `source.slice(valueSpan.start, valueSpan.end)` is the raw text.
 */
export interface PropNode { name: string; nameSpan: Span; value: string; valueSpan: Span; quoted: boolean }

/** `factory prop=value ...`. `span` runs from the factory name to the end of the last value. */
export interface ElementNode { kind: 'element'; factory: string; factorySpan: Span; props: PropNode[]; span: Span }

/** `scheme://rest` where an element could be; `uri` has backslash escapes removed. */
export interface UriNode { kind: 'uri'; uri: string; span: Span }

/**
 * `name.`, `name.pad`, `name.pad1,pad2` or `.pad`. An anonymous reference (`.pad`) has
 * `name: undefined` and an empty `nameSpan` at the dot; it means the adjacent item in the chain.
 */
export interface RefNode {
  kind: 'ref';
  name: string | undefined;
  nameSpan: Span;
  pads: { name: string; span: Span }[];
  span: Span;
}

/**
 * `( ... )` or `bintype.( ... )`. Assignments at the start of the body are the bin's own props;
 * `span` runs from the bin type (or the `(`) to the `)`.
 */
export interface BinNode {
  kind: 'bin';
  binType: string | undefined;
  binTypeSpan?: Span;
  props: PropNode[];
  body: Chain[];
  span: Span;
}

/** A pad named by an anonymous reference written next to an item: `.sink elem`, `elem .src`. */
export interface PadName { name: string; span: Span }

/**
 * An item of a chain. `sinkPads` come from a `.pad` written just before it (after a link),
 * `srcPads` from one written just after it; both name pads of this item.
 */
export type ChainItem = (ElementNode | UriNode | RefNode | BinNode) & { sinkPads?: PadName[]; srcPads?: PadName[] };

/**
 * A link between two adjacent chain items. Without caps, `span` is the operator. With a caps
 * filter (`! CAPS !`) it runs from the first operator to the second, and `caps.text` is exactly
 * `source.slice(caps.span.start, caps.span.end)`: trimmed, outer quotes removed, escapes kept,
 * so a caps parser's error offsets map straight back onto the source.
 */
export interface LinkNode { op: '!' | ':'; caps?: { text: string; span: Span }; span: Span }

/** `links[i]` joins `items[i]` and `items[i + 1]`; `links.length === items.length - 1`. */
export interface Chain { items: ChainItem[]; links: LinkNode[] }

export interface PipelineAst { source: string; chains: Chain[] }
