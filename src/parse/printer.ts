// Prints a syntax tree back to formula text with as few parentheses as the
// precedence tables in grammar.ts allow; parseFormula(printExpr(t)) rebuilds
// t (spans aside) for every tree the parser can produce.
import { MatcheckError } from '../errors.js';
import type { BinaryNode, Expr, NumberNode } from './ast.js';
import { lookupFunction } from './functions.js';
import { needsParens, needsParensUnderPostfix, needsParensUnderPrefix } from './grammar.js';
import { leftSpine } from './walk.js';

const LITERAL = /^(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][+-]?[0-9]+)?$/;

const KINDS = new Set<unknown>(['number', 'var', 'neg', 'transpose', 'call', 'binary']);

/** Formula text for a syntax tree from parseFormula; an argument that is no node of one (an object of another kind printed as "undefined") is a MatcheckError E_USAGE. */
export function printExpr(e: Expr): string {
  if (typeof e !== 'object' || e === null || !KINDS.has(e.kind)) throw notATree(e);
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
      // A bare `eye` (no size given) prints bare.
      if (e.args.length === 0 && e.name === 'eye') return 'eye';
      return `${name}(${e.args.map(printExpr).join(', ')})`;
    }
    case 'binary':
      return printChain(e);
  }
}

/**
 * A binary node and the chain on its left spine (a+b+c+...), printed in a
 * loop from the innermost operator out. The text so far is only appended to,
 * never searched (its last character is kept aside), so that a long chain
 * prints in linear time.
 */
function printChain(e: BinaryNode): string {
  const spine = leftSpine(e);
  let child: Expr = spine[spine.length - 1].left;
  let text = printExpr(child);
  let last = text.slice(-1);
  for (let i = spine.length - 1; i >= 0; i--) {
    const b = spine[i];
    if (needsParens(child, b.op, 'left')) {
      text = `(${text})`;
      last = ')';
    }
    const right = wrap(b.right, needsParens(b.right, b.op, 'right'));
    // No operator ends in '.', so only the left side can need the separating space of join().
    text += join(last, operator(b.op, last), right).slice(1);
    last = right.slice(-1);
    child = b;
  }
  return text;
}

function wrap(e: Expr, parens: boolean): string {
  return parens ? `(${printExpr(e)})` : printExpr(e);
}

/** The operator as printed after a left operand whose text ends in `leftLast`. */
function operator(op: string, leftLast: string): string {
  if (op === '+' || op === '-') return ` ${op} `;
  // `2 .* x` reads better than `2.*x`, which a reader may take for `2. * x`.
  if (op.startsWith('.') && /[0-9.]$/.test(leftLast)) return ` ${op} `;
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

function notATree(e: unknown): MatcheckError {
  const kind = typeof e === 'object' && e !== null ? (e as { kind?: unknown }).kind : undefined;
  const got =
    e === null ? 'null'
    : e === undefined ? 'nothing'
    : typeof e === 'string' ? `the string ${JSON.stringify(e)}`
    : typeof e !== 'object' ? `a ${typeof e}`
    : kind === undefined ? 'an object with no kind'
    : `an object of kind ${JSON.stringify(kind) ?? typeof kind}`;
  return new MatcheckError({ code: 'E_USAGE', stage: 'usage', field: 'expr', message: `printExpr takes a syntax tree from parseFormula, got ${got}`, hint: "parse the text first: printExpr(parseFormula('A*x'))" });
}
