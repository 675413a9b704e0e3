// Shape inference (spec sections 1-2): the shape of every construct, the
// defaults of undeclared names, and located errors for every way a formula
// can be ill-shaped.
import { describe, expect, it } from 'vitest';
import { MatcheckError, renderError } from '../../src/errors.js';
import { analyze } from '../../src/shapes/analyze.js';
import { DimTable } from '../../src/shapes/dims.js';
import { analyzeError, dimsOf, fShapeOf, spanText, spec } from '../helpers/shapes.js';

type Vars = Record<string, string>;

describe('shapes of well-formed formulas', () => {
  // [f, vars, printed shape of f]
  const cases: [string, Vars, string][] = [
    // products
    ["x'*y", { x: 'vector(n)', y: 'vector(n)' }, 'a scalar'],
    ["x*y'", { x: 'vector(m)', y: 'vector(n)' }, 'm x n'],
    ["x*x'", { x: 'vector(n)' }, 'n x n'],
    ['A*x', { A: 'matrix(m,n)', x: 'vector(n)' }, 'm x 1'],
    ["x'*A", { A: 'matrix(m,n)', x: 'vector(m)' }, '1 x n'],
    ["x'*A*x", { A: 'matrix(n,n)', x: 'vector(n)' }, 'a scalar'],
    ["x'*A*y", { A: 'matrix(m,n)', x: 'vector(m)', y: 'vector(n)' }, 'a scalar'],
    ['A*B', { A: 'matrix(m,k)', B: 'matrix(k,n)' }, 'm x n'],
    ["A'*B", { A: 'matrix(k,m)', B: 'matrix(k,n)' }, 'm x n'],
    ["A*B'", { A: 'matrix(m,k)', B: 'matrix(n,k)' }, 'm x n'],
    ["(A*B)'", { A: 'matrix(m,k)', B: 'matrix(k,n)' }, 'n x m'],
    ["A''", { A: 'matrix(m,n)' }, 'm x n'],
    ['A*B', { A: 'matrix(m,3)', B: 'matrix(3,n)' }, 'm x n'],
    // scalars broadcast
    ['c*A', { A: 'matrix(m,n)', c: 'scalar' }, 'm x n'],
    ['A*c', { A: 'matrix(m,n)', c: 'scalar' }, 'm x n'],
    ['2*x', { x: 'vector(n)' }, 'n x 1'],
    ['A + 1', { A: 'matrix(m,n)' }, 'm x n'],
    ['1 - A', { A: 'matrix(m,n)' }, 'm x n'],
    ['c .* A', { A: 'matrix(m,n)', c: 'scalar' }, 'm x n'],
    ['A ./ c', { A: 'matrix(m,n)', c: 'scalar' }, 'm x n'],
    ['c ./ A', { A: 'matrix(m,n)', c: 'scalar' }, 'm x n'],
    ["(x'*y)*A", { A: 'matrix(m,n)', x: 'vector(k)', y: 'vector(k)' }, 'm x n'],
    ["A*(x'*y)", { A: 'matrix(m,n)', x: 'vector(k)', y: 'vector(k)' }, 'm x n'],
    ['c*d + 2', { c: 'scalar', d: 'scalar' }, 'a scalar'],
    // element-wise
    ['A.*B + A./B - A', { A: 'matrix(m,n)', B: 'matrix(m,n)' }, 'm x n'],
    ['-A', { A: 'matrix(m,n)' }, 'm x n'],
    ["-x'", { x: 'vector(n)' }, '1 x n'],
    ['A.^2', { A: 'matrix(m,n)' }, 'm x n'],
    ['A.^c', { A: 'matrix(m,n)', c: 'scalar' }, 'm x n'],
    ['A/c', { A: 'matrix(m,n)', c: 'scalar' }, 'm x n'],
    ['A/2', { A: 'matrix(m,n)' }, 'm x n'],
    ['c^d', { c: 'scalar', d: 'scalar' }, 'a scalar'],
    ['2^c', { c: 'scalar' }, 'a scalar'],
    ['exp(A) + log(A) + sqrt(abs(A)) + sigmoid(A) + softplus(A) + relu(A) + sign(A)', { A: 'matrix(m,n)' }, 'm x n'],
    ['sin(x) .* cos(x) ./ tan(x) + asin(x) + acos(x) + atan(x) + arcsin(x) + arccos(x) + arctan(x) + tanh(x)', { x: 'vector(n)' }, 'n x 1'],
    // matrix powers
    ['A^3', { A: 'matrix(n,n)' }, 'n x n'],
    ['A^0', { A: 'matrix(n,n)' }, 'n x n'],
    ['A^-1', { A: 'matrix(n,n)' }, 'n x n'],
    ['A^(-2)', { A: 'invertible(n)' }, 'n x n'],
    ['(A*B)^2', { A: 'matrix(m,k)', B: 'matrix(k,m)' }, 'm x m'],
    // reductions and matrix functions
    ['sum(A)', { A: 'matrix(m,n)' }, 'a scalar'],
    ['norm1(A) + norm2(x)', { A: 'matrix(m,n)', x: 'vector(n)' }, 'a scalar'],
    ['tr(A)', { A: 'matrix(n,n)' }, 'a scalar'],
    ['det(S) + logdet(S)', { S: 'spd(n)' }, 'a scalar'],
    ['inv(A)', { A: 'invertible(n)' }, 'n x n'],
    ['inv(A*B)', { A: 'matrix(m,k)', B: 'matrix(k,m)' }, 'm x m'],
    ['tr(A*B)', { A: 'matrix(m,n)', B: 'matrix(n,m)' }, 'a scalar'],
    ['diag(x)', { x: 'vector(n)' }, 'n x n'],
    ["diag(x')", { x: 'vector(n)' }, 'n x n'],
    ['diag(A)', { A: 'matrix(n,n)' }, 'n x 1'],
    ['diag(diag(A))', { A: 'matrix(n,n)' }, 'n x n'],
    ['diag(c)', { c: 'scalar' }, 'a scalar'],
    ['kron(A,B)', { A: 'matrix(p,q)', B: 'matrix(m,n)' }, 'p*m x q*n'],
    ['kron(x,y)', { x: 'vector(m)', y: 'vector(n)' }, 'm*n x 1'],
    ["kron(x,y')", { x: 'vector(m)', y: 'vector(n)' }, 'm x n'],
    ['kron(A,B)', { A: 'matrix(2,3)', B: 'matrix(4,n)' }, '8 x 3*n'],
    ['kron(c,A)', { A: 'matrix(m,n)', c: 'scalar' }, 'm x n'],
    ['vec(A)', { A: 'matrix(m,n)' }, 'm*n x 1'],
    ['vec(A)', { A: 'matrix(2,3)' }, '6 x 1'],
    ["vec(x')", { x: 'vector(n)' }, 'n x 1'],
    ["vec(A)'*vec(B)", { A: 'matrix(m,n)', B: 'matrix(m,n)' }, 'a scalar'],
    ['eye(n)', {}, 'n x n'],
    ['eye(3)', {}, '3 x 3'],
    ['eye(n)*x', { x: 'vector(n)' }, 'n x 1'],
    ['A*eye(n)', { A: 'matrix(m,n)' }, 'm x n'],
    // bare eye (matrixcalculus.org's default name): the identity, its size taken from the other operand
    ['A + eye', { A: 'matrix(n,n)' }, 'n x n'],
    ['eye*A', { A: 'matrix(m,n)' }, 'm x n'],
    ['A*eye', { A: 'matrix(m,n)' }, 'm x n'],
    ["x'*(A+eye)*x", { x: 'vector(n)' }, 'a scalar'],
    ['softmax(x)', { x: 'vector(n)' }, 'n x 1'],
    ["softmax(x')", { x: 'vector(n)' }, '1 x n'],
    ['logsumexp(x)', { x: 'vector(n)' }, 'a scalar'],
    ['dot(x,y)', { x: 'vector(n)', y: 'vector(n)' }, 'a scalar'],
    ['dot(A,B)', { A: 'matrix(m,n)', B: 'matrix(m,n)' }, 'a scalar'],
    // vector(c) and matrix(c) take the shape of the other operand
    ['x + vector(1)', { x: 'vector(n)' }, 'n x 1'],
    ['vector(1) + x', { x: 'vector(n)' }, 'n x 1'],
    ["vector(1)'*x", { x: 'vector(n)' }, 'a scalar'],
    ['A*vector(1)', { A: 'matrix(m,n)' }, 'm x 1'],
    ['A .* matrix(2)', { A: 'matrix(m,n)' }, 'm x n'],
    ["x'*matrix(c)*y", { x: 'vector(m)', y: 'vector(n)', c: 'scalar' }, 'a scalar'],
    ['matrix(2)*A', { A: 'matrix(m,n)' }, 'rows(matrix@1) x n'],
    // integer dimensions
    ['A*x', { A: 'matrix(3,4)', x: 'vector(4)' }, '3 x 1'],
    ['x + y', { x: 'vector(1)', y: 'scalar' }, 'a scalar'],
  ];
  it.each(cases)('%s with %j is %s', (f, vars, shape) => {
    expect(fShapeOf(spec(f, vars))).toBe(shape);
  });
});

