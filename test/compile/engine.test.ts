// Differential tests of the whole compile + run path: every construct of the
// formula language (spec section 1), lowered to the IR, laid out for concrete
// sizes and run in the WebAssembly engine, against the plain-TS reference
// evaluator (src/run/reference.ts), at many shapes: 1x1, 1xn, nx1,
// non-square, and sizes that are not multiples of the SIMD width.
import { describe, expect, it } from 'vitest';
import { loadEngine } from '../../src/run/module.js';
import { referenceClaim, referenceF, relativeError, runEngine, fromRows, type Run } from '../helpers/run.js';
import { spec } from '../helpers/shapes.js';
import type { FormulaSpec } from '../../src/shapes/analyze.js';
import { MatcheckError } from '../../src/errors.js';
import { makeRng } from '../../src/sample/index.js';
import { FUZZ_VARS, randomFormula } from '../helpers/formulas.js';

const engine = loadEngine();
const TOL = 1e-12;

const STATUS = { NONFINITE: 1, DOMAIN: 2, SINGULAR: 4 } as const;

type Dims = Record<string, number>;

/** Sizes for one symbol n: 1, small, odd, a multiple of 8 and a larger prime. */
const N: Dims[] = [1, 2, 3, 5, 7, 8, 13].map((n) => ({ n }));

/** (m, n) pairs: 1x1, 1xn, nx1, square and non-square, odd sizes. */
const MN: Dims[] = [
  [1, 1],
  [1, 5],
  [5, 1],
  [2, 3],
  [3, 2],
  [7, 8],
  [8, 7],
  [13, 5],
  [2, 13],
].map(([m, n]) => ({ m, n }));

/** (m, k, n) triples for products m x k times k x n. */
const MKN: Dims[] = [
  [1, 1, 1],
  [1, 5, 1],
  [5, 1, 3],
  [1, 3, 7],
  [7, 3, 1],
  [2, 3, 5],
  [3, 8, 2],
  [13, 7, 5],
  [8, 8, 8],
].map(([m, k, n]) => ({ m, k, n }));

/** Runs `s` at each size set and two seeds; checks f (and the claim) against the reference. */
function agree(s: FormulaSpec, sizes: Dims[], seeds = ['a', 'b']): Run[] {
  const runs: Run[] = [];
  for (const dims of sizes) {
    for (const seed of seeds) {
      const r = runEngine(engine, s, { dims, seed: `${seed}:${s.f}:${JSON.stringify(dims)}` });
      const ref = referenceF(r);
      const where = `${s.f} at ${JSON.stringify(r.sizes)} (seed ${seed})`;
      expect(r.f.length, where).toBe(ref.data.length);
      expect(relativeError(r.f, ref.data), where).toBeLessThanOrEqual(TOL);
      expect(r.status, where).toBe(0);
      if (s.claim) {
        const refClaim = referenceClaim(r);
        expect(relativeError(r.claim!, refClaim.data), `claim ${s.claim.text} of ${where}`).toBeLessThanOrEqual(TOL);
      }
      runs.push(r);
    }
  }
  return runs;
}

const mat = (dims = 'm,n') => `matrix(${dims})`;

