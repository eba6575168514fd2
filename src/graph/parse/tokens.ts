import type { LinkNode, PropNode, RefNode, Span, UriNode } from './ast.js';

/**
 * What the lexer hands the parser. Tokens are coarse, like gst's: a whole `name=value`, a whole
 * reference, a whole `! caps !` link. That keeps the context-dependent reading (values, caps)
 * in the lexer and leaves the parser a plain grammar over items and links.
 */
export type Token =
  | { kind: 'ident'; text: string; span: Span }
  | { kind: 'prop'; prop: PropNode; span: Span }
  | { kind: 'ref'; ref: RefNode; span: Span }
  | { kind: 'uri'; uri: UriNode; span: Span }
  /** `(` or `bintype.(`; `paren` is the `(` itself, where "unbalanced '('" points. */
  | { kind: 'open'; binType: string | undefined; binTypeSpan: Span | undefined; paren: Span; span: Span }
  | { kind: 'close'; span: Span }
  | { kind: 'link'; link: LinkNode; span: Span }
  | { kind: 'end'; span: Span };