describe('kron and vec sizes', () => {
  it('p*m and m*p are the same size', () => {
    // kron(A,B) is p*m x q*n, kron(B,A) is m*p x n*q: an identity between them is well-shaped.
    const a = analyze({ ...spec('kron(A,B)', { A: 'matrix(p,q)', B: 'matrix(m,n)' }), claim: { type: 'equals', text: 'kron(B,A)' } });
    expect(dimsOf(a, a.fShape)).toBe('p*m x q*n');
    expect(a.claimTransposed).toBe(false);
    // Unified: one root per dimension, so both print alike.
    expect(a.types.dims.find(a.claimShape![0])).toBe(a.types.dims.find(a.fShape[0]));
    expect(a.types.dims.find(a.claimShape![1])).toBe(a.types.dims.find(a.fShape[1]));
    expect(dimsOf(a, a.claimShape!)).toBe('p*m x q*n');
    expect(fShapeOf(spec("vec(A)'*vec(B')", { A: 'matrix(m,n)', B: 'matrix(n,m)' }))).toBe('a scalar');
    expect(fShapeOf(spec('kron(A,B)*vec(C)', { A: 'matrix(p,q)', B: 'matrix(m,n)', C: 'matrix(n,q)' }))).toBe('p*m x 1');
  });
  it('products with different factors do not unify', () => {
    const e = analyzeError(spec('kron(A,B) + C', { A: 'matrix(p,q)', B: 'matrix(m,n)', C: 'matrix(p,n)' }));
    expect(e.code).toBe('E_SHAPE_ADD');
    expect(e.message).toContain('p*m x q*n');
    const v = analyzeError(spec('vec(A) + x', { A: 'matrix(m,n)', x: 'vector(m)' }));
    expect(v.code).toBe('E_SHAPE_ADD');
  });
  it('a free dimension is never unified with a product it is a factor of', () => {
    const cases: [string, string][] = [
      ['kron(x,y) + x', 'E_SHAPE_ADD'],
      ['vec(X) + X', 'E_SHAPE_ADD'],
      ['sum(kron(x,y) .* x)', 'E_SHAPE_ELEMENTWISE'],
      ["x'*kron(x,y)", 'E_SHAPE_MATMUL'],
      ['dot(vec(X), X)', 'E_SHAPE_DOT'],
      ['dot(vec(X), vec(X*X))', ''],
    ];
    for (const [f, code] of cases) {
      if (!code) {
        // X*X makes X square: vec(X) and vec(X*X) are both r*r long.
        expect(fShapeOf(spec(f)), f).toBe('a scalar');
        continue;
      }
      const e = analyzeError(spec(f));
      expect(e.code, f).toBe(code);
      expect(renderError(e), f).toContain('^');
    }
    const t = new DimTable();
    const [a, b] = [t.free('a', false), t.free('b', false)];
    const ab = t.product(a, b);
    expect(t.unify(a, ab)).toBe(false);
    expect(t.unify(t.product(ab, t.symbol('n')), b)).toBe(false);
    expect(t.print(ab)).toBe('a*b');
    // A free dimension that is not a factor joins the product.
    const c = t.free('c', false);
    expect(t.unify(c, ab)).toBe(true);
    expect(t.resolve(c, { a: 2, b: 3 })).toBe(6);
    // Undeclared vectors kron'd with each other still type.
    expect(fShapeOf(spec("kron(x,y)'*kron(y,x)"))).toBe('a scalar');
  });

  it('DimTable: products of the same factors in any order and grouping are one size', () => {
    const t = new DimTable();
    const [m, n, p] = [t.symbol('m'), t.symbol('n'), t.symbol('p')];
    const [mn, nm] = [t.product(m, n), t.product(n, m)];
    expect(t.find(mn)).not.toBe(t.find(nm));
    expect(t.unify(mn, nm)).toBe(true);
    expect(t.find(mn)).toBe(t.find(nm));
    expect(t.unify(t.product(t.product(m, n), p), t.product(p, t.product(n, m)))).toBe(true);
    expect(t.unify(t.product(m, n), t.product(m, p))).toBe(false);
    expect(t.unify(t.product(m, n), t.product(t.product(m, n), p))).toBe(false);
    expect(t.unify(t.product(m, m), t.product(m, n))).toBe(false);
    expect(t.product(t.value(2), t.value(3))).toBe(t.value(6));
    expect(t.product(t.value(1), n)).toBe(n);
    expect(t.resolve(t.product(t.product(m, n), t.value(2)), { m: 3, n: 5 })).toBe(30);
  });
});

