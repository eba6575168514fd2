import type { BinNode, Chain, ChainItem, ElementNode, LinkNode, PipelineAst, PropNode, Span } from './ast.js';
import { LaunchSyntaxError } from './errors.js';
import { Lexer } from './lexer.js';
import type { Token } from './tokens.js';

/**
 * The launch grammar over the lexer's tokens:
 *
 *   pipeline := chain+
 *   chain    := item (link item)*
 *   item     := element | uri | ref | bin
 *   element  := ident prop*
 *   bin      := open prop* chain* close
 *
 * A chain ends where an item is not followed by a link, so `a ! b c ! d` is two chains. Only an
 * element takes properties, except at the start of a bin body, where they belong to the bin.
 */
class Parser {
  private readonly lexer: Lexer;
  private tok: Token;

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
    this.tok = this.lexer.next();
    return tok;
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
    const items = [this.item()];
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
      items.push(this.item());
    }
    return { items, links };
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
