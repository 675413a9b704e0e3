// A flat chain of binary operators (a+b+c+..., A*B*C*...) is not nesting,
// however long: it parses into a left spine that every stage walks in a
// loop. Real nesting (parentheses, calls, unary operators, transposes,
// exponents) is still limited to MAX_DEPTH levels, with a located error.
import { describe, expect, it } from 'vitest';
import { MAX_DEPTH, leftSpine, parseFormula, printExpr, sameTree, stripSpans, type Bare, type Expr } from '../../src/parse/index.js';
import { parseError } from './helpers.js';

/** `n` terms x0, x1, ... joined by the operators of `ops` in turn. */
function chain(n: number, ops: string[] = ['+']): string {
  let s = 'x0';
  for (let i = 1; i < n; i++) s += `${ops[(i - 1) % ops.length]}x${i}`;
  return s;
}

/** `source` as printExpr writes it: spaces around + and -, and around .* and ./ after a digit. */
const printed = (source: string) => source.replace(/([+-])/g, ' $1 ').replace(/(\.[*/])/g, ' $1 ');

/** The operators and right operands down the left spine, outermost first, and the leftmost operand. */
function spineOf(e: Expr): { ops: string[]; rights: string[]; leftmost: Expr } {
  const ops: string[] = [];
  const rights: string[] = [];
  let n = e;
  while (n.kind === 'binary') {
    ops.push(n.op);
    rights.push(n.right.kind === 'var' ? n.right.name : `<${n.right.kind}>`);
    n = n.left;
  }
  return { ops, rights, leftmost: n };
}

describe('long flat chains', () => {
  it('a sum of 1001 terms parses (it is not 1000 levels of nesting)', () => {
    const source = Array(1001).fill('a').join('+');
    const e = parseFormula(source);
    const s = spineOf(e);
    expect(s.ops).toHaveLength(1000);
    expect(s.ops.every((o) => o === '+')).toBe(true);
    expect(s.leftmost).toMatchObject({ kind: 'var', name: 'a' });
    expect(e.span).toEqual({ start: 0, end: source.length });
  });

  it('a chain of 5000 terms is left-associative, term by term, in source order', () => {
    const source = chain(5000, ['+', '-', '*', '/', '.*', './']);
    const e = parseFormula(source);
    // Precedence still applies inside the chain: the spine is made of + and -;
    // x1 is a right operand of its own, x2*x3/x4.*x5./x6 a product chain.
    const top = spineOf(e);
    expect(top.ops).toHaveLength(2 * Math.floor(5000 / 6) + 1);
    expect(new Set(top.ops)).toEqual(new Set(['+', '-']));
    expect(top.rights.at(-1)).toBe('x1');
    expect(top.rights.at(-2)).toBe('<binary>');
    if (e.kind !== 'binary') throw new Error('expected a chain');
    const product = leftSpine(e).at(-2)!.right;
    expect(printExpr(product)).toBe('x2*x3/x4 .* x5 ./ x6');
    expect(printExpr(e)).toBe(printed(source));
    expect(e.span).toEqual({ start: 0, end: source.length });
  });

  it('a product of 5000 matrices is one left spine of *', () => {
    const e = parseFormula(Array(5000).fill('A').join('*'));
    expect(e.kind === 'binary' && leftSpine(e)).toHaveLength(4999);
  });

  // 100000 terms: any stage that recursed once per operator would overflow the stack.
  const long = chain(100_000, ['+', '*', '-', '.*']);

  it('prints, strips and compares a 100000-term chain without recursing per term (and in linear time)', () => {
    const e = parseFormula(long);
    const text = printExpr(e);
    expect(text).toBe(printed(long));
    const back = parseFormula(text);
    expect(sameTree(back, e)).toBe(true);
    // One operand different, at the far end of the chain: not the same tree.
    expect(sameTree(parseFormula(`${long}z`.replace(/x99999z$/, 'y')), e)).toBe(false);
    expect(sameTree(parseFormula(long.replace(/\*/, '/')), e)).toBe(false);
    let bare = stripSpans(e);
    let count = 0;
    while (bare.kind === 'binary') {
      count++;
      bare = bare.left as Bare;
    }
    // x0 + x1*x2 - x3.*x4 + ...: 50000 additive operators, each right operand a product.
    expect(count).toBe(50_000);
    expect(bare).toEqual({ kind: 'var', name: 'x0' });
  });

  it('a chain inside the deepest allowed nesting is fine', () => {
    const inner = chain(3000);
    // A right operand is one level down (x1 of x0+x1), so the chain needs one level.
    const e = parseFormula('('.repeat(MAX_DEPTH - 1) + inner + ')'.repeat(MAX_DEPTH - 1));
    expect(spineOf(e).ops).toHaveLength(2999);
    expect(() => parseFormula(`${'sin('.repeat(MAX_DEPTH - 1)}${inner}${')'.repeat(MAX_DEPTH - 1)}`)).not.toThrow();
    expect(parseError('('.repeat(MAX_DEPTH) + inner + ')'.repeat(MAX_DEPTH)).code).toBe('E_TOO_DEEP');
  });
});

describe('real nesting is limited to MAX_DEPTH levels', () => {
  const cases: [string, (k: number) => string, number][] = [
    // [what, formula nested k levels, index of the token that opens level MAX_DEPTH + 1]
    ['parentheses', (k) => '('.repeat(k) + 'x' + ')'.repeat(k), MAX_DEPTH],
    ['unary minus', (k) => '-'.repeat(k) + 'x', MAX_DEPTH],
    ['function calls', (k) => 'sin('.repeat(k) + 'x' + ')'.repeat(k), 4 * MAX_DEPTH],
    ['transposes', (k) => 'x' + "'".repeat(k), MAX_DEPTH + 1],
    ['exponents (right associative)', (k) => Array(k + 1).fill('x').join('^'), 2 * MAX_DEPTH + 1],
  ];

  it.each(cases)('%s: exactly MAX_DEPTH levels parse', (_, nested) => {
    expect(() => parseFormula(nested(MAX_DEPTH))).not.toThrow();
  });

  it.each(cases)('%s: one level more is E_TOO_DEEP, pointing at the token that opens it', (_, nested, at) => {
    const e = parseError(nested(MAX_DEPTH + 1), 'f');
    expect(e.code).toBe('E_TOO_DEEP');
    expect(e.span!.start).toBe(at);
    expect(e.message).toBe(`the formula is nested more than ${MAX_DEPTH} levels deep`);
    expect(e.hint).toContain('a flat chain such as a+b+c does not');
  });

  it.each(cases)('%s: 2000 levels give the depth error, not a stack overflow', (_, nested) => {
    expect(parseError(nested(2000)).code).toBe('E_TOO_DEEP');
  });

  it("a right operand in parentheses is two levels: x+(x+(...)) 1000 times is too deep", () => {
    const e = parseError('x+('.repeat(1000) + 'x' + ')'.repeat(1000));
    expect(e.code).toBe('E_TOO_DEEP');
    // The i-th '+' (from 0) opens level 2i+1, its '(' level 2i+2: level 1001 is the '+' of i = 500.
    expect(e.span).toEqual({ start: 3 * 500 + 1, end: 3 * 500 + 2 });
    expect(() => parseFormula('x+('.repeat(500) + 'x' + ')'.repeat(500))).not.toThrow();
  });
});