describe('operators', () => {
  const cases: [string, string, Record<string, string>, Dims[]][] = [
    ['transpose of a matrix', "A'", { A: mat() }, MN],
    ['transpose of a vector (an alias)', "x'", { x: 'vector(n)' }, N],
    ['double transpose', "A''", { A: mat() }, MN],
    ['transpose of a product', "(A*B)'", { A: mat('m,k'), B: mat('k,n') }, MKN],
    ['matrix product', 'A*B', { A: mat('m,k'), B: mat('k,n') }, MKN],
    ['product, left transposed', "A'*B", { A: mat('k,m'), B: mat('k,n') }, MKN],
    ['product, right transposed', "A*B'", { A: mat('m,k'), B: mat('n,k') }, MKN],
    ['product, both transposed', "A'*B'", { A: mat('k,m'), B: mat('n,k') }, MKN],
    ['product of three', 'A*B*C', { A: mat('m,k'), B: mat('k,n'), C: mat('n,m') }, MKN],
    ['inner product', "x'*y", { x: 'vector(n)', y: 'vector(n)' }, N],
    ['outer product', "x*y'", { x: 'vector(m)', y: 'vector(n)' }, MN],
    ['matrix times vector', 'A*x', { A: mat(), x: 'vector(n)' }, MN],
    ['row vector times matrix', "x'*A", { A: mat(), x: 'vector(m)' }, MN],
    ['quadratic form', "x'*A*x", { A: mat('n,n'), x: 'vector(n)' }, N],
    ['bilinear form', "x'*A*y", { A: mat(), x: 'vector(m)', y: 'vector(n)' }, MN],
    ['scalar times matrix', 'c*A', { A: mat(), c: 'scalar' }, MN],
    ['matrix times scalar', 'A*c', { A: mat(), c: 'scalar' }, MN],
    ['number times matrix', '2.5*A', { A: mat() }, MN],
    ['scalar times scalar', 'c*d', { c: 'scalar', d: 'scalar' }, [{}]],
    ['inner product times matrix (a 1x1 product scales)', "(x'*y)*A", { A: mat(), x: 'vector(k)', y: 'vector(k)' }, MKN],
    ['Hadamard product', 'A.*B', { A: mat(), B: mat() }, MN],
    ['element-wise division', 'A./B', { A: mat(), B: 'positive matrix(m,n)' }, MN],
    ['scalar .* matrix', 'c.*A', { A: mat(), c: 'scalar' }, MN],
    ['matrix .* scalar', 'A.*c', { A: mat(), c: 'scalar' }, MN],
    ['matrix ./ scalar', 'A./c', { A: mat(), c: 'positive scalar' }, MN],
    ['scalar ./ matrix', 'c./B', { B: 'positive matrix(m,n)', c: 'scalar' }, MN],
    ['division by a scalar', 'A/c', { A: mat(), c: 'positive scalar' }, MN],
    ['division by a number', 'A/3', { A: mat() }, MN],
    ['scalar division', 'c/d', { c: 'scalar', d: 'positive scalar' }, [{}]],
    ['sum', 'A+B', { A: mat(), B: mat() }, MN],
    ['difference', 'A-B', { A: mat(), B: mat() }, MN],
    ['negation', '-A', { A: mat() }, MN],
    ['negated transpose', "-A'", { A: mat() }, MN],
    ['scalar + matrix', 'c+A', { A: mat(), c: 'scalar' }, MN],
    ['matrix - scalar', 'A-c', { A: mat(), c: 'scalar' }, MN],
    ['scalar - matrix', 'c-A', { A: mat(), c: 'scalar' }, MN],
    ['number - vector', '1-x', { x: 'vector(n)' }, N],
    ['scalar power', 'c^d', { c: 'positive scalar', d: 'scalar' }, [{}]],
    ['scalar squared', 'c^2', { c: 'scalar' }, [{}]],
    ['number to a scalar power', '2^c', { c: 'scalar' }, [{}]],
    ['element-wise square', 'A.^2', { A: mat() }, MN],
    ['element-wise cube (negative bases)', 'A.^3', { A: mat() }, MN],
    ['element-wise power, scalar exponent', 'A.^c', { A: 'positive matrix(m,n)', c: 'scalar' }, MN],
    ['element-wise square root', 'A.^0.5', { A: 'positive matrix(m,n)' }, MN],
    ['element-wise reciprocal', 'A.^-1', { A: 'positive matrix(m,n)' }, MN],
    ['grouping', '(A+B)*C', { A: mat('m,k'), B: mat('m,k'), C: mat('k,n') }, MKN],
    ['precedence', "A+B*C'-D.*E/2", { A: mat(), B: mat('m,k'), C: mat('n,k'), D: mat(), E: mat() }, MKN],
  ];
  it.each(cases)('%s: %s', (_name, f, vars, sizes) => {
    agree(spec(f, vars), sizes);
  });
});

describe('buffer reuse around broadcast scalars', () => {
  // The exponent c+1 is a temporary that dies at the power: the layout may
  // reuse its 16-byte buffer, but not as the destination of a 2-entry
  // result, since the kernel reads the broadcast exponent at every entry.
  it('x.^(c+1): a dead scalar exponent is not overwritten while it is read', () => {
    const r = runEngine(engine, spec('x.^(c+1)', { x: 'vector(n)', c: 'scalar' }), { dims: { n: 2 }, values: { x: [2, 3], c: [1] } });
    expect(Array.from(r.f)).toEqual([4, 9]);
    agree(spec('x.^(c+1)', { x: 'positive vector(n)', c: 'scalar' }), N);
    agree(spec("A.^(2*c) + (c*d)^(d+1)", { A: 'positive matrix(m,n)', c: 'positive scalar', d: 'positive scalar' }), MN);
  });
  it('scalar temporaries broadcast by every element-wise operator', () => {
    for (const op of ['+', '-', '.*', './', '*']) {
      agree(spec(`(c+1)${op}A + A${op}(d+1)`, { A: 'positive matrix(m,n)', c: 'positive scalar', d: 'positive scalar' }), MN, ['a']);
    }
    agree(spec('A/(c+1) + matrix(d+1)', { A: mat(), c: 'positive scalar', d: 'scalar' }), MN, ['a']);
  });
});

