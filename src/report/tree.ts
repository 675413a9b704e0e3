// A typed syntax tree as text, one node a line with its inferred shape
// (`matcheck parse`).
import type { Expr } from '../parse/ast.js';
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

export function treeText(e: Expr, types: ShapeInference): string {
  const lines: string[] = [];
  const walk = (x: Expr, prefix: string, last: boolean, root: boolean, dimension: boolean) => {
    const s = types.shapes.get(x);
    // eye's argument is a size (a dimension symbol or an integer), not a scalar value.
    const shape = dimension ? 'a dimension' : s ? types.printShape(s) : '';
    lines.push(`${root ? '' : prefix + (last ? '└─ ' : '├─ ')}${label(x)}  : ${shape}`);
    const kids = children(x);
    const sizes = x.kind === 'call' && x.name === 'eye';
    kids.forEach((k, i) => walk(k, root ? '' : prefix + (last ? '   ' : '│  '), i === kids.length - 1, false, sizes));
  };
  walk(e, '', true, true, false);
  return lines.join('\n');
}
