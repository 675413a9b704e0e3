import { describe, it, expect } from 'vitest';
import { parseFormula } from '../../src/parse/index.js';
import { ALIASES, FUNCTIONS } from '../../src/parse/functions.js';
import type { BinaryNode, CallNode, Expr, NegNode, TransposeNode } from '../../src/parse/ast.js';
import { printExpr } from '../../src/parse/printer.js';
import { p, parseError } from './helpers.js';

describe('operands', () => {
  it('parses numbers, keeping the text as written', () => {
    expect(parseFormula('2.5E+4')).toEqual({ kind: 'number', value: 25000, text: '2.5E+4', span: { start: 0, end: 6 } });
    expect(parseFormula('.5')).toMatchObject({ kind: 'number', value: 0.5, text: '.5' });
  });

  it('parses pi as the numeric constant', () => {
    expect(parseFormula('pi')).toEqual({ kind: 'number', value: Math.PI, text: 'pi', span: { start: 0, end: 2 } });
    expect(p('2*pi')).toBe('(* 2 pi)');
    // Only the exact name: these are variables.
    expect(parseFormula('Pi')).toMatchObject({ kind: 'var', name: 'Pi' });
    expect(parseFormula('pi_2')).toMatchObject({ kind: 'var', name: 'pi_2' });
  });

  it('parses a bare eye as the identity (matrixcalculus.org: "eye is the identity matrix"), its size left to shape inference', () => {
    const e = parseFormula("x'*(A+eye)*x") as BinaryNode;
    const sum = (e.left as BinaryNode).right as BinaryNode;
    expect(sum.right).toEqual({ kind: 'call', name: 'eye', written: 'eye', args: [], span: { start: 6, end: 9 }, nameSpan: { start: 6, end: 9 } });
    expect(p("eye'*2")).toBe("(* (' (eye )) 2)");
    expect(printExpr(parseFormula('A + eye*B'))).toBe('A + eye*B');
    // other functions still need their parentheses, and eye() its argument
    expect(parseError('x + exp').code).toBe('E_FUNCTION_NOT_CALLED');
    expect(parseError('eye()').code).toBe('E_ARITY');
  });

  it.each(['X', 'x_1', 'W2', '_t', 'e', 'dX', 'sinx', 'eye2'])('parses the variable %s', (name) => {
    expect(parseFormula(name)).toEqual({ kind: 'var', name, span: { start: 0, end: name.length } });
  });

  it('ignores surrounding whitespace and redundant parentheses', () => {
    expect(p('  ((x))  ')).toBe('x');
  });
});

describe('operators', () => {
  it.each([
    ['a+b', '(+ a b)'],
    ['a-b', '(- a b)'],
    ['a*b', '(* a b)'],
    ['a/b', '(/ a b)'],
    ['a.*b', '(.* a b)'],
    ['a./b', '(./ a b)'],
    ['a^b', '(^ a b)'],
    ['a.^b', '(.^ a b)'],
    ["a'", "(' a)"],
    ['-a', '(neg a)'],
    ['+a', 'a'],
    ['a + -b', '(+ a (neg b))'],
    ['a - +b', '(- a b)'],
  ])('%s', (source, tree) => {
    expect(p(source)).toBe(tree);
  });
});

