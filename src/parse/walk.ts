// Walking long flat chains without recursion. A chain such as a+b+c+d (or
// A*B*C, or a+b*c-d) parses into a left spine of binary nodes, as deep as it
// has operators, though nobody wrote any nesting. Every stage that walks a
// tree loops down such a spine and recurses only into right operands, the
// operands of unary operators and calls, and the spine's leftmost operand;
// the parser bounds how deep that recursion can go (MAX_DEPTH).
import type { BinaryNode, Expr } from './ast.js';

/** The binary nodes on the left spine of `e`, from `e` down to the one whose left operand is not binary. */
export function leftSpine(e: BinaryNode): BinaryNode[] {
  const spine = [e];
  let n: Expr = e.left;
  while (n.kind === 'binary') {
    spine.push(n);
    n = n.left;
  }
  return spine;
}
