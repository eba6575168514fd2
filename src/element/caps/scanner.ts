import { CapsSyntaxError } from './syntax-error.js';

/**
 * A cursor over caps text for the recursive-descent parser: the position, character tests,
 * and errors that say what was expected and what was found there.
 */
export class Scanner {
  pos = 0;

  constructor(readonly text: string) {}

  /** The character at the cursor, or undefined at the end. */
  peek(): string | undefined {
    return this.text[this.pos];
  }

  /** Whether the cursor is past the last character. */
  atEnd(): boolean {
    return this.pos >= this.text.length;
  }

  /** Moves past whitespace, which gst allows around every token. */
  skipSpace(): void {
    while (this.pos < this.text.length && /\s/.test(this.text[this.pos] as string)) this.pos += 1;
  }

  /** Consumes `ch` if it is next. */
  eat(ch: string): boolean {
    if (this.text[this.pos] !== ch) return false;
    this.pos += 1;
    return true;
  }

  /** Consumes `ch` or fails with `expected '<ch>' <purpose>`. */
  expect(ch: string, purpose: string): void {
    if (!this.eat(ch)) this.fail(`expected '${ch}' ${purpose}`);
  }

  /** Consumes characters while they match the one-character pattern `re`; returns them. */
  readWhile(re: RegExp): string {
    const start = this.pos;
    while (this.pos < this.text.length && re.test(this.text[this.pos] as string)) this.pos += 1;
    return this.text.slice(start, this.pos);
  }

  /** Throws `<expected>, found <what is at 'at'>`. */
  fail(expected: string, at = this.pos): never {
    const ch = this.text[at];
    throw new CapsSyntaxError(`${expected}, found ${ch === undefined ? 'end of input' : `'${ch}'`}`, at);
  }

  /** Throws `<reason>` at `at`, for faults that are not a missing token. */
  error(reason: string, at: number): never {
    throw new CapsSyntaxError(reason, at);
  }
}