describe('matrix powers', () => {
  for (const k of [0, 1, 2, 3, 4]) {
    it(`A^${k} of a general square matrix`, () => {
      agree(spec(`A^${k}`, { A: 'matrix(n,n)' }), N);
    });
  }
  for (const k of [-1, -2]) {
    it(`A^${k} of an invertible matrix`, () => {
      agree(spec(`A^${k}`, { A: 'invertible(n)' }), N);
    });
    it(`A^(${k}) with parentheses, of a positive invertible matrix`, () => {
      agree(spec(`A^(${k})`, { A: 'positive invertible(n)' }), N);
    });
  }
  it('A^0 is the identity even though A is not read', () => {
    const [r] = agree(spec('A^0', { A: 'matrix(n,n)' }), [{ n: 3 }]);
    expect(Array.from(r.f)).toEqual([1, 0, 0, 0, 1, 0, 0, 0, 1]);
  });
  it('powers of a product and of a transpose', () => {
    agree(spec("(A*B)^3 + (C')^2 + (A*B)^-1", { A: mat('n,k'), B: mat('k,n'), C: mat('n,n') }), [{ n: 1, k: 2 }, { n: 3, k: 5 }, { n: 7, k: 8 }]);
  });
  it('A^2 and A*A agree', () => {
    agree({ ...spec('A^2', { A: 'matrix(n,n)' }), claim: { type: 'equals', text: 'A*A' } }, N);
  });
});

