// Operator precedence and associativity as data (spec section 1). The parser
// and the printer both read these tables, so they cannot disagree.
import type { BinaryOp, Expr } from './ast.js';

/** Binding strength, loosest first. */
export const PREC = {
  additive: 1, //       + -            left associative
  multiplicative: 2, // * / .* ./      left associative
  unary: 3, //          prefix - (and +)
  power: 4, //          ^ .^           right associative
  postfix: 5, //        '
  atom: 6, //           numbers, names, calls, ( ... )
} as const;

export type Assoc = 'left' | 'right';

export interface BinaryOpInfo {
  op: BinaryOp;
  prec: number;
  assoc: Assoc;
}

export const BINARY_OPS: ReadonlyMap<string, BinaryOpInfo> = new Map(
  (
    [
      ['+', PREC.additive, 'left'],
      ['-', PREC.additive, 'left'],
      ['*', PREC.multiplicative, 'left'],
      ['/', PREC.multiplicative, 'left'],
      ['.*', PREC.multiplicative, 'left'],
      ['./', PREC.multiplicative, 'left'],
      ['^', PREC.power, 'right'],
      ['.^', PREC.power, 'right'],
    ] as const
  ).map(([op, prec, assoc]) => [op, { op, prec, assoc }]),
);

/**
 * Prefix operators. Their operand is parsed at `operandPrec`, so `-x^2` is
 * `-(x^2)` and `-a*b` is `(-a)*b`. They are accepted at the start of any
 * operand, including the right operand of `^` (`A^-1`, `2^-x^2` is
 * `2^(-(x^2))`). Unary `+` is accepted (as in MATLAB) and builds no node.
 */
export const PREFIX_OPS: ReadonlyMap<string, { operandPrec: number; node: 'neg' | null }> = new Map([
  ['-', { operandPrec: PREC.unary, node: 'neg' }],
  ['+', { operandPrec: PREC.unary, node: null }],
]);

/** Postfix operators: `'` (transpose) binds tighter than everything but a call. */
export const POSTFIX_OPS: ReadonlyMap<string, { prec: number; node: 'transpose' }> = new Map([["'", { prec: PREC.postfix, node: 'transpose' }]]);

/** Lowest precedence an operator may have to be taken into the right operand of `info`. */
export function rightOperandPrec(info: BinaryOpInfo): number {
  return info.assoc === 'left' ? info.prec + 1 : info.prec;
}

/** Whether a node prints with a leading minus (a negation or a negative literal). */
export function startsWithPrefix(e: Expr): boolean {
  return e.kind === 'neg' || (e.kind === 'number' && (e.value < 0 || Object.is(e.value, -0)));
}

/** How tightly the printed form of `e` binds, as a PREC level. */
export function nodePrec(e: Expr): number {
  switch (e.kind) {
    case 'binary':
      return BINARY_OPS.get(e.op)?.prec ?? PREC.atom;
    case 'neg':
      return PREC.unary;
    case 'transpose':
      return PREC.postfix;
    case 'number':
      return startsWithPrefix(e) ? PREC.unary : PREC.atom;
    case 'var':
    case 'call':
      return PREC.atom;
  }
}

/** Whether `child` must be parenthesized as the `side` operand of `op`. */
export function needsParens(child: Expr, op: BinaryOp, side: 'left' | 'right'): boolean {
  const info = BINARY_OPS.get(op);
  if (!info) return true;
  const p = nodePrec(child);
  if (side === 'left') return p < info.prec || (p === info.prec && info.assoc === 'right');
  // A prefix operator may open any operand, so `a*-b` and `x^-2` need none.
  if (startsWithPrefix(child)) return false;
  return p < rightOperandPrec(info);
}

/** Whether `child` must be parenthesized as the operand of a prefix operator. */
export function needsParensUnderPrefix(child: Expr): boolean {
  if (startsWithPrefix(child)) return false;
  return nodePrec(child) < PREC.unary;
}

/** Whether `child` must be parenthesized as the operand of a postfix operator. */
export function needsParensUnderPostfix(child: Expr): boolean {
  return nodePrec(child) < PREC.postfix;
}
