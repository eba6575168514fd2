/** Launch-string syntax: `parseLaunch` and the AST, errors and caret formatting it uses. */
export type * from './ast.js';
export { describePosition, formatCaret, formatSourceError } from './caret.js';
export { LaunchSyntaxError } from './errors.js';
export { Lexer } from './lexer.js';
export type { Token } from './tokens.js';
export { parseLaunch } from './parser.js';