describe('precedence and associativity', () => {
  it.each([
    ['-x^2', '(neg (^ x 2))'],
    ["a*b'", "(* a (' b))"],
    ["A.^2'", "(.^ A (' 2))"],
    ["x'*A*x", "(* (* (' x) A) x)"],
    ['A^-1', '(^ A (neg 1))'],
    ['x.^-2', '(.^ x (neg 2))'],
    ['2^-1', '(^ 2 (neg 1))'],
    ['2^-x^2', '(^ 2 (neg (^ x 2)))'],
    ['2^-x*3', '(* (^ 2 (neg x)) 3)'],
    ['2^3^2', '(^ 2 (^ 3 2))'],
    ['a.^b^c', '(.^ a (^ b c))'],
    ['(2^3)^2', '(^ (^ 2 3) 2)'],
    ['a-b-c', '(- (- a b) c)'],
    ['a-(b-c)', '(- a (- b c))'],
    ['a/b/c', '(/ (/ a b) c)'],
    ['a/b*c', '(* (/ a b) c)'],
    ['a*b/c', '(/ (* a b) c)'],
    ['a.*b./c*d', '(* (./ (.* a b) c) d)'],
    ["-A'", "(neg (' A))"],
    ["A*B'*C", "(* (* A (' B)) C)"],
    ["x'*y*z'", "(* (* (' x) y) (' z))"],
    ['a+b*c', '(+ a (* b c))'],
    ['a*b+c', '(+ (* a b) c)'],
    ['a-b+c', '(+ (- a b) c)'],
    ['-a*b', '(* (neg a) b)'],
    ['-a+b', '(+ (neg a) b)'],
    ['a*-b', '(* a (neg b))'],
    ['a*-b*c', '(* (* a (neg b)) c)'],
    ['--x', '(neg (neg x))'],
    ['-(-x)', '(neg (neg x))'],
    ["x''", "(' (' x))"],
    ["A'^2", "(^ (' A) 2)"],
    ["(A*B)'", "(' (* A B))"],
    ["(-x)'", "(' (neg x))"],
    ["-x'^2", "(neg (^ (' x) 2))"],
    ["sin(x)'", "(' (sin x))"],
    ['sin(x)^2', '(^ (sin x) 2)'],
    ['-sin(x)^2', '(neg (^ (sin x) 2))'],
    ["2'", "(' 2)"],
    ['(a+b)*(c-d)', '(* (+ a b) (- c d))'],
    ['x^2^-1', '(^ x (^ 2 (neg 1)))'],
    ['2^--x', '(^ 2 (neg (neg x)))'],
  ])('%s', (source, tree) => {
    expect(p(source)).toBe(tree);
  });
});

describe('functions', () => {
  for (const [name, info] of FUNCTIONS) {
    it(`calls ${name} with ${info.arity} argument(s)`, () => {
      const args = ['A', 'B', 'C'].slice(0, info.arity);
      const e = parseFormula(`${name}(${args.join(', ')})`);
      expect(e).toMatchObject({ kind: 'call', name, written: name, args: args.map((a) => ({ kind: 'var', name: a })) });
    });
  }

  for (const [alias, canonical] of ALIASES) {
    it(`resolves the alias ${alias} to ${canonical}, keeping the spelling`, () => {
      expect(parseFormula(`${alias}(x)`)).toMatchObject({ kind: 'call', name: canonical, written: alias });
    });
  }

  it.each([
    ['tr(A*X*B)', '(tr (* (* A X) B))'],
    ['kron(A,B)', '(kron A B)'],
    ["kron(A', B*C)", "(kron (' A) (* B C))"],
    ['dot(x, y)', '(dot x y)'],
    ['exp(log(sqrt(x)))', '(exp (log (sqrt x)))'],
    ['sum(exp(-x.^2))', '(sum (exp (neg (.^ x 2))))'],
    ['logdet(inv(X))+tr(inv(X)*A)', '(+ (logdet (inv X)) (tr (* (inv X) A)))'],
    ['kron(kron(A,B),C)', '(kron (kron A B) C)'],
    ['asin(acos(atan(x)))', '(arcsin[asin] (arccos[acos] (arctan[atan] x)))'],
    ['eye(n)', '(eye n)'],
    ['vector(1)', '(vector 1)'],
    ['softmax (x)', '(softmax x)'],
    ['diag(diag(A))', '(diag (diag A))'],
  ])('%s', (source, tree) => {
    expect(p(source)).toBe(tree);
  });
});

