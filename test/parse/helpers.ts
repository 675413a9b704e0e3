// Test helpers: a fully parenthesized rendering of a tree, so that expected
// precedence reads at a glance: `-x^2` -> `(neg (^ x 2))`.
import type { Expr } from '../../src/parse/index.js';
import { MatcheckError } from '../../src/errors.js';
import { parseFormula } from '../../src/parse/index.js';

export function sexpr(e: Expr): string {
  switch (e.kind) {
    case 'number':
      return e.text;
    case 'var':
      return e.name;
    case 'neg':
      return `(neg ${sexpr(e.arg)})`;
    case 'transpose':
      return `(' ${sexpr(e.arg)})`;
    case 'binary':
      return `(${e.op} ${sexpr(e.left)} ${sexpr(e.right)})`;
    case 'call':
      return `(${e.name}${e.written !== e.name ? `[${e.written}]` : ''} ${e.args.map(sexpr).join(' ')})`;
  }
}

export const p = (source: string): string => sexpr(parseFormula(source));

/** The MatcheckError that parsing `source` throws; fails the test if none or another kind. */
export function parseError(source: string, field?: string): MatcheckError {
  try {
    parseFormula(source, field);
  } catch (e) {
    if (e instanceof MatcheckError) return e;
    throw new Error(`expected a MatcheckError for ${JSON.stringify(source)}, got ${String(e)}`);
  }
  throw new Error(`expected ${JSON.stringify(source)} to fail to parse`);
}
