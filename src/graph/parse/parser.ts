import type { BinNode, Chain, ChainItem, ElementNode, LinkNode, PipelineAst, PropNode, Span } from './ast.js';
import { LaunchSyntaxError } from './errors.js';
import { Lexer } from './lexer.js';
import type { Token } from './tokens.js';

/**
 * The launch grammar over the lexer's tokens:
 *
 *   pipeline := chain+
 *   chain    := item (link item)*
 *   item     := [.pad] (element | uri | ref | bin) [.pad]

 *   element  := ident prop*
 *   bin      := open prop* chain* close
 *
 * A chain ends where an item is not followed by a link, so `a ! b c ! d` is two chains. Only an
 * element takes properties, except at the start of a bin body, where they belong to the bin.
 */
class Parser {
  private readonly lexer: Lexer;
  private tok: Token;
  /** One token of lookahead beyond `tok`, read only to tell `! .sink elem` from `! .sink !`. */
  private ahead: Token | null = null;

  constructor(private readonly source: string) {
    this.lexer = new Lexer(source);
    this.tok = this.lexer.next();
  }

  pipeline(): PipelineAst {
    const chains = this.chains(undefined);
    if (chains.length === 0) this.fail('empty pipeline', { start: 0, end: this.source.length });
    return { source: this.source, chains };
  }

  private fail(reason: string, span: Span): never {
    throw new LaunchSyntaxError(reason, this.source, span);
  }

  private advance(): Token {
    const tok = this.tok;
    this.tok = this.ahead ?? this.lexer.next();
    this.ahead = null;
    return tok;
  }

  private peek(): Token {
    return (this.ahead ??= this.lexer.next());
  }

  private isAnonymousRef(tok: Token): tok is Token & { kind: 'ref' } {
    return tok.kind === 'ref' && tok.ref.name === undefined;
  }

  /** Chains up to the end of input (top level) or the `)` of `open`, which is left unread. */
  private chains(open: Token & { kind: 'open' } | undefined): Chain[] {
    const chains: Chain[] = [];
    for (;;) {
      const tok = this.tok;
      if (tok.kind === 'end') {
        if (open !== undefined) this.fail("unbalanced '('", open.paren);
        return chains;
      }
      if (tok.kind === 'close') {
        if (open === undefined) this.fail("unbalanced ')'", tok.span);
        return chains;
      }
      if (tok.kind === 'link') this.fail(`link '${tok.link.op}' has nothing before it`, tok.link.span);
      chains.push(this.chain());
    }
  }

  private chain(): Chain {
    const items = [this.padded()];
    const links: LinkNode[] = [];
    for (let tok = this.tok; tok.kind === 'link'; tok = this.tok) {
      const link = tok.link;
      this.advance();
      const next = this.tok;
      if (next.kind === 'link') this.fail('two link operators in a row', next.link.span);
      if (next.kind === 'end' || next.kind === 'close') {
        if (link.caps !== undefined) this.fail(`caps filter must be followed by '${link.op}' and an element`, link.caps.span);
        this.fail(`link '${link.op}' has nothing after it`, link.span);
      }
      links.push(link);
      items.push(this.padded());
    }
    return { items, links };
  }

  /**
   * An item with the pads written around it, as gst-launch reads them: `.sink elem` names the
   * item's sink pad, `elem .src` its src pad. A `.pad` with no element beside it stays an item.
   */
  private padded(): ChainItem {
    let sinkPads: { name: string; span: Span }[] | undefined;
    if (this.isAnonymousRef(this.tok)) {
      const next = this.peek();
      if (next.kind === 'ident' || next.kind === 'uri' || next.kind === 'open' || (next.kind === 'ref' && next.ref.name !== undefined)) {
        sinkPads = this.tok.ref.pads;
        this.advance();
      }
    }
    const item = this.item();
    if (sinkPads !== undefined) item.sinkPads = sinkPads;
    if (item.kind !== 'ref' && this.isAnonymousRef(this.tok)) {
      const tok = this.advance();
      if (tok.kind === 'ref') item.srcPads = tok.ref.pads;
    }
    return item;
  }

  private item(): ChainItem {
    const tok = this.advance();
    switch (tok.kind) {
      case 'ident': return this.element(tok.text, tok.span);
      case 'uri': return tok.uri;
      case 'ref': return tok.ref;
      case 'open': return this.bin(tok);
      case 'prop': return this.fail(`property '${tok.prop.name}' must follow an element`, tok.span);
      // chains() and chain() stop before these; reaching one here is a parser bug.
      case 'link': case 'close': case 'end': return this.fail('unexpected token', tok.span);
    }
  }

  private props(): PropNode[] {
    const props: PropNode[] = [];
    for (let tok = this.tok; tok.kind === 'prop'; tok = this.tok) {
      props.push(tok.prop);
      this.advance();
    }
    return props;
  }

  private element(factory: string, factorySpan: Span): ElementNode {
    const props = this.props();
    const end = props.at(-1)?.valueSpan.end ?? factorySpan.end;
    return { kind: 'element', factory, factorySpan, props, span: { start: factorySpan.start, end } };
  }

  private bin(open: Token & { kind: 'open' }): BinNode {
    const props = this.props();
    const body = this.chains(open);
    const close = this.advance();
    const span = { start: open.span.start, end: close.span.end };
    const bin: BinNode = { kind: 'bin', binType: open.binType, props, body, span };
    if (open.binTypeSpan !== undefined) bin.binTypeSpan = open.binTypeSpan;
    return bin;
  }
}

/**
 * Parses a gst-launch style pipeline description into an AST with source spans. Syntax only:
 * factory names, property values, caps text and references are left for the graph builder.
 *
 * @throws LaunchSyntaxError (code `LAUNCH_SYNTAX`) with the span of the first fault.
 * @example
 *   parseLaunch('fakesrc num-buffers=5 ! fakesink').chains[0]?.items.length // 2
 */
export function parseLaunch(source: string): PipelineAst {
  return new Parser(source).pipeline();
}
