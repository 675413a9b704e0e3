// The parsing stage: formula text -> syntax tree, and back.
import type { Expr } from './ast.js';
import { leftSpine } from './walk.js';

export type * from './ast.js';
export { parseFormula, MAX_DEPTH } from './parser.js';
export { printExpr } from './printer.js';
export { leftSpine } from './walk.js';
export { tokenize, type Token } from './tokens.js';
export { FUNCTIONS, ALIASES, FUNCTION_NAMES, lookupFunction, type FunctionInfo, type FunctionShape } from './functions.js';

/** A tree with the span fields removed, for structural comparison. */
export type Bare = { [key: string]: unknown };

/** A deep copy of `e` without `span`, `opSpan` and `nameSpan`. */
export function stripSpans(e: Expr): Bare {
  switch (e.kind) {
    case 'number':
      return { kind: 'number', value: e.value, text: e.text };
    case 'var':
      return { kind: 'var', name: e.name };
    case 'neg':
    case 'transpose':
      return { kind: e.kind, arg: stripSpans(e.arg) };
    case 'binary': {
      // A flat chain a+b+c+... in a loop, not one recursion per operator.
      const spine = leftSpine(e);
      let out = stripSpans(spine[spine.length - 1].left);
      for (let i = spine.length - 1; i >= 0; i--) out = { kind: 'binary', op: spine[i].op, left: out, right: stripSpans(spine[i].right) };
      return out;
    }
    case 'call':
      return { kind: 'call', name: e.name, written: e.written, args: e.args.map(stripSpans) };
  }
}

/** Whether two trees are equal apart from spans. */
export function sameTree(a: Expr, b: Expr): boolean {
  if (a.kind !== b.kind) return false;
  switch (a.kind) {
    case 'number':
      return b.kind === 'number' && Object.is(a.value, b.value) && a.text === b.text;
    case 'var':
      return b.kind === 'var' && a.name === b.name;
    case 'neg':
    case 'transpose':
      return (b.kind === 'neg' || b.kind === 'transpose') && sameTree(a.arg, b.arg);
    case 'binary': {
      // Down both left spines together (a flat chain a+b+c+... in a loop).
      let x: Expr = a;
      let y: Expr = b;
      while (x.kind === 'binary' && y.kind === 'binary') {
        if (x.op !== y.op || !sameTree(x.right, y.right)) return false;
        x = x.left;
        y = y.left;
      }
      return sameTree(x, y);
    }
    case 'call':
      return (
        b.kind === 'call' &&
        a.name === b.name &&
        a.written === b.written &&
        a.args.length === b.args.length &&
        a.args.every((x, i) => sameTree(x, b.args[i]))
      );
  }
}
