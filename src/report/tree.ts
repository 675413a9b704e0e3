// A typed syntax tree as text, one node a line with its inferred shape
// (`matcheck parse`).
import type { BinaryNode, Expr } from '../parse/ast.js';
import type { ShapeInference } from '../shapes/infer.js';

function label(e: Expr): string {
  switch (e.kind) {
    case 'number':
      return e.text;
    case 'var':
      return e.name;
    case 'neg':
      return 'negate';
    case 'transpose':
      return "transpose '";
    case 'binary':
      return e.op;
    case 'call':
      if (e.args.length === 0) return e.name; // a bare eye
      return e.written === e.name ? `${e.name}()` : `${e.written}() = ${e.name}()`;
  }
}

function children(e: Expr): Expr[] {
  switch (e.kind) {
    case 'neg':
    case 'transpose':
      return [e.arg];
    case 'binary':
      return [e.left, e.right];
    case 'call':
      return e.args;
    default:
      return [];
  }
}

/** A sum of three or more terms (a+b-c+...): its terms in order, each with its sign, or undefined. */
function sumTerms(e: Expr): { term: Expr; sign: '' | '+ ' | '- ' }[] | undefined {
  if (e.kind !== 'binary' || (e.op !== '+' && e.op !== '-')) return undefined;
  const spine: BinaryNode[] = [];
  for (let n: Expr = e; n.kind === 'binary' && (n.op === '+' || n.op === '-'); n = n.left) spine.push(n);
  if (spine.length < 2) return undefined;
  spine.reverse();
  return [{ term: spine[0].left, sign: '' }, ...spine.map((n) => ({ term: n.right, sign: n.op === '-' ? ('- ' as const) : ('+ ' as const) }))];
}

/**
 * The tree, one node a line. A sum of three or more terms is one node with
 * its terms as children: a left spine drawn as nested binary nodes would be
 * as deep as the sum is long (quadratic text, and a stack overflow for a sum
 * of thousands of terms).
 */
export function treeText(e: Expr, types: ShapeInference): string {
  const lines: string[] = [];
  const walk = (x: Expr, prefix: string, last: boolean, root: boolean, dimension: boolean, sign = '') => {
    const s = types.shapes.get(x);
    // eye's argument is a size (a dimension symbol or an integer), not a scalar value.
    const shape = dimension ? 'a dimension' : s ? types.printShape(s) : '';
    const terms = sumTerms(x);
    const text = terms ? `sum of ${terms.length} terms` : label(x);
    lines.push(`${root ? '' : prefix + (last ? '└─ ' : '├─ ')}${sign}${text}  : ${shape}`);
    const inner = root ? '' : prefix + (last ? '   ' : '│  ');
    if (terms) {
      terms.forEach((t, i) => walk(t.term, inner, i === terms.length - 1, false, false, t.sign));
      return;
    }
    const kids = children(x);
    const sizes = x.kind === 'call' && x.name === 'eye';
    kids.forEach((k, i) => walk(k, inner, i === kids.length - 1, false, sizes));
  };
  walk(e, '', true, true, false);
  return lines.join('\n');
}