describe('undeclared variables (matrixcalculus.org defaults)', () => {
  it('a-g are scalars, h-z vectors, A-Z matrices, with inferred dimensions', () => {
    const a = analyze(spec("c*x'*A*y"));
    const v = a.types.vars;
    expect(a.types.printShape(v.get('c')!.shape)).toBe('a scalar');
    // x'*A*y makes A len(x) x len(y); the shared dimension keeps one of the two labels.
    const dims = a.types.dims;
    const [x, A, y] = [v.get('x')!.shape, v.get('A')!.shape, v.get('y')!.shape];
    expect(dims.find(x[0])).toBe(dims.find(A[0]));
    expect(dims.find(y[0])).toBe(dims.find(A[1]));
    expect(dims.find(x[0])).not.toBe(dims.find(y[0]));
    expect(dims.isOne(x[1]) && dims.isOne(y[1])).toBe(true);
    expect(dimsOf(a, A)).toMatch(/^(len\(x\)|rows\(A\)) x (len\(y\)|cols\(A\))$/);
    expect(a.types.dims.unknowns()).toHaveLength(2);
    expect([...v.values()].every((i) => !i.declared)).toBe(true);
    expect(v.get('A')!.kind.base).toBe('matrix');
    expect(v.get('x')!.kind.base).toBe('vector');
    expect(v.get('c')!.kind.base).toBe('scalar');
  });

  it('dimensions of undeclared names unify with declared ones', () => {
    const a = analyze(spec("x'*A*x", { A: 'matrix(n,n)' }));
    expect(dimsOf(a, a.types.vars.get('x')!.shape)).toBe('n x 1');
    expect(a.types.dims.unknowns().map((u) => u.name)).toEqual(['n']);
    const b = analyze(spec('A*x + b', { A: 'matrix(m,n)' }));
    expect(dimsOf(b, b.types.vars.get('x')!.shape)).toBe('n x 1');
    // b starts with a-g: a scalar, broadcast.
    expect(b.types.printShape(b.types.vars.get('b')!.shape)).toBe('a scalar');
    const c = analyze(spec('tr(X*A)', { A: 'matrix(m,n)' }));
    expect(dimsOf(c, c.types.vars.get('X')!.shape)).toBe('n x m');
    const d = analyze(spec('diag(X)'));
    const [r, col] = d.types.vars.get('X')!.shape;
    expect(d.types.dims.find(r)).toBe(d.types.dims.find(col));
  });

  it('inferred dimensions unify across f and the claim', () => {
    const a = analyze(spec("x'*A*x", undefined, { wrt: 'x', claim: ['grad', "(A+A')*x"] }));
    const [ar, ac] = a.types.vars.get('A')!.shape;
    const [xr] = a.types.vars.get('x')!.shape;
    const dims = a.types.dims;
    expect(dims.find(ar)).toBe(dims.find(xr));
    expect(dims.find(ac)).toBe(dims.find(xr));
    expect(dims.find(a.claimShape![0])).toBe(dims.find(xr));
    expect(dims.unknowns()).toHaveLength(1);
    // A claim can fix a size f leaves open: y's length is only known from the claim.
    const b = analyze(spec('sum(y)', { A: 'matrix(m,n)' }, { wrt: 'y', claim: ['grad', 'A*vector(1)'] }));
    expect(dimsOf(b, b.types.vars.get('y')!.shape)).toBe('m x 1');
  });

  it('undeclared vectors never silently become length 1', () => {
    const e = analyzeError(spec('x*y'));
    expect(e.code).toBe('E_SHAPE_MATMUL');
    expect(e.span).toEqual({ start: 1, end: 2 });
    expect(e.hint).toBe("both are column vectors: did you mean x'*y (a scalar) or x*y' (an outer product)?");
    // A declared vector times an undeclared one: the same.
    expect(analyzeError(spec('x*y', { x: 'vector(n)' })).code).toBe('E_SHAPE_MATMUL');
    // An undeclared matrix does not become one column wide to multiply a row.
    expect(analyzeError(spec("A*y'", { y: 'vector(n)' })).code).toBe('E_SHAPE_MATMUL');
    // (A declared vector(1) is 1 x 1, a scalar: A*x is a scaling.)
    expect(fShapeOf(spec('A*x', { A: 'matrix(m,n)', x: 'vector(1)' }))).toBe('m x n');
    // Nor does an undeclared matrix become a vector.
    expect(analyzeError(spec('x + A', { x: 'vector(n)' })).code).toBe('E_SHAPE_ADD');
    expect(analyzeError(spec('softmax(X)')).code).toBe('E_NOT_VECTOR');
  });

  it('the constants vector(c) and matrix(c) may be 1 wide', () => {
    expect(fShapeOf(spec("x*vector(1)'", { x: 'vector(n)' }))).toBe('n x len(vector@3)');
    const a = analyze(spec('matrix(2)*x', { x: 'vector(n)' }));
    expect(dimsOf(a, a.fShape)).toBe('rows(matrix@1) x 1');
  });

  it('a leading underscore has no default: E_UNDECLARED', () => {
    const e = analyzeError(spec('2*_w + 1'));
    expect(e.code).toBe('E_UNDECLARED');
    expect(e.span).toEqual({ start: 2, end: 4 });
    expect(e.hint).toContain('_w: "matrix(m,n)"');
    expect(fShapeOf(spec('2*_w + 1', { _w: 'vector(n)' }))).toBe('n x 1');
  });
});