describe('element-wise functions', () => {
  // Arguments inside each function's domain; `positive` entries lie in [0.5, 2).
  const cases: [string, Record<string, string>][] = [
    ['sin(A)', { A: mat() }],
    ['cos(A)', { A: mat() }],
    ['tan(A)', { A: mat() }],
    ['arcsin(A/2)', { A: 'positive matrix(m,n)' }],
    ['arccos(A/2)', { A: 'positive matrix(m,n)' }],
    ['arcsin(-A/2)', { A: 'positive matrix(m,n)' }],
    ['arctan(A)', { A: mat() }],
    ['asin(A/2)', { A: 'positive matrix(m,n)' }],
    ['acos(-A/2)', { A: 'positive matrix(m,n)' }],
    ['atan(A)', { A: mat() }],
    ['exp(A)', { A: mat() }],
    ['log(A)', { A: 'positive matrix(m,n)' }],
    ['sqrt(A)', { A: 'positive matrix(m,n)' }],
    ['tanh(A)', { A: mat() }],
    ['abs(A)', { A: mat() }],
    ['sign(A)', { A: mat() }],
    ['relu(A)', { A: mat() }],
    ['sigmoid(A)', { A: mat() }],
    ['softplus(A)', { A: mat() }],
    ['sigmoid(8*A)', { A: mat() }],
    ['softplus(8*A)', { A: mat() }],
    ['exp(-A)', { A: mat() }],
    ['log(exp(A))', { A: mat() }],
  ];
  it.each(cases)('%s', (f, vars) => {
    agree(spec(f, vars), MN);
  });

  it('aliases compute the same values as the canonical names', () => {
    for (const [alias, name] of [
      ['asin', 'arcsin'],
      ['acos', 'arccos'],
      ['atan', 'arctan'],
    ]) {
      const runs = agree({ ...spec(`${alias}(A/2)`, { A: 'positive matrix(m,n)' }), claim: { type: 'equals', text: `${name}(A/2)` } }, MN);
      for (const r of runs) expect(Array.from(r.claim!)).toEqual(Array.from(r.f));
    }
  });

  it('on scalars, vectors and row vectors', () => {
    agree(spec('exp(c) + sin(c)', { c: 'scalar' }), [{}]);
    agree(spec('tanh(x)', { x: 'vector(n)' }), N);
    agree(spec("sigmoid(x')", { x: 'vector(n)' }), N);
  });

  it('sign of 0 is 0 and relu(0) is 0', () => {
    const r = runEngine(engine, spec('sign(x) + relu(x)', { x: 'vector(n)' }), { dims: { n: 3 }, values: { x: [-2, 0, 3] } });
    expect(Array.from(r.f)).toEqual([-1, 0, 4]);
    expect(relativeError(r.f, referenceF(r).data)).toBe(0);
  });

  it('sign of NaN is NaN in the engine and in the reference: a domain error stays visible', () => {
    // log of a negative entry is NaN (DOMAIN); sign must not turn it into a finite 0.
    const r = runEngine(engine, spec('sign(log(x))', { x: 'vector(n)' }), { dims: { n: 3 }, values: { x: [-2, 0.5, 3] } });
    expect(r.status & STATUS.DOMAIN).toBe(STATUS.DOMAIN);
    expect(Array.from(r.f)).toEqual([NaN, -1, 1]);
    expect(Array.from(referenceF(r).data)).toEqual([NaN, -1, 1]);
  });

  it('the reference evaluates softmax and logsumexp of a long vector (no argument-list limit)', () => {
    const n = 300_000;
    const x = Float64Array.from({ length: n }, (_, i) => Math.sin(i));
    const r = runEngine(engine, spec('logsumexp(x) + sum(softmax(x))', { x: 'vector(n)' }), { dims: { n }, values: { x } });
    expect(r.status).toBe(0);
    const ref = referenceF(r).data[0];
    expect(relativeError(r.f, [ref])).toBeLessThanOrEqual(TOL);
    // logsumexp of n values in [-1, 1] lies within log(n) +- 1
    expect(Math.abs(ref - 1 - Math.log(n))).toBeLessThan(1);
  });

  it('softplus and sigmoid stay finite and accurate far from 0', () => {
    const x = [-800, -720, -40, -5, 0, 5, 40, 800];
    const r = runEngine(engine, spec('softplus(x)', { x: 'vector(n)' }), { dims: { n: 8 }, values: { x } });
    expect(r.status).toBe(0);
    const ref = referenceF(r).data;
    for (let i = 0; i < x.length; i++) {
      // Relative, entry by entry: softplus(-40) is about 4.2e-18.
      expect(Math.abs(r.f[i] - ref[i]), `softplus(${x[i]})`).toBeLessThanOrEqual(TOL * Math.abs(ref[i]));
    }
    expect(r.f[7]).toBe(800);
    const s = runEngine(engine, spec('sigmoid(x)', { x: 'vector(n)' }), { dims: { n: 8 }, values: { x } });
    expect(s.f[1]).toBeGreaterThan(0); // sigmoid(-720), about 2.5e-313, a subnormal
    const sref = referenceF(s).data;
    for (let i = 0; i < x.length; i++) expect(Math.abs(s.f[i] - sref[i]), `sigmoid(${x[i]})`).toBeLessThanOrEqual(TOL * Math.abs(sref[i]));
  });
});

