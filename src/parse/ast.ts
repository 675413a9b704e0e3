// The syntax tree of the formula language (spec section 1). Every node keeps
// its source span so that later stages can point at it in errors.
import type { Span } from '../errors.js';

export type BinaryOp = '+' | '-' | '*' | '/' | '.*' | './' | '^' | '.^';

export type Expr = NumberNode | VarNode | NegNode | TransposeNode | BinaryNode | CallNode;

/** A numeric literal, or the constant `pi` (text 'pi'). */
export interface NumberNode {
  kind: 'number';
  value: number;
  text: string;
  span: Span;
}

export interface VarNode {
  kind: 'var';
  name: string;
  span: Span;
}

/** Unary minus. */
export interface NegNode {
  kind: 'neg';
  arg: Expr;
  span: Span;
}

/** Postfix `'`. */
export interface TransposeNode {
  kind: 'transpose';
  arg: Expr;
  span: Span;
}

export interface BinaryNode {
  kind: 'binary';
  op: BinaryOp;
  left: Expr;
  right: Expr;
  span: Span;
  /** Span of the operator token itself. */
  opSpan: Span;
}

export interface CallNode {
  kind: 'call';
  /** Canonical function name (aliases resolved: `asin` -> `arcsin`). */
  name: string;
  /** The name as written, kept so that the printer can round-trip it. */
  written: string;
  args: Expr[];
  span: Span;
  nameSpan: Span;
}