describe('shape errors', () => {
  // [f, vars, code, the text the span covers, its start]
  const cases: [string, Vars, string, string, number][] = [
    ['A+B', { A: 'matrix(m,n)', B: 'matrix(n,m)' }, 'E_SHAPE_ADD', '+', 1],
    ['A - x', { A: 'matrix(m,n)', x: 'vector(m)' }, 'E_SHAPE_ADD', '-', 2],
    ['x + y', { x: 'vector(n)', y: 'vector(m)' }, 'E_SHAPE_ADD', '+', 2],
    ["x + x'", { x: 'vector(n)' }, 'E_SHAPE_ADD', '+', 2],
    ['1 + (A*B + C)', { A: 'matrix(m,k)', B: 'matrix(k,n)', C: 'matrix(n,m)' }, 'E_SHAPE_ADD', '+', 9],
    ['A.*B', { A: 'matrix(m,n)', B: 'matrix(n,m)' }, 'E_SHAPE_ELEMENTWISE', '.*', 1],
    ['sum(A ./ x)', { A: 'matrix(m,n)', x: 'vector(n)' }, 'E_SHAPE_ELEMENTWISE', './', 6],
    ['x*y', { x: 'vector(n)', y: 'vector(n)' }, 'E_SHAPE_MATMUL', '*', 1],
    ['A*B', { A: 'matrix(m,n)', B: 'matrix(m,n)' }, 'E_SHAPE_MATMUL', '*', 1],
    ["x'*A*y", { A: 'matrix(m,n)', x: 'vector(n)', y: 'vector(n)' }, 'E_SHAPE_MATMUL', '*', 2],
    ['tr(A*B*C)', { A: 'matrix(m,k)', B: 'matrix(k,n)', C: 'matrix(m,n)' }, 'E_SHAPE_MATMUL', '*', 6],
    ['A/B', { A: 'matrix(m,n)', B: 'matrix(n,n)' }, 'E_SHAPE_DIV', '/', 1],
    ['1/x', { x: 'vector(n)' }, 'E_SHAPE_DIV', '/', 1],
    ['A.^B', { A: 'matrix(m,n)', B: 'matrix(m,n)' }, 'E_SHAPE_POWER', 'B', 3],
    ['2^x', { x: 'vector(n)' }, 'E_SHAPE_POWER', 'x', 2],
    ['A^(x)', { A: 'matrix(n,n)', x: 'vector(n)' }, 'E_SHAPE_POWER', 'x', 3],
    ['A^c', { A: 'matrix(n,n)', c: 'scalar' }, 'E_MATRIX_POWER', 'c', 2],
    ['A^2.5', { A: 'matrix(n,n)' }, 'E_MATRIX_POWER', '2.5', 2],
    ['A^pi', { A: 'matrix(n,n)' }, 'E_MATRIX_POWER', 'pi', 2],
    ['A^(1+1)', { A: 'matrix(n,n)' }, 'E_MATRIX_POWER', '1+1', 3],
    ['A^4294967298', { A: 'matrix(n,n)' }, 'E_MATRIX_POWER', '4294967298', 2],
    ['A^2', { A: 'matrix(m,n)' }, 'E_NOT_SQUARE', 'A', 0],
    ['inv(A)', { A: 'matrix(m,n)' }, 'E_NOT_SQUARE', 'A', 4],
    ['tr(A)', { A: 'matrix(m,n)' }, 'E_NOT_SQUARE', 'A', 3],
    ['det(A) + 1', { A: 'matrix(3,4)' }, 'E_NOT_SQUARE', 'A', 4],
    ['logdet(A*B)', { A: 'matrix(m,k)', B: 'matrix(k,n)' }, 'E_NOT_SQUARE', 'A*B', 7],
    ['diag(A)', { A: 'matrix(m,n)' }, 'E_NOT_SQUARE', 'A', 5],
    ['softmax(A)', { A: 'matrix(m,n)' }, 'E_NOT_VECTOR', 'A', 8],
    ['logsumexp(A)', { A: 'matrix(m,n)' }, 'E_NOT_VECTOR', 'A', 10],
    ['eye(2.5)', {}, 'E_EYE_ARG', '2.5', 4],
    ['eye(0)', {}, 'E_EYE_ARG', '0', 4],
    ['eye(pi)', {}, 'E_EYE_ARG', 'pi', 4],
    ['eye(n+1)', {}, 'E_EYE_ARG', 'n+1', 4],
    ['x + eye(-1)*x', { x: 'vector(n)' }, 'E_EYE_ARG', '-1', 8],
    ['vector(x)', { x: 'vector(n)' }, 'E_CONSTANT_ARG', 'x', 7],
    ['A + matrix(B)', { A: 'matrix(m,n)', B: 'matrix(m,n)' }, 'E_CONSTANT_ARG', 'B', 11],
    ['dot(x,y)', { x: 'vector(n)', y: 'vector(m)' }, 'E_SHAPE_DOT', 'dot(x,y)', 0],
    ["1 + dot(x,x')", { x: 'vector(n)' }, 'E_SHAPE_DOT', "dot(x,x')", 4],
    ['_a * 2', {}, 'E_UNDECLARED', '_a', 0],
    ['A + eye(n)', { A: 'matrix(m,n)' }, 'E_SHAPE_ADD', '+', 2],
    ['A + eye', { A: 'matrix(m,n)' }, 'E_SHAPE_ADD', '+', 2],
  ];
  it.each(cases)('%s with %j: %s at %j', (f, vars, code, text, start) => {
    const e = analyzeError(spec(f, vars));
    expect(e).toBeInstanceOf(MatcheckError);
    expect(e.code).toBe(code);
    expect(e.stage).toBe('shapes');
    expect(e.field).toBe('f');
    expect(e.source).toBe(f);
    expect(e.span!.start).toBe(start);
    expect(spanText(e)).toBe(text);
    // The rendered error points a caret at the span.
    const rendered = renderError(e);
    expect(rendered).toContain(`error[${code}]: f: `);
    expect(rendered).toContain(`  | ${f}\n  | ${' '.repeat(start)}${'^'.repeat(text.length)} (column ${start + 1})`);
  });

  it.each([
    ['sum(x^2)', { x: 'vector(n)' }, 'for an element-wise power write x.^2'],
    ["sum(x'^3)", { x: 'vector(n)' }, "for an element-wise power write x'.^3"],
    ['sum((A+A)^-1)', { A: 'matrix(m,n)' }, 'm and n are different symbols, so they are different sizes; declare it as matrix(m,m) if it is square; for an element-wise power write (A+A).^(-1)'],
  ])('a matrix power of a non-square %s says how to write the element-wise power', (f, vars, hint) => {
    const e = analyzeError(spec(f, vars));
    expect(e.code).toBe('E_NOT_SQUARE');
    expect(e.hint).toBe(hint);
  });

  it('has at least 25 cases and covers every shape error code', () => {
    expect(cases.length).toBeGreaterThanOrEqual(25);
    expect(new Set(cases.map((c) => c[2]))).toEqual(
      new Set(['E_SHAPE_ADD', 'E_SHAPE_ELEMENTWISE', 'E_SHAPE_MATMUL', 'E_SHAPE_DIV', 'E_SHAPE_POWER', 'E_MATRIX_POWER', 'E_NOT_SQUARE', 'E_NOT_VECTOR', 'E_EYE_ARG', 'E_CONSTANT_ARG', 'E_SHAPE_DOT', 'E_UNDECLARED']),
    );
  });

  it('row-level errors name the field they come from (claim shape, f, wrt, vars)', () => {
    const x = { x: 'vector(n)' };
    const cases: [ReturnType<typeof spec>, string, string][] = [
      [spec("x'*x", x, { wrt: 'x', claim: ['grad', "x*x'"] }), 'E_CLAIM_SHAPE', 'grad'],
      [spec('x', x, { wrt: 'x', claim: ['grad', 'x'] }), 'E_F_NOT_SCALAR', 'f'],
      [spec("x'*x", x, { claim: ['grad', '2*x'] }), 'E_NO_WRT', 'wrt'],
      [spec("x'*x", x, { wrt: 'y', claim: ['grad', '2*x'] }), 'E_WRT_UNUSED', 'wrt'],
      [spec("x'*x", x, { wrt: '2x', claim: ['grad', '2*x'] }), 'E_WRT', 'wrt'],
      [spec("x'*x", { ...x, dx: 'vector(n)' }, { wrt: 'x', claim: ['differential', "2*x'*dx"] }), 'E_DIRECTION_NAME', 'vars.dx'],
      [spec("x'*x*dx", x, { wrt: 'x', claim: ['differential', "2*x'*dx"] }), 'E_DIRECTION_NAME', 'f'],
      [spec("x'*x", { ...x, 'x!': 'scalar' }), 'E_VAR_NAME', 'vars.x!'],
      [spec("x'*x", { x: 'vector(n' }), 'E_KIND', 'vars.x'],
      [spec('A*x', { A: 'matrix(m,n)', x: 'vector(n)' }, { wrt: 'A', claim: ['jacobian', 'x'] }), 'E_NOT_VECTOR', 'wrt'],
    ];
    for (const [s, code, field] of cases) {
      const e = analyzeError(s);
      expect(e.code, JSON.stringify(s)).toBe(code);
      expect(e.field, code).toBe(field);
      expect(renderError(e), code).toContain(`error[${code}]: ${field}: `);
    }
  });

  it('inv(A) for A: matrix(m,n) names both dimensions and says they differ', () => {
    const e = analyzeError(spec('inv(A)', { A: 'matrix(m,n)' }));
    expect(e.code).toBe('E_NOT_SQUARE');
    expect(e.message).toContain("'A' (m x n) is not square (m rows, n columns)");
    expect(e.hint).toContain('m and n are different symbols, so they are different sizes');
    expect(e.hint).toContain('matrix(m,m)');
    const r = renderError(e);
    expect(r).toBe(
      [
        "error[E_NOT_SQUARE]: f: inv needs a square matrix, but 'A' (m x n) is not square (m rows, n columns)",
        '  | inv(A)',
        '  |     ^ (column 5)',
        '  = hint: m and n are different symbols, so they are different sizes; declare it as matrix(m,m) if it is square',
      ].join('\n'),
    );
  });

  it('messages describe both operands with their shapes', () => {
    expect(analyzeError(spec('A+B', { A: 'matrix(m,n)', B: 'matrix(n,m)' })).message).toBe("cannot add 'A' (m x n) and 'B' (n x m): the shapes differ");
    expect(analyzeError(spec('A*B', { A: 'matrix(m,n)', B: 'matrix(m,n)' })).message).toBe("cannot multiply 'A' (m x n) by 'B' (m x n): inner dimensions n and m differ");
    expect(analyzeError(spec('dot(x,y)', { x: 'vector(n)', y: 'vector(m)' })).message).toBe("dot needs two arguments of the same shape, got 'x' (n x 1) and 'y' (m x 1)");
    expect(analyzeError(spec('c/x', { x: 'vector(n)', c: 'scalar' })).message).toBe("cannot divide by 'x' (n x 1): '/' divides by a scalar");
  });

  it('a failed element-wise match leaves no half-made inference in the message (X undeclared)', () => {
    // X*A is rows(X) x n. Matching it to B (n x m) fails on the columns; the
    // rows must not be reported as already unified to n.
    const vars = { A: 'matrix(k,n)', B: 'matrix(n,m)' };
    const add = analyzeError(spec('X*A + B', vars));
    expect(add.message).toBe("cannot add 'X*A' (rows(X) x n) and 'B' (n x m): the shapes differ");
    expect(add.hint).toBe("one side is the transpose of the other: did you mean 'B'' ?");
    expect(fShapeOf(spec("X*A + B'", vars))).toBe('m x n');
    expect(analyzeError(spec('dot(X*A, B)', vars)).message).toBe("dot needs two arguments of the same shape, got 'X*A' (rows(X) x n) and 'B' (n x m)");
  });

  it('hints suggest the likely fix', () => {
    expect(analyzeError(spec('A*B', { A: 'matrix(m,n)', B: 'matrix(m,n)' })).hint).toBe("did you mean A*B'?");
    expect(analyzeError(spec('x*A', { x: 'vector(m)', A: 'matrix(m,n)' })).hint).toBe("did you mean x'*A?");
    expect(analyzeError(spec('(2*x)*y', { x: 'vector(n)', y: 'vector(n)' })).hint).toContain("(2*x)'*y");
    expect(analyzeError(spec('A+B', { A: 'matrix(m,n)', B: 'matrix(n,m)' })).hint).toContain('transpose');
    expect(analyzeError(spec('A/B', { A: 'matrix(m,n)', B: 'matrix(n,n)' })).hint).toBe("use './' for element-wise division, or '*inv(B)' for a matrix");
    expect(analyzeError(spec('A^c', { A: 'matrix(n,n)', c: 'scalar' })).hint).toContain("'.^'");
    expect(analyzeError(spec('softmax(A)', { A: 'matrix(m,n)' })).hint).toContain('vec(');
  });

  it('errors in a claim point into the claim text and name its field', () => {
    const e = analyzeError(spec("x'*x", { x: 'vector(n)', A: 'matrix(n,n)' }, { wrt: 'x', claim: ['grad', '2*x + A'] }));
    expect(e.code).toBe('E_SHAPE_ADD');
    expect(e.field).toBe('grad');
    expect(e.source).toBe('2*x + A');
    expect(spanText(e)).toBe('+');
    expect(renderError(e)).toContain('error[E_SHAPE_ADD]: grad: ');
    const d = analyzeError(spec("x'*x", { x: 'vector(n)' }, { wrt: 'x', claim: ['differential', '2*x*dx'] }));
    expect(d.code).toBe('E_SHAPE_MATMUL');
    expect(d.field).toBe('differential');
    expect(d.span).toEqual({ start: 3, end: 4 });
    expect(d.hint).toContain("(2*x)'*dx");
  });
});