describe('matrix and reduction functions', () => {
  const cases: [string, Record<string, string>, Dims[]][] = [
    ['sum(A)', { A: mat() }, MN],
    ['sum(x)', { x: 'vector(n)' }, N],
    ['tr(A)', { A: 'matrix(n,n)' }, N],
    ['tr(A*B)', { A: mat(), B: mat('n,m') }, MN],
    ["tr(A'*B)", { A: mat(), B: mat() }, MN],
    ["tr(A*B')", { A: mat(), B: mat() }, MN],
    ["tr(A'*B')", { A: mat(), B: mat('n,m') }, MN],
    ['tr(A*B*C)', { A: mat('m,k'), B: mat('k,n'), C: mat('n,m') }, MKN],
    ['det(A)', { A: 'invertible(n)' }, N],
    ['det(A)', { A: 'matrix(n,n)' }, N],
    ['det(A)', { A: 'spd(n)' }, N],
    ['logdet(A)', { A: 'invertible(n)' }, N],
    ['logdet(A)', { A: 'positive spd(n)' }, N],
    ['inv(A)', { A: 'invertible(n)' }, N],
    ['inv(A)', { A: 'positive invertible(n)' }, N],
    ['inv(A)', { A: 'spd(n)' }, N],
    ['inv(A)', { A: 'orthogonal(n)' }, N],
    ['norm1(A)', { A: mat() }, MN],
    ['norm1(x)', { x: 'vector(n)' }, N],
    ['norm2(A)', { A: mat() }, MN],
    ['norm2(x)', { x: 'vector(n)' }, N],
    ['diag(x)', { x: 'vector(n)' }, N],
    ["diag(x')", { x: 'vector(n)' }, N],
    ['diag(A)', { A: 'matrix(n,n)' }, N],
    ['diag(diag(A))', { A: 'matrix(n,n)' }, N],
    ['diag(diag(x))', { x: 'vector(n)' }, N],
    ['kron(A,B)', { A: mat('m,n'), B: mat('k,m') }, MKN],
    ['kron(A,B)', { A: mat('m,k'), B: mat('n,k') }, MKN],
    ['kron(x,y)', { x: 'vector(m)', y: 'vector(n)' }, MN],
    ["kron(x',A)", { x: 'vector(k)', A: mat() }, MKN],
    ['vec(A)', { A: mat() }, MN],
    ["vec(A')", { A: mat() }, MN],
    ['vec(x)', { x: 'vector(n)' }, N],
    ['eye(n)', {}, N],
    ['eye(3)', {}, [{}]],
    ['eye(1)', {}, [{}]],
    ['A*eye(n)', { A: mat() }, MN],
    ['eye(m) + A*B', { A: mat('m,k'), B: mat('k,m') }, MKN],
    ['eye + A*B', { A: mat('m,k'), B: mat('k,m') }, MKN],
    ["x'*(A+eye)*x", { A: 'matrix(n,n)', x: 'vector(n)' }, N],
    ['eye*x - x', { x: 'vector(n)' }, N],
    ['vector(c)', { c: 'scalar' }, [{ 'len(vector@1)': 1 }, { 'len(vector@1)': 5 }]],
    ['x + vector(c)', { x: 'vector(n)', c: 'scalar' }, N],
    ["vector(2)'*x", { x: 'vector(n)' }, N],
    ['A + matrix(c)', { A: mat(), c: 'scalar' }, MN],
    ['A .* matrix(-1.5)', { A: mat() }, MN],
    ['matrix(c)*x', { x: 'vector(n)', c: 'scalar' }, N],
    ['softmax(x)', { x: 'vector(n)' }, N],
    ["softmax(x')", { x: 'vector(n)' }, N],
    ['softmax(10*x)', { x: 'vector(n)' }, N],
    ['logsumexp(x)', { x: 'vector(n)' }, N],
    ['logsumexp(50*x)', { x: 'vector(n)' }, N],
    ['dot(x,y)', { x: 'vector(n)', y: 'vector(n)' }, N],
    ['dot(A,B)', { A: mat(), B: mat() }, MN],
  ];
  it.each(cases)('%s with %j', (f, vars, sizes) => {
    agree(spec(f, vars), sizes);
  });

  it('known values: det, inv, tr, diag, kron, vec on a fixed matrix', () => {
    const A = fromRows([
      [2, 1],
      [1, 3],
    ]);
    const B = fromRows([[1, 2, 3]]);
    const vals = { A, B };
    const vars = { A: 'matrix(2,2)', B: 'matrix(1,3)' };
    const at = (f: string) => Array.from(runEngine(engine, spec(f, vars), { values: vals }).f);
    expect(at('det(A)')[0]).toBeCloseTo(5, 14);
    expect(at('logdet(A)')[0]).toBeCloseTo(Math.log(5), 14);
    at('inv(A)').forEach((v, i) => expect(v).toBeCloseTo([0.6, -0.2, -0.2, 0.4][i], 14));
    expect(at('tr(A)')).toEqual([5]);
    expect(at('diag(A)')).toEqual([2, 3]);
    expect(at('vec(A)')).toEqual([2, 1, 1, 3]);
    expect(at("vec(A')")).toEqual([2, 1, 1, 3]);
    expect(at('kron(A,B)')).toEqual(Array.from(fromRows([
      [2, 4, 6, 1, 2, 3],
      [1, 2, 3, 3, 6, 9],
    ])));
    expect(at("kron(B',A)")).toEqual(Array.from(fromRows([
      [2, 1],
      [1, 3],
      [4, 2],
      [2, 6],
      [6, 3],
      [3, 9],
    ])));
  });
});

