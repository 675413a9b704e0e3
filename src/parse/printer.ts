// Prints a syntax tree back to formula text with as few parentheses as the
// precedence tables in grammar.ts allow; parseFormula(printExpr(t)) rebuilds
// t (spans aside) for every tree the parser can produce.
import type { Expr, NumberNode } from './ast.js';
import { lookupFunction } from './functions.js';
import { needsParens, needsParensUnderPostfix, needsParensUnderPrefix } from './grammar.js';

const LITERAL = /^(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][+-]?[0-9]+)?$/;

export function printExpr(e: Expr): string {
  switch (e.kind) {
    case 'number':
      return printNumber(e);
    case 'var':
      return e.name;
    case 'neg':
      return `-${wrap(e.arg, needsParensUnderPrefix(e.arg))}`;
    case 'transpose':
      return join(wrap(e.arg, needsParensUnderPostfix(e.arg)), "'");
    case 'call': {
      // Aliases print as written (`asin`), anything else by canonical name.
      const name = e.written && lookupFunction(e.written)?.name === e.name ? e.written : e.name;
      return `${name}(${e.args.map(printExpr).join(', ')})`;
    }
    case 'binary': {
      const left = wrap(e.left, needsParens(e.left, e.op, 'left'));
      const right = wrap(e.right, needsParens(e.right, e.op, 'right'));
      return join(left, operator(e.op, left), right);
    }
  }
}

function wrap(e: Expr, parens: boolean): string {
  return parens ? `(${printExpr(e)})` : printExpr(e);
}

function operator(op: string, left: string): string {
  if (op === '+' || op === '-') return ` ${op} `;
  // `2 .* x` reads better than `2.*x`, which a reader may take for `2. * x`.
  if (op.startsWith('.') && /[0-9.]$/.test(left)) return ` ${op} `;
  return op;
}

/** Concatenates, separating a number ending in '.' from a following `* / ^ '` (else `2.*x` would read as `2 .* x`). */
function join(...parts: string[]): string {
  let out = parts[0];
  for (const p of parts.slice(1)) out += out.endsWith('.') && /^[*/^']/.test(p) ? ` ${p}` : p;
  return out;
}

function printNumber(e: NumberNode): string {
  if (e.text === 'pi' && e.value === Math.PI) return 'pi';
  if (LITERAL.test(e.text) && Object.is(Number(e.text), e.value)) return e.text;
  // Trees built by later stages may carry computed values and no usable text.
  if (Number.isNaN(e.value)) return '(0/0)';
  if (e.value === Infinity) return '(1/0)';
  if (e.value === -Infinity) return '(-1/0)';
  if (e.value < 0 || Object.is(e.value, -0)) return `-${String(-e.value)}`;
  return String(e.value);
}