describe('matrix powers and exponents', () => {
  it('A^k needs a square A and an integer constant k', () => {
    for (const k of ['0', '1', '2', '7', '-1', '-3', '(2)', '(-1)', '2.0']) {
      expect(fShapeOf(spec(`A^${k}`, { A: 'matrix(n,n)' })), k).toBe('n x n');
    }
    expect(fShapeOf(spec('X^2'))).toMatch(/^(rows|cols)\(X\) x (rows|cols)\(X\)$/);
    const a = analyze(spec('X^2'));
    const [r, c] = a.types.vars.get('X')!.shape;
    expect(a.types.dims.find(r)).toBe(a.types.dims.find(c));
  });
  it("A^2' transposes the exponent (postfix ' binds tighter than ^): the hint says so instead of suggesting .^", () => {
    const e = analyzeError(spec("A^2'", { A: 'matrix(n,n)' }));
    expect(e.code).toBe('E_MATRIX_POWER');
    expect(e.span).toEqual({ start: 2, end: 4 });
    expect(e.hint).toBe("' binds tighter than ^, so this transposes the exponent 2; for the transpose of the power write (A^2)'");
    expect(analyzeError(spec("(A+B)^-1'", { A: 'matrix(n,n)', B: 'matrix(n,n)' })).hint).toBe(
      "' binds tighter than ^, so this transposes the exponent -1; for the transpose of the power write ((A+B)^-1)'",
    );
    // other exponents keep the element-wise hint
    expect(analyzeError(spec('A^c', { A: 'matrix(n,n)', c: 'scalar' })).hint).toBe("use '.^' for an element-wise power");
  });
  it('X^T and X^-T from textbook notation: T is an undeclared matrix, and the hint gives the transpose', () => {
    const t = analyzeError(spec("X^T*A", { X: 'matrix(m,n)', A: 'matrix(m,k)' }));
    expect(t.code).toBe('E_SHAPE_POWER');
    expect(t.hint).toBe("T here is an undeclared matrix, not a transpose: write X' for the transpose");
    expect(analyzeError(spec('x^T*y', { x: 'vector(n)', y: 'vector(n)' })).hint).toBe("T here is an undeclared matrix, not a transpose: write x' for the transpose");
    expect(analyzeError(spec('det(X)*X^-T', { X: 'matrix(n,n)' })).hint).toBe("T here is an undeclared matrix, not a transpose: write inv(X)' for the inverse transpose");
    expect(analyzeError(spec('(A*B)^(-T)', { A: 'matrix(n,n)', B: 'matrix(n,n)' })).hint).toBe(
      "T here is an undeclared matrix, not a transpose: write inv(A*B)' for the inverse transpose",
    );
    // A declared T is the writer's own variable: only the scalar-exponent rule is stated.
    expect(analyzeError(spec('X^T', { X: 'matrix(n,n)', T: 'matrix(n,n)' })).hint).toBe("'^' takes a scalar exponent");
    expect(analyzeError(spec('A.^x', { A: 'matrix(m,n)', x: 'vector(n)' })).hint).toBe("'.^' takes a scalar exponent");
  });
  it('a scalar base takes any scalar exponent', () => {
    expect(fShapeOf(spec('c^d + c^2.5 + c^pi + 2^c', { c: 'scalar', d: 'scalar' }))).toBe('a scalar');
  });
  it('the largest exponent the engine can take is accepted, one more is not', () => {
    expect(fShapeOf(spec('A^2147483647', { A: 'matrix(n,n)' }))).toBe('n x n');
    expect(fShapeOf(spec('A^-2147483647', { A: 'matrix(n,n)' }))).toBe('n x n');
    expect(analyzeError(spec('A^2147483648', { A: 'matrix(n,n)' })).code).toBe('E_MATRIX_POWER');
    expect(analyzeError(spec('A^1e300', { A: 'matrix(n,n)' })).code).toBe('E_MATRIX_POWER');
  });
});