describe('extreme magnitudes', () => {
  // The engine scales norm2 and sums the logs of the pivots for logdet
  // (docs/engine-abi.md); the reference must not overflow where it does not.
  it('norm2 of huge and tiny entries', () => {
    for (const c of [1e200, 1e-200, 1e300]) {
      const r = runEngine(engine, spec('norm2(c*x)', { x: 'vector(n)', c: 'scalar' }), { dims: { n: 5 }, values: { c: [c], x: [3, -4, 0, 12, 0] } });
      expect(r.status, `c = ${c}`).toBe(0);
      expect(r.f[0] / (13 * c), `c = ${c}`).toBeCloseTo(1, 14);
      expect(relativeError(r.f, referenceF(r).data), `c = ${c}`).toBeLessThanOrEqual(TOL);
    }
  });
  it('logdet of a matrix whose determinant overflows or underflows', () => {
    for (const c of [1e30, 1e-30]) {
      const r = runEngine(engine, spec('logdet(c*S)', { S: 'positive spd(n)', c: 'scalar' }), { dims: { n: 13 }, values: { c: [c] }, seed: 'logdet' });
      expect(r.status, `c = ${c}`).toBe(0);
      expect(Number.isFinite(r.f[0])).toBe(true);
      expect(relativeError(r.f, referenceF(r).data), `c = ${c}`).toBeLessThanOrEqual(TOL);
    }
  });
});

describe('nested combinations', () => {
  const cases: [string, Record<string, string>, Dims[]][] = [
    ["tr(inv(X)*A*X')", { X: 'invertible(n)', A: 'matrix(n,n)' }, N],
    ["log(det(X'*X))", { X: 'matrix(m,n)' }, [{ m: 5, n: 3 }, { m: 8, n: 7 }, { m: 1, n: 1 }]],
    ["logdet(X'*S*X)", { X: 'matrix(m,n)', S: 'spd(m)' }, [{ m: 5, n: 3 }, { m: 13, n: 2 }]],
    ['softmax(W*x + b)', { W: 'matrix(m,n)', x: 'vector(n)', b: 'vector(m)' }, MN],
    ['kron(A,B)*vec(C)', { A: 'matrix(m,n)', B: 'matrix(k,m)', C: 'matrix(m,n)' }, MKN],
    ["vec(B*C*A')", { A: 'matrix(m,n)', B: 'matrix(k,m)', C: 'matrix(m,n)' }, MKN],
    ['diag(diag(A))*x', { A: 'matrix(n,n)', x: 'vector(n)' }, N],
    ['sum(exp(A).*log(B))', { A: mat(), B: 'positive matrix(m,n)' }, MN],
    ["x'*inv(S)*x", { S: 'spd(n)', x: 'vector(n)' }, N],
    ["vec(A*B)'*vec(C)", { A: mat('m,k'), B: mat('k,n'), C: mat('m,n') }, MKN],
    ['norm2(A*x - y)^2', { A: mat(), x: 'vector(n)', y: 'vector(m)' }, MN],
    ["logsumexp(A'*y)", { A: mat(), y: 'vector(m)' }, MN],
    ["(x*y')*(y*x')", { x: 'vector(m)', y: 'vector(n)' }, MN],
    ["kron(x, y')", { x: 'vector(m)', y: 'vector(n)' }, MN],
    ["-(-A)'", { A: mat() }, MN],
    ['A*(B*(C*x))', { A: mat('m,k'), B: mat('k,n'), C: mat('n,m'), x: 'vector(m)' }, MKN],
    ["sigmoid(X*w)'*y - sum(softplus(X*w))", { X: mat(), w: 'vector(n)', y: 'vector(m)' }, MN],
    ['tr(A^3) + det(A^2) + tr(A^-1*B)', { A: 'invertible(n)', B: 'matrix(n,n)' }, N],
    ["inv(A)*diag(x)*inv(A)'", { A: 'invertible(n)', x: 'vector(n)' }, N],
    ['exp(exp(exp(A/4)/4)/4)', { A: mat() }, MN],
    ['sqrt(abs(A)).*sign(A) + relu(-A)', { A: mat() }, MN],
    ['(A.*B)./(abs(B)+1) - A.^2/4', { A: mat(), B: mat() }, MN],
    ['dot(softmax(x), log(softmax(x)))', { x: 'vector(n)' }, N],
    ['eye(n)*x + x*dot(x,x)', { x: 'vector(n)' }, N],
    ["(A + A')/2 - A", { A: 'symmetric(n)' }, N],
    ["Q'*Q", { Q: 'orthogonal(n)' }, N],
    ['D*x + diag(D)', { D: 'diagonal(n)', x: 'vector(n)' }, N],
    ["x'*A*x + b'*x + c", { A: 'matrix(3,3)', x: 'vector(3)', b: 'vector(3)', c: 'scalar' }, [{}]],
    ['A*B', { A: 'matrix(m,3)', B: 'matrix(3,n)' }, MN],
  ];
  it.each(cases)('%s', (f, vars, sizes) => {
    agree(spec(f, vars), sizes);
  });

  it('undeclared variables take their sizes from use', () => {
    agree(spec("x'*A*x + a*sum(y)"), [
      { 'len(x)': 3, 'len(y)': 5 },
      { 'len(x)': 1, 'len(y)': 1 },
      { 'len(x)': 7, 'len(y)': 2 },
    ]);
    agree(spec("x*y'"), [{ 'len(x)': 1, 'len(y)': 5 }, { 'len(x)': 13, 'len(y)': 2 }]);
  });
});