describe('spans', () => {
  it('spans a binary node over both operands and its operator separately', () => {
    const e = parseFormula('ab + cd') as BinaryNode;
    expect(e.span).toEqual({ start: 0, end: 7 });
    expect(e.opSpan).toEqual({ start: 3, end: 4 });
    expect(e.left.span).toEqual({ start: 0, end: 2 });
    expect(e.right.span).toEqual({ start: 5, end: 7 });
  });

  it('includes parentheses around an operand in the parent span, not in the operand', () => {
    const e = parseFormula('(a+b)*c') as BinaryNode;
    expect(e.span).toEqual({ start: 0, end: 7 });
    expect(e.left.span).toEqual({ start: 1, end: 4 });
    const t = parseFormula("(A*B)'") as TransposeNode;
    expect(t.span).toEqual({ start: 0, end: 6 });
    expect(t.arg.span).toEqual({ start: 1, end: 4 });
  });

  it('spans a call from its name to the closing parenthesis', () => {
    const e = parseFormula('1 + kron( A , B )') as BinaryNode;
    const call = e.right as CallNode;
    expect(call.span).toEqual({ start: 4, end: 17 });
    expect(call.nameSpan).toEqual({ start: 4, end: 8 });
    expect(call.args[1].span).toEqual({ start: 14, end: 15 });
  });

  it('spans negation from the minus sign and transpose up to the apostrophe', () => {
    const n = parseFormula("-x''") as NegNode;
    expect(n.span).toEqual({ start: 0, end: 4 });
    const t = n.arg as TransposeNode;
    expect(t.span).toEqual({ start: 1, end: 4 });
    expect((t.arg as TransposeNode).span).toEqual({ start: 1, end: 3 });
  });

  it('gives every node a span inside the source that contains its children', () => {
    const source = "-(x'*A*x) + 2^-tr(kron(A, B')) ./ sin(y)";
    const check = (e: Expr): void => {
      expect(e.span.start).toBeGreaterThanOrEqual(0);
      expect(e.span.end).toBeLessThanOrEqual(source.length);
      const kids = e.kind === 'binary' ? [e.left, e.right] : e.kind === 'call' ? e.args : e.kind === 'neg' || e.kind === 'transpose' ? [e.arg] : [];
      for (const k of kids) {
        expect(k.span.start).toBeGreaterThanOrEqual(e.span.start);
        expect(k.span.end).toBeLessThanOrEqual(e.span.end);
        check(k);
      }
    };
    check(parseFormula(source));
  });

  it('points leaf spans at their text', () => {
    const source = 'alpha*x_1 + 1e-3';
    const e = parseFormula(source) as BinaryNode;
    const mul = e.left as BinaryNode;
    expect(source.slice(mul.left.span.start, mul.left.span.end)).toBe('alpha');
    expect(source.slice(mul.right.span.start, mul.right.span.end)).toBe('x_1');
    expect(source.slice(e.right.span.start, e.right.span.end)).toBe('1e-3');
  });
});

describe("matrixcalculus.org's rendered results paste unchanged (spec section 1)", () => {
  it.each([
    ['A⊤⋅x', "A'*x"],
    ['A^⊤ ⋅ x', "A'*x"],
    ['Aᵀ·x', "A'*x"],
    ['(y⊙v)⊤⋅x', "(y.*v)'*x"],
    ['x⊘y − 1', 'x./y - 1'],
    ['−x', '-x'],
    ['A⋅X⋅B + 𝕀', 'A*X*B + eye'],
  ])('%s reads as %s', (pasted, ascii) => {
    expect(p(pasted)).toBe(p(ascii));
    expect(printExpr(parseFormula(pasted))).toBe(ascii);
  });

  it('spans stay on the pasted text', () => {
    const e = parseFormula('A^⊤⋅x') as BinaryNode;
    expect(e.left).toMatchObject({ kind: 'transpose', span: { start: 0, end: 3 } });
    expect(parseFormula('𝕀')).toMatchObject({ kind: 'call', name: 'eye', span: { start: 0, end: 2 } });
  });
});

describe('unary plus', () => {
  it('builds no node but stays inside the parent span', () => {
    const e = parseFormula('+x*y') as BinaryNode;
    expect(e.left).toMatchObject({ kind: 'var', name: 'x', span: { start: 1, end: 2 } });
    expect(e.span).toEqual({ start: 0, end: 4 });
  });
});