describe('claims: the claim streams compute the same as the reference', () => {
  const cases: [string, FormulaSpec, Dims[]][] = [
    ['grad of a trace (claim does not depend on wrt)', { ...spec('tr(A*X*B)', { A: mat('k,m'), X: mat('m,n'), B: mat('n,k') }, { wrt: 'X', claim: ['grad', "A'*B'"] }) }, MKN],
    ['grad depending on wrt', spec("x'*A*x", { x: 'vector(n)', A: mat('n,n') }, { wrt: 'x', claim: ['grad', "(A+A')*x"] }), N],
    ['grad that is wrt itself', spec('sum(X.*X)/2', { X: mat() }, { wrt: 'X', claim: ['grad', 'X'] }), MN],
    ['grad of logdet', spec('logdet(X)', { X: 'invertible(n)' }, { wrt: 'X', claim: ['grad', "inv(X)'"] }), N],
    ['differential of a product', spec('X*X', { X: mat('n,n') }, { wrt: 'X', claim: ['differential', 'dX*X + X*dX'] }), N],
    ['differential of an inverse', spec('inv(X)', { X: 'invertible(n)' }, { wrt: 'X', claim: ['differential', '-inv(X)*dX*inv(X)'] }), N],
    ['differential that ignores dX', spec('sum(X)', { X: mat() }, { wrt: 'X', claim: ['differential', 'sum(X)'] }), MN],
    ['differential shared with f', spec('tr(A*X)', { A: mat('n,m'), X: mat() }, { wrt: 'X', claim: ['differential', 'tr(A*dX) + 0*tr(A*X)'] }), MN],
    ['jacobian', spec('A*x', { A: mat(), x: 'vector(n)' }, { wrt: 'x', claim: ['jacobian', 'A'] }), MN],
    ['jacobian of softmax', spec('softmax(x)', { x: 'vector(n)' }, { wrt: 'x', claim: ['jacobian', "diag(softmax(x)) - softmax(x)*softmax(x)'"] }), N],
    ['hessian', spec("x'*A*x", { x: 'vector(n)', A: mat('n,n') }, { wrt: 'x', claim: ['hessian', "A+A'"] }), N],
    ['equals', spec("tr(A*B)", { A: mat(), B: mat('n,m') }, { claim: ['equals', "tr(B*A) + sum(vec(A)'*vec(B'))*0"] }), MN],
    ['equals: logsumexp', spec('logsumexp(A*x)', { A: mat(), x: 'vector(n)' }, { claim: ['equals', 'log(sum(exp(A*x)))'] }), MN],
    ['equals with vector(c) in f and claim', spec("vector(1)'*x", { x: 'vector(n)' }, { claim: ['equals', 'sum(x)'] }), N],
    ['a claim that is wrt transposed (an alias in a later stream)', spec("x'*x/2", { x: 'vector(n)' }, { wrt: 'x', claim: ['grad', "x'"] }), N],
    ['a claim that is vec of wrt', spec("vec(X)'*vec(X)/2", { X: mat() }, { wrt: 'X', claim: ['differential', "vec(X)'*vec(dX)"] }), MN],
    ['numerator layout (transposed claim)', spec("a'*X*b", { a: 'vector(m)', X: mat(), b: 'vector(n)' }, { wrt: 'X', claim: ['grad', "b*a'"], layout: 'numerator' }), MN],
  ];
  it.each(cases)('%s', (_name, s, sizes) => {
    agree(s, sizes);
  });
});

describe('status bits', () => {
  it('a singular argument to inv, det, logdet or a negative power sets SINGULAR (4)', () => {
    const A = fromRows([
      [1, 2],
      [2, 4],
    ]);
    for (const f of ['inv(A)', 'det(A)', 'A^-1', 'A^-2', 'sum(inv(A))']) {
      const r = runEngine(engine, spec(f, { A: 'matrix(2,2)' }), { values: { A } });
      expect(r.status & STATUS.SINGULAR, f).toBe(STATUS.SINGULAR);
    }
    const r = runEngine(engine, spec('logdet(A)', { A: 'matrix(2,2)' }), { values: { A } });
    expect(r.status & STATUS.SINGULAR).toBe(STATUS.SINGULAR);
    expect(r.status & STATUS.DOMAIN).toBe(STATUS.DOMAIN);
    // A well-conditioned matrix sets nothing.
    const ok = runEngine(engine, spec('inv(A)', { A: 'matrix(2,2)' }), { values: { A: fromRows([[2, 1], [1, 3]]) } });
    expect(ok.status).toBe(0);
  });

  it('det of an exactly singular matrix is 0', () => {
    const r = runEngine(engine, spec('det(A)', { A: 'matrix(3,3)' }), { values: { A: fromRows([[1, 2, 3], [4, 5, 6], [7, 8, 9]].map((row) => row.map((v) => v))) } });
    expect(r.status & STATUS.SINGULAR).toBe(STATUS.SINGULAR);
    expect(Math.abs(r.f[0])).toBeLessThan(1e-12);
  });

  it('log of a non-positive value sets DOMAIN (2)', () => {
    for (const v of [-1, 0]) {
      const r = runEngine(engine, spec('log(x)', { x: 'vector(3)' }), { values: { x: [1, v, 2] } });
      expect(r.status & STATUS.DOMAIN, `log(${v})`).toBe(STATUS.DOMAIN);
    }
    expect(runEngine(engine, spec('log(x)', { x: 'vector(3)' }), { values: { x: [1, 0.5, 2] } }).status).toBe(0);
    const s = runEngine(engine, spec('sqrt(x)', { x: 'vector(2)' }), { values: { x: [4, -1] } });
    expect(s.status & STATUS.DOMAIN).toBe(STATUS.DOMAIN);
  });

  it('exp(1000) overflows and sets NONFINITE (1)', () => {
    const r = runEngine(engine, spec('exp(1000)'));
    expect(r.f[0]).toBe(Infinity);
    expect(r.status).toBe(STATUS.NONFINITE);
    const v = runEngine(engine, spec('exp(c*x)', { c: 'scalar', x: 'vector(n)' }), { dims: { n: 3 }, values: { c: [1000], x: [1, -1, 0] } });
    expect(v.status & STATUS.NONFINITE).toBe(STATUS.NONFINITE);
    // NaN from log of a negative: DOMAIN, and the non-finite output too.
    const n = runEngine(engine, spec('log(c)', { c: 'scalar' }), { values: { c: [-1] } });
    expect(n.status).toBe(STATUS.DOMAIN | STATUS.NONFINITE);
  });

  it('an overflowing intermediate that ends finite is not flagged', () => {
    // exp(1000) is infinite, but 1/inf = 0 is what f returns.
    const r = runEngine(engine, spec('1/exp(1000*c)', { c: 'scalar' }), { values: { c: [1] } });
    expect(r.f[0]).toBe(0);
    expect(r.status).toBe(0);
  });
});

describe('random formulas', () => {
  it('either fail with a MatcheckError or agree with the reference', () => {
    const rng = makeRng('engine-fuzz');
    let agreed = 0;
    for (let i = 0; i < 600; i++) {
      const f = randomFormula(rng, 4);
      const dims = { m: rng.int(1, 4), n: rng.int(1, 5) };
      let r: Run;
      try {
        r = runEngine(engine, spec(f, FUZZ_VARS), { dims, seed: `fuzz${i}` });
      } catch (e) {
        expect(e, f).toBeInstanceOf(MatcheckError);
        continue;
      }
      // Singular or out-of-domain draws (inv of a random matrix, log of a
      // negative) are flagged by the status word; the rest must agree.
      if (r.status !== 0) continue;
      expect(relativeError(r.f, referenceF(r).data), `${f} at ${JSON.stringify(r.sizes)}`).toBeLessThanOrEqual(TOL);
      agreed++;
    }
    expect(agreed).toBeGreaterThan(250);
  });
});
